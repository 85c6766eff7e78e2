"""The command line as a careless user or an attacker meets it (issue 24): where -o writes,
output that cannot be written, names that mean nothing, files that cannot be read.

Run by CTest as `cli.faults` (label unit): `python -m pytest tests/cli/test_faults.py` with
OCRFIX_BINARY set. Only the fast tier runs, so no model is needed; files are real, and so
are the device nodes, symlinks and file modes.
"""
import json
import os
import shutil
import stat
import subprocess

import pytest

BINARY = os.environ.get("OCRFIX_BINARY", "build/tools/cli/ocrfix")
TEXT = b"Tbe Govemment said so.\n"


def ocrfix(*args, stdin=None, env=None, prefix=()):
    return subprocess.run([*prefix, BINARY, *args], input=stdin, capture_output=True, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(TEXT)
    return path


def device(tmp_path, name):
    """A real character device: our own node for /dev/null (1, 3) or /dev/full (1, 7) in
    tmp_path where we may create one (root, a filesystem without nodev), so that a failing
    test replaces that node and not the system's; else the system's own."""
    node = tmp_path / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, {"null": 3, "full": 7}[name]))
        with open(node, "wb"):
            pass
        return node
    except OSError:
        return "/dev/" + name


# --- item 3: -o writes into what it names ------------------------------------------------------

def test_output_to_a_device_writes_into_it_and_leaves_it_a_device(page, tmp_path):
    null = device(tmp_path, "null")
    result = ocrfix("correct", "--tier", "fast", "-o", str(null), str(page))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode), f"{null} was replaced by a plain file"
    folder = os.path.dirname(null)
    assert not [n for n in os.listdir(folder) if "ocrfix" in n], f"a temporary file was left in {folder}"


def test_output_through_a_symlink_writes_the_target_and_keeps_the_link(page, tmp_path):
    target = tmp_path / "target.txt"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.txt"
    link.symlink_to("target.txt")
    result = ocrfix("correct", "--tier", "fast", "-o", str(link), str(page))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink(), "the symlink was replaced by a plain file"
    assert target.read_bytes() == ocrfix("correct", "--tier", "fast", str(page)).stdout


def test_output_keeps_the_mode_of_the_file_it_replaces(page, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"old\n")
    secret.chmod(0o600)
    assert ocrfix("correct", "--tier", "fast", "-o", str(secret), str(page)).returncode == 0
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert secret.read_bytes() != b"old\n"


def test_a_new_output_file_follows_the_umask(page, tmp_path):
    fresh = tmp_path / "fresh.txt"
    old = os.umask(0o027)
    try:
        assert ocrfix("correct", "--tier", "fast", "-o", str(fresh), str(page)).returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def test_a_planted_partial_file_link_is_not_followed(page, tmp_path):
    # The old code opened "<out>.ocrfix-partial" with truncation: a symlink planted there
    # by another user truncated whatever it pointed at.
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    out = tmp_path / "out.txt"
    (tmp_path / "out.txt.ocrfix-partial").symlink_to(victim)
    assert ocrfix("correct", "--tier", "fast", "-o", str(out), str(page)).returncode == 0
    assert victim.read_bytes() == b"precious\n"
    assert out.read_bytes() == ocrfix("correct", "--tier", "fast", str(page)).stdout


def test_output_to_a_folder_is_a_clear_error(page, tmp_path):
    result = ocrfix("correct", "--tier", "fast", "-o", str(tmp_path), str(page))
    assert result.returncode == 4
    assert b"is a folder" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["page.txt"], "nothing may be left behind"


# --- item 4: output that never arrived is a failure -------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_stdout_on_a_full_disk_exits_4(page, fmt):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([BINARY, "correct", "--tier", "fast", "-f", fmt, str(page)], stdout=full,
                                stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 4, result.stderr
    assert b"No space left on device" in result.stderr


def test_output_file_on_a_full_disk_exits_4(page, tmp_path):
    full = device(tmp_path, "full")
    result = ocrfix("correct", "--tier", "fast", "-o", str(full), str(page))
    assert result.returncode == 4, result.stderr
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_models_path_on_a_full_disk_exits_4(tmp_path):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([BINARY, "models", "path", "-m", BINARY], stdout=full,
                                stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 4, result.stderr


# --- item 8: a language without a lexicon is said, not passed through ----------------------------

@pytest.mark.parametrize("language", ["klingon", "../../../etc/passwd", "xx"])
def test_an_unknown_language_is_an_error_that_lists_the_known_ones(page, language):
    result = ocrfix("correct", "--tier", "fast", "-l", language, str(page))
    assert result.returncode == 2, result.stderr
    assert b"no lexicon for language" in result.stderr
    assert b"auto" in result.stderr
    assert b"/etc/passwd" not in result.stderr, "the name is shown sanitised"
    assert result.stdout == b""


# --- item 9: an unreadable model says so ------------------------------------------------------

def test_an_unreadable_model_is_reported_as_unreadable(page, tmp_path):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    model.chmod(0)
    prefix = ()
    if os.geteuid() == 0:  # root reads anything: run without the capabilities that allow it
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.fail("setpriv (util-linux) is needed to test permissions as root")
        prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")
    result = ocrfix("correct", "--tier", "balanced", "-m", str(model), str(page), prefix=prefix)
    assert result.returncode == 3, result.stderr
    assert b"Permission denied" in result.stderr
    assert b"not a GGUF" not in result.stderr


# --- item 10: the smaller ones ------------------------------------------------------------------

def test_the_fast_tier_still_checks_a_named_model_file(page, tmp_path):
    result = ocrfix("correct", "--tier", "fast", "-m", str(tmp_path / "missing.gguf"), str(page))
    assert result.returncode == 3
    assert b"missing.gguf" in result.stderr


def test_an_encoding_error_names_the_file_among_several(page, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9\n")
    result = ocrfix("correct", "--tier", "fast", str(page), str(bad))
    assert result.returncode == 4
    assert str(bad).encode() in result.stderr and b"not valid UTF-8" in result.stderr
    assert result.stdout == b"", "nothing is corrected before every input has been read"


@pytest.mark.parametrize("line,message", [
    ('{"ocr": 5, "gt": "x"}', b':2: "ocr" is a number, not a string'),
    ('{"ocr": "x"}', b':2: the record has no "gt" field'),
    ('[1, 2]', b":2: a JSON array, not an object"),
    ('{"ocr": "x", "gt": ', b":2: not a JSON line"),
    ('{"ocr": "x", "gt": "y", "lang": null}', b':2: "lang" is a null, not a string'),
])
def test_eval_names_the_file_and_line_of_a_bad_record_and_exits_4(tmp_path, line, message):
    records = tmp_path / "pairs.jsonl"
    records.write_text('{"ocr": "Tbe", "gt": "The", "lang": "en"}\n' + line + "\n")
    result = ocrfix("eval", "--tier", "fast", str(records))
    assert result.returncode == 4, result.stderr
    assert str(records).encode() + message in result.stderr, result.stderr


def test_models_rm_of_a_built_in_model_needs_force(tmp_path):
    cache = tmp_path / "hub"
    folder = cache / "models--QuantFactory--SmolLM2-135M-Instruct-GGUF" / "snapshots" / "main"
    folder.mkdir(parents=True)
    (folder / "SmolLM2-135M-Instruct.Q4_1.gguf").write_bytes(b"GGUF")
    env = {"HF_HUB_CACHE": str(cache)}
    refused = ocrfix("models", "rm", "smollm2-135m", env=env)
    assert refused.returncode == 2
    assert b"--force" in refused.stderr and b"default" in refused.stderr
    assert folder.exists(), "the default model was deleted without --force"
    forced = ocrfix("models", "rm", "--force", "smollm2-135m", env=env)
    assert forced.returncode == 0, forced.stderr
    assert not folder.exists()


def test_json_output_is_still_complete(page, tmp_path):
    out = tmp_path / "page.json"
    assert ocrfix("correct", "--tier", "fast", "-f", "json", "-o", str(out), str(page)).returncode == 0
    assert json.loads(out.read_text())["text"]


def test_eval_scores_records_of_a_language_without_a_lexicon_uncorrected(tmp_path):
    records = tmp_path / "pairs.jsonl"
    records.write_text('{"ocr": "Tbe Govemment", "gt": "The Government", "lang": "en"}\n'
                       '{"ocr": "Kxyz", "gt": "Kxy", "lang": "bg"}\n')
    out = tmp_path / "out.jsonl"
    result = ocrfix("eval", "--tier", "fast", "--output", str(out), str(records))
    assert result.returncode == 0, result.stderr
    assert b"no lexicon for bg (1)" in result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[1]["corrected"] == "Kxyz" and lines[1]["edits"] == []


def test_eval_files_are_written_whole_and_a_full_disk_is_an_error(tmp_path):
    records = tmp_path / "pairs.jsonl"
    records.write_text('{"ocr": "Tbe Govemment", "gt": "The Government", "lang": "en"}\n')
    target = tmp_path / "figures.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = ocrfix("eval", "--tier", "fast", "--json", str(link), str(records))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and json.loads(target.read_text())["total"]["records"] == 1
    full = ocrfix("eval", "--tier", "fast", "--json", str(device(tmp_path, "full")), str(records))
    assert full.returncode == 4 and b"No space left" in full.stderr
    failed = ocrfix("eval", "--tier", "fast", "--output", str(tmp_path / "no" / "such" / "dir.jsonl"), str(records))
    assert failed.returncode == 4


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_run_stopped_by_a_signal_leaves_no_temporary_file(tmp_path, signal_name):
    # The temporary file beside -o's target is open from the start of the run to its end.
    import signal
    import time
    big = tmp_path / "big.txt"
    big.write_bytes(TEXT * 400000)  # about 9 MB: seconds of work in the fast tier
    out = tmp_path / "out.txt"
    process = subprocess.Popen([BINARY, "correct", "--tier", "fast", "-l", "en", "-o", str(out), str(big)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not [n for n in os.listdir(tmp_path) if n.startswith(".out.txt.ocrfix-")]:
        assert process.poll() is None and time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.01)
    process.send_signal(getattr(signal, signal_name))
    process.wait(timeout=60)
    assert process.returncode == -getattr(signal, signal_name), process.stderr.read()
    assert sorted(os.listdir(tmp_path)) == ["big.txt"]

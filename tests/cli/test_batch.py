"""`ocrfix correct --output-dir`: many files, worker processes, resuming (issue 26).

Run by CTest as `cli.batch` (label unit): `python -m pytest tests/cli/test_batch.py` with
OCRFIX_BINARY set. The fast tier only, so no model is needed; the texts are made here, from
a word list with OCR-like errors, by a seeded generator. Processes are real and so are the
kills: SIGKILL of the whole batch mid-run, of one worker, and Ctrl-C.
"""
import fcntl
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

BINARY = os.environ.get("OCRFIX_BINARY", "build/tools/cli/ocrfix")
FAST = ("--tier", "fast", "--lang", "en")

WORDS = ("the of and to in that was for with his they government which from this have been were "
         "their would said there some people other time between country number because water "
         "under river morning evening meeting committee street station market public council "
         "company railway harbour vessel captain cargo passengers yesterday afternoon received "
         "several hundred thousand building church school children mother father brother small "
         "great little house letter office following during against without within another").split()


def garble(word, rng):
    """One OCR-like misreading of `word`, or the word itself."""
    roll = rng.random()
    if roll < 0.06 and "m" in word:
        return word.replace("m", "rn", 1)
    if roll < 0.12 and "e" in word:
        return word.replace("e", "c", 1)
    if roll < 0.16 and len(word) > 4:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1:]
    return word


def make_text(rng, words=900):
    lines, line = [], []
    for _ in range(words):
        line.append(garble(rng.choice(WORDS), rng))
        if len(line) == 12:
            lines.append(" ".join(line).capitalize() + ".")
            line = []
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A tree of 120 text files (about 0.7 MB) and a JSONL file, plus files a batch skips."""
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(26)
    for i in range(120):
        folder = root / f"volume{i % 3}" / ("issues" if i % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{i:03d}.txt").write_text(make_text(rng))
    records = [json.dumps({"id": i, "text": make_text(rng, 30)}) for i in range(5)]
    (root / "records.jsonl").write_text("\n".join(records) + "\n")
    (root / ".hidden.txt").write_text("Tbe Govemment\n")
    (root / "scan.png").write_bytes(b"\x89PNG\r\n")
    return root


def inputs_of(root):
    return sorted(p.relative_to(root) for p in root.rglob("*")
                  if p.is_file() and p.suffix in (".txt", ".jsonl") and not p.name.startswith("."))


def run(*args, timeout=300):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout)


def start(*args):
    return subprocess.Popen([BINARY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def summary(out):
    return json.loads((out / ".ocrfix" / "summary.json").read_text())


def outputs(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and ".ocrfix" not in p.relative_to(out).parts}


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """The corpus corrected by one plain batch: what every other run must reproduce."""
    out = tmp_path_factory.mktemp("reference")
    result = run("correct", *FAST, "--jobs", "1", "--output-dir", str(out), str(corpus))
    assert result.returncode == 0, result.stderr
    return outputs(out)


def wait_for_done_lines(out, count, process, limit=120):
    done = out / ".ocrfix" / "done.jsonl"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if done.exists() and done.read_text().count("\n") >= count:
            return
        assert process.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.01)
    pytest.fail(f"fewer than {count} files were done in {limit} s")


def workers_of(pid):
    """Live `ocrfix batch-worker` processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if b"batch-worker" in cmdline and (pid is None or parent == pid):
            found.append(int(entry.name))
    return found


def test_a_folder_is_corrected_into_the_same_tree(corpus, reference, tmp_path):
    expected = {p for p in inputs_of(corpus)}
    assert set(reference) == expected, "outputs must mirror the inputs, and only *.txt and *.jsonl, not hidden"
    # Each output is what `ocrfix correct FILE` prints for that file alone.
    for relative in [Path("volume0/page000.txt"), Path("volume1/issues/page001.txt")]:
        single = subprocess.run([BINARY, "correct", *FAST, str(corpus / relative)], capture_output=True, timeout=120)
        assert single.returncode == 0
        assert reference[relative] == single.stdout
    assert any(reference[r] != (corpus / r).read_bytes() for r in reference), "the fast tier corrected nothing"
    records = [json.loads(line) for line in reference[Path("records.jsonl")].decode().splitlines()]
    assert [r["id"] for r in records] == list(range(5)) and all("edits" in r for r in records)


def test_two_jobs_give_the_same_outputs_and_a_summary(corpus, reference, tmp_path):
    out = tmp_path / "out"
    result = run("correct", *FAST, "--jobs", "2", "--output-dir", str(out), str(corpus))
    assert result.returncode == 0, result.stderr
    assert outputs(out) == reference
    report = summary(out)
    assert report["files"] == len(reference) and report["corrected"] == len(reference)
    assert report["failed"] == [] and report["jobs"] == 2 and report["characters"] > 500_000
    assert "121 files: 121 corrected" in result.stderr
    assert not list((out / ".ocrfix" / "tmp").iterdir())


def test_a_rerun_skips_what_is_done_and_redoes_what_changed(corpus, reference, tmp_path):
    source = tmp_path / "in"
    subprocess.run(["cp", "-r", str(corpus), str(source)], check=True)
    out = tmp_path / "out"
    assert run("correct", *FAST, "--output-dir", str(out), str(source)).returncode == 0
    again = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert again.returncode == 0 and summary(out)["skipped"] == 121 and summary(out)["corrected"] == 0

    changed = source / "volume0" / "page000.txt"
    changed.write_text("Tbe Govemment said so.\n")
    (out / "volume1" / "issues" / "page001.txt").unlink()            # an output deleted
    (out / "volume2" / "page002.txt").write_text("truncated")       # an output damaged
    third = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert third.returncode == 0, third.stderr
    assert summary(out)["corrected"] == 3 and summary(out)["skipped"] == 118
    assert (out / "volume0" / "page000.txt").read_text() != "Tbe Govemment said so.\n"
    assert (out / "volume2" / "page002.txt").read_bytes() == reference[Path("volume2/page002.txt")]

    # Other settings change the results: nothing is skipped.
    other = run("correct", "--tier", "fast", "--lang", "fr", "--output-dir", str(out), str(source))
    assert other.returncode == 0 and summary(out)["skipped"] == 0


def test_kill_9_mid_run_then_a_rerun_finishes_and_nothing_is_corrupt(corpus, reference, tmp_path):
    out = tmp_path / "out"
    batch = start("correct", *FAST, "--jobs", "2", "--output-dir", str(out), str(corpus))
    wait_for_done_lines(out, 20, batch)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 10
    while workers_of(batch.pid) and time.monotonic() < deadline:  # they end with their parent
        time.sleep(0.05)
    assert workers_of(batch.pid) == [], "workers outlived the killed batch"
    partial = outputs(out)
    assert 20 <= len(partial) < len(reference), "the kill came too late to test anything"
    for relative, data in partial.items():  # whatever exists is whole
        assert data == reference[relative], f"{relative} is not whole after the kill"

    rerun = run("correct", *FAST, "--jobs", "2", "--output-dir", str(out), str(corpus))
    assert rerun.returncode == 0, rerun.stderr
    assert outputs(out) == reference
    report = summary(out)
    assert report["skipped"] >= 20 and report["skipped"] + report["corrected"] == len(reference)
    assert not list((out / ".ocrfix" / "tmp").iterdir()), "the killed run's partial files were left"


def test_a_worker_killed_mid_file_fails_that_file_only(corpus, reference, tmp_path):
    out = tmp_path / "out"
    batch = start("correct", *FAST, "--jobs", "2", "--output-dir", str(out), str(corpus))
    wait_for_done_lines(out, 10, batch)
    victims = workers_of(batch.pid)
    assert victims, "no worker process found"
    os.kill(victims[0], signal.SIGKILL)
    _, stderr = batch.communicate(timeout=300)
    report = summary(out)
    assert len(report["failed"]) <= 1  # none when it was killed between two files
    assert report["corrected"] + len(report["failed"]) == len(reference)
    if report["failed"]:
        assert batch.returncode == 1 and "killed by signal 9" in report["failed"][0]["error"], stderr
    assert run("correct", *FAST, "--output-dir", str(out), str(corpus)).returncode == 0
    assert outputs(out) == reference


def test_ctrl_c_lets_the_files_in_progress_finish_and_says_how_to_resume(corpus, reference, tmp_path):
    out = tmp_path / "out"
    batch = start("correct", *FAST, "--jobs", "2", "--output-dir", str(out), str(corpus))
    wait_for_done_lines(out, 10, batch)
    batch.send_signal(signal.SIGINT)
    _, stderr = batch.communicate(timeout=120)
    assert batch.returncode == 130, stderr
    assert "finishing the files in progress" in stderr and "run the same command again" in stderr
    report = summary(out)
    assert report["interrupted"] and report["left"] > 0
    assert workers_of(batch.pid) == []
    assert run("correct", *FAST, "--output-dir", str(out), str(corpus)).returncode == 0
    assert outputs(out) == reference


def test_bad_files_are_reported_and_the_rest_is_done(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "good.txt").write_text("Tbe Govemment said so.\n")
    (source / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (source / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    out = tmp_path / "out"
    result = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert result.returncode == 4, result.stderr
    assert "failed: latin1.txt" in result.stderr and "not valid UTF-8" in result.stderr
    assert [f["path"] for f in summary(out)["failed"]] == ["latin1.txt"]
    alone = subprocess.run([BINARY, "correct", *FAST, str(source / "good.txt")], capture_output=True, timeout=120)
    assert (out / "good.txt").read_bytes() == alone.stdout and alone.stdout.startswith(b"The ")
    assert not (out / "latin1.txt").exists()


def test_a_link_planted_in_the_output_folder_is_not_written_through(tmp_path):
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "b.txt").write_text("Tbe Govemment said so.\n")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "sub").symlink_to(elsewhere)
    result = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert result.returncode == 4, result.stderr
    assert "symbolic link inside the output folder" in result.stderr, result.stderr
    assert os.listdir(elsewhere) == []


def test_two_inputs_for_one_output_and_writing_over_the_inputs_are_refused(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text("Tbe Govemment\n")
    clash = run("correct", *FAST, "--output-dir", str(tmp_path / "out"),
                str(tmp_path / "a" / "page.txt"), str(tmp_path / "b" / "page.txt"))
    assert clash.returncode == 2 and "would both be written" in clash.stderr
    assert not (tmp_path / "out").exists()

    over = run("correct", *FAST, "--output-dir", str(tmp_path / "a"), str(tmp_path / "a"))
    assert over.returncode == 2 and "overwrite" in over.stderr
    assert (tmp_path / "a" / "page.txt").read_text() == "Tbe Govemment\n"

    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    piped = run("correct", *FAST, "--output-dir", str(tmp_path / "out"), str(fifo))
    assert piped.returncode == 4 and "not a regular file" in piped.stderr

    missing = run("correct", *FAST, "--output-dir", str(tmp_path / "out"), str(tmp_path / "typo"))
    assert missing.returncode == 4 and "typo" in missing.stderr
    assert run("correct", *FAST, "--output-dir", str(tmp_path / "out"), "-f", "diff",
               str(tmp_path / "a")).returncode == 2
    assert run("correct", *FAST, "--output-dir", str(tmp_path / "out"), "-o", "x.txt",
               str(tmp_path / "a")).returncode == 2


def test_a_second_batch_into_the_same_folder_is_refused(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text("Tbe Govemment\n")
    state = tmp_path / "out" / ".ocrfix"
    state.mkdir(parents=True)
    with open(state / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run("correct", *FAST, "--output-dir", str(tmp_path / "out"), str(tmp_path / "in"))
    assert result.returncode == 2 and "another ocrfix batch" in result.stderr
    assert not (tmp_path / "out" / "page.txt").exists()


def test_the_worker_command_refuses_to_run_by_hand():
    result = run("batch-worker")
    assert result.returncode == 2 and "not by hand" in result.stderr


def test_the_default_jobs_fit_in_a_cgroup_memory_limit(corpus, tmp_path):
    """Under a memory limit (a container), --jobs defaults to what fits: the fast tier is
    estimated at 160 MiB a job, so 300 MiB gives one job even on more cores."""
    if os.cpu_count() < 2:
        pytest.skip("needs 2 cores to see the limit lower the jobs")
    if "ASAN_OPTIONS" in os.environ or "TSAN_OPTIONS" in os.environ:
        pytest.skip("a sanitizer build needs about 600 MiB a worker: the limit would kill it (the plain build runs this)")
    group = Path("/sys/fs/cgroup/memory") / f"ocrfix-test-{os.getpid()}"  # cgroup v1, as root
    group_v2 = Path("/sys/fs/cgroup") / f"ocrfix-test-{os.getpid()}"
    try:
        group.mkdir()
        (group / "memory.limit_in_bytes").write_text(str(300 * 2**20))
        procs = group / "cgroup.procs"
    except OSError:
        try:
            group = group_v2
            group.mkdir()
            (group / "memory.max").write_text(str(300 * 2**20))
            procs = group / "cgroup.procs"
        except OSError as error:
            pytest.skip(f"cannot make a memory cgroup here ({error}); needs root and cgroup v1 or v2")
    try:
        out = tmp_path / "out"
        script = f'echo $$ > {procs} && exec {BINARY} correct --tier fast --lang en --output-dir {out} {corpus}'
        result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "1 job, not" in result.stderr and "available; --jobs overrides" in result.stderr
        assert summary(out)["jobs"] == 1 and summary(out)["corrected"] == 121
    finally:
        time.sleep(0.2)
        group.rmdir()


ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p1" WIDTH="800" HEIGHT="200">
<PrintSpace><TextBlock ID="b1"><TextLine ID="l1">{strings}</TextLine></TextBlock></PrintSpace></Page></Layout></alto>
"""


def alto(words):
    strings = '<SP/>'.join(f'<String ID="s{i}" HPOS="{10 + 90 * i}" VPOS="10" WIDTH="80" HEIGHT="20" CONTENT="{w}"/>'
                           for i, w in enumerate(words))
    return ALTO.format(strings=strings)


def test_layout_files_in_a_batch_come_back_in_their_format(tmp_path):
    import xml.etree.ElementTree as ElementTree

    source = tmp_path / "in"
    (source / "alto").mkdir(parents=True)
    words = "The committee reccived the letter yesterday".split()
    (source / "alto" / "page1.xml").write_text(alto(words))
    (source / "alto" / "clean.xml").write_text(alto("The committee received the letter".split()))
    (source / "mets.xml").write_text('<mets xmlns="http://www.loc.gov/METS/"/>\n')
    out = tmp_path / "out"
    result = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert result.returncode == 4, result.stderr  # mets.xml is no layout file
    assert [f["path"] for f in summary(out)["failed"]] == ["mets.xml"]

    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    root = ElementTree.parse(out / "alto" / "page1.xml").getroot()
    strings = root.findall(".//a:String", ns)
    assert [s.get("CONTENT") for s in strings] == "The committee received the letter yesterday".split()
    assert strings[2].find("a:ALTERNATIVE", ns).text == "reccived"
    assert [(s.get("HPOS"), s.get("WIDTH")) for s in strings] == [(str(10 + 90 * i), "80") for i in range(6)]
    # Nothing to correct: the same XML back.
    clean = ElementTree.canonicalize(from_file=str(out / "alto" / "clean.xml"))
    assert clean == ElementTree.canonicalize(from_file=str(source / "alto" / "clean.xml"))

    as_json = run("correct", *FAST, "-f", "json", "--output-dir", str(tmp_path / "json"), str(source / "alto"))
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads((tmp_path / "json" / "page1.json").read_text())
    assert document["input_format"] == "alto" and document["text"].startswith("The committee received")

    as_text = run("correct", *FAST, "-f", "text", "--output-dir", str(tmp_path / "text"), str(source / "alto"))
    assert as_text.returncode == 0, as_text.stderr
    assert (tmp_path / "text" / "page1.txt").read_text() == "The committee received the letter yesterday"


def test_file_names_that_are_not_utf8_or_hold_a_newline_are_corrected_and_resumed(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    names = [b"bad\xff.txt", b"two\nlines.txt", b"hex:plain.txt", b"latin\xe9.jsonl"]
    for name in names:
        (source / os.fsdecode(name)).write_bytes(b"Tbe Govemment said so.\n")
    out = tmp_path / "out"
    result = subprocess.run([BINARY, "correct", *FAST, "--output-dir", str(out), str(source)], capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(os.fsencode(p.name) for p in out.iterdir() if p.name != ".ocrfix") == sorted(names)
    record = json.loads((out / os.fsdecode(b"latin\xe9.jsonl")).read_bytes())
    assert "\ufffd" in record["input"] and record["text"]  # the name shown, the text corrected
    again = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert again.returncode == 0 and summary(out)["skipped"] == len(names)


def test_no_output_is_written_over_another_input(tmp_path):
    """OUT is an input folder, and another input maps onto one of its files (review finding)."""
    (tmp_path / "A" / "sub").mkdir(parents=True)
    (tmp_path / "B" / "sub").mkdir(parents=True)
    (tmp_path / "A" / "sub" / "x.txt").write_text("ORIGINAL INPUT\n")
    (tmp_path / "B" / "sub" / "x.txt").write_text("Tbe other file\n")
    result = run("correct", *FAST, "--output-dir", str(tmp_path / "A"), str(tmp_path / "A" / "sub" / "x.txt"),
                 str(tmp_path / "B"))
    assert result.returncode == 2 and "would overwrite the input" in result.stderr
    assert (tmp_path / "A" / "sub" / "x.txt").read_text() == "ORIGINAL INPUT\n"


def test_dev_stdin_is_refused_not_read_by_the_worker(tmp_path):
    result = subprocess.run([BINARY, "correct", *FAST, "--output-dir", str(tmp_path / "out"), "/dev/stdin"],
                            input=b"Tbe Govemment\n", capture_output=True, timeout=30)
    assert result.returncode == 4 and b"not a regular file" in result.stderr


def test_an_input_folder_inside_out_is_walked_whole(tmp_path):
    for volume in ("vol1", "vol2"):
        (tmp_path / "C" / "raw" / volume).mkdir(parents=True)
        (tmp_path / "C" / "raw" / volume / "a.txt").write_text("Tbe Govemment\n")
    (tmp_path / "C" / "raw" / "top.txt").write_text("Tbe Govemment\n")
    result = run("correct", *FAST, "--output-dir", str(tmp_path / "C"), str(tmp_path / "C" / "raw"))
    assert result.returncode == 0, result.stderr
    assert summary(tmp_path / "C")["corrected"] == 3
    assert (tmp_path / "C" / "vol2" / "a.txt").exists()


def test_a_torn_last_line_of_the_done_list_does_not_swallow_the_next(corpus, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("Tbe Govemment\n")
    (source / "b.txt").write_text("Tbe Govemment\n")
    out = tmp_path / "out"
    assert run("correct", *FAST, "--output-dir", str(out), str(source / "a.txt")).returncode == 0
    with open(out / ".ocrfix" / "done.jsonl", "a") as done:
        done.write('{"bytes":12,"inp')  # what a kill mid-write leaves
    assert run("correct", *FAST, "--output-dir", str(out), str(source)).returncode == 0
    assert summary(out)["skipped"] == 1
    third = run("correct", *FAST, "--output-dir", str(out), str(source))
    assert third.returncode == 0 and summary(out)["skipped"] == 2

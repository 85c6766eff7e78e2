"""Error categories map to exception classes whose messages say what to do next."""

import os
import subprocess
import sys

import ocrfix
import pytest

CLASSES = {
    "invalid_argument": ocrfix.InvalidArgumentError, "invalid_input": ocrfix.InvalidInputError,
    "model_not_found": ocrfix.ModelNotFoundError, "model_invalid": ocrfix.ModelInvalidError,
    "download": ocrfix.DownloadError, "io": ocrfix.FileError,
    "not_initialized": ocrfix.NotInitializedError, "runtime": ocrfix.InferenceError,
}


def test_one_class_per_category_under_one_base():
    for category, cls in CLASSES.items():
        assert issubclass(cls, ocrfix.Error) and issubclass(cls, RuntimeError)
        assert cls.category == category and cls.__module__ == "ocrfix"
    assert issubclass(ocrfix.InvalidArgumentError, ValueError)
    assert issubclass(ocrfix.InvalidInputError, ValueError)


def test_methods_that_need_a_model_say_so():
    engine = ocrfix.Engine()
    assert not engine.is_initialized()
    with pytest.raises(ocrfix.NotInitializedError, match="call initialize"):
        engine.run_postprocessor("text")
    with pytest.raises(ocrfix.NotInitializedError):
        engine.run_postprocessor(["a", "b"])
    with pytest.raises(ocrfix.NotInitializedError):
        engine.share()


def test_missing_model_offline_names_the_repo_and_the_way_out(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ocrfix.ModelNotFoundError) as raised:
        ocrfix.Engine().initialize(ocrfix.ModelConfig(hugging_face_repo_id="ocrfix-test/absent-GGUF"))
    message = str(raised.value)
    assert "ocrfix-test/absent-GGUF" in message and "HF_HUB_OFFLINE" in message
    assert "file_model_path" in message


def test_corrupt_model_file_is_model_invalid(tmp_path):
    junk = tmp_path / "junk.Q4_K_M.gguf"
    junk.write_bytes(b"not a model at all")
    with pytest.raises(ocrfix.ModelInvalidError, match="junk.Q4_K_M.gguf"):
        ocrfix.Engine(ocrfix.ModelConfig(file_model_path=str(junk), gpu_layers=0))


def test_uncaught_error_prints_one_paragraph_without_traceback():
    script = "import ocrfix\nocrfix.Engine().run_postprocessor('text')\n"
    env = dict(os.environ, OCRFIX_TRACEBACK="")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0, run.stderr
    assert run.stderr.startswith("ocrfix: NotInitializedError: run_postprocessor() needs a model")
    env["OCRFIX_TRACEBACK"] = "1"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1 and "Traceback" in run.stderr


def test_a_language_without_a_lexicon_is_refused_not_passed_through():
    engine = ocrfix.Engine()
    with pytest.raises(ocrfix.InvalidArgumentError, match="no lexicon for language 'klingon'"):
        engine.initialize(ocrfix.ModelConfig(tier="fast", language="klingon"))
    engine.initialize(ocrfix.ModelConfig(tier="fast"))
    with pytest.raises(ocrfix.InvalidArgumentError, match="auto"):
        engine.run_postprocessor("Tbe text.", language="xx")

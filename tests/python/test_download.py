"""Downloads through the Python package, against the loopback hub (the C++ store tests cover
resume, checksums, locking and offline mode in depth)."""

import ocrfix
import pytest

REPO = "ocrfix-test/tiny-GGUF"


def config(**fields):
    return ocrfix.ModelConfig(hugging_face_repo_id=REPO, gpu_layers=0, **fields)


def test_initialize_downloads_into_the_cache(hub):
    source = hub.tiny_gguf()
    hub.start(REPO, {"tiny.Q4_K_M.gguf": {"path": str(source)}})
    engine = ocrfix.Engine()
    # The tiny GGUF is real GGUF but has no weights: it downloads, then fails to load.
    with pytest.raises(ocrfix.ModelInvalidError):
        engine.initialize(config())
    local = {model.repo_id: model for model in engine.list_local()}
    assert local[REPO].filename == "tiny.Q4_K_M.gguf"
    assert local[REPO].size_bytes == source.stat().st_size
    assert engine.get_local_path() == str(hub.cache)
    assert sum(request["method"] == "GET" and request["path"].startswith("/_cdn/")
               for request in hub.requests()) == 1


def test_no_download_unless_allowed(hub):
    hub.start(REPO, {"tiny.Q4_K_M.gguf": {"path": str(hub.tiny_gguf())}})
    with pytest.raises(ocrfix.ModelNotFoundError, match=REPO):
        ocrfix.Engine().initialize(config(allow_auto_download=False))
    assert len(hub.requests()) == 1  # only our own /_test/requests


def test_private_repo_needs_the_token(hub, monkeypatch):
    hub.start(REPO, {"tiny.Q4_K_M.gguf": {"path": str(hub.tiny_gguf())}}, private=True, token="hf_secret")
    with pytest.raises(ocrfix.DownloadError) as raised:
        ocrfix.Engine().initialize(config())
    message = str(raised.value)
    assert "401" in message and REPO in message and "HF_TOKEN" in message
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    with pytest.raises(ocrfix.ModelInvalidError):  # downloaded now; the tiny GGUF has no weights
        ocrfix.Engine().initialize(config())
    assert any(request["authorization"] == "Bearer hf_secret" for request in hub.requests())


def test_unknown_repo_is_model_not_found(hub):
    hub.start(REPO, {"tiny.Q4_K_M.gguf": {"path": str(hub.tiny_gguf())}})
    with pytest.raises(ocrfix.ModelNotFoundError, match="ocrfix-test/absent-GGUF.*404"):
        ocrfix.Engine().initialize(ocrfix.ModelConfig(hugging_face_repo_id="ocrfix-test/absent-GGUF"))

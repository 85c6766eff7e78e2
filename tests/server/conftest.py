"""Fixtures for the server tests: the real `ocrfix serve` on a free loopback port.

Environment: OCRFIX_BINARY (the ocrfix executable) and OCRFIX_SAMPLE (examples/sample-ocr.txt),
set by CTest. Without the default model the session ends with exit code 77 (CTest: skipped),
except under CI=true, where a missing model is a failure.
"""
from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
from dataclasses import dataclass, field

import pytest
import requests

BINARY = os.environ.get("OCRFIX_BINARY", "build/tools/cli/ocrfix")
SAMPLE = os.environ.get("OCRFIX_SAMPLE", "examples/sample-ocr.txt")


def pytest_sessionstart(session):
    probe = subprocess.run([BINARY, "models", "path"], capture_output=True, timeout=60)
    if probe.returncode == 3:
        message = "default model not installed; run `make models`: " + probe.stderr.decode(errors="replace")
        if os.environ.get("CI") == "true":
            pytest.exit("FAIL: " + message, returncode=1)
        print("SKIPPED:", message)
        pytest.exit("SKIPPED: " + message, returncode=77)
    assert probe.returncode == 0, probe.stderr


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    output: list[str] = field(default_factory=list)
    # requests honours proxy variables; a loopback server must be reached directly.
    http: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.http.trust_env = False

    def get(self, path, **kwargs):
        return self.http.get(self.url + path, timeout=kwargs.pop("timeout", 600), **kwargs)

    def post(self, path, **kwargs):
        return self.http.post(self.url + path, timeout=kwargs.pop("timeout", 600), **kwargs)

    def wait_until(self, predicate, timeout=30.0, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.get("/healthz", timeout=5)
            if predicate(health):
                return health
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(*args: str, env: dict | None = None) -> Server:
    """Starts `ocrfix serve --port 0` and returns once it prints the address it listens on.

    One inference thread per worker: llama.cpp's threads wait for each other by spinning, and
    on a machine shared with other jobs that made the timing of these tests erratic."""
    process = subprocess.Popen(
        [BINARY, "serve", "--port", "0", "-t", "1", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline().decode()
            lines.append(line)
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", line)
            if match:
                return Server(process, match.group(1), lines)
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"ocrfix serve did not start: {lines} {process.stderr.read().decode()}")


@pytest.fixture(scope="module")
def server():
    """One shared server with small limits, for the endpoint tests."""
    instance = start_server("--workers", "2", "--max-body", "65536", "--max-batch", "4", "--timeout", "600")
    yield instance
    instance.stop()


@pytest.fixture
def sample() -> str:
    with open(SAMPLE, encoding="utf-8") as file:
        return file.read()


@pytest.fixture
def edited_line(sample) -> str:
    """The sample's second line, which the default model corrects ('shlp', 'tbe')."""
    return sample.splitlines()[1]

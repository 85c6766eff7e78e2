"""Overload, timeout, graceful shutdown and the bearer token, each on its own server."""
from __future__ import annotations

import socket
import threading
import random
import time

import pytest

from conftest import start_server


def slow_batch(sample: str, copies: int = 20) -> dict:
    # The engine corrects each copy in turn: seconds of work for one worker, long enough for
    # the test to act while it runs. Servers that must finish it get a generous --timeout,
    # as a loaded machine can be slow.
    return {"texts": [sample] * copies}


def in_background(function):
    """Runs `function` on a thread; returns a callable that joins it and gives its result."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", function()), daemon=True)
    thread.start()

    def result(timeout=600):
        thread.join(timeout)
        assert not thread.is_alive(), "the request did not finish"
        return box["value"]
    return result


def test_full_queue_answers_429_at_once(sample):
    server = start_server("--workers", "1", "--queue", "1", "--timeout", "600")
    try:
        running = in_background(lambda: server.post("/v1/correct", json=slow_batch(sample)))
        server.wait_until(lambda h: h.json()["workers_busy"] == 1, what="the worker to be busy")
        waiting = in_background(lambda: server.post("/v1/correct", json={"text": "Ths is"}))
        server.wait_until(lambda h: h.json()["queue_waiting"] == 1, what="a request to wait")

        started = time.monotonic()
        rejected = server.post("/v1/correct", json={"text": "Ths is"})
        assert rejected.status_code == 429, rejected.text
        assert time.monotonic() - started < 2, "a full queue answers at once, it does not wait"
        assert rejected.headers["Retry-After"] == "1"
        assert rejected.json()["error"]["code"] == "queue_full"

        assert running().status_code == 200
        assert waiting().status_code == 200
        metrics = server.get("/metrics").text
        assert 'route="/v1/correct",status="429"} 1' in metrics
    finally:
        server.stop()


def test_request_over_the_timeout_gets_504(sample):
    server = start_server("--workers", "1", "--timeout", "0.3")
    try:
        started = time.monotonic()
        response = server.post("/v1/correct", json=slow_batch(sample))
        elapsed = time.monotonic() - started
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "timeout"
        assert elapsed < 5, f"answered after {elapsed:.1f}s, the timeout is 0.3s"
    finally:
        server.stop()


def unknown_words(count: int) -> str:
    """Words no lexicon knows, none repeated, so the cache of readings does not help: about
    0.8 s of the fast tier for 20,000 of them here (12 s before it learnt to skip the words
    with no cheap reading), so a million take far longer than any timeout below."""
    generator = random.Random(1)
    return " ".join("".join(generator.choice("abcdefghiklmnoprstuw") for _ in range(generator.randint(4, 9)))
                    for _ in range(count))


@pytest.mark.parametrize("tier", ["balanced", "fast"])
def test_timeout_stops_the_work_and_frees_the_worker(sample, tier):
    # One long text (not a batch, which stops between texts): far more than the 3 s timeout.
    text = sample * 150 if tier == "balanced" else unknown_words(1_000_000)
    server = start_server("--workers", "1", "--timeout", "3", "--max-body", "16000000")
    try:
        started = time.monotonic()
        response = server.post("/v1/correct", json={"text": text, "tier": tier, "language": "en"})
        assert response.status_code == 504, response.text
        assert time.monotonic() - started < 6
        answered = time.monotonic()
        server.wait_until(lambda h: h.json()["workers_busy"] == 0, timeout=10, what="the worker to be free")
        freed = time.monotonic() - answered
        assert freed < 2, f"the worker went on for {freed:.1f}s after the 504"
        follow_up = server.post("/v1/correct", json={"text": "Ths is a smple txt."})
        assert follow_up.status_code == 200, follow_up.text
    finally:
        server.stop()


def test_sigterm_finishes_requests_in_flight_then_exits_0(sample):
    server = start_server("--workers", "1", "--timeout", "600")
    running = in_background(lambda: server.post("/v1/correct", json=slow_batch(sample)))
    server.wait_until(lambda h: h.json()["workers_busy"] == 1, what="the worker to be busy")

    server.process.terminate()  # SIGTERM
    health = server.wait_until(lambda h: h.status_code == 503, what="/healthz to report draining")
    assert health.json()["status"] == "draining"
    refused = server.post("/v1/correct", json={"text": "Ths is"})
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "shutting_down"
    assert "Retry-After" in refused.headers

    finished = running()
    assert finished.status_code == 200, finished.text
    assert len(finished.json()["results"]) == 20
    texts = {result["text"] for result in finished.json()["results"]}
    assert len(texts) == 1 and texts != {sample}, "twenty copies, twenty equal corrections"
    assert server.process.wait(timeout=60) == 0
    assert b"stopped" in server.process.stderr.read()


def test_bearer_token():
    server = start_server(env={"OCRFIX_SERVER_TOKEN": "s3cret"})
    try:
        assert server.get("/healthz").status_code == 200, "health checks need no token"
        assert server.get("/").status_code == 200, "the page loads, then asks for the token"
        for path in ["/v1/models", "/metrics"]:
            response = server.get(path)
            assert response.status_code == 401, path
            assert response.headers["WWW-Authenticate"] == "Bearer"
        assert server.post("/v1/correct", json={"text": "x"}).status_code == 401
        wrong = server.post("/v1/correct", json={"text": "x"}, headers={"Authorization": "Bearer s3cre"})
        assert wrong.status_code == 401
        right = server.post("/v1/correct", json={"text": "Ths is"}, headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200, right.text
        openapi = server.get("/openapi.json").json()
        assert openapi["info"]["x-limits"]["token_required"] is True
        assert openapi["paths"]["/v1/correct"]["post"]["security"] == [{"bearer": []}]
    finally:
        server.stop()


def outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_listens_on_loopback_only_by_default():
    server = start_server()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        port = int(server.url.rsplit(":", 1)[1])
        address = outward_address()
        if address is None:
            pytest.skip("this machine has no address besides loopback")
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()
    finally:
        server.stop()


def test_a_tier_the_server_has_no_model_for_is_a_conflict_not_a_server_error():
    server = start_server("--tier", "fast", "--workers", "1")
    try:
        response = server.post("/v1/correct", json={"text": "Tbe cat.", "tier": "balanced"})
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "tier_unavailable"
        assert "--tier balanced" in response.json()["error"]["message"]
        assert server.post("/v1/correct", json={"text": "Tbe cat."}).status_code == 200
    finally:
        server.stop()

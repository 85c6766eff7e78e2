"""Clients that misbehave, over real sockets against the real server: slow clients that drip
a request one byte at a time."""
from __future__ import annotations

import time

from conftest import start_server
from raw_http import Drippers, connect


def test_slow_clients_do_not_starve_other_requests():
    server = start_server("--workers", "1", "--request-read-timeout", "4")
    try:
        # More slow clients than the HTTP threads the server used to have (workers + queue + 8).
        with Drippers(server.url, count=40, interval=1.0) as slow:
            time.sleep(2)
            assert slow.open_count() == 40
            for _ in range(3):
                started = time.monotonic()
                assert server.get("/healthz", timeout=10).status_code == 200
                assert time.monotonic() - started < 2, "a health check waited behind slow clients"
                started = time.monotonic()
                response = server.post("/v1/correct", json={"text": "Ths is a smple txt."}, timeout=30)
                assert response.status_code == 200, response.text
                assert time.monotonic() - started < 10
            # Each slow client is cut off once its request has taken --request-read-timeout.
            assert slow.wait_all_closed(timeout=10), f"{slow.open_count()} slow clients still connected"
            for client in slow.clients:
                assert client.closed - client.opened < 4 + 3
                assert client.answer.startswith(b"HTTP/1.1 408 "), client.answer[:200]
    finally:
        server.stop()


def test_sigterm_exits_while_slow_and_idle_clients_are_connected():
    server = start_server("--workers", "1")
    with Drippers(server.url, count=3, interval=1.0) as slow, connect(server.url) as idle:
        time.sleep(1.5)
        assert slow.open_count() == 3
        started = time.monotonic()
        server.process.terminate()
        try:
            code = server.process.wait(timeout=15)
        except Exception:
            server.process.kill()
            raise
        assert code == 0
        assert time.monotonic() - started < 8, "slow clients kept the server from stopping"

"""Clients that misbehave, over real sockets against the real server: bodies past the limit
(chunked or not), large bodies without the token, wrong methods, and slow clients that drip
a request one byte at a time."""
from __future__ import annotations

import re
import socket
import time

import pytest

from conftest import start_server
from raw_http import Drippers, Upload, connect, peak_rss_mb, read_response, request_head

TOKEN = "s3cret"


@pytest.fixture(scope="module")
def guarded():
    """A server that needs a token, with a small body limit, correcting with the fast tier."""
    instance = start_server("--max-body", "100000", "--tier", "fast", env={"OCRFIX_SERVER_TOKEN": TOKEN})
    yield instance
    instance.stop()


def authorized(headers: dict | None = None) -> dict:
    return {"Authorization": f"Bearer {TOKEN}", **(headers or {})}


def test_chunked_body_within_the_limit_is_corrected(guarded):
    upload = Upload(guarded.url, "/v1/correct", total=20_000, headers=authorized(), piece=b"Ths is a smple txt. ")
    response = upload.response(timeout=30)
    assert response is not None and response.status == 200, response
    assert upload.finish() == 20_000
    plain = guarded.post("/v1/correct", data=b"Ths is a smple txt. " * 1000,
                         headers=authorized({"Content-Type": "text/plain"}))
    assert response.json()["text"] == plain.json()["text"]


def test_chunked_body_over_the_limit_is_413_while_it_is_read(guarded):
    upload = Upload(guarded.url, "/v1/correct", total=5_000_000, headers=authorized())
    response = upload.response(timeout=30)
    assert response is not None, "the server closed the connection without an answer"
    assert response.status == 413, response.body
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers.get("connection") == "close", "the rest of the body is not read"
    upload.finish()
    assert guarded.get("/healthz").status_code == 200


def test_chunked_body_without_the_token_is_refused_before_it_is_read(guarded):
    before = peak_rss_mb(guarded.process.pid)
    upload = Upload(guarded.url, "/v1/correct", total=300_000_000, piece=b"x" * (1 << 20))
    response = upload.response(timeout=30)
    assert response is not None and response.status == 401, response
    assert response.headers.get("www-authenticate") == "Bearer"
    assert response.headers.get("connection") == "close"
    sent = upload.finish()
    assert sent < 64_000_000, f"the server took {sent} bytes of a body it refuses"
    grown = peak_rss_mb(guarded.process.pid) - before
    assert grown < 32, f"the server's peak memory grew by {grown:.0f} MiB for a refused body"


@pytest.mark.parametrize("token, status", [(False, 401), (True, 413)])
def test_declared_length_over_the_limit_is_answered_without_reading_the_body(guarded, token, status):
    # Only the head is sent: the answer must not wait for a body the server will not read,
    # and without the token the answer is 401, whatever the size.
    with connect(guarded.url) as sock:
        headers = {"Content-Type": "text/plain", "Content-Length": "5000000"}
        sock.sendall(request_head("POST", "/v1/correct", authorized(headers) if token else headers))
        started = time.monotonic()
        response = read_response(sock, timeout=8)
        assert response is not None, "no answer"
        assert response.status == status, response.body
        assert time.monotonic() - started < 3
        assert response.headers.get("connection") == "close"


@pytest.mark.parametrize("method, path, allow", [
    ("GET", "/v1/correct", "POST"),
    ("PUT", "/v1/correct", "POST"),
    ("POST", "/healthz", "GET, HEAD"),
    ("DELETE", "/v1/models", "GET, HEAD"),
    ("POST", "/openapi.json", "GET, HEAD"),
])
def test_wrong_method_on_a_known_route_is_405_with_allow(guarded, method, path, allow):
    response = guarded.http.request(method, guarded.url + path, timeout=10, headers=authorized())
    assert response.status_code == 405, response.text
    assert response.headers["Allow"] == allow
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert allow.split(",")[0] in response.json()["error"]["message"]


@pytest.mark.parametrize("method, path, status", [
    ("POST", "/v1/nothing", 404),
    ("POST", "/healthz", 405),
    ("GET", "/healthz", 400),  # a route that takes no body
])
def test_a_body_no_route_reads_is_refused_unread(guarded, method, path, status):
    upload = Upload(guarded.url, path, total=300_000_000, headers=authorized(), piece=b"x" * (1 << 20), method=method)
    response = upload.response(timeout=30)
    assert response is not None and response.status == status, response
    assert response.headers.get("connection") == "close"
    assert upload.finish() < 64_000_000


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


def exchange(url: str, raw: bytes, timeout: float = 10.0) -> list[int]:
    """Sends `raw` and reads until the server closes the connection: the statuses of every
    response it sent, in order. A request smuggled after the first must get none."""
    with connect(url) as sock:
        sock.sendall(raw)
        sock.settimeout(timeout)
        data = b""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                piece = sock.recv(65536)
                if not piece:
                    break
                data += piece
        except (ConnectionResetError, TimeoutError, OSError):
            pass
    # A response's status line follows the body before it directly.
    return [int(status) for status in re.findall(rb"HTTP/1\.[01] (\d{3}) ", data)]


SMUGGLED = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"


def framed(*header_lines: str, body: bytes) -> bytes:
    head = ["POST /v1/correct HTTP/1.1", "Host: localhost", f"Authorization: Bearer {TOKEN}",
            "Content-Type: text/plain", *header_lines]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


@pytest.mark.parametrize("name, raw, status", [
    # A proxy that reads Content-Length sees one request; a server that reads the chunks, two.
    ("Transfer-Encoding and Content-Length",
     framed("Content-Length: 49", "Transfer-Encoding: chunked", body=b"3\r\nThs\r\n0\r\n\r\n" + SMUGGLED), 400),
    ("two Content-Lengths that disagree",
     framed("Content-Length: 3", "Content-Length: 45", body=b"Ths" + SMUGGLED), 400),
    ("two Content-Lengths, the first 0", framed("Content-Length: 0", "Content-Length: 45", body=SMUGGLED), 400),
    ("a Content-Length with a sign", framed("Content-Length: +3", body=b"Ths" + SMUGGLED), 400),
    ("a transfer coding it does not read",
     framed("Transfer-Encoding: gzip, chunked", body=b"3\r\nThs\r\n0\r\n\r\n" + SMUGGLED), 501),
    ("two Transfer-Encodings",
     framed("Transfer-Encoding: chunked", "Transfer-Encoding: identity", body=b"3\r\nThs\r\n0\r\n\r\n" + SMUGGLED), 501),
])
def test_a_body_framed_two_ways_is_refused_and_nothing_after_it_is_read(guarded, name, raw, status):
    statuses = exchange(guarded.url, raw)
    assert statuses == [status], f"{name}: answered {statuses}"


@pytest.mark.parametrize("raw, status", [
    (b"POST /v1/correct HTTP/9.9\r\nHost: localhost\r\n\r\n", 400),  # a version it does not speak
    (b"POST /v1/correct?" + b"x" * 9000 + b" HTTP/1.1\r\nHost: localhost\r\nContent-Length: 45\r\n\r\n", 414),
])
def test_after_a_request_it_cannot_read_whole_the_server_reads_nothing_more(guarded, raw, status):
    # Where such a request ends is a guess: what follows is not read as a request.
    with connect(guarded.url) as sock:
        sock.sendall(raw + SMUGGLED)
        response = read_response(sock, timeout=10)
        assert response is not None and response.status == status, response
        assert response.headers.get("connection") == "close"
    assert exchange(guarded.url, raw + SMUGGLED) == [status]


def test_a_request_the_handler_refuses_keeps_its_connection(guarded):
    # Malformed JSON, read whole: the 400 says what is wrong, and the next request is served.
    bad = b'{"text": "Ths is'
    raw = framed("Content-Type: application/json", f"Content-Length: {len(bad)}", body=bad).replace(
        b"Content-Type: text/plain\r\n", b"")
    assert exchange(guarded.url, raw + SMUGGLED, timeout=7) == [400, 200]


def test_well_formed_pipelined_requests_are_all_answered(guarded):
    assert exchange(guarded.url, SMUGGLED + SMUGGLED, timeout=7) == [200, 200]


def test_one_client_address_holds_only_its_share_of_the_connections():
    # 127.0.0.2 stands for a client that opens connections and sends nothing; 127.0.0.1 for
    # everyone else. The hog's fifth connection is refused at once, the others are served.
    instance = start_server("--tier", "fast", "--workers", "1", "--queue", "2", "--max-connections", "12",
                            "--max-connections-per-client", "4")
    try:
        host, port = instance.url.rsplit("/", 1)[-1].split(":")
        hog = [socket.create_connection((host, int(port)), timeout=10, source_address=("127.0.0.2", 0))
               for _ in range(4)]
        time.sleep(0.5)  # each has its thread, waiting for a request
        with socket.create_connection((host, int(port)), timeout=10, source_address=("127.0.0.2", 0)) as fifth:
            started = time.monotonic()
            fifth.sendall(SMUGGLED)  # sent at once, as clients do: unread, it must not cost the answer
            refused = read_response(fifth, timeout=5)
            assert refused is not None and refused.status == 429, refused
            assert refused.json()["error"]["code"] == "too_many_connections"
            assert time.monotonic() - started < 2
        assert instance.get("/healthz").status_code == 200, "other clients are served"
        for sock in hog:
            sock.close()
        time.sleep(0.5)  # their threads see them go
        with socket.create_connection((host, int(port)), timeout=10, source_address=("127.0.0.2", 0)) as again:
            again.sendall(SMUGGLED)
            answer = read_response(again, timeout=5)
            assert answer is not None and answer.status == 200, "the client's share was given back"
        metrics = instance.get("/metrics").text
        assert 'status="429"' in metrics, metrics
    finally:
        instance.stop()

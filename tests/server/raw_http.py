"""HTTP spoken by hand over sockets, for what `requests` cannot do: send a body that goes on
while the answer is read, and drip a request one byte at a time. Used by the tests and by
scripts/load_test.py."""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self):
        return json.loads(self.body)


def connect(url: str, timeout: float = 10.0) -> socket.socket:
    parts = urlparse(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout)


def read_response(sock: socket.socket, timeout: float) -> RawResponse | None:
    """Reads one response; None when the server closed without answering."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            piece = sock.recv(65536)
            if not piece:
                return None
            data += piece
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            piece = sock.recv(65536)
            if not piece:
                break
            body += piece
        return RawResponse(status, headers, body[:length])
    except ConnectionResetError:
        return None


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: localhost", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Upload:
    """Sends a request whose body goes on for `total` bytes (chunked, or with a Content-Length)
    on a thread, while the caller reads the answer. `sent` counts the body bytes the server
    took before it closed the connection."""

    def __init__(self, url: str, path: str, total: int, headers: dict[str, str] | None = None,
                 chunked: bool = True, piece: bytes = b"Ths is a smple txt. " * 3277, method: str = "POST"):
        self.sock = connect(url)
        self.total = total
        self.sent = 0
        self.chunked = chunked
        self.piece = piece
        head = dict(headers or {})
        head.setdefault("Content-Type", "text/plain")
        if chunked:
            head["Transfer-Encoding"] = "chunked"
        else:
            head["Content-Length"] = str(total)
        self.sock.sendall(request_head(method, path, head))
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self):
        try:
            while self.sent < self.total:
                piece = self.piece[: self.total - self.sent]
                frame = (b"%x\r\n" % len(piece) + piece + b"\r\n") if self.chunked else piece
                self.sock.sendall(frame)
                self.sent += len(piece)
            if self.chunked:
                self.sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed the connection: what the tests expect of a refused body

    def response(self, timeout: float = 60.0) -> RawResponse | None:
        return read_response(self.sock, timeout)

    def finish(self, timeout: float = 60.0) -> int:
        """Waits for the sender to stop; returns the body bytes sent."""
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the server neither read the body nor closed the connection"
        self.sock.close()
        return self.sent


@dataclass
class Dripper:
    sock: socket.socket
    opened: float
    closed: float | None = None  # when the server closed the connection
    answer: bytes = b""          # what the server sent before closing


@dataclass
class Drippers:
    """`count` connections that each send one byte of an endless request every `interval`
    seconds: the slow client of a slowloris attack. Use as a context manager."""
    url: str
    count: int
    interval: float = 1.0
    clients: list[Dripper] = field(default_factory=list)

    def __enter__(self):
        self._stop = threading.Event()
        for _ in range(self.count):
            sock = connect(self.url)
            sock.setblocking(False)
            self.clients.append(Dripper(sock, time.monotonic()))
        self._thread = threading.Thread(target=self._drip, daemon=True)
        self._thread.start()
        return self

    def _drip(self):
        request = b"POST /v1/correct HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1_000_000
        position = 0
        while not self._stop.is_set():
            byte = request[position % len(request): position % len(request) + 1]
            position += 1
            for client in self.clients:
                if client.closed is not None:
                    continue
                try:
                    while True:  # collect what the server answered, if anything
                        data = client.sock.recv(65536)
                        if not data:
                            client.closed = time.monotonic()
                            break
                        client.answer += data
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    client.closed = time.monotonic()
                if client.closed is None:
                    try:
                        client.sock.send(byte)
                    except (BlockingIOError, InterruptedError):
                        pass
                    except OSError:
                        client.closed = time.monotonic()
            self._stop.wait(self.interval)

    def open_count(self) -> int:
        return sum(client.closed is None for client in self.clients)

    def wait_all_closed(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.open_count():
            time.sleep(0.1)
        return self.open_count() == 0

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for client in self.clients:
            client.sock.close()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    return _status_field(pid, "VmHWM")


def rss_mb(pid: int) -> float:
    return _status_field(pid, "VmRSS")


def _status_field(pid: int, name: str) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no {name} in /proc/{pid}/status")

#!/usr/bin/env python3
"""A loopback server that speaks the parts of the Hugging Face hub's HTTP API that the
ocrfix model store uses, for tests (what a company mirror behind HF_ENDPOINT does).

    hub_server.py serve CONFIG.json     # prints "PORT <n>" on stdout, serves until killed
    hub_server.py tiny-gguf PATH [N]    # writes a small valid GGUF file (N float32s)

Endpoints:
    GET  /api/models/{repo}[/revision/{rev}]   {"id", "sha", "siblings": [{"rfilename"}]}
    HEAD|GET /{repo}/resolve/{rev}/{file}      302 to /_cdn/{sha256} with X-Linked-Etag,
                                               X-Linked-Size and X-Repo-Commit (as the hub
                                               answers for LFS files), or the bytes directly
    GET  /_cdn/{sha256}                        the bytes, with Range support
    GET  /_test/requests                       every request seen, as JSON (for assertions)

CONFIG.json:
    {"token": "secret",                        # required by repos with "private": true
     "redirect": true,                         # resolve redirects to /_cdn (default true)
     "repos": {"ocrfix-test/tiny-GGUF": {
        "commit": "<40 hex>", "private": false,
        "files": {"tiny.Q4_K_M.gguf": {
            "path": "/tmp/tiny.gguf",
            "etag": "<override the sha256 the hub announces>",
            "cut_first": 1000,                 # the first full GET sends 1000 bytes, then drops
            "chunk_delay": 0.01}}}}}           # seconds between 64 KiB chunks (slow server)

Only the Python standard library is used; the server binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHUNK = 64 * 1024


def write_tiny_gguf(path: str, elements: int = 262144) -> None:
    """A GGUF v3 file with a few metadata keys and one float32 tensor: real GGUF bytes that
    any GGUF reader parses, small enough for tests (1 MiB by default)."""

    def string(text: str) -> bytes:
        data = text.encode()
        return struct.pack("<Q", len(data)) + data

    metadata = [("general.architecture", "llama"), ("general.name", "ocrfix test tiny"),
                ("general.file_type", "test")]
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, 1, len(metadata)))
    for key, value in metadata:
        out += string(key) + struct.pack("<I", 8) + string(value)  # 8 = string
    out += string("weights") + struct.pack("<I", 1) + struct.pack("<Q", elements)
    out += struct.pack("<IQ", 0, 0)  # type F32, offset 0 in the data section
    out += b"\0" * (-len(out) % 32)  # general.alignment defaults to 32
    out += struct.pack(f"<{elements}f", *(float(i % 251) for i in range(elements)))
    Path(path).write_bytes(out)


class Hub:
    def __init__(self, config: dict):
        self.token = config.get("token", "")
        self.redirect = config.get("redirect", True)
        self.repos = config.get("repos", {})
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.blobs: dict[str, dict] = {}  # sha256 -> file entry
        self.cuts_done: set[str] = set()
        for repo in self.repos.values():
            for entry in repo.setdefault("files", {}).values():
                data = Path(entry["path"]).read_bytes()
                entry["size"] = len(data)
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                entry.setdefault("etag", entry["sha256"])
                self.blobs[entry["sha256"]] = entry


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hub: Hub

    def log_message(self, *args):  # keep test output clean
        pass

    def record(self):
        with self.hub.lock:
            self.hub.requests.append({"method": self.command, "path": self.path,
                                      "range": self.headers.get("Range", ""),
                                      "authorization": self.headers.get("Authorization", "")})

    def send_json(self, status: int, value, extra: dict | None = None):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, text in (extra or {}).items():
            self.send_header(name, text)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status: int, message: str):
        self.send_json(status, {"error": message}, {"X-Error-Message": message})

    def authorized(self, repo: dict) -> bool:
        if not repo.get("private"):
            return True
        return self.headers.get("Authorization", "") == f"Bearer {self.hub.token}"

    def do_HEAD(self):
        self.handle_request()

    def do_GET(self):
        self.handle_request()

    def handle_request(self):
        self.record()
        path = self.path.split("?")[0]
        if path == "/_test/requests":
            with self.hub.lock:
                return self.send_json(200, self.hub.requests)
        if match := re.fullmatch(r"/api/models/([^/]+/[^/]+)(?:/revision/([^/]+))?", path):
            return self.api_model(match[1])
        if match := re.fullmatch(r"/([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            return self.resolve(match[1], match[2], match[3])
        if match := re.fullmatch(r"/_cdn/([0-9a-f]{64})", path):
            entry = self.hub.blobs.get(match[1])
            return self.send_file(entry) if entry else self.error(404, "no such blob")
        self.error(404, "not found")

    def api_model(self, repo_id: str):
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self.error(404, "Repository not found")
        if not self.authorized(repo):
            return self.error(401, "Invalid credentials in Authorization header")
        siblings = [{"rfilename": name} for name in [".gitattributes", "README.md", *repo["files"]]]
        self.send_json(200, {"id": repo_id, "sha": repo["commit"], "siblings": siblings})

    def resolve(self, repo_id: str, revision: str, filename: str):
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            return self.error(404, "Repository not found")
        if not self.authorized(repo):
            return self.error(401, "Invalid credentials in Authorization header")
        if revision not in ("main", repo["commit"]):
            return self.error(404, "Revision not found")
        entry = repo["files"].get(filename)
        if entry is None:
            return self.error(404, "Entry not found")
        linked = {"X-Repo-Commit": repo["commit"], "X-Linked-Etag": f'"{entry["etag"]}"',
                  "X-Linked-Size": str(entry["size"])}
        if self.hub.redirect:
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/_cdn/{entry['sha256']}")
            self.send_header("Content-Length", "0")
            for name, text in linked.items():
                self.send_header(name, text)
            self.end_headers()
            return None
        return self.send_file(entry, linked)

    def send_file(self, entry: dict, extra: dict | None = None):
        data = Path(entry["path"]).read_bytes()
        start = 0
        range_header = self.headers.get("Range", "")
        if match := re.fullmatch(r"bytes=(\d+)-", range_header):
            start = int(match[1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{entry["sha256"]}"')
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        for name, text in (extra or {}).items():
            self.send_header(name, text)
        self.end_headers()
        if self.command == "HEAD":
            return
        end = len(data)
        cut = entry.get("cut_first")
        with self.hub.lock:
            if cut and start == 0 and entry["sha256"] not in self.hub.cuts_done:
                self.hub.cuts_done.add(entry["sha256"])
                end = cut
        for offset in range(start, end, CHUNK):
            self.wfile.write(data[offset:min(offset + CHUNK, end)])
            self.wfile.flush()
            if entry.get("chunk_delay"):
                time.sleep(entry["chunk_delay"])
        if end < len(data):  # drop the connection mid-file, as a failing network does
            self.close_connection = True
            self.connection.shutdown(2)


def serve(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    Handler.hub = Hub(config)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_port}", flush=True)
    # Bounded lifetime: a test that forgets to stop us does not leave a server behind.
    threading.Timer(config.get("lifetime_s", 600), server.shutdown).start()
    server.serve_forever()


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "serve":
        serve(argv[1])
    elif len(argv) >= 2 and argv[0] == "tiny-gguf":
        write_tiny_gguf(argv[1], int(argv[2]) if len(argv) > 2 else 262144)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

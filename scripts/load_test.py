#!/usr/bin/env python3
"""Load on `ocrfix serve` over loopback, with hostile clients sent during it; reports JSON.

wrk (Debian's) keeps --connections connections busy with POST /v1/correct for --duration
seconds (scripts/load_test.lua). Meanwhile, and over again until the load ends:
  slow clients      that drip a request a byte a second        must get 408
  chunked bodies    over --max-body                            must get 413
  declared bodies   over --max-body (Content-Length)           must get 413
  large bodies      without the token (chunked)                must get 401, the body unread
  malformed JSON                                               must get 400
  GET /v1/correct                                              must get 405
and /healthz is timed once a second. The server's RSS is sampled every second.

The report: requests served, p50/p99 latency, statuses, socket errors, RSS after warm-up and at
the end, and for each kind of hostile request how many got the right answer. Exit 0 when
nothing went wrong (no 5xx but deliberate 503/504, every hostile request answered right, RSS
flat, /healthz answered), 1 otherwise, 77 when the default model or wrk is missing.

    scripts/load_test.py --duration 120            # the figures for docs/RELIABILITY.md
    scripts/load_test.py --smoke                   # ~15 s, run by CTest (server.load_smoke)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "server"))

TOKEN = "load-test-token"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / "build/tools/cli/ocrfix"))
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load (default 180)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (default 64)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--tier", default="fast", help="tier of the load's requests (default fast)")
    parser.add_argument("--slow-clients", type=int, default=16, help="slow clients at a time (default 16)")
    parser.add_argument("--output", help="also write the JSON report to this file")
    parser.add_argument("--smoke", action="store_true", help="a short run for CTest: 8 s, 16 connections")
    arguments = parser.parse_args()
    if arguments.smoke:
        arguments.duration, arguments.connections, arguments.slow_clients = 8.0, 16, 4
    return arguments


def skip(message: str):
    if os.environ.get("CI") == "true":
        sys.exit("FAIL: " + message)
    print("SKIPPED:", message)
    sys.exit(77)


class Tally:
    """Right and wrong answers by kind of hostile request. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.kinds: dict[str, dict] = {}

    def add(self, kind: str, expected: int, got, note: str = ""):
        with self.lock:
            entry = self.kinds.setdefault(kind, {"expected": expected, "sent": 0, "right": 0, "wrong": []})
            entry["sent"] += 1
            if got == expected and not note:
                entry["right"] += 1
            elif len(entry["wrong"]) < 5:
                entry["wrong"].append(f"{got} {note}".strip())


def hostile_bodies(server, stop: threading.Event, tally: Tally, max_body: int):
    """Oversized, unauthorized and malformed requests, one of each in turn, until `stop`."""
    from raw_http import Upload

    token = {"Authorization": f"Bearer {TOKEN}"}

    def upload(kind, expected, total, headers, chunked=True, piece=None):
        extra = {"piece": piece} if piece else {}
        attempt = Upload(server.url, "/v1/correct", total=total, headers=headers, chunked=chunked, **extra)
        response = attempt.response(timeout=30)
        sent = attempt.finish()
        note = "" if sent < total or total <= 8 * max_body else f"body read whole ({sent} bytes)"
        tally.add(kind, expected, response.status if response else "no answer", note)

    while not stop.is_set():
        upload("chunked_over_max_body", 413, 4 * max_body, token)
        upload("declared_over_max_body", 413, 4 * max_body, token, chunked=False)
        upload("no_token_large_chunked", 401, 64 << 20, {}, piece=b"x" * (1 << 20))
        malformed = server.post("/v1/correct", data=b'{"text": "Ths is', headers={"Content-Type": "application/json", **token},
                                timeout=30)
        tally.add("malformed_json", 400, malformed.status_code)
        wrong_method = server.get("/v1/correct", headers=token, timeout=30)
        tally.add("wrong_method", 405, wrong_method.status_code,
                  "" if wrong_method.headers.get("Allow") == "POST" else "no Allow: POST")
        stop.wait(0.5)


def slow_clients(server, stop: threading.Event, tally: Tally, count: int, read_timeout: float):
    """Batches of clients that drip a request, each of which must get 408 in time."""
    from raw_http import Drippers

    while not stop.is_set():
        with Drippers(server.url, count=count, interval=1.0) as slow:
            slow.wait_all_closed(timeout=read_timeout + 5)
            for client in slow.clients:
                late = client.closed is None or client.closed - client.opened > read_timeout + 3
                tally.add("slow_client", 408, int(client.answer[9:12]) if client.answer[:5] == b"HTTP/" else "no answer",
                          "not cut off in time" if late else "")


def health_checks(server, stop: threading.Event, latencies: list, failures: list):
    while not stop.is_set():
        started = time.monotonic()
        try:
            status = server.get("/healthz", timeout=10).status_code
            if status != 200:
                failures.append(status)
        except Exception as error:  # noqa: BLE001 - any failure is reported
            failures.append(type(error).__name__)
        latencies.append(time.monotonic() - started)
        stop.wait(1.0)


def sample_rss(pid: int, stop: threading.Event, samples: list):
    from raw_http import rss_mb

    while not stop.is_set():
        samples.append((time.monotonic(), rss_mb(pid)))
        stop.wait(1.0)


def run_wrk(url: str, arguments) -> dict:
    command = ["wrk", "-t", str(arguments.wrk_threads), "-c", str(arguments.connections),
               "-d", f"{arguments.duration:.0f}s", "--timeout", "10s", "--latency",
               "-s", str(ROOT / "scripts" / "load_test.lua"), url]
    environment = {**os.environ, "OCRFIX_LOAD_TOKEN": TOKEN, "OCRFIX_LOAD_TIER": arguments.tier}
    finished = subprocess.run(command, capture_output=True, text=True, env=environment,
                              timeout=arguments.duration + 120)
    for line in finished.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line[len("WRK_JSON "):])
    raise RuntimeError(f"wrk gave no report (exit {finished.returncode}): {finished.stdout} {finished.stderr}")


def main() -> int:
    arguments = parse_arguments()
    os.environ["OCRFIX_BINARY"] = arguments.binary
    if not shutil.which("wrk"):
        skip("wrk is not installed (Debian package wrk)")
    probe = subprocess.run([arguments.binary, "models", "path"], capture_output=True, timeout=60)
    if probe.returncode == 3:
        skip("default model not installed; run `make models`")

    from conftest import start_server
    from raw_http import peak_rss_mb

    max_body, read_timeout = 100_000, 2.0 if arguments.smoke else 5.0
    queue = max(8, arguments.connections)  # the load waits in the queue rather than getting 429
    server = start_server("--workers", str(arguments.workers), "--queue", str(queue), "--tier", "fast",
                          "--max-body", str(max_body), "--request-read-timeout", str(read_timeout),
                          "--timeout", "30",
                          # Every client of this test comes from 127.0.0.1: it stands for many.
                          "--max-connections-per-client", "256", env={"OCRFIX_SERVER_TOKEN": TOKEN})
    stop = threading.Event()
    tally, rss, health, health_failures = Tally(), [], [], []
    try:
        started = time.monotonic()
        helpers = [
            threading.Thread(target=sample_rss, args=(server.process.pid, stop, rss), daemon=True),
            threading.Thread(target=hostile_bodies, args=(server, stop, tally, max_body), daemon=True),
            threading.Thread(target=slow_clients, args=(server, stop, tally, arguments.slow_clients, read_timeout),
                             daemon=True),
            threading.Thread(target=health_checks, args=(server, stop, health, health_failures), daemon=True),
        ]
        for helper in helpers:
            helper.start()
        load = run_wrk(server.url, arguments)
        stop.set()
        for helper in helpers:
            helper.join(60)
        elapsed = time.monotonic() - started
        peak = peak_rss_mb(server.process.pid)
    finally:
        stop.set()
        server.stop()

    # RSS "at start" is taken once the load has warmed the server up (a tenth of the run).
    warm = [mb for t, mb in rss if t - started >= max(2.0, arguments.duration / 10)] or [mb for _, mb in rss]
    rss_start, rss_end = warm[0], warm[-1]
    statuses = {int(code): count for code, count in load["statuses"].items()}
    report = {
        "connections": arguments.connections,
        "duration_s": round(load["duration_us"] / 1e6, 1),
        "server": {"workers": arguments.workers, "queue": queue, "tier": arguments.tier, "max_body": max_body,
                   "request_read_timeout_s": read_timeout},
        "requests": load["requests"],
        "served_200": statuses.get(200, 0),
        "requests_per_s": round(load["requests"] / (load["duration_us"] / 1e6), 1),
        "latency_ms": {"p50": load["p50_us"] / 1000, "p99": load["p99_us"] / 1000, "max": load["max_us"] / 1000},
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "socket_errors": load["socket_errors"],
        "rss_mb": {"start": round(rss_start, 1), "end": round(rss_end, 1), "peak": round(peak, 1)},
        "healthz": {"checks": len(health), "max_ms": round(1000 * max(health, default=0), 1),
                    "failures": health_failures},
        "hostile": tally.kinds,
        "wall_s": round(elapsed, 1),
    }
    problems = []
    if report["served_200"] == 0:
        problems.append("no request was served")
    unexpected = {code: count for code, count in statuses.items() if code >= 500 and code not in (503, 504)}
    if unexpected:
        problems.append(f"5xx other than 503/504: {unexpected}")
    if rss_end > rss_start * 1.10 + 16:
        problems.append(f"RSS grew from {rss_start:.0f} to {rss_end:.0f} MiB")
    if health_failures:
        problems.append(f"/healthz failed: {health_failures[:5]}")
    for kind, entry in tally.kinds.items():
        if entry["right"] != entry["sent"]:
            problems.append(f"{kind}: {entry['sent'] - entry['right']} of {entry['sent']} answered wrong")
    for kind in ("slow_client", "chunked_over_max_body", "declared_over_max_body", "no_token_large_chunked",
                 "malformed_json", "wrong_method"):
        if kind not in tally.kinds:
            problems.append(f"no {kind} request was sent")
    report["problems"] = problems
    report["ok"] = not problems
    text = json.dumps(report, indent=2)
    print(text)
    if arguments.output:
        Path(arguments.output).write_text(text + "\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

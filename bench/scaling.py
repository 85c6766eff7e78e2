#!/usr/bin/env python3
"""Throughput of one machine's cores: the batch command, Ray Data and Dask, with 1 and 2
workers, in one run (docs/SCALING.md).

The corpus is the development set's English OCR (../shared/data/ocr-pairs/dev), each
record written as one file into a temporary folder (never into the repository), repeated
--copies times for the fast tier; the balanced tier corrects the first --balanced-chars
characters' worth of records. Every engine corrects the same records with the same
settings and one thread per worker, and every run's texts are compared with the batch
command's: a result that differs is reported, not timed.

    python3 bench/scaling.py                        # writes bench/results/scaling-<commit>.json
    python3 bench/scaling.py --engines batch --tiers fast
    python3 bench/scaling.py --report bench/results/scaling-<commit>.json   # Markdown tables

Needs ../shared beside the repository, a built tree (build/), and for Ray and Dask the
test venv (`make pydeps`): run it with .venv/bin/python.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def english_records(shared):
    records = []
    for path in sorted(glob.glob(os.path.join(shared, "data", "ocr-pairs", "dev", "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("lang") == "en":
                    records.append(record["ocr"])
    if not records:
        sys.exit(f"no English records under {shared}/data/ocr-pairs/dev: is ../shared there?")
    return records


def corpus_for(records, tier, args):
    if tier == "fast":
        return records * args.copies
    chosen, total = [], 0
    for text in records:
        if total >= args.balanced_chars:
            break
        chosen.append(text)
        total += len(text)
    return chosen


class RssSampler:
    """Peak RSS of the processes whose command line contains `marker`, sampled every 0.1 s."""

    def __init__(self, marker):
        self.marker = marker.encode()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as handle:
                        if self.marker not in handle.read():
                            continue
                    with open(f"/proc/{entry}/status") as handle:
                        for line in handle:
                            if line.startswith("VmRSS:"):
                                self.peak = max(self.peak, int(line.split()[1]) * 1024)
                except OSError:
                    pass
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_batch(texts, tier, workers, args, work):
    """`ocrfix correct --output-dir` over one file per record; returns (seconds, texts, rss)."""
    source = os.path.join(work, "in")
    if not os.path.isdir(source):
        os.makedirs(source)
        for i, text in enumerate(texts):
            with open(os.path.join(source, f"{i:06d}.txt"), "w", encoding="utf-8") as handle:
                handle.write(text)
    out = os.path.join(work, f"out-{workers}")
    shutil.rmtree(out, ignore_errors=True)
    command = [args.binary, "correct", "--tier", tier, "--lang", "en", "-t", "1", "--jobs", str(workers),
               "--output-dir", out, source]
    started = time.monotonic()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    with open(os.path.join(out, ".ocrfix", "summary.json")) as handle:
        summary = json.load(handle)
    corrected = []
    for i in range(len(texts)):
        with open(os.path.join(out, f"{i:06d}.txt"), encoding="utf-8") as handle:
            corrected.append(handle.read())
    return {"seconds": seconds, "rss_bytes": summary["worker_peak_rss_bytes"],
            "model_load_seconds": summary["model_load_seconds"], "command": " ".join(command)}, corrected


def run_ray(texts, tier, workers, args, work):
    import ray
    import ocrfix.ray

    if not ray.is_initialized():
        started = time.monotonic()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
        args.ray_start_seconds = time.monotonic() - started
    dataset = ray.data.from_items([{"text": text} for text in texts])
    with RssSampler("ray::") as sampler:
        started = time.monotonic()
        rows = dataset.map_batches(ocrfix.ray.Corrector, fn_constructor_kwargs={"tier": tier, "language": "en"},
                                   concurrency=workers, num_cpus=1, batch_size=args.batch_size).take_all()
        seconds = time.monotonic() - started
    by_text = {}
    corrected = [row["corrected"] for row in rows]
    # Ray Data keeps the order of a dataset read from items (preserve_order below).
    return {"seconds": seconds, "rss_bytes": sampler.peak}, corrected


def run_dask(texts, tier, workers, args, work):
    import dask.bag
    from dask.distributed import Client, LocalCluster
    import ocrfix.dask

    started = time.monotonic()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        cluster_seconds = time.monotonic() - started
        bag = dask.bag.from_sequence(texts, npartitions=max(workers * 8, 1))
        started = time.monotonic()
        results = ocrfix.dask.correct_bag(bag, tier=tier, language="en").compute()
        seconds = time.monotonic() - started
        peaks = client.run(lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss)
    corrected = [item["corrected"] if isinstance(item, dict) else item for item in results]
    return {"seconds": seconds, "rss_bytes": max(peaks.values()) * 1024, "cluster_start_seconds": cluster_seconds}, \
        corrected


ENGINES = {"batch": run_batch, "ray": run_ray, "dask": run_dask}


def measure(args):
    records = english_records(args.shared)
    results = {"commit": commit(), "date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
               "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()},
               "runs": []}
    for tier in args.tiers.split(","):
        texts = corpus_for(records, tier, args)
        characters = sum(len(text) for text in texts)
        reference = None
        with tempfile.TemporaryDirectory(prefix="ocrfix-scaling-") as work:
            for engine in args.engines.split(","):
                for workers in (1, 2):
                    print(f"{tier} {engine} x{workers}: {len(texts)} records, {characters} chars",
                          file=sys.stderr, flush=True)
                    figures, corrected = ENGINES[engine](texts, tier, workers, args, work)
                    if reference is None:
                        reference = corrected
                    figures.update({"tier": tier, "engine": engine, "workers": workers, "records": len(texts),
                                    "characters": characters,
                                    "chars_per_second": characters / figures["seconds"],
                                    "identical_to_batch": corrected == reference})
                    print(json.dumps(figures), file=sys.stderr, flush=True)
                    results["runs"].append(figures)
    if getattr(args, "ray_start_seconds", None):
        results["ray_start_seconds"] = args.ray_start_seconds
    return results


def report(results):
    """Markdown: per tier, chars/s per engine and workers, the 2-worker speed-up, and each
    engine's overhead against the batch command."""
    lines = [f"Commit `{results['commit']}`, {results['date']}; {results['machine']['cpu']}, "
             f"{results['machine']['cores']} cores.", ""]
    for tier in dict.fromkeys(run["tier"] for run in results["runs"]):
        runs = [run for run in results["runs"] if run["tier"] == tier]
        first = runs[0]
        lines += [f"**{tier} tier**: {first['records']} records, {first['characters']:,} characters.", "",
                  "| engine | 1 worker, chars/s | 2 workers, chars/s | speed-up | vs batch (2 workers) "
                  "| peak RSS per worker | same texts as batch |",
                  "|---|---|---|---|---|---|---|"]
        by = {(run["engine"], run["workers"]): run for run in runs}
        base = by.get(("batch", 2))
        for engine in dict.fromkeys(run["engine"] for run in runs):
            one, two = by.get((engine, 1)), by.get((engine, 2))
            if not one or not two:
                continue
            against = f"{two['chars_per_second'] / base['chars_per_second']:.2f}×" if base else "–"
            same = "yes" if one["identical_to_batch"] and two["identical_to_batch"] else "**no**"
            lines.append(f"| {engine} | {one['chars_per_second']:,.0f} | {two['chars_per_second']:,.0f} | "
                         f"{two['chars_per_second'] / one['chars_per_second']:.2f}× | {against} | "
                         f"{max(one['rss_bytes'], two['rss_bytes']) / 2**20:,.0f} MiB | {same} |")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "tools", "cli", "ocrfix"))
    parser.add_argument("--tiers", default="fast,balanced")
    parser.add_argument("--engines", default="batch,ray,dask")
    parser.add_argument("--copies", type=int, default=3, help="repeats of the English records for the fast tier")
    parser.add_argument("--balanced-chars", type=int, default=60000)
    parser.add_argument("--batch-size", type=int, default=16, help="Ray Data's batch_size")
    parser.add_argument("--output", help="results file (default bench/results/scaling-<commit>.json)")
    parser.add_argument("--report", metavar="RESULTS", help="print the Markdown tables of a results file and exit")
    args = parser.parse_args()
    if args.report:
        with open(args.report) as handle:
            print(report(json.load(handle)))
        return
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))
    results = measure(args)
    output = args.output or os.path.join(ROOT, "bench", "results", f"scaling-{results['commit']}.json")
    with open(output, "w") as handle:
        json.dump(results, handle, indent=2)
    print(report(results))
    print(f"wrote {output}", file=sys.stderr)


if __name__ == "__main__":
    main()

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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from bench_common import ROOT, dev_records, first_records, stamp, write_results


def corpus_for(records, tier, args):
    return records * args.copies if tier == "fast" else first_records(records, args.balanced_chars)


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


# Ray reaches nothing but loopback (the same settings as tests/python/test_distributed.py).
RAY_OFFLINE = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_REPORT_URL": "http://127.0.0.1:9/",
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    "HTTP_PROXY": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
}


def run_ray(texts, tier, workers, args, work):
    """Ray Data's map_batches with ocrfix.ray.Corrector on an actor pool of `workers`."""
    os.environ.update(RAY_OFFLINE)
    import ray
    import ocrfix.ray

    if not ray.is_initialized():
        started = time.monotonic()
        args.ray_temp = tempfile.mkdtemp(prefix="ocrfix-ray-")  # outlives each tier's work folder
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _temp_dir=args.ray_temp)
        ray.data.DataContext.get_current().enable_progress_bars = False
        args.ray_start_seconds = time.monotonic() - started
    dataset = ray.data.from_items([{"id": i, "text": text} for i, text in enumerate(texts)])
    # Small enough batches that every actor gets several (the balanced tier's corpus is short).
    batch_size = max(1, min(args.batch_size, len(texts) // (4 * workers)))
    with RssSampler("ray::") as sampler:
        started = time.monotonic()
        rows = dataset.map_batches(ocrfix.ray.Corrector, fn_constructor_kwargs={"tier": tier, "language": "en"},
                                   compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1,
                                   batch_size=batch_size).take_all()
        seconds = time.monotonic() - started
    corrected = [row["corrected"] for row in sorted(rows, key=lambda row: row["id"])]
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
    corrected = [item["corrected"] for item in results]
    return {"seconds": seconds, "rss_bytes": max(peaks.values()) * 1024, "cluster_start_seconds": cluster_seconds}, \
        corrected


ENGINES = {"batch": run_batch, "ray": run_ray, "dask": run_dask}


def hardware_scaling():
    """What 2 processes get from this machine's cores on pure arithmetic: `openssl speed`
    sha256 with -multi 2 against one process. A VM's two vCPUs that are hyperthreads of one
    physical core, or a busy host, give less than 2x here, and no software gives more."""
    def rate(*extra):
        output = subprocess.run(["openssl", "speed", "-seconds", "2", "-bytes", "16384", *extra, "sha256"],
                                capture_output=True, text=True).stdout.strip().splitlines()
        try:
            return float(output[-1].split()[-1].rstrip("k"))
        except (IndexError, ValueError):
            return None
    one, two = rate(), rate("-multi", "2")
    return {"sha256_one_process_kBps": one, "sha256_two_processes_kBps": two,
            "speedup": two / one if one and two else None}


def measure(args):
    records = dev_records(args.shared, {"en"})
    results = {**stamp(), "repeats": args.repeats, "hardware_before": hardware_scaling(), "runs": []}
    for tier in args.tiers.split(","):
        texts = corpus_for(records, tier, args)
        characters = sum(len(text) for text in texts)
        reference = None
        repeats = args.repeats if tier == "fast" else 1
        with tempfile.TemporaryDirectory(prefix="ocrfix-scaling-") as work:
            for repeat in range(repeats):  # interleaved, so a slow spell of the host hits every engine
                for engine in args.engines.split(","):
                    for workers in (1, 2):
                        print(f"{tier} {engine} x{workers} (run {repeat + 1}/{repeats}): {len(texts)} records, "
                              f"{characters} chars", file=sys.stderr, flush=True)
                        figures, corrected = ENGINES[engine](texts, tier, workers, args, work)
                        if reference is None:
                            reference = corrected
                        figures.update({"tier": tier, "engine": engine, "workers": workers, "repeat": repeat,
                                        "records": len(texts), "characters": characters,
                                        "chars_per_second": characters / figures["seconds"],
                                        "identical_to_batch": corrected == reference})
                        print(json.dumps(figures), file=sys.stderr, flush=True)
                        results["runs"].append(figures)
    if getattr(args, "ray_temp", None):
        import ray
        ray.shutdown()
        shutil.rmtree(args.ray_temp, ignore_errors=True)
    results["hardware_after"] = hardware_scaling()
    if getattr(args, "ray_start_seconds", None):
        results["ray_start_seconds"] = args.ray_start_seconds
    return results


def report(results):
    """Markdown: per tier, the best chars/s of the repeats per engine and workers, the
    2-worker speed-up, and each engine against the batch command."""
    hardware = [results.get("hardware_before", {}), results.get("hardware_after", {})]
    speedups = [h["speedup"] for h in hardware if h.get("speedup")]
    lines = [f"Commit `{results['commit']}`, {results['date']}; {results['machine']['cpu']}, "
             f"{results['machine']['cores']} cores; best of {results.get('repeats', 1)} interleaved runs "
             "for the fast tier, one for the balanced tier."]
    if speedups:
        lines.append(f"The hardware's own 2-process speed-up (`openssl speed -multi 2 sha256` against one "
                     f"process, before and after): {' and '.join(f'{x:.2f}×' for x in speedups)}.")
    lines.append("")
    for tier in dict.fromkeys(run["tier"] for run in results["runs"]):
        runs = [run for run in results["runs"] if run["tier"] == tier]
        first = runs[0]
        lines += [f"**{tier} tier**: {first['records']} records, {first['characters']:,} characters, "
                  "one thread per worker; wall time from start to the last result, model loads included.", "",
                  "| engine | 1 worker, chars/s | 2 workers, chars/s | speed-up | vs batch (2 workers) "
                  "| peak RSS per worker | same texts as batch |",
                  "|---|---|---|---|---|---|---|"]
        best = {}
        for run in runs:
            key = (run["engine"], run["workers"])
            if key not in best or run["chars_per_second"] > best[key]["chars_per_second"]:
                best[key] = run
        same = {}
        for run in runs:
            same[run["engine"]] = same.get(run["engine"], True) and run["identical_to_batch"]
        base = best.get(("batch", 2))
        for engine in dict.fromkeys(run["engine"] for run in runs):
            one, two = best.get((engine, 1)), best.get((engine, 2))
            if not one or not two:
                continue
            against = f"{two['chars_per_second'] / base['chars_per_second']:.2f}×" if base else "–"
            rss = max(run["rss_bytes"] for run in runs if run["engine"] == engine)
            lines.append(f"| {engine} | {one['chars_per_second']:,.0f} | {two['chars_per_second']:,.0f} | "
                         f"{two['chars_per_second'] / one['chars_per_second']:.2f}× | {against} | "
                         f"{rss / 2**20:,.0f} MiB | {'yes' if same[engine] else '**no**'} |")
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "tools", "cli", "ocrfix"))
    parser.add_argument("--tiers", default="fast,balanced")
    parser.add_argument("--engines", default="batch,ray,dask")
    parser.add_argument("--copies", type=int, default=1,
                        help="repeats of the English records for the fast tier (a worker that meets a text twice "
                             "corrects it faster the second time, so more than 1 favours fewer workers)")
    parser.add_argument("--balanced-chars", type=int, default=40000)
    parser.add_argument("--batch-size", type=int, default=16, help="Ray Data's batch_size")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of the fast tier (the best counts)")
    parser.add_argument("--output", help="results file (default bench/results/scaling-<commit>.json)")
    parser.add_argument("--report", metavar="RESULTS", help="print the Markdown tables of a results file and exit")
    args = parser.parse_args()
    if args.report:
        with open(args.report) as handle:
            print(report(json.load(handle)))
        return
    package = os.path.join(ROOT, "build", "python")
    sys.path.insert(0, package)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))  # workers
    results = measure(args)
    write_results(results, args.output or os.path.join(ROOT, "bench", "results", f"scaling-{results['commit']}.json"),
                  report)


if __name__ == "__main__":
    main()

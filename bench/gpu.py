#!/usr/bin/env python3
"""The model tiers on a GPU against the same machine's CPU, in one run (docs/BENCHMARKS.md, "GPU").

Needs a build with -DOCRFIX_CUDA=ON and the development set beside the repository (read from
../shared at run time, never copied into the repository). For each device, CPU (--ngl 0, every
physical core) and GPU (--ngl 99, every layer offloaded), on the same English sample:

- throughput, whole process: `ocrfix correct --tier balanced` and, on a smaller sample,
  `--tier accurate` (the model rewrites the text), chars/s and peak RSS;
- the prompt-processing ceiling of the same text with the same model (build/bench/prompt_ceiling);
- latency of 30-word strings through `ocrfix serve` (one worker, sequential requests): p50, p95;
- quality: `ocrfix eval` on the first --eval-limit records of every dev file, CER before and
  after, and how many records the GPU corrects differently from the CPU.

    python3 bench/gpu.py --binary build-cuda/tools/cli/ocrfix --ceiling build-cuda/bench/prompt_ceiling
"""

import argparse
import glob
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench_common import ROOT, dev_records, first_records, short_strings, stamp, write_results, write_sample

DEVICES = {"cpu": ["--ngl", "0"], "gpu": ["--ngl", "99"]}


def whole_process(binary, path, tier, device, characters):
    command = ["/usr/bin/time", "-f", "%M", binary, "correct", "--tier", tier, "--lang", "en", *DEVICES[device], path]
    started = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    rss_kib = int(done.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "chars_per_second": characters / seconds, "peak_rss_mib": rss_kib / 1024,
            "fell_back": "did not fit in GPU memory" in done.stderr}


def prompt_ceiling(ceiling, path, device):
    layers = DEVICES[device][1]
    model = ["--model", os.environ["OCRFIX_MODEL"]] if os.environ.get("OCRFIX_MODEL") else []
    done = subprocess.run([ceiling, path, "--gpu-layers", layers, *model], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def server_latency(binary, device, strings):
    """p50/p95 of POST /v1/correct for each string, one at a time, after one warm-up request."""
    server = subprocess.Popen([binary, "serve", "--port", "0", "--workers", "1", "--tier", "balanced", "--lang", "en",
                               *DEVICES[device]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        if "listening on" not in line:
            sys.exit(f"ocrfix serve did not start: {line!r}")
        port = int(line.split("http://")[1].split("/")[0].rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def post(text):
            connection.request("POST", "/v1/correct", body=json.dumps({"text": text}),
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                sys.exit(f"/v1/correct answered {response.status}: {body[:500]!r}")

        post(strings[0])
        times = []
        for text in strings:
            started = time.perf_counter()
            post(text)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))], "n": len(times)}
    finally:
        server.terminate()
        server.wait(timeout=60)


def evaluate(binary, shared, device, limit, work):
    files = sorted(glob.glob(os.path.join(shared, "data", "ocr-pairs", "dev", "*.jsonl")))
    figures = os.path.join(work, f"eval-{device}.json")
    corrected = os.path.join(work, f"eval-{device}.jsonl")
    started = time.monotonic()
    subprocess.run([binary, "eval", "--limit", str(limit), "--json", figures, "--output", corrected,
                    *DEVICES[device], *files], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    with open(figures, encoding="utf-8") as handle:
        overall = json.load(handle)
    with open(corrected, encoding="utf-8") as handle:
        texts = [json.loads(line)["corrected"] for line in handle]
    return {"seconds": seconds, "figures": overall, "texts": texts}


def overall_cer(figures):
    """(CER before, after, harm rate) over all records, from `ocrfix eval --json`."""
    total = figures["total"]
    return f"{total['raw']['cer_before']:.4f}", f"{total['raw']['cer_after']:.4f}", f"{total['harm_rate']:.3f}"


def gpu_name():
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "none (nvidia-smi not found)"


def measure(args):
    english = dev_records(args.shared, {"en"})
    text = "\n\n".join(first_records(english, args.chars))
    rewrite_text = "\n\n".join(first_records(english, args.accurate_chars))
    strings = short_strings(english, args.strings)
    results = {**stamp(), "sample_characters": len(text), "accurate_sample_characters": len(rewrite_text),
               "gpu": gpu_name()}
    with tempfile.TemporaryDirectory(prefix="ocrfix-gpu-") as work:
        path = write_sample(work, "sample.txt", text)
        rewrite_path = write_sample(work, "rewrite.txt", rewrite_text)
        evaluations = {}
        for device in DEVICES:
            row = {"balanced": whole_process(args.binary, path, "balanced", device, len(text)),
                   "ceiling": prompt_ceiling(args.ceiling, path, device)}
            row["balanced"]["ceiling_ratio"] = row["balanced"]["chars_per_second"] / row["ceiling"]["chars_per_second"]
            row["accurate"] = whole_process(args.binary, rewrite_path, "accurate", device, len(rewrite_text))
            row["latency"] = server_latency(args.binary, device, strings)
            evaluations[device] = evaluate(args.binary, args.shared, device, args.eval_limit, work)
            row["eval"] = {"seconds": evaluations[device]["seconds"], "figures": evaluations[device]["figures"]}
            results[device] = row
            print(json.dumps({device: row}), file=sys.stderr, flush=True)
        cpu_texts, gpu_texts = evaluations["cpu"]["texts"], evaluations["gpu"]["texts"]
        results["eval_records"] = len(cpu_texts)
        results["eval_differing_records"] = sum(a != b for a, b in zip(cpu_texts, gpu_texts))
    return results


def report(results):
    def cell(device, *keys, digits=0):
        value = results[device]
        for key in keys:
            value = value[key]
        return f"{value:,.{digits}f}"

    lines = [f"GPU: {results['gpu']}; CPU: {results['machine']['cpu']} ({results['machine']['cores']} cores); "
             f"commit {results['commit']}", "",
             "| measure | CPU (--ngl 0) | GPU (--ngl 99) | GPU / CPU |", "|---|---|---|---|"]

    def row(label, *keys, digits=0, ratio=True):
        cpu, gpu = results["cpu"], results["gpu"]
        for key in keys:
            cpu, gpu = cpu[key], gpu[key]
        lines.append(f"| {label} | {cell('cpu', *keys, digits=digits)} | {cell('gpu', *keys, digits=digits)} | "
                     + (f"{gpu / cpu:.2f}×" if ratio else "") + " |")

    row("balanced, chars/s", "balanced", "chars_per_second")
    row("prompt ceiling, chars/s", "ceiling", "chars_per_second")
    row("balanced / ceiling", "balanced", "ceiling_ratio", digits=2, ratio=False)
    row("accurate (rewrite), chars/s", "accurate", "chars_per_second")
    row("balanced p50, ms (30 words, server)", "latency", "p50_ms", digits=1)
    row("balanced p95, ms", "latency", "p95_ms", digits=1)
    row("balanced peak RSS, MiB", "balanced", "peak_rss_mib")
    for device in ("cpu", "gpu"):
        before, after, harm = overall_cer(results[device]["eval"]["figures"])
        lines.append(f"| eval {device.upper()}: CER before → after, harm | {before} → {after}, {harm} | | |")
    lines.append(f"\n{results['eval_differing_records']} of {results['eval_records']} dev records corrected "
                 "differently on the GPU than on the CPU.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-cuda", "tools", "cli", "ocrfix"))
    parser.add_argument("--ceiling", default=os.path.join(ROOT, "build-cuda", "bench", "prompt_ceiling"))
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--chars", type=int, default=100_000, help="balanced-tier sample size")
    parser.add_argument("--accurate-chars", type=int, default=4_000, help="accurate-tier sample size")
    parser.add_argument("--strings", type=int, default=100, help="30-word strings for the latency")
    parser.add_argument("--eval-limit", type=int, default=40, help="records per dev file for the quality check")
    parser.add_argument("--output", default=None, help="results file (default bench/results/gpu-COMMIT.json)")
    args = parser.parse_args()
    results = measure(args)
    output = args.output or os.path.join(ROOT, "bench", "results", f"gpu-{results['commit']}.json")
    write_results(results, output, report)


if __name__ == "__main__":
    main()

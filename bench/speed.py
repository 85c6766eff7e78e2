#!/usr/bin/env python3
"""Speed per tier, each comparison a ratio within one run (docs/BENCHMARKS.md, "Speed").

On fixed samples of the development set's English OCR (its English records in file order,
all of them for the fast tier and the first --chars characters for the balanced one; read
from ../shared at run time, never copied into the repository):

- throughput, whole process: `ocrfix correct --tier T --lang en` on the sample, fast tier on
  one thread (the fastest of --repeat runs), balanced tier on --threads; peak RSS from the same runs, and the fast tier's
  again with the English, French and German lexicons all loaded (`--lang auto` on a sample
  of the three languages);
- the balanced tier against llama.cpp's raw prompt processing of the same text, same model
  and threads (build/bench/prompt_ceiling): any method that reads every token once with the
  model is at most that fast;
- latency of short strings (30 words or fewer, cut from the same records), in process
  through the Python package, model loaded and warm: p50 and p95 per tier;
- `run_postprocessor(list)` of 64 short strings against 64 single calls;
- the accurate tier's rewrite of the first --rewrite-lines OCR lines, copy-speculative against
  naive greedy decoding, same model, prompts and threads, outputs compared token for token
  (build/bench/rewrite_speed).

    .venv/bin/python bench/speed.py                  # writes bench/results/speed-<commit>.json
    .venv/bin/python bench/speed.py --baseline OLD/ocrfix --baseline-label "ocrfix of b914ddc"   # a fast-tier change
    .venv/bin/python bench/speed.py --report bench/results/speed-<commit>.json
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench_common import ROOT, dev_records, first_records, short_strings, stamp, write_results, write_sample

# Issue 27's targets, on this 2-core machine with the default model.
TARGETS = {
    "fast_chars_per_second": 1_000_000,
    "fast_p50_ms": 1.0,
    "fast_peak_rss_mib": 200,
    "balanced_ceiling_ratio": 1.0,
    "balanced_p50_ms": 50.0,
    "balanced_peak_rss_mib": 512,
    "list_speedup": 3.0,
    "rewrite_speedup": 2.5,
}


def sample(texts, chars):
    return "\n\n".join(first_records(texts, chars))


def whole_process(binary, path, tier, threads, language="en"):
    """`ocrfix correct` on the file: wall seconds and peak RSS (GNU time's %M)."""
    command = ["/usr/bin/time", "-f", "%M", binary, "correct", "--tier", tier, "--lang", language,
               "-t", str(threads), path]
    started = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    seconds = time.monotonic() - started
    rss_kib = int(done.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "peak_rss_mib": rss_kib / 1024, "command": " ".join(command[3:])}


def latencies(engine, strings):
    engine.run_postprocessor(strings[0])  # warm
    times = []
    for text in strings:
        started = time.perf_counter()
        engine.run_postprocessor(text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))], "n": len(times)}


def measure(args):
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))
    import ocrfix

    english = dev_records(args.shared, {"en"})
    text = sample(english, args.chars)
    characters = len(text)
    fast_text = sample(english, args.fast_chars)
    mixed = sample(dev_records(args.shared, {"en", "fr", "de"})[::7], args.chars // 4)
    strings = short_strings(english, args.strings)
    results = {**stamp(), "sample_characters": characters, "fast_sample_characters": len(fast_text), "threads": args.threads,
               "short_strings": len(strings)}
    with tempfile.TemporaryDirectory(prefix="ocrfix-speed-") as work:
        path = write_sample(work, "sample.txt", text)
        fast_path = write_sample(work, "fast-sample.txt", fast_text)
        mixed_path = write_sample(work, "mixed.txt", mixed)

        # The fastest of --repeat runs: this VM's speed varies by half from one minute to the next.
        # With --baseline, its runs alternate with these, so that both see the same minutes.
        runs, baseline_runs = [], []
        for _ in range(args.repeat):
            if args.baseline:
                baseline_runs.append(whole_process(args.baseline, fast_path, "fast", 1))
            runs.append(whole_process(args.binary, fast_path, "fast", 1))
        fast = min(runs, key=lambda run: run["seconds"])
        if baseline_runs:
            baseline = min(baseline_runs, key=lambda run: run["seconds"])
            fast["baseline"] = {"label": args.baseline_label or args.baseline, "seconds": baseline["seconds"],
                                "chars_per_second": len(fast_text) / baseline["seconds"]}
        fast["runs"] = args.repeat
        fast["characters"] = len(fast_text)
        fast["chars_per_second"] = len(fast_text) / fast["seconds"]
        fast["all_lexicons"] = whole_process(args.binary, mixed_path, "fast", 1, language="auto")
        results["fast"] = fast
        print(json.dumps({"fast": fast}), file=sys.stderr, flush=True)

        balanced = whole_process(args.binary, path, "balanced", args.threads)
        balanced["chars_per_second"] = characters / balanced["seconds"]
        ceiling = json.loads(subprocess.run([args.ceiling, path, "--threads", str(args.threads)], check=True,
                                            capture_output=True, text=True).stdout)
        balanced["prompt_ceiling"] = ceiling
        balanced["ceiling_ratio"] = balanced["chars_per_second"] / ceiling["chars_per_second"]
        results["balanced"] = balanced
        print(json.dumps({"balanced": balanced}), file=sys.stderr, flush=True)

    for tier in ("fast", "balanced"):
        with ocrfix.Engine(ocrfix.ModelConfig(tier=tier, language="en", threads=1 if tier == "fast" else args.threads,
                                              gpu_layers=0)) as engine:
            results[tier]["latency"] = latencies(engine, strings)
            if tier == "balanced":
                batch = strings[:64]
                started = time.perf_counter()
                for item in batch:
                    engine.run_postprocessor(item)
                single = time.perf_counter() - started
                started = time.perf_counter()
                listed = engine.run_postprocessor(batch)
                together = time.perf_counter() - started
                assert [r.text for r in listed] == [engine.run_postprocessor(s).text for s in batch]
                results["list"] = {"strings": len(batch), "single_calls_seconds": single,
                                   "one_list_seconds": together, "speedup": single / together}
        print(json.dumps({tier: results[tier].get("latency")}), file=sys.stderr, flush=True)
    if args.rewrite_lines > 0:
        results["rewrite"] = rewrite_speed(args, english)
        print(json.dumps({"rewrite": results["rewrite"]}), file=sys.stderr, flush=True)
    return results


def ocr_lines(texts, count, shortest=20):
    """The first `count` lines of at least `shortest` characters: what the accurate tier rewrites."""
    lines = [line.strip() for text in texts for line in text.split("\n") if len(line.strip()) >= shortest]
    return lines[:count]


def rewrite_speed(args, english):
    """build/bench/rewrite_speed: the accurate tier's rewrite of each line, copy-speculative
    against naive greedy decoding, outputs compared token for token."""
    with tempfile.TemporaryDirectory(prefix="ocrfix-rewrite-") as work:
        path = write_sample(work, "lines.txt", "\n".join(ocr_lines(english, args.rewrite_lines)) + "\n")
        done = subprocess.run([args.rewrite, path, "--threads", str(args.threads)], capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: some output differed, which the JSON says
        sys.exit(f"rewrite_speed failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def report(results):
    fast, balanced, listed = results["fast"], results["balanced"], results["list"]
    ceiling = balanced["prompt_ceiling"]
    rows = [
        ("fast tier, chars/s on one core, whole process", f"{fast['chars_per_second']:,.0f}",
         f"≥ {TARGETS['fast_chars_per_second']:,}", fast["chars_per_second"] >= TARGETS["fast_chars_per_second"]),
        *([(f"the same, {fast['baseline']['label']}, runs alternating with the above",
             f"{fast['baseline']['chars_per_second']:,.0f} (this one: {fast['baseline']['seconds'] / fast['seconds']:.2f}× as fast)",
             "–", None)] if "baseline" in fast else []),
        ("fast tier, p50 / p95 latency, ≤ 30 words", f"{fast['latency']['p50_ms']:.2f} / {fast['latency']['p95_ms']:.2f} ms",
         f"p50 ≤ {TARGETS['fast_p50_ms']:g} ms", fast["latency"]["p50_ms"] <= TARGETS["fast_p50_ms"]),
        ("fast tier, peak RSS with en, fr, de lexicons", f"{fast['all_lexicons']['peak_rss_mib']:,.0f} MiB",
         f"≤ {TARGETS['fast_peak_rss_mib']} MiB", fast["all_lexicons"]["peak_rss_mib"] <= TARGETS["fast_peak_rss_mib"]),
        (f"balanced tier, chars/s, {results['threads']} threads, whole process", f"{balanced['chars_per_second']:,.0f}",
         "–", None),
        ("balanced tier against llama.cpp's prompt processing of the same text "
         f"({ceiling['chars_per_second']:,.0f} chars/s, {ceiling['tokens_per_second']:,.0f} tokens/s)",
         f"{balanced['ceiling_ratio']:.2f}×", f"≥ {TARGETS['balanced_ceiling_ratio']:g}×",
         balanced["ceiling_ratio"] >= TARGETS["balanced_ceiling_ratio"]),
        ("balanced tier, p50 / p95 latency, ≤ 30 words",
         f"{balanced['latency']['p50_ms']:.0f} / {balanced['latency']['p95_ms']:.0f} ms",
         f"p50 ≤ {TARGETS['balanced_p50_ms']:g} ms", balanced["latency"]["p50_ms"] <= TARGETS["balanced_p50_ms"]),
        ("balanced tier, peak RSS", f"{balanced['peak_rss_mib']:,.0f} MiB", f"≤ {TARGETS['balanced_peak_rss_mib']} MiB",
         balanced["peak_rss_mib"] <= TARGETS["balanced_peak_rss_mib"]),
        (f"`run_postprocessor(list)` of {listed['strings']} short strings against single calls (balanced)",
         f"{listed['speedup']:.2f}×", f"≥ {TARGETS['list_speedup']:g}×", listed["speedup"] >= TARGETS["list_speedup"]),
    ]
    if "rewrite" in results:
        rewrite = results["rewrite"]
        rows.append((f"accurate tier's rewrite, copy-speculative against naive greedy decoding ({rewrite['lines']} OCR "
                     f"lines; {rewrite['identical']} of them token for token the same; {rewrite['decodes']} decodes for "
                     f"{rewrite['generated_tokens']} tokens)", f"{rewrite['speedup']:.2f}×",
                     f"≥ {TARGETS['rewrite_speedup']:g}×, identical", rewrite["speedup"] >= TARGETS["rewrite_speedup"]
                     and rewrite["identical"] == rewrite["lines"]))
    lines = [f"Commit `{results['commit']}`, {results['date']}; {results['machine']['cpu']}, "
             f"{results['machine']['cores']} cores; English OCR samples of {results.get('fast_sample_characters', 0):,} "
             f"(fast) and {results['sample_characters']:,} characters (balanced), {results['short_strings']} short "
             "strings.", "",
             "| what | measured | target | met |", "|---|---|---|---|"]
    for what, measured, target, met in rows:
        lines.append(f"| {what} | {measured} | {target} | {'–' if met is None else ('yes' if met else 'no')} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "tools", "cli", "ocrfix"))
    parser.add_argument("--ceiling", default=os.path.join(ROOT, "build", "bench", "prompt_ceiling"))
    parser.add_argument("--chars", type=int, default=50_000, help="characters of English OCR, balanced tier")
    parser.add_argument("--fast-chars", type=int, default=10**9, help="characters of English OCR, fast tier (all)")
    parser.add_argument("--strings", type=int, default=200, help="short strings for the latency figures")
    parser.add_argument("--threads", type=int, default=2, help="threads of the balanced tier")
    parser.add_argument("--repeat", type=int, default=3, help="fast-tier throughput runs; the fastest counts")
    parser.add_argument("--baseline", help="another ocrfix binary whose fast-tier throughput is measured in the same "
                        "run, its runs alternating with --binary's (a build of the commit before a change)")
    parser.add_argument("--baseline-label", help="how the report names --baseline (default: its path)")
    parser.add_argument("--rewrite", default=os.path.join(ROOT, "build", "bench", "rewrite_speed"))
    parser.add_argument("--rewrite-lines", type=int, default=30,
                        help="OCR lines for the rewrite comparison (0: leave it out; it takes about 15 minutes)")
    parser.add_argument("--output", help="results file (default bench/results/speed-<commit>.json)")
    parser.add_argument("--report", metavar="RESULTS", help="print the Markdown table of a results file and exit")
    args = parser.parse_args()
    if args.report:
        with open(args.report) as handle:
            print(report(json.load(handle)))
        return
    results = measure(args)
    write_results(results, args.output or os.path.join(ROOT, "bench", "results", f"speed-{results['commit']}.json"),
                  report)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Correction quality on the development set, as the benchmark page reports it.

Runs `ocrfix eval` twice over ../shared/data/ocr-pairs/dev: the hipe-* files under the `hipe`
transcription profile (their ground truths follow the HIPE-OCRepair guidelines) and the other
files under the default profile. Writes one results file (bench/results/<commit>.json by
default) with every file's and language's raw edit counts, the groups the targets name, the
wall time and the peak memory; keeps the eval outputs (corrected records, candidate logs)
in --work for scripts/residuals.py and scripts/fit_decision.py.

    python3 bench/quality.py                      # the default tier and model
    python3 bench/quality.py --tag gemma -- --hf-repo gemma3-270m
    python3 bench/report.py bench/results/<commit>.json --update docs/BENCHMARKS.md
    python3 bench/compare.py bench/results/A.json bench/results/B.json

Standard library only. Needs ../shared beside the repository (it is not on users' machines).
"""

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import time

from bench_common import ROOT, stamp

# The groups the targets are stated over (docs/BENCHMARKS.md): (name, [(file, language)]).
# None as the language means every record of the file.
GROUPS = [
    ("English", [("hipe-icdar2017", "en"), ("icdar2017", "en"), ("hipe-impresso-snippets", "en"),
                 ("overproof", "en")]),
    ("overproof", [("overproof", None)]),
    ("French", [("hipe-icdar2017", "fr"), ("hipe-impresso-snippets", "fr"), ("icdar2017", "fr")]),
    ("German", [("hipe-dta19", "de"), ("hipe-impresso-snippets", "de"), ("impresso-nzz", "de")]),
    ("icdar2019", [("icdar2019", None)]),
]


def run_eval(binary, files, profile, work, stem, extra):
    """One `ocrfix eval` over `files`; returns its --json figures and wall seconds."""
    figures = os.path.join(work, stem + ".json")
    command = [binary, "eval", "--profile", profile, "--json", figures,
               "--output", os.path.join(work, stem + "-corrected.jsonl"),
               "--candidates", os.path.join(work, stem + "-candidates.jsonl"), *extra, *files]
    print("+", " ".join(command), file=sys.stderr, flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    with open(figures, encoding="utf-8") as handle:
        return json.load(handle), seconds, command


def tally(entry):
    """The summable part of one eval --json entry."""
    return {
        "records": entry["records"],
        "harmed": round(entry["harm_rate"] * entry["records"]),
        "preference_sum": entry["preference"] * entry["records"],
        "raw": {k: entry["raw"][k] for k in ("ref_chars", "char_edits_before", "char_edits_after")},
        "hipe": {k: entry["hipe"][k] for k in ("ref_chars", "char_edits_before", "char_edits_after")},
    }


def add(total, part):
    if not total:
        return json.loads(json.dumps(part))
    total["records"] += part["records"]
    total["harmed"] += part["harmed"]
    total["preference_sum"] += part["preference_sum"]
    for view in ("raw", "hipe"):
        for key in total[view]:
            total[view][key] += part[view][key]
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/tools/cli/ocrfix"))
    parser.add_argument("--dev", default=os.path.join(ROOT, "../shared/data/ocr-pairs/dev"))
    parser.add_argument("--work", default="/tmp/ocrfix-quality", help="where the eval outputs go")
    parser.add_argument("--out", help="results file (default bench/results/<commit>[-tag].json)")
    parser.add_argument("--tag", default="", help="a name for this configuration, added to the file name")
    parser.add_argument("extra", nargs="*", help="more `ocrfix eval` options, after --")
    args = parser.parse_args()

    files = sorted(glob.glob(os.path.join(args.dev, "*.jsonl")))
    if not files:
        sys.exit(f"no dev files in {args.dev}: this benchmark needs ../shared beside the repository")
    hipe = [f for f in files if os.path.basename(f).startswith("hipe-")]
    other = [f for f in files if f not in hipe]
    os.makedirs(args.work, exist_ok=True)
    runs = [run_eval(args.binary, hipe, "hipe", args.work, "hipe", args.extra),
            run_eval(args.binary, other, "reader", args.work, "reader", args.extra)]

    by_file, by_file_language = {}, {}
    for figures, _, _ in runs:
        for name, entry in figures.get("files", {}).items():
            by_file[name] = tally(entry)
        for name, entry in figures.get("file_languages", {}).items():
            by_file_language[name] = tally(entry)
    by_language, total = {}, {}
    for name, part in by_file_language.items():
        language = name[name.index("[") + 1:-1]
        by_language[language] = add(by_language.get(language, {}), part)
    for part in by_file.values():
        total = add(total, part)
    groups = {}
    for group, members in GROUPS:
        value = {}
        for file, language in members:
            part = by_file.get(file) if language is None else by_file_language.get(f"{file}[{language}]")
            if part:
                value = add(value, part)
        groups[group] = value

    results = {
        **stamp(),
        "tier": runs[0][0].get("tier"), "model": os.path.basename(runs[0][0].get("model", "")),
        "version": runs[0][0].get("version"),
        "commands": [" ".join(os.path.relpath(p, ROOT) if os.path.isabs(p) else p for p in run[2]) for run in runs],
        "seconds": sum(run[1] for run in runs),
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "files": by_file, "file_languages": by_file_language, "languages": by_language,
        "groups": groups, "total": total,
    }
    out = args.out or os.path.join(ROOT, "bench/results", results["commit"] + (f"-{args.tag}" if args.tag else "") + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    print(out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The quality tables of docs/BENCHMARKS.md, from a results file of bench/quality.py.

    python3 bench/report.py bench/results/<commit>.json                 # print the Markdown
    python3 bench/report.py bench/results/<commit>.json --update docs/BENCHMARKS.md

--update replaces what lies between the page's `<!-- quality:begin -->` and
`<!-- quality:end -->` lines. Standard library only.
"""

import argparse
import json
import sys

# The acceptance targets of the quality issue: (group, least CER reduction in %).
TARGETS = [("English", 28.0), ("overproof", 33.0), ("French", 15.0), ("German", 25.0)]
MAX_HARM = 2.0          # % of records made worse
MAX_SECONDS = 15 * 60   # the whole dev eval


def reduction(view):
    before, after = view["char_edits_before"], view["char_edits_after"]
    return 100.0 * (before - after) / before if before else 0.0


def row(name, t):
    raw, hipe = t["raw"], t["hipe"]
    cer = lambda edits, view: edits / view["ref_chars"] if view["ref_chars"] else 0.0
    harm = 100.0 * t["harmed"] / t["records"] if t["records"] else 0.0
    pref = t["preference_sum"] / t["records"] if t["records"] else 0.0
    return (f"| {name} | {t['records']} | {cer(raw['char_edits_before'], raw):.4f} | "
            f"{cer(raw['char_edits_after'], raw):.4f} | {reduction(raw):+.1f}% | "
            f"{raw['char_edits_before']} → {raw['char_edits_after']} | {reduction(hipe):+.1f}% | "
            f"{harm:.1f}% | {pref:+.3f} |")


def markdown(results):
    out = []
    head = ("| group | records | CER | CER after | reduction | raw edits | hipe reduction | harm | pref |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    out.append(f"Commit `{results['commit']}`, {results['date']}; tier `{results['tier']}`, model "
               f"`{results['model']}`; {results['machine']['cpu']}, {results['machine']['cores']} cores. "
               f"Wall time **{results['seconds']:.0f} s** ({results['seconds'] / 60:.1f} min) for both runs, "
               f"peak RSS {results['peak_rss_kb'] / 1024:.0f} MiB.")
    out.append("")
    out.append("**Against the targets** (raw CER reduction; hipe-* files under `--profile hipe`):")
    out.append("")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    groups = results["groups"]
    for group, least in TARGETS:
        value = reduction(groups[group]["raw"]) if groups.get(group) else 0.0
        out.append(f"| {group} ≥ {least:.0f}% | {value:.1f}% | {'yes' if value >= least else 'no'} |")
    total = results["total"]
    harm = 100.0 * total["harmed"] / total["records"]
    out.append(f"| harm ≤ {MAX_HARM:.0f}% of records | {harm:.1f}% ({total['harmed']} of {total['records']}) | "
               f"{'yes' if harm <= MAX_HARM else 'no'} |")
    worse = [name for name, t in {**results["files"], **results["file_languages"], **results["languages"]}.items()
             if t["raw"]["char_edits_after"] > t["raw"]["char_edits_before"]]
    out.append(f"| no file, file[language] or language worse | {', '.join(worse) or 'none worse'} | "
               f"{'no' if worse else 'yes'} |")
    icdar2019 = reduction(groups["icdar2019"]["raw"]) if groups.get("icdar2019") else 0.0
    out.append(f"| icdar2019 not worse | {icdar2019:+.1f}% | {'yes' if icdar2019 >= 0 else 'no'} |")
    out.append(f"| whole dev eval ≤ 15 min | {results['seconds'] / 60:.1f} min | "
               f"{'yes' if results['seconds'] <= MAX_SECONDS else 'no'} |")
    out.append("")
    out.append("By group, by file and by file and language (icdar2019 languages without a lexicon left out: they "
               "come back unchanged):")
    out.append("")
    out.append(head)
    for group, _ in TARGETS + [("icdar2019", 0)]:
        if groups.get(group):
            out.append(row(f"**{group}**", groups[group]))
    for name in sorted(results["files"]):
        out.append(row(name, results["files"][name]))
    for name in sorted(results["file_languages"]):
        t = results["file_languages"][name]
        if name.startswith("icdar2019[") and t["raw"]["char_edits_before"] == t["raw"]["char_edits_after"]:
            continue
        out.append(row(name, t))
    out.append(row("**total**", total))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--update", help="a Markdown page with quality:begin/end markers to rewrite")
    args = parser.parse_args()
    with open(args.results, encoding="utf-8") as handle:
        text = markdown(json.load(handle))
    if not args.update:
        sys.stdout.write(text)
        return
    with open(args.update, encoding="utf-8") as handle:
        page = handle.read()
    begin, end = "<!-- quality:begin -->\n", "<!-- quality:end -->"
    if begin not in page or end not in page:
        sys.exit(f"{args.update} has no {begin.strip()} ... {end} markers")
    start = page.index(begin) + len(begin)
    with open(args.update, "w", encoding="utf-8") as handle:
        handle.write(page[:start] + text + page[page.index(end):])


if __name__ == "__main__":
    main()

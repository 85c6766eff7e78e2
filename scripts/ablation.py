#!/usr/bin/env python3
"""What each rule and proposer earns on the dev set: its edits taken out of a run's output.

For every edit source (a rule's registry name, `lexical`, `real-word`, `split`, `merge`,
`hyphenation`, `spacing`, `apostrophe`, `model`, ...), each record's output is rebuilt from
the input with every accepted edit except that source's, and its raw edit distance to the
ground truth is compared with the output's. The net is the raw character edits the source
saves (fixed minus broken); a source whose net is not positive does not earn its place.
A replay: the other edits stay as they were, although without this source's the decision
might have taken others.

    build/tools/cli/ocrfix eval --output corrected.jsonl ../shared/data/ocr-pairs/dev/*.jsonl
    python3 scripts/ablation.py corrected.jsonl [more.jsonl ...] [--markdown]

bench/quality.py keeps its runs' outputs (/tmp/ocrfix-quality/*-corrected.jsonl). Needs
rapidfuzz (requirements-dev.txt) for the edit distance.
"""

import argparse
import collections
import json

from rapidfuzz.distance import Levenshtein


def apply(text: str, edits) -> str:
    """`edits` (byte offsets into `text`, sorted) applied."""
    data, out, at = text.encode(), bytearray(), 0
    for edit in edits:
        out += data[at:edit["begin"]] + edit["replacement"].encode()
        at = edit["end"]
    return (bytes(out) + data[at:]).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outputs", nargs="+", help="`ocrfix eval --output` files")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table instead of plain text")
    args = parser.parse_args()

    stats = collections.defaultdict(lambda: {"edits": 0, "net": 0, "helped": 0, "hurt": 0, "records": 0})
    for path in args.outputs:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                edits = sorted(record.get("edits", []), key=lambda e: e["begin"])
                if not edits:
                    continue
                gt = record["gt"]
                with_all = Levenshtein.distance(record["corrected"], gt)
                for source in {e["source"] for e in edits}:
                    mine = [e for e in edits if e["source"] == source]
                    without = Levenshtein.distance(apply(record["ocr"], [e for e in edits if e["source"] != source]), gt)
                    s = stats[source]
                    s["edits"] += len(mine)
                    s["records"] += 1
                    s["net"] += without - with_all
                    s["helped"] += without > with_all
                    s["hurt"] += without < with_all
    rows = sorted(stats.items(), key=lambda item: -item[1]["net"])
    if args.markdown:
        print("| source | edits applied | records | net raw edits saved | records helped | records hurt |")
        print("|---|---:|---:|---:|---:|---:|")
        for source, s in rows:
            print(f"| `{source}` | {s['edits']} | {s['records']} | {s['net']:+d} | {s['helped']} | {s['hurt']} |")
    else:
        print(f"{'source':24} {'edits':>7} {'records':>8} {'net':>7} {'helped':>7} {'hurt':>6}")
        for source, s in rows:
            print(f"{source:24} {s['edits']:7} {s['records']:8} {s['net']:+7d} {s['helped']:7} {s['hurt']:6}")


if __name__ == "__main__":
    main()

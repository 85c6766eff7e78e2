#!/usr/bin/env python3
"""Two results files of bench/quality.py side by side: raw edits left, CER reduction and harm
per group, file and language, and the run time, with B's change against A.

    python3 bench/compare.py bench/results/A.json bench/results/B.json

Standard library only.
"""

import json
import sys


def reduction(t):
    before, after = t["raw"]["char_edits_before"], t["raw"]["char_edits_after"]
    return 100.0 * (before - after) / before if before else 0.0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:])
    print(f"A = {a['commit']} ({a['date']}), B = {b['commit']} ({b['date']})")
    print(f"{'group':34} {'edits A':>8} {'edits B':>8} {'red. A':>7} {'red. B':>7} {'change':>7} "
          f"{'harm A':>6} {'harm B':>6}")
    sections = [("groups", ""), ("files", ""), ("file_languages", ""), ("languages", "lang=")]
    for key, prefix in sections:
        for name in sorted(set(a.get(key, {})) | set(b.get(key, {}))):
            ta, tb = a.get(key, {}).get(name), b.get(key, {}).get(name)
            if not ta or not tb:
                print(f"{prefix + name:34} only in {'A' if ta else 'B'}")
                continue
            print(f"{prefix + name:34} {ta['raw']['char_edits_after']:8} {tb['raw']['char_edits_after']:8} "
                  f"{reduction(ta):6.1f}% {reduction(tb):6.1f}% {reduction(tb) - reduction(ta):+6.1f} "
                  f"{ta['harmed']:6} {tb['harmed']:6}")
    print(f"{'seconds':34} {a['seconds']:8.0f} {b['seconds']:8.0f} ({b['seconds'] / a['seconds']:.2f}x)")


if __name__ == "__main__":
    main()

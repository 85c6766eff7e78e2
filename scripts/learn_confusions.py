#!/usr/bin/env python3
"""Estimates the OCR confusion table of src/lexicon/confusion_model.cpp from aligned pairs.

    python3 scripts/learn_confusions.py ../shared/data/ocr-pairs/dev/*.jsonl > src/lexicon/learned_confusions.inc

Reads {lang, ocr, gt} records (JSON lines), pairs the OCR's words with the ground truth's,
aligns each differing pair character by character and counts the confusions: maximal runs of
edited characters, written OCR -> truth (`tlie` -> `the` counts li -> h). A confusion's cost
is -ln P(OCR reading | true characters), the count of the confusion over the count of its true
characters in the paired ground-truth words, shifted so that the commonest confusion costs what
the cheapest hand-set ones do (1 nat), halved in spread to fit the hand scale, and capped below
an arbitrary edit (3.5). Only letters are learned: punctuation and digits are left to the
hand table, and amounts are never guessed.

The output is C++ initialiser lines; it holds costs and counts, no text from the records.
Standard library only.
"""
import collections
import difflib
import json
import math
import sys
import unicodedata

MIN_COUNT = 8           # rarer confusions are noise at this data size
MAX_SIDE = 3            # characters on either side of a confusion
MAX_WORD_EDITS = 3      # pairs further apart are misalignments, not misreadings
LANGUAGES = {"en", "fr", "de"}
SKIP_SOURCES = {"icdar2019"}  # noisy ground truth (ERRORS.md): not a model of OCR errors

ANCHOR = 1.0            # cost of the commonest confusion, as in the hand-set table
SCALE = 0.5             # hand-scale nats per nat of -ln P
# Transcription conventions, not misreadings: the DTA writes the Fraktur I as J (`Ich` -> `Jch`).
CONVENTIONS = {("i", "j")}
LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}
FLOOR, CEILING = 0.2, 3.0


def fold(word):
    out = []
    for c in word:
        if c == "ſ": out.append("s")
        elif c in "ßẞ": out.append("ss")
        elif c in LIGATURES: out.append(LIGATURES[c])
        else: out.append(c.lower())
    return unicodedata.normalize("NFC", "".join(out))


def strip_edges(token):
    begin, end = 0, len(token)
    while begin < end and not token[begin].isalpha(): begin += 1
    while end > begin and not token[end - 1].isalpha(): end -= 1
    return token[begin:end]


def align(a, b):
    """Levenshtein alignment of a (OCR) and b (truth) as (a_char|'', b_char|'') pairs,
    letter-for-letter substitutions preferred among equally short alignments."""
    n, m = len(a), len(b)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1): cost[i][0] = i
    for j in range(m + 1): cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1, cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    pairs, i, j = [], n, m
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            pairs.append((a[i - 1], b[j - 1])); i -= 1; j -= 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((a[i - 1], "")); i -= 1
        else:
            pairs.append(("", b[j - 1])); j -= 1
    return pairs[::-1], cost[n][m]


def confusions(ocr, truth):
    pairs, distance = align(ocr, truth)
    if distance > MAX_WORD_EDITS: return []
    found, k = [], 0
    while k < len(pairs):
        if pairs[k][0] == pairs[k][1]: k += 1; continue
        start = k
        while k < len(pairs) and pairs[k][0] != pairs[k][1]: k += 1
        observed = "".join(p[0] for p in pairs[start:k])
        intended = "".join(p[1] for p in pairs[start:k])
        # A lost or extra character alone keeps the generic costs: as a confusion with its
        # neighbour (t -> ts) it would make every plural a cheap reading of the singular.
        if 0 < len(observed) <= MAX_SIDE and 0 < len(intended) <= MAX_SIDE:
            found.append((observed, intended))
    return found


def word_pairs(record):
    ocr, gt = record["ocr"].split(), record["gt"].split()
    matcher = difflib.SequenceMatcher(None, ocr, gt, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for word in gt[j1:j2]: yield word, word
        elif tag == "replace" and i2 - i1 == j2 - j1:
            yield from zip(ocr[i1:i2], gt[j1:j2])


def main(paths):
    counts = collections.Counter()
    truth_words = collections.Counter()
    for path in paths:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            if record.get("lang") not in LANGUAGES or record.get("source", path).split("/")[-1].startswith(tuple(SKIP_SOURCES)):
                continue
            for o, g in word_pairs(record):
                o, g = fold(strip_edges(o)), fold(strip_edges(g))
                if not o or not g or not o.isalpha() or not g.isalpha(): continue
                truth_words[g] += 1
                if o != g: counts.update(confusions(o, g))
    # How often each true character string occurs in the paired ground-truth words.
    wanted = {intended for _, intended in counts}
    occurrences = collections.Counter()
    for word, n in truth_words.items():
        for size in range(1, MAX_SIDE + 1):
            for at in range(len(word) - size + 1):
                piece = word[at:at + size]
                if piece in wanted: occurrences[piece] += n
    nats = {key: -math.log(n / occurrences[key[1]]) for key, n in counts.items()
            if n >= MIN_COUNT and key not in CONVENTIONS and key[0].isalpha() and key[1].isalpha() and occurrences[key[1]]}
    # The commonest confusion is pinned to the cost of the cheapest hand-set ones; the others
    # keep half their difference in nats from it (the hand scale is compressed: an arbitrary
    # edit costs 3.5, not the ~9 nats the counts give), and none costs as much as an arbitrary edit.
    commonest = max(nats, key=lambda k: counts[k])
    reference = nats[commonest]
    print(f"// Generated by scripts/learn_confusions.py from {sum(counts.values())} confusions in "
          f"{sum(truth_words.values())} aligned words; do not edit.")
    print(f"// cost = {ANCHOR} + {SCALE} * (-ln P(observed | intended) - {reference:.3f}), clamped to [{FLOOR}, {CEILING}];"
          " {observed, intended, cost},  // count")
    for key in sorted(nats, key=lambda k: nats[k]):
        cost = min(CEILING, max(FLOOR, ANCHOR + SCALE * (nats[key] - reference)))
        observed, intended = key
        print(f'{{U"{observed}", U"{intended}", {cost:.2f}}},  // {counts[key]}')


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Fits a language's own decision terms (DecisionModel::german and ::french in
src/correct/decision.h: a bias and a channel-cost weight added to the log-odds of that
language's candidates) with every other weight held as it is.

The other weights were fitted with SmolLM2-135M's gains over every language. A language
verified by a model of its own (German: Gemma 3 270M, the default `language_models`) gets
gains on another scale, and a language with fewer candidates in the fit may sit off the
common line: this fits the difference on that language's candidates alone.

1. A full dev run of the balanced tier with its candidate logs (bench/quality.py keeps them
   in --work):

     python3 bench/quality.py --work /tmp/q

2. Fit and replay:

     .venv/bin/python scripts/fit_language_terms.py /tmp/q de fr

Each candidate is labelled by what it does alone (scripts/fit_decision.py). A logistic
regression with the candidate's logged log-odds as a fixed offset (scripts/fit_confidence.py)
fits the two terms; the script then replays the decision per source with the terms at 0,
half and full weight. The replay uses the logged scores, so a real run confirms the choice.
Needs numpy and rapidfuzz (the test venv has both). The dev data is read where it lies.
"""
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fit_confidence import THRESHOLD, fit_with_offset  # noqa: E402
from fit_decision import load, replay  # noqa: E402

DEV = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data', 'ocr-pairs', 'dev')
HELD_APART = 'icdar2019'  # its ground truth disagrees with its OCR about which text is there


def records_of(work):
    """The candidates of both runs of bench/quality.py (hipe-* under --profile hipe)."""
    files = sorted(glob.glob(os.path.join(DEV, '*.jsonl')))
    hipe = [f for f in files if os.path.basename(f).startswith('hipe-')]
    reader = [f for f in files if f not in hipe]
    return (load(os.path.join(work, 'hipe-candidates.jsonl'), hipe) +
            load(os.path.join(work, 'reader-candidates.jsonl'), reader))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    records = records_of(sys.argv[1])
    terms = {}
    for lang in sys.argv[2:]:
        rows, labels, offsets = [], [], []
        for r in records:
            if r['used_lang'] != lang or r['source'] == HELD_APART:
                continue
            for c in r['cands']:
                rows.append([1.0, c['chan']])
                labels.append(1.0 if c['delta'] < 0 else 0.0)
                offsets.append(c['margin'] + THRESHOLD)
        if not rows:
            sys.exit(f'no candidate in {lang}')
        terms[lang] = fit_with_offset(np.array(rows), np.array(labels), np.array(offsets))
        bias, channel = terms[lang]
        print(f'{lang}: {len(rows)} candidates, {int(sum(labels))} helpful; '
              f'LanguageTerms{{bias = {bias:.3f}, channel_cost = {channel:.3f}}}')
    language_of = {id(c): r['used_lang'] for r in records for c in r['cands']}

    def scaled(scale):
        def margin(c):
            bias, channel = terms.get(language_of[id(c)], (0.0, 0.0))
            return c['margin'] + scale * (bias + channel * c['chan'])
        return replay(records, margin)

    runs = {scale: scaled(scale) for scale in (0.0, 0.5, 1.0)}
    groups = sorted(g for g in runs[0.0] if '[' in g and g.split('[')[1][:-1] in terms) + ['total']
    print(f"\n{'group':34s}" + ''.join(f'{f"x{s}: reduction":>16s} {"harm":>6s}' for s in runs))
    for g in groups:
        cells = []
        for t in (runs[s][g] for s in runs):
            cells.append(f'{(t[2] - t[3]) / t[2]:+16.1%} {t[4]:6d}')
        print(f'{g:34s}' + ''.join(cells))


if __name__ == '__main__':
    main()

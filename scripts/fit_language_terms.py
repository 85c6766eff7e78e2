#!/usr/bin/env python3
"""Fits decision terms of their own (OwnTerms in src/correct/decision.h: a bias and a
channel-cost weight added to the log-odds of some candidates) for a language's candidates
(DecisionModel::german) or a proposal kind's (DecisionModel::garbled), with every other
weight held as it is.

The other weights were fitted with SmolLM2-135M's gains over every language. A language
verified by a model of its own (German: Gemma 3 270M, the default `language_models`) gets
gains on another scale, and a language with fewer candidates in the fit may sit off the
common line: this fits the difference on that language's candidates alone.

1. A full dev run of the balanced tier with its candidate logs (bench/quality.py keeps them
   in --work):

     python3 bench/quality.py --work /tmp/q

2. Fit and replay:

     .venv/bin/python scripts/fit_language_terms.py /tmp/q de fr
     .venv/bin/python scripts/fit_language_terms.py /tmp/q kind:garbled

   The terms printed are to be added to those the run had (the logged log-odds hold them).

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


def selector(name):
    """A language (`de`) selects its candidates, `kind:NAME` the candidates of a proposal kind
    (`kind:garbled`, the kind's registry name as the candidate log writes it)."""
    if name.startswith('kind:'):
        kind = name[len('kind:'):]
        return lambda r, c: c['src'] == kind
    return lambda r, c: r['used_lang'] == name


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    records = records_of(sys.argv[1])
    terms, selectors = {}, {name: selector(name) for name in sys.argv[2:]}
    for name, selects in selectors.items():
        rows, labels, offsets = [], [], []
        for r in records:
            if r['source'] == HELD_APART:
                continue
            for c in r['cands']:
                if not selects(r, c):
                    continue
                rows.append([1.0, c['chan']])
                labels.append(1.0 if c['delta'] < 0 else 0.0)
                offsets.append(c['margin'] + THRESHOLD)
        if not rows:
            sys.exit(f'no candidate in {name}')
        terms[name] = fit_with_offset(np.array(rows), np.array(labels), np.array(offsets))
        bias, channel = terms[name]
        print(f'{name}: {len(rows)} candidates, {int(sum(labels))} helpful; to add to the terms the run had: '
              f'bias {bias:+.3f}, channel_cost {channel:+.3f}')
    owner = {id(c): r for r in records for c in r['cands']}

    def scaled(scale):
        def margin(c):
            r = owner[id(c)]
            return c['margin'] + scale * sum(bias + channel * c['chan'] for name, (bias, channel) in terms.items()
                                             if selectors[name](r, c))
        return replay(records, margin)

    runs = {scale: scaled(scale) for scale in (0.0, 0.5, 1.0)}
    languages = {name for name in terms if not name.startswith('kind:')}
    groups = sorted(g for g in runs[0.0] if '[' in g and (not languages or g.split('[')[1][:-1] in languages))
    groups += ['total']
    print(f"\n{'group':34s}" + ''.join(f'{f"x{s}: reduction":>16s} {"harm":>6s}' for s in runs))
    for g in groups:
        cells = []
        for t in (runs[s][g] for s in runs):
            cells.append(f'{(t[2] - t[3]) / t[2]:+16.1%} {t[4]:6d}')
        print(f'{g:34s}' + ''.join(cells))


if __name__ == '__main__':
    main()

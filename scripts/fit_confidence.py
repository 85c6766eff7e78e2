#!/usr/bin/env python3
"""Fits the decision's OCR-confidence weights (DecisionModel::ocr_confidence_known and
ocr_confidence in src/correct/decision.h) with every other weight held as it is.

The data are pages whose OCR carries word confidences: the dev set's ground truth drawn on
page images, degraded and read by Tesseract (bench/e2e_ocr.py), corrected from Tesseract's
hOCR with the confidence weights at 0 and every scored candidate logged:

    .venv/bin/python bench/e2e_ocr.py --per-language 50 --fit-data fit.jsonl
    build/tools/cli/ocrfix eval --candidates cands.jsonl --output out.jsonl fit.jsonl
    .venv/bin/python scripts/fit_confidence.py cands.jsonl out.jsonl

Each candidate is labelled by what it does alone (it helps when applying it lowers the
page's edit distance to the reference), as in scripts/fit_decision.py. A logistic regression
with the candidate's logged log-odds as a fixed offset fits the two weights: log-odds +
known + weight * confidence, for candidates whose original has a confidence. The script
then replays the decision per degradation level with and without them; a real run on pages
of another seed (bench/e2e_ocr.py --configs hocr,hocr-no-confidence) confirms the choice.
Needs numpy and rapidfuzz (the test venv has both).
"""
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fit_decision import load, replay  # noqa: E402

THRESHOLD = 0.75  # DecisionModel::threshold: the logged margin is the log-odds less it
L2 = 1e-2         # a little shrinkage: two weights, thousands of candidates


def fit_with_offset(X, y, offset, iterations=50):
    """Logistic regression of y on X with a fixed offset, by Newton's method."""
    w = np.zeros(X.shape[1])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(offset + X @ w)))
        gradient = X.T @ (p - y) + L2 * w
        hessian = (X * (p * (1 - p))[:, None]).T @ X + L2 * np.eye(X.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    records = load(sys.argv[1], [sys.argv[2]])
    for r in records:
        r['source'] = 'e2e-' + r['id'].rsplit('@', 1)[-1]  # the degradation level
    rows, labels, offsets = [], [], []
    for r in records:
        for c in r['cands']:
            if c.get('conf', -1.0) >= 0.0:
                rows.append([1.0, c['conf']])
                labels.append(1.0 if c['delta'] < 0 else 0.0)
                offsets.append(c['margin'] + THRESHOLD)
    if not rows:
        sys.exit('no candidate has a confidence: were the pages given as layout documents (eval "layout" records)?')
    known, weight = fit_with_offset(np.array(rows), np.array(labels), np.array(offsets))
    helpful = int(sum(labels))
    print(f'{len(rows)} candidates with a confidence, {helpful} helpful. DecisionModel weights:')
    print(f'    double ocr_confidence_known = {known:.3f};')
    print(f'    double ocr_confidence = {weight:.3f};')

    def with_confidence(c):
        conf = c.get('conf', -1.0)
        return c['margin'] + (known + weight * conf if conf >= 0.0 else 0.0)

    without = replay(records, lambda c: c['margin'])
    weighed = replay(records, with_confidence)
    groups = sorted(k for k in without if k != 'total')
    print(f"\n{'group':24s} {'CER reduction without':>22s} {'with':>8s}   {'harm without':>12s} {'with':>6s}")
    for g in groups + ['total']:
        a, b = without[g], weighed[g]
        print(f'{g:24s} {(a[2] - a[3]) / a[2]:+22.1%} {(b[2] - b[3]) / b[2]:+8.1%}   {a[4] / a[0]:12.1%} {b[4] / b[0]:6.1%}')


if __name__ == '__main__':
    main()

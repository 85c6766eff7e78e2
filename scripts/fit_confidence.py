#!/usr/bin/env python3
"""Fits the decision's OCR-confidence weights (DecisionModel::ocr_confidence_known,
ocr_confidence and ocr_page_unsure in src/correct/decision.h) with every other weight held as
it is.

The data are pages whose OCR carries word confidences: the dev set's ground truth drawn on
page images, degraded and read by Tesseract (bench/e2e_ocr.py), corrected from Tesseract's
hOCR with every scored candidate logged:

    .venv/bin/python bench/e2e_ocr.py --per-language 50 --fit-data fit.jsonl
    build/tools/cli/ocrfix eval --candidates cands.jsonl --output out.jsonl fit.jsonl
    .venv/bin/python scripts/fit_confidence.py cands.jsonl out.jsonl [KNOWN WEIGHT PAGE SURE_PAGE KNOWN_ALONE WEIGHT_ALONE [CLEAN_PAGE]]

KNOWN WEIGHT PAGE SURE_PAGE KNOWN_ALONE WEIGHT_ALONE are the weights the binary that logged
the candidates had (its margins include them; default all 0); the last two are those of a
text with too few words to have a page share (the log line's `unsure` is -1 there).
CLEAN_PAGE is the logged DecisionModel::ocr_clean_page (default 0), the do-no-harm term of a
page with fewer than 30% of its words unsure: a policy, not fitted, left out of the fit and
replayed in the last column. Each candidate is labelled by what it does alone (it
helps when applying it lowers the page's edit distance to the reference), as in
scripts/fit_decision.py. A logistic regression with the candidate's logged log-odds, less
the logged weights' share, as a fixed offset fits the weights: log-odds + known + weight *
confidence + (page + sure_page * [confidence >= 0.9]) * log(unsure share + floor), for
candidates whose original has a confidence; the unsure share is the page's share of words the
OCR was unsure of (the log line's `unsure`). The page's terms are fitted on the texts that
have a share, the word's alone on every text. Rules judged by the gain alone are replayed with
their logged margins. The script then replays the decision per degradation level with the word
term alone, with both, and without confidences; a real run on pages of another seed
(bench/e2e_ocr.py --configs hocr,hocr-no-confidence) confirms the choice.
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


UNSURE_FLOOR = 0.01  # DecisionModel::ocr_page_unsure_floor
QUIET = -1.0         # DecisionModel::quiet, which applies where a candidate has no confidence
QUIET_EVIDENCE = 1.6  # DecisionModel::quiet_evidence_cost
SURE_WORD = 0.9      # DecisionModel::ocr_sure_word
CLEAN_PAGE_BELOW = 0.3  # DecisionModel::ocr_clean_page_below
CLEAN_PAGE = -1.0       # DecisionModel::ocr_clean_page


def quiet_term(c):
    """DecisionModel::quiet as the binary adds it to a candidate without a confidence."""
    return QUIET if c.get('quiet') and c['chan'] > QUIET_EVIDENCE else 0.0


def page_term(r):
    return float(np.log(r['unsure'] + UNSURE_FLOOR)) if r['unsure'] >= 0.0 else 0.0


def main():
    if len(sys.argv) not in (3, 9, 10):
        sys.exit(__doc__)
    records = load(sys.argv[1], [sys.argv[2]])
    logged = [float(x) for x in sys.argv[3:9]] if len(sys.argv) >= 9 else [0.0] * 6
    logged_clean = float(sys.argv[9]) if len(sys.argv) == 10 else 0.0
    for r in records:
        r['source'] = 'e2e-' + r['id'].rsplit('@', 1)[-1]  # the degradation level
        for c in r['cands']:
            c['page'] = page_term(r)
            c['base'] = c['margin']  # the margin as if the input carried no confidences
            if c.get('conf', -1.0) >= 0.0:
                c['sure_page'] = c['page'] if c['conf'] >= SURE_WORD else 0.0
                c['has_page'] = r['unsure'] >= 0.0
                c['clean'] = c['has_page'] and r['unsure'] < CLEAN_PAGE_BELOW
                if c['has_page']:
                    c['base'] -= logged[0] + logged[1] * c['conf'] + logged[2] * c['page'] + logged[3] * c['sure_page']
                    c['base'] -= logged_clean if c['clean'] else 0.0
                else:
                    c['base'] -= logged[4] + logged[5] * c['conf']
                c['base'] += quiet_term(c)

    def fit(features, keep=lambda c: True):
        rows, labels, offsets = [], [], []
        for r in records:
            for c in r['cands']:
                if c.get('conf', -1.0) >= 0.0 and keep(c):
                    rows.append(features(c))
                    labels.append(1.0 if c['delta'] < 0 else 0.0)
                    offsets.append(c['base'] - quiet_term(c) + THRESHOLD)
        if not rows:
            sys.exit('no candidate has a confidence: were the pages given as layout documents (eval "layout" records)?')
        return fit_with_offset(np.array(rows), np.array(labels), np.array(offsets)), len(rows), int(sum(labels))

    word, count, helpful = fit(lambda c: [1.0, c['conf']])
    both, _, _ = fit(lambda c: [1.0, c['conf'], c['page'], c['sure_page']], lambda c: c['has_page'])
    print(f'{count} candidates with a confidence, {helpful} helpful. DecisionModel weights:')
    print(f'    the word\'s confidence alone:   ocr_confidence_known = {word[0]:.3f}, ocr_confidence = {word[1]:.3f}')
    print(f'    with the page\'s unsure share: ocr_confidence_known = {both[0]:.3f}, ocr_confidence = {both[1]:.3f}, '
          f'ocr_page_unsure = {both[2]:.3f}, ocr_page_unsure_sure_word = {both[3]:.3f}; where a text has no share, '
          f'the first: ocr_confidence_known_alone, ocr_confidence_alone')

    def weighed(w, clean=0.0):
        def margin(c):
            if c.get('conf', -1.0) < 0.0:
                return c['base']
            v = word if len(w) > 2 and not c['has_page'] else w
            extra = v[0] + v[1] * c['conf'] + (v[2] * c['page'] + v[3] * c['sure_page'] if len(v) > 2 else 0.0)
            extra += clean if c['clean'] else 0.0
            return c['base'] - quiet_term(c) + extra
        return margin

    # The rules judged by the gain alone are replayed with their logged margins (the clean
    # page's term included where the binary had it).
    runs = [('without', replay(records, lambda c: c['base'])), ('word', replay(records, weighed(word))),
            ('word+page', replay(records, weighed(both))), ('+clean page', replay(records, weighed(both, CLEAN_PAGE)))]
    groups = sorted(k for k in runs[0][1] if k != 'total')
    print(f"\n{'group':24s}" + ''.join(f' {name + " CER red.":>18s} {"harm":>6s}' for name, _ in runs))
    for g in groups + ['total']:
        print(f'{g:24s}' + ''.join(f' {(t[g][2] - t[g][3]) / t[g][2]:+18.1%} {t[g][4]:>6d}' for _, t in runs))


if __name__ == '__main__':
    main()

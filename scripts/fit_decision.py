#!/usr/bin/env python3
"""Fits the verifier's decision model (src/correct/decision.h) to a full dev-set run.

1. Log every scored candidate of a full eval (the log is one JSON line per record):

     build/tools/cli/ocrfix eval --candidates cands.jsonl ../shared/data/ocr-pairs/dev/*.jsonl

2. Fit and simulate (needs numpy, scikit-learn and rapidfuzz, e.g. in a scratch venv):

     python3 scripts/fit_decision.py cands.jsonl ../shared/data/ocr-pairs/dev/*.jsonl

Each candidate is labelled by what it does alone: it helps when applying it lowers the
record's edit distance to the ground truth. A logistic regression over the features that
DecisionFeatures holds (icdar2019 is left out of the fit: its ground truth disagrees with
its OCR about which text is there) gives the weights; the script then replays the decision
(best candidate per slot, no overlaps) for a range of thresholds and prints, per source, the
CER reduction and the harm rate (records whose CER rose), so the threshold can be chosen for
do-no-harm. The replay uses the logged final scores, so it ignores how a different rule
would change the later re-scoring passes; a real eval run confirms the choice.
The dev data is read where it lies and never copied.
"""
import collections
import json
import sys

import numpy as np
from rapidfuzz.distance import Levenshtein

# 'conf': the OCR's confidence in the original (-1: none); 'quiet': DecisionFeatures::quiet.
# Logs made before them have no such fields.
FIELDS = ['b', 'e', 'orig', 'rep', 'src', 'gain', 'chan', 'prior', 'ofreq', 'hun', 'cap', 'first', 'score', 'margin',
          'conf', 'quiet']
NAMES = ['bias', 'gain', 'channel_cost', 'log_prior', 'original_log_frequency', 'hunspell_accepts_original',
         'capitalised', 'english', 'gain_if_english', 'runner_margin', 'plausible', 'neighbours', 'short_word',
         'all_caps', 'real_word', 'split', 'suspect_share']
NEIGHBOURHOOD = 40  # bytes, as in src/correct/pipeline.cpp
# Sources the LM gain alone decides (judged_by_gain_alone in src/correct/lexical_proposer.h):
# left out of the fit, and replayed with their logged margin.
GAIN_ALONE = {'small-i', 'stray-mark', 'sign-for-letter', 'letter-for-mark', 'title', 'initial'}


def load(log_path, files):
    records = [json.loads(line) for f in files for line in open(f, encoding='utf-8')]
    logs = [json.loads(line) for line in open(log_path, encoding='utf-8')]
    if logs and all('id' in log for log in logs):
        # Records of a language without a lexicon have no line: match the lines by id.
        by_id = {r['id']: r for r in records}
        missing = [log['id'] for log in logs if log['id'] not in by_id]
        if missing:
            sys.exit(f'{log_path} has lines for records not in the files given (first: {missing[0]})')
        records = [by_id[log['id']] for log in logs]
    elif len(logs) != len(records):
        sys.exit(f'{log_path} has {len(logs)} lines for {len(records)} records: give the files in the order of the run')
    for r, log in zip(records, logs):
        ocr = r['ocr'].encode()
        assert log['bytes'] == len(ocr), r['id']
        r['base'] = Levenshtein.distance(r['ocr'], r['gt'])
        r['used_lang'] = log['lang']
        r['suspects'] = min(log.get('suspects', 0.0), 0.5)  # clipped as in src/correct/decision.cpp
        r['unsure'] = log.get('unsure', -1.0)  # share of words the OCR was unsure of; -1: no confidences
        r['cands'], r['gain_alone'] = [], []
        for row in log['c']:
            c = dict(zip(FIELDS, row))
            edited = (ocr[:c['b']] + c['rep'].encode() + ocr[c['e']:]).decode()
            c['delta'] = Levenshtein.distance(edited, r['gt']) - r['base']
            r['gain_alone' if c['src'] in GAIN_ALONE else 'cands'].append(c)
    return records


def features(r):
    slots = collections.defaultdict(list)
    for c in r['cands']:
        slots[(c['b'], c['e'])].append(c)
    plausible_slots = [k for k, v in slots.items() if any(c['score'] > 0 for c in v)]
    english = 1.0 if r['used_lang'] == 'en' else 0.0
    rows = []
    for c in r['cands']:
        members = slots[(c['b'], c['e'])]
        rival = max([o['score'] for o in members if o is not c], default=-10.0)
        neighbours = sum(1 for k in plausible_slots if k[0] != c['b'] and abs(k[0] - c['b']) < NEIGHBOURHOOD)
        n = len(c['orig'])
        caps = n >= 2 and any(ch.isupper() for ch in c['orig']) and not any(ch.islower() for ch in c['orig'])
        rows.append([1.0, c['gain'], c['chan'], c['prior'], max(c['ofreq'], -20.0), float(c['hun']), float(c['cap']),
                     english, c['gain'] * english, max(min(c['score'] - rival, 10.0), -10.0),
                     float(sum(1 for o in members if o['score'] > 0)), float(min(neighbours, 4)),
                     float(n <= 3), float(caps), float(c['src'] == 'real-word'), float(c['src'] == 'split'),
                     r['suspects']])
    return rows


def replay(records, accept):
    tallies = collections.defaultdict(lambda: [0, 0, 0, 0, 0])  # records, gt chars, before, after, harmed
    for r in records:
        best = {}
        for c, v in [(c, accept(c)) for c in r['cands']] + [(c, c['margin']) for c in r['gain_alone']]:
            if v > 0 and ((c['b'], c['e']) not in best or v > best[(c['b'], c['e'])][0]):
                best[(c['b'], c['e'])] = (v, c)
        chosen = []
        for v, c in sorted(best.values(), key=lambda t: -t[0]):
            if all(c['e'] <= o['b'] or o['e'] <= c['b'] for o in chosen):
                chosen.append(c)
        ocr, pos, out = r['ocr'].encode(), 0, []
        for c in sorted(chosen, key=lambda c: c['b']):
            out += [ocr[pos:c['b']], c['rep'].encode()]
            pos = c['e']
        after = Levenshtein.distance((b''.join(out) + ocr[pos:]).decode(), r['gt']) if chosen else r['base']
        for key in ('total', r['source'], f"{r['source']}[{r['lang']}]"):
            t = tallies[key]
            t[0] += 1; t[1] += len(r['gt']); t[2] += r['base']; t[3] += after; t[4] += after > r['base']
    return tallies


def main():
    from sklearn.linear_model import LogisticRegression  # only the fit needs it (load and replay do not)

    if len(sys.argv) < 3:
        sys.exit(__doc__)
    records = load(sys.argv[1], sys.argv[2:])
    X, y = [], []
    for r in records:
        for c, x in zip(r['cands'], features(r)):
            c['x'] = x
            if r['source'] != 'icdar2019':
                X.append(x)
                y.append(1 if c['delta'] < 0 else 0)
    model = LogisticRegression(C=1.0, max_iter=3000, fit_intercept=False).fit(np.array(X), np.array(y))
    weights = model.coef_[0]
    print(f'{len(y)} candidates, {sum(y)} helpful. DecisionModel weights:')
    for name, w in zip(NAMES, weights):
        print(f'    double {name} = {w:.3f};')
    groups = sorted({k for r in records for k in (r['source'], f"{r['source']}[{r['lang']}]")})
    for threshold in np.arange(-0.5, 2.01, 0.25):
        t = replay(records, lambda c: float(np.dot(weights, c['x'])) - threshold)
        total = t['total']
        print(f'\nthreshold {threshold:.2f}: harm {total[4] / total[0]:.1%}')
        for g in groups:
            n, _, before, after, harmed = t[g]
            print(f'  {g:34s} CER reduction {(before - after) / before:+7.1%}  harm {harmed / n:6.1%}')


if __name__ == '__main__':
    main()

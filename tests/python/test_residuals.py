"""scripts/residuals.py on hand-made pairs: the alignment is exact and prefers letter
substitutions, each error lands in its ERRORS.md class, and fixed/broken/proposed are counted
against the right words. A small word list stands in for Hunspell: no dictionary, no data."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "residuals.py"
spec = importlib.util.spec_from_file_location("residuals", SCRIPT)
residuals = importlib.util.module_from_spec(spec)
spec.loader.exec_module(residuals)

WORDS = {"en": {"the", "cat", "sat", "on", "mat", "tho", "Beagle", "sailed", "dispensation", "Evenings",
                "word", "next", "came", "big", "is", "a"},
         "de": {"sein", "ist", "Auftreten", "gut"},
         "fr": {"réalisation", "la"}}


def spell(lang: str, word: str) -> bool:
    return word in WORDS[lang]


def classes(ocr: str, gt: str, lang: str = "en") -> list[str]:
    return residuals.Pair(ocr, gt, lang, spell).classes


def brute_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def test_alignment_is_exact_and_consistent():
    texts = ["", "a", "ab c", "the cat", "tlie\ncat", "c a t-", "Pte. W. Pte. J.", "aaa bbb", "x-\ny"]
    for a, b in itertools.product(texts, repeat=2):
        ops = residuals.align(a, b)
        assert sum(op[0] != "M" for op in ops) == brute_distance(a, b) == residuals.levenshtein(a, b)
        i = j = 0
        for kind, x, y in ops:
            assert (x, y) == (i, j)
            if kind in "MS":
                assert (a[x] == b[y]) == (kind == "M")
            i, j = i + (kind in "MSD"), j + (kind in "MSI")
        assert (i, j) == (len(a), len(b))


def test_alignment_prefers_letter_substitutions():
    # `a.` for `b`: substitute a->b and drop the full stop, not drop a and read `.` as b.
    assert residuals.align("a.", "b") == [("S", 0, 0), ("D", 1, 1)]


@pytest.mark.parametrize("ocr, gt, lang, expected", [
    ("tho cat", "the cat", "en", ["real_word"]),
    ("tlie cat", "the cat", "en", ["non_word_2", "non_word_2"]),
    ("Tjeaclí sailed", "Beagle sailed", "en", ["non_word_3"] * 4),
    ("Messis came", "Messrs came", "en", ["unknown_word"]),
    ("dis pensation", "dispensation", "en", ["split_merge"]),
    ("theEvenings", "the Evenings", "en", ["split_merge"]),
    ("word , next", "word, next", "en", ["convention"]),
    ("the\ncat", "the cat", "en", ["convention"]),
    ("ſein ist", "sein ist", "de", ["convention"]),
    ("réali-\nsation la", "réalisation la", "fr", ["hyphenation", "hyphenation"]),
    ("Auf-\ntreten ist", "Auf¬\ntreten ist", "de", ["hyphenation"]),
    ("in 1856 ist", "in 1858 ist", "de", ["number"]),
    ("The cat", "the cat", "en", ["case"]),
    ("the cat sat", "the cat sat.", "en", ["punctuation"]),
    ("the big cat", "the cat", "en", ["missing"] * 4),
    ("the cat", "the cat sat on the mat", "en", ["missing"] * 15),
])
def test_each_error_gets_its_class(ocr, gt, lang, expected):
    assert classes(ocr, gt, lang) == expected


def record(ocr: str, corrected: str, edits: list[dict], gt: str = "the cat") -> dict:
    return {"id": "r1", "source": "s", "lang": "en", "ocr": ocr, "gt": gt, "corrected": corrected, "edits": edits}


def test_fixed_broken_and_proposed():
    fixed = residuals.analyse(record("tlie cat", "the cat", [{"begin": 0, "end": 4, "replacement": "the"}]),
                              spell, [(0, 4, "the")])
    assert fixed["classes"]["non_word_2"] == {"before": 2, "fixed": 2}
    assert fixed["edits_after"] == 0
    broken = residuals.analyse(record("the cat", "tho cat", [{"begin": 0, "end": 3, "replacement": "tho"}]),
                               spell, [])
    assert broken["classes"]["real_word"] == {"after": 1, "broke": 1, "no_candidate": 1}
    # Left alone though the right reading was a candidate; the offsets are bytes (`é` is two).
    kept = residuals.analyse(record("é tlie cat", "é tlie cat", [], gt="é the cat"), spell, [(3, 7, "the")])
    assert kept["classes"]["non_word_2"] == {"before": 2, "after": 2, "proposed": 2}
    other = residuals.analyse(record("tlie cat", "tlie cat", []), spell, [(0, 4, "tie"), (5, 8, "bat")])
    assert other["classes"]["non_word_2"] == {"before": 2, "after": 2, "other_readings": 2}


def test_reads_runs_and_compares(tmp_path, capsys):
    dev = tmp_path / "dev.jsonl"
    gt_records = [{"id": "a", "source": "s", "lang": "en", "ocr": "tlie cat", "gt": "the cat"},
                  {"id": "b", "source": "s", "lang": "en", "ocr": "a cat", "gt": "a cat"}]
    dev.write_text("".join(json.dumps(r) + "\n" for r in gt_records))
    corrected = tmp_path / "corrected.jsonl"
    corrected.write_text("".join(json.dumps({**r, "corrected": r["ocr"], "edits": []}) + "\n" for r in gt_records))
    # The candidate lines in another order, matched by id; the bytes check still holds.
    candidates = tmp_path / "cands.jsonl"
    candidates.write_text(json.dumps({"id": "b", "bytes": 5, "c": []}) + "\n"
                          + json.dumps({"id": "a", "bytes": 8, "c": [[0, 4, "tlie", "the", "lexical"]]}) + "\n")
    items = residuals.load_records([str(dev)], str(corrected), str(candidates))
    assert [(r["id"], c) for r, c in items] == [("a", [(0, 4, "the")]), ("b", [])]
    out_a, out_b = tmp_path / "a.json", tmp_path / "b.json"
    groups = {"all but icdar2019": residuals.analyse(items[0][0], spell, items[0][1])}
    out_a.write_text(json.dumps({"groups": groups}))
    better = residuals.analyse(record("tlie cat", "the cat", [{"begin": 0, "end": 4, "replacement": "the"}]), spell, [])
    out_b.write_text(json.dumps({"groups": {"all but icdar2019": better}}))
    assert residuals.main(["--compare", str(out_a), str(out_b)]) == 0
    assert "| non-word ≤2 | 2 | 0 | -2 | +2 |" in capsys.readouterr().out

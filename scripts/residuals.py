#!/usr/bin/env python3
"""Residual anatomy: which character errors a correction run leaves, by the classes of ERRORS.md.

    python3 scripts/residuals.py CORRECTED.jsonl [--candidates CANDS.jsonl] [--dev FILE ...]
                                 [--markdown FILE] [--json FILE]
    python3 scripts/residuals.py --compare A.json B.json

CORRECTED.jsonl is what `ocrfix eval --output` writes (each record with `corrected` and
`edits`); CANDS.jsonl the candidate log of the same run (OCRFIX_CANDIDATES=FILE, or
`ocrfix eval --candidates FILE`: one line per record, in record order, matched by "id" when
the lines carry one). The records (id, source, lang, ocr, gt) come from the dev files
(default ../shared/data/ocr-pairs/dev/*.jsonl from the repository root), read at run time.

Method (../shared/docs/ERRORS.md): each text is aligned with its ground truth by an exact
character Levenshtein alignment (edit counts equal ../shared/tools/cer.py's raw counts; among
equally short alignments the one with most letter<->letter substitutions); tokens are split at
whitespace, a word hyphenated across a line end is one token, and an OCR token and a GT token
share a group when the alignment pairs their characters. Each edit gets the first class that
fits, in ERRORS.md's order, with its non-word class split three ways: a GT word that Hunspell
rejects (names, old spellings: no dictionary proposer can reach it), non-words within 2 edits,
and non-words garbled by 3 or more. The OCR text (before) and the corrected text (after) are
classified alike. "Fixed" are the OCR's edits gone after correction at the same GT position,
"broke" the new ones; the rest may change class (a 3-edit word fixed in part becomes a
2-edit one), so before - fixed + broke is after only in total. For the remaining edits of
word classes, "proposed" is the share whose GT reading was among the logged candidates for
that OCR span (proposed and rejected) as against never proposed.

Records in languages without a dictionary here (icdar2019 bg, cs, es, nl, pl, sl) are left
out, as in ERRORS.md. Hunspell is the system library (libhunspell, as the engine uses) with
Debian's dictionaries in /usr/share/hunspell. Standard library only.
"""
from __future__ import annotations

import argparse
import collections
import ctypes
import ctypes.util
import difflib
import glob
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DEV = str(ROOT.parent / "shared" / "data" / "ocr-pairs" / "dev" / "*.jsonl")
DICTIONARIES = {"en": "en_US", "fr": "fr_FR", "de": "de_DE"}
HELD_APART = "icdar2019"  # reported apart: its OCR and GT often disagree on which text is there

# (key, column label), in the order the classes are tried (ERRORS.md, non-words split three ways).
CLASSES = (
    ("missing", "missing/ extra"), ("hyphenation", "hyphen"), ("convention", "conven- tion"),
    ("split_merge", "split/ merge"), ("number", "number"), ("case", "case"),
    ("punctuation", "punct"), ("unknown_word", "GT word unknown"),
    ("non_word_2", "non-word ≤2"), ("non_word_3", "non-word ≥3"), ("real_word", "real-word"),
    ("other", "other"))
CLASS_KEYS = [key for key, _ in CLASSES]
LABELS = dict(CLASSES)
WORD_CLASSES = ("split_merge", "unknown_word", "non_word_2", "non_word_3", "real_word")

HYPHENS = "-¬—⸗‐‑\u00ad"
OPENING = "([{«„“‘'\""   # spaced after: `« mot`, `l ' homme`
CLOSING = ",.;:!?)]}»”’'\"…"  # spaced before: `word ,`, `mot ;`
MISSING_RUN = 8  # a run of this many inserted or deleted characters is missing/extra text
_TYPOGRAPHY = {"ſ": "s", "ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st",
               "ﬆ": "st", "ꝛ": "r", "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'",
               "′": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"'}
WORD_FOLD = str.maketrans(_TYPOGRAPHY)  # for the dictionary: ß, æ and œ are kept
CONVENTION_FOLD = str.maketrans({**_TYPOGRAPHY, "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE",
                                 "œ": "oe", "Œ": "OE", "–": "-", "—": "-", "‒": "-", "―": "-",
                                 "−": "-", "\n": " ", "\u00a0": " "})


def is_letter(c: str) -> bool:
    return c.isalpha() or unicodedata.category(c).startswith("M")


def is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PS"


def fold(text: str, table) -> str:
    # The combining small e (uͤ) is the old umlaut: as a diaeresis it composes under NFC.
    return unicodedata.normalize("NFC", text.replace("\u0364", "\u0308")).translate(table)


# ---------------------------------------------------------------- alignment

def levenshtein(a: str, b: str) -> int:
    """Edit distance by Myers' bit-parallel algorithm (as cer.py computes it): the exact
    count the alignment must reach."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    peq: dict[str, int] = {}
    for i, c in enumerate(a):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask, high = (1 << len(a)) - 1, 1 << (len(a) - 1)
    pv, mv, score = mask, 0, len(a)
    for c in b:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        score += 1 if ph & high else -1 if mh & high else 0
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def _dp(a: str, b: str, a0: int = 0, b0: int = 0, band: tuple[int, int] | None = None) -> list:
    """Optimal alignment of a and b (offsets a0, b0), cells limited to diagonals j-i in band.
    Cost: edits first, then the most letter<->letter substitutions (a bonus below one edit)."""
    n, m = len(a), len(b)
    lo, hi = band or (-n, m)
    unit = min(n, m) + 1
    infinite = unit * (n + m + 2)
    b_letter = [c.isalpha() for c in b]
    prev_lo, prev = 0, [j * unit for j in range(min(m, hi) + 1)]
    moves = [(0, bytearray([2]) * len(prev))]  # 0 diagonal, 1 delete a[i-1], 2 insert b[j-1]
    for i in range(1, n + 1):
        ai = a[i - 1]
        ai_letter = ai.isalpha()
        first, last = max(0, i + lo), min(m, i + hi)
        prev_hi = prev_lo + len(prev) - 1
        cur: list[int] = []
        row = bytearray(last - first + 1)
        for j in range(first, last + 1):
            best, move = infinite, 0
            if j >= 1 and prev_lo <= j - 1 <= prev_hi:
                bj = b[j - 1]
                best = prev[j - 1 - prev_lo] + (0 if ai == bj else unit - 1 if ai_letter and b_letter[j - 1] else unit)
            if prev_lo <= j <= prev_hi and prev[j - prev_lo] + unit < best:
                best, move = prev[j - prev_lo] + unit, 1
            if j > first and cur[-1] + unit < best:
                best, move = cur[-1] + unit, 2
            cur.append(best)
            row[j - first] = move
        moves.append((first, row))
        prev_lo, prev = first, cur
    ops = []
    i, j = n, m
    while i > 0 or j > 0:
        first, row = moves[i]
        move = row[j - first]
        if move == 0:
            ops.append(("M" if a[i - 1] == b[j - 1] else "S", a0 + i - 1, b0 + j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            ops.append(("D", a0 + i - 1, b0 + j))
            i -= 1
        else:
            ops.append(("I", a0 + i, b0 + j - 1))
            j -= 1
    ops.reverse()
    return ops


def _dp_banded(a: str, b: str, a0: int = 0, b0: int = 0) -> list:
    """_dp within Ukkonen's band: a path of d edits keeps within (d - |m-n|) / 2 diagonals
    of the two ends' diagonals."""
    distance, shift = levenshtein(a, b), len(b) - len(a)
    reach = (distance - abs(shift)) // 2 + 1
    return _dp(a, b, a0, b0, (min(0, shift) - reach, max(0, shift) + reach))


_WORD = re.compile(r"\S+\s*")


def align(a: str, b: str) -> list[tuple[str, int, int]]:
    """Ops (kind, i, j): M match, S substitution (a[i] read for b[j]), D a[i] extra, I b[j]
    missing. Words found once in each text anchor the alignment (fast); if that misses the
    exact distance (lists of `Pte. W.`, moved lines), the whole text is aligned in one piece."""
    words_a = [(m.group(), m.start()) for m in _WORD.finditer(a)]
    words_b = [(m.group(), m.start()) for m in _WORD.finditer(b)]
    count_a, count_b = collections.Counter(w for w, _ in words_a), collections.Counter(w for w, _ in words_b)
    once_a = [(w, s) for w, s in words_a if count_a[w] == 1 and count_b[w] == 1]
    once_b = [(w, s) for w, s in words_b if count_a[w] == 1 and count_b[w] == 1]
    ops: list = []
    ia = ib = 0
    matcher = difflib.SequenceMatcher(None, [w for w, _ in once_a], [w for w, _ in once_b], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            word, start_a = once_a[block.a + k]
            start_b = once_b[block.b + k][1]
            ops += _dp_banded(a[ia:start_a], b[ib:start_b], ia, ib)
            ops += [("M", start_a + q, start_b + q) for q in range(len(word))]
            ia, ib = start_a + len(word), start_b + len(word)
    ops += _dp_banded(a[ia:], b[ib:], ia, ib)
    if sum(op[0] != "M" for op in ops) != levenshtein(a, b):
        ops = _dp_banded(a, b)
    return ops


# ---------------------------------------------------------------- tokens and groups

def token_ids(text: str) -> list[int]:
    """Token of each character (-1 for whitespace between tokens). A hyphen at a line end
    joins the next token (`réali-⏎sation`), and so does `recom- mended` before a small letter."""
    ids = [-1] * len(text)
    token = -1
    prev_end = None
    for match in re.finditer(r"\S+", text):
        start, end = match.span()
        gap = text[prev_end:start] if prev_end is not None else ""
        q = prev_end - 1 if prev_end is not None else -1
        while q >= 0 and text[q] in HYPHENS:  # `Spazier-—⏎gange`
            q -= 1
        joined = (prev_end is not None and q < prev_end - 1 and q >= 0 and is_letter(text[q])
                  and (("\n" in gap and is_letter(text[start])) or text[start].islower()))
        if joined:
            for p in range(prev_end, start):
                ids[p] = token
        else:
            token += 1
        for p in range(start, end):
            ids[p] = token
        prev_end = end
    return ids


def neighbours(ids: list[int]) -> tuple[list[int], list[int]]:
    """For each position, the nearest token before it and the nearest one from it on."""
    before, after = [-1] * (len(ids) + 1), [-1] * (len(ids) + 1)
    for p in range(1, len(ids) + 1):
        before[p] = ids[p - 1] if ids[p - 1] >= 0 else before[p - 1]
    for p in range(len(ids) - 1, -1, -1):
        after[p] = ids[p] if ids[p] >= 0 else after[p + 1]
    return before, after


class Side:
    """One text of a pair with its tokens: the hypothesis (OCR or corrected) or the GT."""

    def __init__(self, text: str):
        self.text = text
        self.ids = token_ids(text)
        self.before, self.after = neighbours(self.ids)
        self.spans: dict[int, list[int]] = {}
        for p, t in enumerate(self.ids):
            self.spans.setdefault(t, [p, p + 1])[1] = p + 1
        self.spans.pop(-1, None)

    def word(self, token: int) -> str:
        start, end = self.spans[token]
        return self.text[start:end]


def clean_word(word: str, keep_edges: tuple[bool, bool] = (False, False)) -> str:
    """The word as the dictionary should see it: hyphenation undone, edge punctuation off
    (unless the alignment read it as a letter: `de»` for `des`), typography undone."""
    word = re.sub(r"\s+", "", re.sub(f"(?<=\\w)[{HYPHENS}]+\\s+", "", word))
    start, end = 0, len(word)
    while start < end and not keep_edges[0] and is_punct(word[start]):
        start += 1
    while end > start and not keep_edges[1] and is_punct(word[end - 1]):
        end -= 1
    return fold(word[start:end], WORD_FOLD)


class Hunspell:
    """Hunspell verdicts through libhunspell (the library the engine uses), cached per word."""

    def __init__(self, directory: str = "/usr/share/hunspell"):
        name = ctypes.util.find_library("hunspell-1.7") or "libhunspell-1.7.so.0"
        self.lib = ctypes.CDLL(name)
        self.lib.Hunspell_create.restype = ctypes.c_void_p
        self.lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        self.lib.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.directory, self.handles, self.cache = directory, {}, {}

    def __call__(self, lang: str, word: str) -> bool:
        key = (lang, word)
        if key not in self.cache:
            if lang not in self.handles:
                base = f"{self.directory}/{DICTIONARIES[lang]}"
                self.handles[lang] = self.lib.Hunspell_create(f"{base}.aff".encode(), f"{base}.dic".encode())
            self.cache[key] = bool(self.lib.Hunspell_spell(self.handles[lang], word.encode()))
        return self.cache[key]


# ---------------------------------------------------------------- classification

class Pair:
    """A hypothesis aligned with the GT: token groups and one class per edit."""

    def __init__(self, hyp: str, gt: str, lang: str, spell):
        self.h, self.g = Side(hyp), Side(gt)
        self.lang, self.spell = lang, spell
        self.ops = align(hyp, gt)
        self.h_partner, self.g_partner = [-1] * len(hyp), [-1] * len(gt)
        parent = list(range(len(self.h.spans) + len(self.g.spans)))
        offset = len(self.h.spans)

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for kind, i, j in self.ops:
            if kind in "MS":
                self.h_partner[i], self.g_partner[j] = j, i
                if self.h.ids[i] >= 0 and self.g.ids[j] >= 0:
                    parent[find(self.h.ids[i])] = find(offset + self.g.ids[j])
        # group -> (hypothesis tokens, GT tokens)
        self.h_group = [find(t) for t in range(len(self.h.spans))]
        self.g_group = [find(offset + t) for t in range(len(self.g.spans))]
        self.members: dict[int, tuple[list[int], list[int]]] = collections.defaultdict(lambda: ([], []))
        for t, group in enumerate(self.h_group):
            self.members[group][0].append(t)
        for t, group in enumerate(self.g_group):
            self.members[group][1].append(t)
        self.edits = [op for op in self.ops if op[0] != "M"]
        self._rejected: dict[tuple[bool, int], bool] = {}
        self.classes = self._classify()

    # -- helpers
    def _chars(self, kind, i, j):
        """(hypothesis char or None, GT char or None) of an edit."""
        return (self.h.text[i] if kind in "SD" else None, self.g.text[j] if kind in "SI" else None)

    def group_of(self, kind, i, j):
        if kind in "SD" and self.h.ids[i] >= 0:
            return self.h_group[self.h.ids[i]]
        if kind in "SI" and self.g.ids[j] >= 0:
            return self.g_group[self.g.ids[j]]
        return None

    def _around(self, kind, i, j):
        """Groups of the tokens on both sides of a whitespace edit, per text it touches."""
        pairs = []
        if kind in "SD" and self.h.ids[i] < 0:
            b, a = self.h.before[i], self.h.after[i]
            pairs.append((self.h_group[b] if b >= 0 else None, self.h_group[a] if a >= 0 else None))
        if kind in "SI" and self.g.ids[j] < 0:
            b, a = self.g.before[j], self.g.after[j]
            pairs.append((self.g_group[b] if b >= 0 else None, self.g_group[a] if a >= 0 else None))
        return pairs

    def _missing(self, group) -> str | None:
        """"word" when a group has words on one text only, "mark" when only marks."""
        if group is None:
            return None
        h, g = self.members[group]
        if h and g:
            return None
        side, tokens = (self.h, h) if h else (self.g, g)
        return "word" if any(c.isalnum() for t in tokens for c in side.word(t)) else "mark"

    def _hyphenation(self, side: Side, p: int, kind: str) -> bool:
        """A hyphen or a break at a word's hyphenation point, on one text."""
        text, c = side.text, side.text[p]
        if c in HYPHENS:
            q, r = p - 1, p + 1
            while q >= 0 and text[q] in HYPHENS:
                q -= 1
            while r < len(text) and text[r] in HYPHENS:
                r += 1
            if q < 0 or not is_letter(text[q]):
                return False
            # Mid-word (`réali-sation` against `réalisation`) only when the other text has nothing there.
            return r == len(text) or side.ids[r] == side.ids[p] and (text[r].isspace() or kind in "DI")
        if c.isspace():
            if side.ids[p] >= 0:
                return True
            b, a = side.before[p], side.after[p]
            groups = self.h_group if side is self.h else self.g_group
            return c == "\n" and b >= 0 and a >= 0 and groups[b] == groups[a]
        return False

    def _word_rejected(self, side: Side, token: int) -> bool:
        key = (side is self.h, token)
        if key not in self._rejected:
            self._rejected[key] = self._check_word(side, token)
        return self._rejected[key]

    def _check_word(self, side: Side, token: int) -> bool:
        start, end = side.spans[token]
        keep = (False, False)
        if side is self.h:  # edge marks read for GT letters belong to the word
            def letter_for(p):
                return self.h_partner[p] >= 0 and self.g.text[self.h_partner[p]].isalnum()
            keep = (letter_for(start), letter_for(end - 1))
        word = clean_word(side.text[start:end], keep)
        if not word or not any(c.isalpha() for c in word):
            return False
        if any(not (is_letter(c) or c in "'-") for c in word):
            return True  # digits or symbols: a non-word
        return not self.spell(self.lang, word)

    # -- the classes
    def _classify(self) -> list[str]:
        op_index = [n for n, op in enumerate(self.ops) if op[0] != "M"]
        # Runs: edits with no match between them; indel runs of MISSING_RUN are missing text.
        runs: list[list[int]] = []
        indel_runs: list[list[int]] = []
        for k, (kind, _, _) in enumerate(self.edits):
            follows = k > 0 and op_index[k] == op_index[k - 1] + 1
            if follows:
                runs[-1].append(k)
            else:
                runs.append([k])
            if kind in "DI":
                if follows and self.edits[k - 1][0] in "DI":
                    indel_runs[-1].append(k)
                else:
                    indel_runs.append([k])
        indel = [0] * len(self.edits)
        for members in indel_runs:
            for k in members:
                indel[k] = len(members)
        classes: list[str] = []
        word_groups: dict[int, list[int]] = collections.defaultdict(list)
        for run in runs:
            for k in run:
                kind, i, j = self.edits[k]
                classes.append(self._class(run, indel[k], kind, i, j))
                if classes[-1] == "non_word":
                    word_groups[self.group_of(kind, i, j)].append(k)
        for members in word_groups.values():  # a word's distance: its count of non-word edits
            for k in members:
                classes[k] = "non_word_2" if len(members) <= 2 else "non_word_3"
        return classes

    def _class(self, run, indel_run, kind, i, j) -> str:
        """The first class of ERRORS.md that fits one edit."""
        hc, gc = self._chars(kind, i, j)
        group = self.group_of(kind, i, j)
        around = self._around(kind, i, j)
        only_space = all(c is None or c.isspace() for c in (hc, gc))
        beside = {self._missing(g) for pair in around for g in pair}
        if indel_run >= MISSING_RUN or self._missing(group) == "word" or "word" in beside:
            return "missing"
        if (((kind in "SD" and self._hyphenation(self.h, i, kind)) or (kind in "SI" and self._hyphenation(self.g, j, kind)))
                and (kind != "S" or all(c in HYPHENS or c.isspace() for c in (hc, gc)))):
            return "hyphenation"
        if self._convention(run, kind, i, j, only_space, around):
            return "convention"
        if any(b is not None and b == a for b, a in around):
            return "split_merge"
        if group is None:
            return "punctuation" if "mark" in beside else "other"
        if any(c.isdigit() for t in self.members[group][1] for c in self.g.word(t)):
            return "number"
        if kind == "S" and hc != gc and hc.lower() == gc.lower():
            return "case"
        if (gc is not None and is_punct(gc)) or (hc is not None and is_punct(hc) and kind != "S"):
            return "punctuation"
        if any(self._word_rejected(self.g, t) for t in self.members[group][1]):
            return "unknown_word"
        if any(self._word_rejected(self.h, t) for t in self.members[group][0]):
            return "non_word"
        if [self.h.word(t) for t in self.members[group][0]] != [self.g.word(t) for t in self.members[group][1]]:
            return "real_word"
        return "other"

    def _convention(self, run, kind, i, j, only_space, around) -> bool:
        """Typography (ſ, ligatures, quotes, ß=ss), spaced punctuation, line break vs space."""
        if only_space:
            if kind == "S" or all(b != a or b is None for b, a in around):
                return True  # line break for space, or layout between two words
            text, partner, other = (self.h.text, self.h_partner, self.g.text) if kind == "D" else \
                (self.g.text, self.g_partner, self.h.text)
            q, r = i - 1 if kind == "D" else j - 1, i + 1 if kind == "D" else j + 1
            while q >= 0 and text[q].isspace():
                q -= 1
            while r < len(text) and text[r].isspace():
                r += 1

            def mark(p, marks):  # a mark that the other text does not read as a letter (`»quellen`)
                return text[p] in marks and (partner[p] < 0 or is_punct(other[partner[p]]))
            return (r < len(text) and mark(r, CLOSING)) or (q >= 0 and mark(q, OPENING))
        first, last = self.edits[run[0]], self.edits[run[-1]]
        h0, g0 = first[1], first[2]
        h1 = last[1] + (1 if last[0] in "SD" else 0)
        g1 = last[2] + (1 if last[0] in "SI" else 0)
        context = self.h.text[h0 - 1] if h0 > 0 and self.h_partner[h0 - 1] >= 0 else ""
        return fold(context + self.h.text[h0:h1], CONVENTION_FOLD) == fold(context + self.g.text[g0:g1], CONVENTION_FOLD)

    def edit_group(self, k: int):
        """The group an edit belongs to; for a space inside a word, that word's group."""
        kind, i, j = self.edits[k]
        group = self.group_of(kind, i, j)
        if group is None:
            group = next((b for b, a in self._around(kind, i, j) if b is not None and b == a), None)
        return group


# ---------------------------------------------------------------- one record

def anchor(gt: Side, j: int) -> int:
    """The GT word an edit belongs to (or the one before it): where edits before and after
    correction are compared, so that an alignment shifted within a word changes nothing."""
    if j < len(gt.ids) and gt.ids[j] >= 0:
        return gt.ids[j]
    return gt.before[j]


def char_offsets(text: str) -> dict[int, int]:
    """Byte offset (UTF-8) -> character offset, at every character boundary."""
    offsets, byte = {}, 0
    for n, c in enumerate(text):
        offsets[byte] = n
        byte += len(c.encode())
    offsets[byte] = len(text)
    return offsets


def corrected_sources(ocr: str, edits: list[dict], corrected: str) -> list[tuple[int, int]] | None:
    """For each character of the corrected text, the OCR characters it comes from; None when
    the edits do not rebuild the corrected text."""
    offsets = char_offsets(ocr)
    out, sources, position = [], [], 0
    for edit in sorted(edits, key=lambda e: e["begin"]):
        begin, end = offsets.get(edit["begin"]), offsets.get(edit["end"])
        if begin is None or end is None or begin < position:
            return None
        out.append(ocr[position:begin])
        sources += [(p, p + 1) for p in range(position, begin)]
        out.append(edit["replacement"])
        sources += [(begin, end)] * len(edit["replacement"])
        position = end
    out.append(ocr[position:])
    sources += [(p, p + 1) for p in range(position, len(ocr))]
    return sources if "".join(out) == corrected else None


def bare(text: str) -> str:
    """A reading compared with the GT: spaces collapsed, edge punctuation off."""
    text = " ".join(re.sub(f"(?<=\\w)[{HYPHENS}]+\\s+", "", text).split())
    start, end = 0, len(text)
    while start < end and is_punct(text[start]):
        start += 1
    while end > start and is_punct(text[end - 1]):
        end -= 1
    return text[start:end]


def was_proposed(pair: Pair, group: int, ocr: str, sources, candidates) -> bool:
    """Whether a candidate over the group's OCR span reads it as the group's GT words."""
    h_tokens, g_tokens = pair.members[group]
    if not h_tokens or not g_tokens:
        return False
    spans = [sources[p] for t in h_tokens for p in range(*pair.h.spans[t])]
    low, high = min(s[0] for s in spans), max(s[1] for s in spans)
    target = bare(pair.g.text[pair.g.spans[g_tokens[0]][0]:pair.g.spans[g_tokens[-1]][1]])
    for begin, end, replacement in candidates:
        if begin < high and low < end:
            whole = ocr[min(low, begin):begin] + replacement + ocr[end:max(high, end)]
            if target in (bare(whole), bare(replacement)):
                return True
    return False


def analyse(record: dict, spell, candidates) -> dict:
    """Class counts of one record: before, after, fixed, broke, and proposed for word classes."""
    ocr, gt, corrected = record["ocr"], record["gt"], record["corrected"]
    before = Pair(ocr, gt, record["lang"], spell)
    after = before if corrected == ocr else Pair(corrected, gt, record["lang"], spell)
    counts = {key: collections.Counter() for key in CLASS_KEYS}
    places = []
    for pair, when in ((before, "before"), (after, "after")):
        at = collections.defaultdict(list)
        for (_, _, j), cls in zip(pair.edits, pair.classes):
            counts[cls][when] += 1
            if cls != "missing":
                at[anchor(pair.g, j)].append(cls)
        places.append(at)
    for place in set(places[0]) | set(places[1]):
        was, now = places[0].get(place, []), places[1].get(place, [])
        for cls in was[len(now):]:
            counts[cls]["fixed"] += 1
        for cls in now[len(was):]:
            counts[cls]["broke"] += 1
    # A long gap may be aligned a word earlier or later after correction: missing text is
    # compared per record.
    change = counts["missing"]["after"] - counts["missing"]["before"]
    counts["missing"]["fixed" if change < 0 else "broke"] += abs(change)
    if candidates is not None:
        sources = corrected_sources(ocr, record.get("edits", []), corrected)
        if sources is None:
            print(f"residuals: {record['id']}: the edits do not rebuild `corrected`; no proposal figures",
                  file=sys.stderr)
        else:
            offsets = char_offsets(ocr)
            readings = [(offsets[c[0]], offsets[c[1]], c[2]) for c in candidates if c[0] in offsets and c[1] in offsets]
            verdicts: dict[int, bool] = {}
            for k, cls in enumerate(after.classes):
                if cls in WORD_CLASSES:
                    group = after.edit_group(k)
                    if group not in verdicts:
                        verdicts[group] = group is not None and was_proposed(after, group, ocr, sources, readings)
                    counts[cls]["proposed" if verdicts[group] else "not_proposed"] += 1
    return {"records": 1, "gt_chars": len(gt), "edits_before": len(before.edits), "edits_after": len(after.edits),
            "classes": {key: dict(c) for key, c in counts.items()}}


# ---------------------------------------------------------------- reading the runs

def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_records(dev_patterns: list[str], corrected_path: str, candidates_path: str | None):
    """(record with `corrected` and `edits`, its candidates or None) for each record of the
    run in a language with a dictionary."""
    dev = {}
    for pattern in dev_patterns:
        paths = sorted(glob.glob(pattern))
        if not paths:
            sys.exit(f"residuals: no dev file matches {pattern}")
        for path in paths:
            for record in read_jsonl(path):
                dev[record["id"]] = record
    run = read_jsonl(corrected_path)
    lines = read_jsonl(candidates_path) if candidates_path else None
    by_id = {line["id"]: line for line in lines if "id" in line} if lines else {}
    if lines and not by_id and len(lines) != len(run):
        sys.exit(f"residuals: {len(lines)} candidate lines for {len(run)} records: not the same run")
    out, mismatched = [], 0
    for n, result in enumerate(run):
        record = dev.get(result.get("id"))
        if record is None or record["ocr"] != result["ocr"] or record["lang"] not in DICTIONARIES:
            if record is None or record["ocr"] != result["ocr"]:
                print(f"residuals: {result.get('id')}: not in the dev files as run; skipped", file=sys.stderr)
            continue
        candidates = None
        if lines is not None:
            line = by_id.get(record["id"]) if by_id else lines[n]
            if line is None or line.get("bytes") != len(record["ocr"].encode()):
                mismatched += 1
                line = {"c": []}
            candidates = [(c[0], c[1], c[3]) for c in line["c"]]
        out.append(({**record, "corrected": result["corrected"], "edits": result.get("edits", [])}, candidates))
    if mismatched:
        print(f"residuals: {mismatched} records without a matching candidate line (counted as never proposed)",
              file=sys.stderr)
    return out


_spell = None


def _analyse_one(item):
    global _spell  # one Hunspell per worker process
    if _spell is None:
        _spell = Hunspell()
    return item[0]["source"], item[0]["lang"], analyse(item[0], _spell, item[1])


def add(total: dict, part: dict) -> None:
    for key in ("records", "gt_chars", "edits_before", "edits_after"):
        total[key] = total.get(key, 0) + part[key]
    classes = total.setdefault("classes", {key: {} for key in CLASS_KEYS})
    for cls, figures in part["classes"].items():
        for name, value in figures.items():
            classes[cls][name] = classes[cls].get(name, 0) + value


def collect(items, jobs: int) -> dict:
    """Figures per source[lang], then for all but icdar2019 and for icdar2019."""
    rows: dict[str, dict] = {}
    main, apart = {}, {}
    if jobs > 1:
        import multiprocessing
        with multiprocessing.Pool(jobs) as pool:
            results = pool.map(_analyse_one, items, chunksize=8)
    else:
        results = map(_analyse_one, items)
    for source, lang, figures in results:
        add(rows.setdefault(f"{source}[{lang}]", {}), figures)
        add(apart if source == HELD_APART else main, figures)
    groups = {key: rows[key] for key in sorted(rows)}
    groups[f"all but {HELD_APART}"] = main
    groups[HELD_APART] = apart
    return groups


# ---------------------------------------------------------------- tables

def _label(key: str) -> tuple[str, str]:
    """`icdar2017[en]` -> ("icdar2017", "en"); a total -> (name, "*")."""
    match = re.fullmatch(r"(.*)\[(\w+)\]", key)
    return (match.group(1), match.group(2)) if match else (key, "*")


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else "–"


def _table(header: list[str], rows: list[list[str]], left: int = 2) -> list[str]:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if n < left else "---:" for n in range(len(header))) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def markdown(groups: dict, with_proposals: bool) -> str:
    """The four tables: shares left, fixed/broke by source, proposed, totals by class."""
    out = ["Share of the raw edits left after correction, by class, in %:", ""]
    header = ["source", "lang", "recs", "GT chars", "CER", "→ CER"] + [LABELS[k] for k in CLASS_KEYS]
    rows = []
    for key, g in groups.items():
        if not g:
            continue
        rows.append([*_label(key), str(g["records"]), str(g["gt_chars"]),
                     f"{g['edits_before'] / g['gt_chars']:.4f}", f"{g['edits_after'] / g['gt_chars']:.4f}"]
                    + [_pct(g["classes"][k].get("after", 0), g["edits_after"]) for k in CLASS_KEYS])
    out += _table(header, rows)
    out += ["", "Raw edits fixed and broken by the correction, by class (−fixed +broken):", ""]
    rows = [[*_label(key)] + [f"−{g['classes'][k].get('fixed', 0)} +{g['classes'][k].get('broke', 0)}"
                              for k in CLASS_KEYS] for key, g in groups.items() if g]
    out += _table(["source", "lang"] + [LABELS[k] for k in CLASS_KEYS], rows)
    if with_proposals:
        out += ["", "Edits left in word classes whose GT reading was among the candidates (proposed, not "
                "accepted), in % of the class's remaining edits (count of remaining edits):", ""]
        rows = []
        for key, g in groups.items():
            if not g:
                continue
            c = g["classes"]
            proposed = sum(c[k].get("proposed", 0) for k in WORD_CLASSES)
            left = sum(c[k].get("after", 0) for k in WORD_CLASSES)
            rows.append([*_label(key), f"{_pct(proposed, left)} ({left})"]
                        + [f"{_pct(c[k].get('proposed', 0), c[k].get('after', 0))} ({c[k].get('after', 0)})"
                           for k in WORD_CLASSES])
        out += _table(["source", "lang", "word classes"] + [LABELS[k] for k in WORD_CLASSES], rows)
    for key in (f"all but {HELD_APART}", HELD_APART):
        g = groups.get(key)
        if not g:
            continue
        out += ["", f"By class, {key}: raw edits before and after correction, fixed, broken, share of what is "
                "left" + (", and the share of what is left whose GT reading was proposed" if with_proposals else "")
                + ":", ""]
        rows = []
        for k in CLASS_KEYS + ["total"]:
            c = g["classes"][k] if k != "total" else {
                name: sum(g["classes"][x].get(name, 0) for x in CLASS_KEYS)
                for name in ("before", "after", "fixed", "broke")}
            row = [LABELS.get(k, "total"), str(c.get("before", 0)), str(c.get("fixed", 0)), str(c.get("broke", 0)),
                   str(c.get("after", 0)), _pct(c.get("after", 0), g["edits_after"])]
            if with_proposals:
                row.append(_pct(c.get("proposed", 0), c.get("after", 0)) if k in WORD_CLASSES else "")
            rows.append(row)
        out += _table(["class", "before", "fixed", "broken", "after", "% of left"]
                      + (["% proposed"] if with_proposals else []), rows, left=1)
    return "\n".join(out) + "\n"


def compare(path_a: str, path_b: str) -> str:
    """Per-class differences between two runs' --json figures (B − A)."""
    a, b = (json.loads(Path(p).read_text())["groups"] for p in (path_a, path_b))
    out = [f"A = {path_a}, B = {path_b}.", ""]
    for key in (f"all but {HELD_APART}", HELD_APART):
        if not a.get(key) or not b.get(key):
            continue
        ca, cb = a[key]["classes"], b[key]["classes"]
        rows = []
        for k in CLASS_KEYS:
            left_a, left_b = ca[k].get("after", 0), cb[k].get("after", 0)
            row = [LABELS[k], str(left_a), str(left_b), f"{left_b - left_a:+d}",
                   f"{cb[k].get('fixed', 0) - ca[k].get('fixed', 0):+d}", f"{cb[k].get('broke', 0) - ca[k].get('broke', 0):+d}"]
            if k in WORD_CLASSES:
                row += [_pct(ca[k].get("proposed", 0), left_a), _pct(cb[k].get("proposed", 0), left_b)]
            else:
                row += ["", ""]
            rows.append(row)
        rows.append(["total", str(a[key]["edits_after"]), str(b[key]["edits_after"]),
                     f"{b[key]['edits_after'] - a[key]['edits_after']:+d}", "", "", "", ""])
        out += [f"{key}: raw edits left, and B − A in fixed and broken:", ""]
        out += _table(["class", "A left", "B left", "Δ left", "Δ fixed", "Δ broken", "A % proposed",
                       "B % proposed"], rows, left=1) + [""]
    keys = [k for k in a if k in b and a[k] and b[k] and "[" in k]
    out += ["Δ raw edits left (B − A), by source:", ""]
    rows = [[*_label(key)] + [f"{b[key]['classes'][k].get('after', 0) - a[key]['classes'][k].get('after', 0):+d}"
                              for k in CLASS_KEYS] for key in keys]
    out += _table(["source", "lang"] + [LABELS[k] for k in CLASS_KEYS], rows)
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corrected", nargs="?", help="ocrfix eval --output file (records with `corrected`)")
    parser.add_argument("--candidates", help="candidate log of the same run (OCRFIX_CANDIDATES)")
    parser.add_argument("--dev", nargs="+", default=[DEFAULT_DEV], help="dev files or globs (default: %(default)s)")
    parser.add_argument("--markdown", help="write the tables here instead of stdout")
    parser.add_argument("--json", help="write the figures as JSON here")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default: %(default)s)")
    parser.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), help="per-class differences of two runs")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(*args.compare), end="")
        return 0
    if not args.corrected:
        parser.error("give the eval output (CORRECTED.jsonl) or --compare A.json B.json")
    items = load_records(args.dev, args.corrected, args.candidates)
    groups = collect(items, args.jobs)
    text = markdown(groups, args.candidates is not None)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    if args.json:
        summary = {"corrected": args.corrected, "candidates": args.candidates, "classes": CLASS_KEYS,
                   "word_classes": list(WORD_CLASSES), "groups": groups}
        Path(args.json).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

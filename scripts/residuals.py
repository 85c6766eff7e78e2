#!/usr/bin/env python3
"""Residual anatomy: which character errors a correction run leaves, by the classes of ERRORS.md.

    python3 scripts/residuals.py CORRECTED.jsonl [--candidates CANDS.jsonl] [--dev FILE ...]
                                 [--markdown FILE] [--json FILE] [--jobs N]
    python3 scripts/residuals.py --compare A.json B.json

CORRECTED.jsonl is what `ocrfix eval --output` writes (each record with `corrected` and
`edits`); CANDS.jsonl the candidate log of the same run (`ocrfix eval --candidates FILE`:
one line per record, matched by "id", or by order where the lines carry none). The records (id, source, lang, ocr, gt) come from the dev files
(default ../shared/data/ocr-pairs/dev/*.jsonl beside the repository), read at run time.

Method (../shared/docs/ERRORS.md): an exact character Levenshtein alignment with the GT (edit
counts equal ../shared/tools/cer.py's raw counts; among equally short alignments, the most
letter<->letter substitutions); tokens split at whitespace, a word hyphenated at a line end one
token; an OCR and a GT token share a group when the alignment pairs their characters. Each edit
gets the first class that fits, in ERRORS.md's order, its non-word class split three ways:
"GT word unknown" (Hunspell rejects the GT word: names, old spellings; taken before the
non-word and real-word classes, as no dictionary proposer reaches it), non-words within 2
edits, and non-words with 3 or more.

The OCR (before) and the corrected text (after) are classified alike. "Fixed" counts the OCR's
edits gone after correction in the same GT word, "broken" the new ones (missing text: the
change per record); before - fixed + broken = after, up to edits that changed class (a 3-edit
word fixed in part is left a 2-edit one). For the edits left in word classes, "proposed" is the
share whose GT reading (typography aside) was among the logged candidates over that OCR span:
proposed but not accepted, as against never proposed (other readings only, or no candidate).

Languages without a dictionary here (icdar2019 bg, cs, es, nl, pl, sl) are left out, as in
ERRORS.md. Hunspell is libhunspell, as the engine uses it, with Debian's dictionaries in
/usr/share/hunspell. Standard library only.
"""
from __future__ import annotations

import argparse
import collections
import ctypes
import difflib
import glob
import json
import multiprocessing
import re
import sys
import unicodedata
from pathlib import Path

DEFAULT_DEV = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "ocr-pairs" / "dev" / "*.jsonl")
DICTIONARIES = {"en": "en_US", "fr": "fr_FR", "de": "de_DE"}
HELD_APART = "icdar2019"  # reported apart: its OCR and GT often disagree on which text is there
TOTALS = (f"all but {HELD_APART}", HELD_APART)

# (key, column label), in the order the classes are tried.
CLASSES = (("missing", "missing/ extra"), ("hyphenation", "hyphen"), ("convention", "conven- tion"),
           ("split_merge", "split/ merge"), ("number", "number"), ("case", "case"), ("punctuation", "punct"),
           ("unknown_word", "GT word unknown"), ("non_word_2", "non-word ≤2"), ("non_word_3", "non-word ≥3"),
           ("real_word", "real-word"), ("other", "other"))
CLASS_KEYS = [key for key, _ in CLASSES]
LABELS = dict(CLASSES)
WORD_CLASSES = ("split_merge", "unknown_word", "non_word_2", "non_word_3", "real_word")

HYPHENS = "-¬—⸗‐‑\u00ad"
OPENING = "([{«„“‘'\""        # spaced after: `« mot`, `l ' homme`
CLOSING = ",.;:!?)]}»”’'\"…"  # spaced before: `word ,`, `mot ;`
MISSING_RUN = 8  # a run of this many inserted or deleted characters is missing/extra text
_TYPOGRAPHY = {"ſ": "s", "ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
               "ꝛ": "r", "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "′": "'",
               "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"'}
WORD_FOLD = str.maketrans(_TYPOGRAPHY)  # for the dictionary: ß, æ and œ are kept
CONVENTION_FOLD = str.maketrans({**_TYPOGRAPHY, "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe",
                                 "Œ": "OE", "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "\n": " ",
                                 "\u00a0": " "})
_JOIN = re.compile(f"(?<=\\w)[{HYPHENS}]+\\s+")  # a hyphenation to undo: `réali-⏎sation`


def is_letter(c: str) -> bool:
    return c.isalpha() or unicodedata.category(c).startswith("M")


def is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PS"


def strip_marks(text: str, keep: tuple[bool, bool] = (False, False)) -> str:
    """The text without the punctuation at its edges (an edge flagged in keep stays)."""
    start, end = 0, len(text)
    while start < end and not keep[0] and is_punct(text[start]):
        start += 1
    while end > start and not keep[1] and is_punct(text[end - 1]):
        end -= 1
    return text[start:end]


def fold(text: str, table) -> str:
    # The combining small e (uͤ) is the old umlaut: as a diaeresis it composes under NFC.
    return unicodedata.normalize("NFC", text.replace("\u0364", "\u0308")).translate(table)


# ---------------------------------------------------------------- alignment

def levenshtein(a: str, b: str) -> int:
    """Edit distance by Myers' bit-parallel algorithm, as cer.py computes it: the count the
    alignment must reach."""
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
        pv = (((mh << 1) & mask) | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def _dp(a: str, b: str, a0: int = 0, b0: int = 0, band: tuple[int, int] | None = None) -> list:
    """Optimal alignment of a and b (at offsets a0, b0) over the diagonals j - i in band. Cost:
    edits first, then the most letter<->letter substitutions (a bonus worth less than an edit)."""
    n, m = len(a), len(b)
    lo, hi = band or (-n, m)
    unit = min(n, m) + 1
    b_letter = [c.isalpha() for c in b]
    prev_lo, prev = 0, [j * unit for j in range(min(m, hi) + 1)]
    moves = [(0, bytearray([2]) * len(prev))]  # 0 diagonal, 1 a[i-1] deleted, 2 b[j-1] inserted
    for i in range(1, n + 1):
        ai, ai_letter = a[i - 1], a[i - 1].isalpha()
        first, last = max(0, i + lo), min(m, i + hi)
        prev_hi = prev_lo + len(prev) - 1
        cur: list[int] = []
        row = bytearray(last - first + 1)
        for j in range(first, last + 1):
            best, move = unit * (n + m + 2), 0
            if j >= 1 and prev_lo <= j - 1 <= prev_hi:
                best = prev[j - 1 - prev_lo] + (0 if ai == b[j - 1] else unit - 1 if ai_letter and b_letter[j - 1] else unit)
            if prev_lo <= j <= prev_hi and prev[j - prev_lo] + unit < best:
                best, move = prev[j - prev_lo] + unit, 1
            if j > first and cur[-1] + unit < best:
                best, move = cur[-1] + unit, 2
            cur.append(best)
            row[j - first] = move
        moves.append((first, row))
        prev_lo, prev = first, cur
    ops, i, j = [], n, m
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
    return ops[::-1]


def _dp_banded(a: str, b: str, a0: int = 0, b0: int = 0) -> list:
    """_dp in Ukkonen's band: a path of d edits strays at most (d - |m-n|) / 2 diagonals
    beyond those of its two ends."""
    distance, shift = levenshtein(a, b), len(b) - len(a)
    reach = (distance - abs(shift)) // 2 + 1
    return _dp(a, b, a0, b0, (min(0, shift) - reach, max(0, shift) + reach))


def align(a: str, b: str) -> list[tuple[str, int, int]]:
    """Ops (kind, i, j): M match, S a[i] read for b[j], D a[i] extra, I b[j] missing. Words
    found once in each text anchor the alignment (fast); when that misses the exact distance
    (lists of `Pte. W.`, moved lines), the whole text is aligned in one piece."""
    words_a = [(m.group(), m.start()) for m in re.finditer(r"\S+\s*", a)]
    words_b = [(m.group(), m.start()) for m in re.finditer(r"\S+\s*", b)]
    count_a, count_b = collections.Counter(w for w, _ in words_a), collections.Counter(w for w, _ in words_b)
    once_a = [(w, s) for w, s in words_a if count_a[w] == 1 and count_b[w] == 1]
    once_b = [(w, s) for w, s in words_b if count_a[w] == 1 and count_b[w] == 1]
    ops: list = []
    ia = ib = 0
    matcher = difflib.SequenceMatcher(None, [w for w, _ in once_a], [w for w, _ in once_b], autojunk=False)
    for block in matcher.get_matching_blocks():
        for (word, start_a), (_, start_b) in zip(once_a[block.a:block.a + block.size], once_b[block.b:block.b + block.size]):
            ops += _dp_banded(a[ia:start_a], b[ib:start_b], ia, ib)
            ops += [("M", start_a + q, start_b + q) for q in range(len(word))]
            ia, ib = start_a + len(word), start_b + len(word)
    ops += _dp_banded(a[ia:], b[ib:], ia, ib)
    return ops if sum(op[0] != "M" for op in ops) == levenshtein(a, b) else _dp_banded(a, b)


# ---------------------------------------------------------------- tokens and words

class Side:
    """One text of a pair with its tokens: ids[p] is the token of character p (-1 for the
    whitespace between tokens); a hyphen at a line end joins the next token (`réali-⏎sation`),
    and so does `recom- mended` before a small letter."""

    def __init__(self, text: str):
        self.text, self.ids, self.spans = text, [-1] * len(text), []
        prev_end = None
        for match in re.finditer(r"\S+", text):
            start, end = match.span()
            q = prev_end - 1 if prev_end is not None else -1
            while q >= 0 and text[q] in HYPHENS:  # also `Spazier-—⏎gange`
                q -= 1
            if (prev_end is not None and 0 <= q < prev_end - 1 and is_letter(text[q])
                    and (("\n" in text[prev_end:start] and is_letter(text[start])) or text[start].islower())):
                self.spans[-1][1] = end
            else:
                self.spans.append([start, end])
            for p in range(self.spans[-1][0], end):
                self.ids[p] = len(self.spans) - 1
            prev_end = end
        # The nearest token before each position, and the nearest one from it on.
        self.before, self.after = [-1] * (len(text) + 1), [-1] * (len(text) + 1)
        for p in range(1, len(text) + 1):
            self.before[p] = self.ids[p - 1] if self.ids[p - 1] >= 0 else self.before[p - 1]
        for p in range(len(text) - 1, -1, -1):
            self.after[p] = self.ids[p] if self.ids[p] >= 0 else self.after[p + 1]

    def word(self, token: int) -> str:
        return self.text[self.spans[token][0]:self.spans[token][1]]


def clean_word(word: str, keep_edges: tuple[bool, bool] = (False, False)) -> str:
    """The word as the dictionary should see it: hyphenation undone, edge punctuation off
    (unless the alignment read it as a letter: `de»` for `des`), typography undone."""
    return fold(strip_marks(re.sub(r"\s+", "", _JOIN.sub("", word)), keep_edges), WORD_FOLD)


class Hunspell:
    """Hunspell verdicts through libhunspell (the library the engine uses), cached per word."""

    def __init__(self, directory: str = "/usr/share/hunspell"):
        self.lib = ctypes.CDLL("libhunspell-1.7.so.0")
        self.lib.Hunspell_create.restype = ctypes.c_void_p
        self.lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        self.lib.Hunspell_spell.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.directory, self.handles, self.cache = directory, {}, {}

    def __call__(self, lang: str, word: str) -> bool:
        if (lang, word) not in self.cache:
            if lang not in self.handles:
                base = f"{self.directory}/{DICTIONARIES[lang]}"
                self.handles[lang] = self.lib.Hunspell_create(f"{base}.aff".encode(), f"{base}.dic".encode())
            self.cache[lang, word] = bool(self.lib.Hunspell_spell(self.handles[lang], word.encode()))
        return self.cache[lang, word]


# ---------------------------------------------------------------- classification

class Pair:
    """A hypothesis (OCR or corrected text) aligned with the GT: token groups, and the class
    of each edit (self.edits, self.classes)."""

    def __init__(self, hyp: str, gt: str, lang: str, spell):
        self.h, self.g, self.lang, self.spell = Side(hyp), Side(gt), lang, spell
        self.ops = align(hyp, gt)
        self.h_partner, self.g_partner = [-1] * len(hyp), [-1] * len(gt)
        offset = len(self.h.spans)
        parent = list(range(offset + len(self.g.spans)))

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
        self.h_group = [find(t) for t in range(offset)]
        self.g_group = [find(offset + t) for t in range(len(self.g.spans))]
        self.members = collections.defaultdict(lambda: ([], []))  # group -> (its OCR tokens, its GT tokens)
        for t, group in enumerate(self.h_group):
            self.members[group][0].append(t)
        for t, group in enumerate(self.g_group):
            self.members[group][1].append(t)
        self.edits = [op for op in self.ops if op[0] != "M"]
        self._rejected: dict[tuple[bool, int], bool] = {}
        self.classes = self._classify([n for n, op in enumerate(self.ops) if op[0] != "M"])

    def group_of(self, kind, i, j):
        """The group of the token an edit's character lies in (None for whitespace)."""
        if kind in "SD" and self.h.ids[i] >= 0:
            return self.h_group[self.h.ids[i]]
        if kind in "SI" and self.g.ids[j] >= 0:
            return self.g_group[self.g.ids[j]]
        return None

    def _around(self, kind, i, j) -> list[tuple]:
        """For a whitespace edit, the groups of the tokens before and after it, per text."""
        pairs = []
        for side, groups, p in ((self.h, self.h_group, i if kind in "SD" else -1),
                                (self.g, self.g_group, j if kind in "SI" else -1)):
            if p >= 0 and side.ids[p] < 0:
                pairs.append(tuple(groups[t] if t >= 0 else None for t in (side.before[p], side.after[p])))
        return pairs

    def edit_group(self, k: int):
        """The group of edit k; for a space inside a word, that word's group."""
        group = self.group_of(*self.edits[k])
        return group if group is not None else next(
            (b for b, a in self._around(*self.edits[k]) if b is not None and b == a), None)

    def _missing(self, group) -> str | None:
        """"word" when a group has words on one text only, "mark" when only marks."""
        if group is None or all(self.members[group]):
            return None
        side, tokens = (self.h, self.members[group][0]) if self.members[group][0] else (self.g, self.members[group][1])
        return "word" if any(c.isalnum() for t in tokens for c in side.word(t)) else "mark"

    def _hyphenation(self, side: Side, p: int, kind: str) -> bool:
        """A hyphen or a break at a hyphenation point on one text."""
        text = side.text
        if text[p] in HYPHENS:
            q, r = p - 1, p + 1
            while q >= 0 and text[q] in HYPHENS:
                q -= 1
            while r < len(text) and text[r] in HYPHENS:
                r += 1
            # Mid-word (`réali-sation` for `réalisation`) only when the other text has nothing there.
            return q >= 0 and is_letter(text[q]) and (
                r == len(text) or side.ids[r] == side.ids[p] and (text[r].isspace() or kind in "DI"))
        if text[p].isspace():
            groups = self.h_group if side is self.h else self.g_group
            b, a = side.before[p], side.after[p]
            return side.ids[p] >= 0 or (text[p] == "\n" and b >= 0 and a >= 0 and groups[b] == groups[a])
        return False

    def _word_rejected(self, side: Side, token: int) -> bool:
        """Whether a token is a non-word: Hunspell rejects it, or it holds digits or symbols."""
        key = (side is self.h, token)
        if key not in self._rejected:
            start, end = side.spans[token]
            keep = (False, False)
            if side is self.h:  # edge marks read for GT letters belong to the word
                keep = tuple(self.h_partner[p] >= 0 and self.g.text[self.h_partner[p]].isalnum() for p in (start, end - 1))
            word = clean_word(side.text[start:end], keep)
            self._rejected[key] = any(c.isalpha() for c in word) and (
                any(not (is_letter(c) or c in "'-") for c in word) or not self.spell(self.lang, word))
        return self._rejected[key]

    def _classify(self, op_index: list[int]) -> list[str]:
        # Runs: edits with no match between them; indel runs of MISSING_RUN are missing text.
        runs: list[list[int]] = []
        indel_runs: list[list[int]] = []
        for k, (kind, _, _) in enumerate(self.edits):
            follows = k > 0 and op_index[k] == op_index[k - 1] + 1
            runs[-1].append(k) if follows else runs.append([k])
            if kind in "DI":
                indel_runs[-1].append(k) if follows and self.edits[k - 1][0] in "DI" else indel_runs.append([k])
        indel = [0] * len(self.edits)
        for members in indel_runs:
            for k in members:
                indel[k] = len(members)
        classes = [self._class(run, indel[k], *self.edits[k]) for run in runs for k in run]
        word_groups = collections.defaultdict(list)
        for k, cls in enumerate(classes):
            if cls == "non_word":
                word_groups[self.group_of(*self.edits[k])].append(k)
        for members in word_groups.values():  # a word's distance: its count of non-word edits
            for k in members:
                classes[k] = "non_word_2" if len(members) <= 2 else "non_word_3"
        return classes

    def _class(self, run, indel_run, kind, i, j) -> str:
        """The first class of ERRORS.md that fits one edit."""
        hc, gc = (self.h.text[i] if kind in "SD" else None), (self.g.text[j] if kind in "SI" else None)
        group, around = self.group_of(kind, i, j), self._around(kind, i, j)
        beside = {self._missing(g) for pair in around for g in pair}
        if indel_run >= MISSING_RUN or self._missing(group) == "word" or "word" in beside:
            return "missing"
        if (((kind in "SD" and self._hyphenation(self.h, i, kind)) or (kind in "SI" and self._hyphenation(self.g, j, kind)))
                and (kind != "S" or all(c in HYPHENS or c.isspace() for c in (hc, gc)))):
            return "hyphenation"
        if self._convention(run, kind, i, j, around):
            return "convention"
        if any(b is not None and b == a for b, a in around):
            return "split_merge"
        if group is None:
            return "punctuation" if "mark" in beside else "other"
        h_tokens, g_tokens = self.members[group]
        if any(c.isdigit() for t in g_tokens for c in self.g.word(t)):
            return "number"
        if kind == "S" and hc != gc and hc.lower() == gc.lower():
            return "case"
        if (gc is not None and is_punct(gc)) or (kind == "D" and is_punct(hc)):
            return "punctuation"
        if any(self._word_rejected(self.g, t) for t in g_tokens):
            return "unknown_word"
        if any(self._word_rejected(self.h, t) for t in h_tokens):
            return "non_word"
        return "real_word" if [self.h.word(t) for t in h_tokens] != [self.g.word(t) for t in g_tokens] else "other"

    def _convention(self, run, kind, i, j, around) -> bool:
        """Typography (ſ, ligatures, quotes, ß=ss, uͤ=ü), spaced punctuation, line break for
        space, layout between words."""
        if all(c.isspace() for c in ((self.h.text[i],) if kind in "SD" else ()) + ((self.g.text[j],) if kind in "SI" else ())):
            if kind == "S" or all(b != a or b is None for b, a in around):
                return True
            text, partner, other, p = ((self.h.text, self.h_partner, self.g.text, i) if kind == "D"
                                       else (self.g.text, self.g_partner, self.h.text, j))
            q, r = p - 1, p + 1
            while q >= 0 and text[q].isspace():
                q -= 1
            while r < len(text) and text[r].isspace():
                r += 1

            def mark(x, marks):  # a mark the other text does not read as a letter (`»quellen`)
                return text[x] in marks and (partner[x] < 0 or is_punct(other[partner[x]]))
            return (r < len(text) and mark(r, CLOSING)) or (q >= 0 and mark(q, OPENING))
        (_, h0, g0), (last, h1, g1) = self.edits[run[0]], self.edits[run[-1]]
        h1, g1 = h1 + (last in "SD"), g1 + (last in "SI")
        context = self.h.text[h0 - 1] if h0 > 0 and self.h_partner[h0 - 1] >= 0 else ""
        return fold(context + self.h.text[h0:h1], CONVENTION_FOLD) == fold(context + self.g.text[g0:g1], CONVENTION_FOLD)


# ---------------------------------------------------------------- one record

def char_offsets(text: str) -> dict[int, int]:
    """UTF-8 byte offset -> character offset, at every character boundary."""
    offsets, byte = {}, 0
    for n, c in enumerate(text):
        offsets[byte] = n
        byte += len(c.encode())
    offsets[byte] = len(text)
    return offsets


def corrected_sources(ocr: str, edits: list[dict], corrected: str) -> list[tuple[int, int]] | None:
    """For each character of the corrected text, the span of OCR characters it comes from;
    None when the edits do not rebuild the corrected text."""
    offsets = char_offsets(ocr)
    out, sources, position = [], [], 0
    for edit in sorted(edits, key=lambda e: e["begin"]) + [{"begin": len(ocr.encode()), "end": None, "replacement": ""}]:
        begin, end = offsets.get(edit["begin"]), offsets.get(edit["end"], len(ocr))
        if begin is None or end is None or begin < position:
            return None
        out += [ocr[position:begin], edit["replacement"]]
        sources += [(p, p + 1) for p in range(position, begin)] + [(begin, end)] * len(edit["replacement"])
        position = end
    return sources if "".join(out) == corrected else None


def proposal(pair: Pair, group, ocr: str, sources, candidates) -> str:
    """"proposed" when a candidate over the group's OCR span reads it as the group's GT words,
    "other" when the span had only other candidates, "none" when it had none."""
    h_tokens, g_tokens = pair.members[group] if group is not None else ([], [])
    if not h_tokens or not g_tokens:
        return "none"
    spans = [sources[p] for t in h_tokens for p in range(*pair.h.spans[t])]
    low, high = min(s[0] for s in spans), max(s[1] for s in spans)

    def bare(text):  # hyphenation and typography undone (uͤ = ü), spaces collapsed, edge marks off
        return strip_marks(fold(" ".join(_JOIN.sub("", text).split()), CONVENTION_FOLD))
    target = bare(pair.g.text[pair.g.spans[g_tokens[0]][0]:pair.g.spans[g_tokens[-1]][1]])
    over = [(begin, end, replacement) for begin, end, replacement in candidates if begin < high and low < end]
    if any(target in (bare(ocr[min(low, begin):begin] + replacement + ocr[end:max(high, end)]), bare(replacement))
           for begin, end, replacement in over):
        return "proposed"
    return "other" if over else "none"


def analyse(record: dict, spell, candidates) -> dict:
    """Class counts of one record: before, after, fixed, broke, and for the word classes left
    whether the GT reading was proposed (when candidates is not None)."""
    ocr, gt, corrected = record["ocr"], record["gt"], record["corrected"]
    before = Pair(ocr, gt, record["lang"], spell)
    after = before if corrected == ocr else Pair(corrected, gt, record["lang"], spell)
    counts = {key: collections.Counter() for key in CLASS_KEYS}
    places = []  # per GT word (or the word before a gap): the classes of its edits
    for pair, when in ((before, "before"), (after, "after")):
        at = collections.defaultdict(list)
        for (_, _, j), cls in zip(pair.edits, pair.classes):
            counts[cls][when] += 1
            if cls != "missing":
                at[pair.g.ids[j] if j < len(gt) and pair.g.ids[j] >= 0 else pair.g.before[j]].append(cls)
        places.append(at)
    for place in set(places[0]) | set(places[1]):
        was, now = places[0].get(place, []), places[1].get(place, [])
        for cls in was[len(now):]:
            counts[cls]["fixed"] += 1
        for cls in now[len(was):]:
            counts[cls]["broke"] += 1
    # After a correction a long gap may be aligned a word earlier or later: per record.
    change = counts["missing"]["after"] - counts["missing"]["before"]
    counts["missing"]["fixed" if change < 0 else "broke"] += abs(change)
    if candidates is not None:
        sources = corrected_sources(ocr, record.get("edits", []), corrected)
        if sources is None:
            print(f"residuals: {record['id']}: the edits do not rebuild `corrected`; no proposal figures", file=sys.stderr)
        else:
            offsets = char_offsets(ocr)
            readings = [(offsets[b], offsets[e], r) for b, e, r in candidates if b in offsets and e in offsets]
            verdicts: dict = {}
            for k, cls in enumerate(after.classes):
                if cls in WORD_CLASSES:
                    group = after.edit_group(k)
                    if group not in verdicts:
                        verdicts[group] = proposal(after, group, ocr, sources, readings)
                    counts[cls][{"proposed": "proposed", "other": "other_readings", "none": "no_candidate"}[verdicts[group]]] += 1
    return {"records": 1, "gt_chars": len(gt), "edits_before": len(before.edits), "edits_after": len(after.edits),
            "classes": {key: dict(c) for key, c in counts.items()}}


# ---------------------------------------------------------------- a run

def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_records(dev_patterns: list[str], corrected_path: str, candidates_path: str | None) -> list[tuple]:
    """(record with `corrected` and `edits`, its candidates [(begin, end, replacement)] or
    None) for each record of the run in a language with a dictionary."""
    dev = {}
    for pattern in dev_patterns:
        paths = sorted(glob.glob(pattern))
        if not paths:
            sys.exit(f"residuals: no dev file matches {pattern}")
        for path in paths:
            dev.update((record["id"], record) for record in read_jsonl(path))
    run = read_jsonl(corrected_path)
    lines = read_jsonl(candidates_path) if candidates_path else None
    by_id = {line["id"]: line for line in lines if "id" in line} if lines else {}
    if lines is not None and not by_id and len(lines) != len(run):
        sys.exit(f"residuals: {len(lines)} candidate lines for {len(run)} records: not the same run")
    out, unmatched = [], 0
    for n, result in enumerate(run):
        record = dev.get(result.get("id"))
        if record is None or record["ocr"] != result["ocr"]:
            print(f"residuals: {result.get('id')}: not in the dev files as run; skipped", file=sys.stderr)
            continue
        if record["lang"] not in DICTIONARIES:
            continue
        candidates = None
        if lines is not None:
            line = by_id.get(record["id"]) if by_id else lines[n]
            if line is None or line.get("bytes") != len(record["ocr"].encode()):
                unmatched, line = unmatched + 1, {"c": []}
            candidates = [(c[0], c[1], c[3]) for c in line["c"]]
        out.append(({**record, "corrected": result["corrected"], "edits": result.get("edits", [])}, candidates))
    if unmatched:
        print(f"residuals: {unmatched} records without their candidate line (counted as never proposed)", file=sys.stderr)
    return out


_spell = None


def _analyse_one(item):
    global _spell  # one Hunspell per worker process
    _spell = _spell or Hunspell()
    return item[0]["source"], item[0]["lang"], analyse(item[0], _spell, item[1])


def collect(items: list[tuple], jobs: int) -> dict:
    """Figures per source[lang], then in total for all but icdar2019, and for icdar2019."""
    groups: dict[str, dict] = {}

    def add(key, part):
        total = groups.setdefault(key, {"records": 0, "gt_chars": 0, "edits_before": 0, "edits_after": 0,
                                        "classes": {k: {} for k in CLASS_KEYS}})
        for name in ("records", "gt_chars", "edits_before", "edits_after"):
            total[name] += part[name]
        for cls, figures in part["classes"].items():
            for name, value in figures.items():
                total["classes"][cls][name] = total["classes"][cls].get(name, 0) + value

    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            results = pool.map(_analyse_one, items, chunksize=8)
    else:
        results = list(map(_analyse_one, items))
    for source, lang, figures in sorted(results, key=lambda r: (r[0], r[1])):
        add(f"{source}[{lang}]", figures)
    for source, lang, figures in results:
        add(TOTALS[source == HELD_APART], figures)
    return groups


# ---------------------------------------------------------------- tables

def _label(key: str) -> list[str]:
    """`icdar2017[en]` -> ["icdar2017", "en"]; a total -> [name, "*"]."""
    match = re.fullmatch(r"(.*)\[(\w+)\]", key)
    return [match.group(1), match.group(2)] if match else [key, "*"]


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}" if whole else "–"


def _table(header: list[str], rows: list[list[str]], left: int = 2) -> list[str]:
    rule = "|" + "|".join("---" if n < left else "---:" for n in range(len(header))) + "|"
    return ["| " + " | ".join(header) + " |", rule] + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def markdown(groups: dict, with_proposals: bool) -> str:
    """Shares left by source; fixed and broken by source; proposed by source; each total by class."""
    def get(g, cls, name):
        return g["classes"][cls].get(name, 0)
    header = ["source", "lang"] + [LABELS[k] for k in CLASS_KEYS]
    out = ["Share of the raw edits left after correction, by class, in %:", ""]
    out += _table(header[:2] + ["recs", "GT chars", "CER", "→ CER"] + header[2:], [
        _label(key) + [str(g["records"]), str(g["gt_chars"]), f"{g['edits_before'] / g['gt_chars']:.4f}",
                       f"{g['edits_after'] / g['gt_chars']:.4f}"]
        + [_pct(get(g, k, "after"), g["edits_after"]) for k in CLASS_KEYS] for key, g in groups.items()])
    out += ["Raw edits fixed and broken by the correction, by class (−fixed +broken):", ""]
    out += _table(header, [_label(key) + [f"−{get(g, k, 'fixed')} +{get(g, k, 'broke')}" for k in CLASS_KEYS]
                           for key, g in groups.items()])
    if with_proposals:
        out += ["Edits left in word classes whose GT reading was among the candidates (proposed, not accepted), "
                "in % of the class's edits left (edits left):", ""]
        out += _table(["source", "lang", "word classes"] + [LABELS[k] for k in WORD_CLASSES], [
            _label(key) + [f"{_pct(sum(get(g, k, 'proposed') for k in WORD_CLASSES), sum(get(g, k, 'after') for k in WORD_CLASSES))}"
                           f" ({sum(get(g, k, 'after') for k in WORD_CLASSES)})"]
            + [f"{_pct(get(g, k, 'proposed'), get(g, k, 'after'))} ({get(g, k, 'after')})" for k in WORD_CLASSES]
            for key, g in groups.items()])
    for key in TOTALS:
        if key not in groups:
            continue
        g = groups[key]
        out += [f"By class, {key}: raw edits before and after correction, fixed, broken, share of those left"
                + (", and of those the share whose GT reading was proposed, and the share whose OCR span got no "
                   "candidate at all" if with_proposals else "") + ":", ""]
        rows = [[LABELS[k]] + [str(get(g, k, name)) for name in ("before", "fixed", "broke", "after")]
                + [_pct(get(g, k, "after"), g["edits_after"])]
                + ([_pct(get(g, k, name), get(g, k, "after")) if k in WORD_CLASSES else "" for name in
                    ("proposed", "no_candidate")] if with_proposals else [])
                for k in CLASS_KEYS]
        rows.append(["total"] + [str(sum(get(g, k, name) for k in CLASS_KEYS)) for name in ("before", "fixed", "broke", "after")]
                    + ["100.0"] + (["", ""] if with_proposals else []))
        out += _table(["class", "before", "fixed", "broken", "after", "% of left"]
                      + (["% proposed", "% no candidate"] if with_proposals else []), rows, left=1)
    return "\n".join(out)


def compare(path_a: str, path_b: str) -> str:
    """Per-class differences between two runs' --json figures (B − A)."""
    a, b = (json.loads(Path(p).read_text(encoding="utf-8"))["groups"] for p in (path_a, path_b))

    def get(groups, key, cls, name):
        return groups[key]["classes"][cls].get(name, 0)
    out = [f"A = {path_a}, B = {path_b}.", ""]
    for key in (k for k in TOTALS if k in a and k in b):
        rows = [[LABELS[k], str(get(a, key, k, "after")), str(get(b, key, k, "after"))]
                + [f"{get(b, key, k, name) - get(a, key, k, name):+d}" for name in ("after", "fixed", "broke")]
                + ([_pct(get(g, key, k, "proposed"), get(g, key, k, "after")) for g in (a, b)]
                   if k in WORD_CLASSES else ["", ""]) for k in CLASS_KEYS]
        rows.append(["total", str(a[key]["edits_after"]), str(b[key]["edits_after"]),
                     f"{b[key]['edits_after'] - a[key]['edits_after']:+d}", "", "", "", ""])
        differ = a[key]["records"] != b[key]["records"]
        out += [f"{key}: raw edits left, and B − A" + (" (not the same records!)" if differ else "") + ":", ""]
        out += _table(["class", "A left", "B left", "Δ left", "Δ fixed", "Δ broken", "A % proposed", "B % proposed"],
                      rows, left=1)
    out += ["Δ raw edits left (B − A), by source:", ""]
    out += _table(["source", "lang"] + [LABELS[k] for k in CLASS_KEYS], [
        _label(key) + [f"{get(b, key, k, 'after') - get(a, key, k, 'after'):+d}" for k in CLASS_KEYS]
        for key in a if key in b and key not in TOTALS])
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corrected", nargs="?", help="the output of `ocrfix eval --output` (records with `corrected`)")
    parser.add_argument("--candidates", help="the candidate log of the same run")
    parser.add_argument("--dev", nargs="+", default=[DEFAULT_DEV], help="dev files or globs (default: %(default)s)")
    parser.add_argument("--markdown", help="write the tables to this file instead of stdout")
    parser.add_argument("--json", help="write the figures as JSON to this file")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default: %(default)s)")
    parser.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), help="per-class differences of two runs")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(*args.compare))
        return 0
    if not args.corrected:
        parser.error("give the eval output (CORRECTED.jsonl), or --compare A.json B.json")
    groups = collect(load_records(args.dev, args.corrected, args.candidates), args.jobs)
    text = markdown(groups, args.candidates is not None)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    if args.json:
        summary = {"corrected": args.corrected, "candidates": args.candidates, "groups": groups}
        Path(args.json).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

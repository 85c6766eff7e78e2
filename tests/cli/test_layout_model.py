"""The merge rule on real Tesseract output, with the default model (issue 25, item 1).

The fast tier makes no merges; the balanced one, with the model, joins a word the OCR broke
next to a lone letter ("w as" -> "was"). This test breaks Tesseract's "was" into the words
"w" and "as" (boxes side by side, their union the original box) that the OCR doubted (the
confidence of a broken word: on a page the OCR was sure of, a word it was sure of is the page's
own text, DecisionModel::ocr_terms), corrects with the default tier, and checks that one word holds "was" with the union of the two boxes, the other is
gone, the original text is kept the format's way, and everything else is as it was.

Run by CTest as `cli.layout_model` (label model). Without the default model it ends with
exit code 77 (skipped), under CI=true with a failure.
"""
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from test_layout import (BINARY, canonical, original_mark, page_from_alto, tesseract_output, word_box,  # noqa: F401
                         word_elements, word_id, word_text)


@pytest.fixture(scope="module", autouse=True)
def default_model():
    probe = subprocess.run([BINARY, "models", "path"], capture_output=True, timeout=60)
    if probe.returncode == 3:
        message = "default model not installed; run `make models`"
        if os.environ.get("CI") == "true":
            pytest.exit("FAIL: " + message, returncode=1)
        pytest.exit("SKIPPED: " + message, returncode=77)
    assert probe.returncode == 0, probe.stderr


DOUBTED = 31  # the broken pieces' confidence, in percent


def break_was(fmt, data):
    """Tesseract's word "was" as two words, "w" and "as"; returns the new file and the ids."""
    text = data.decode("utf-8")
    if fmt in ("alto", "page"):
        pattern = re.compile(r'<String ID="([^"]+)" HPOS="(\d+)" VPOS="(\d+)" WIDTH="(\d+)" HEIGHT="(\d+)" '
                             r'WC="([\d.]+)" CONTENT="was"/>')
        m = pattern.search(text)
        assert m, "Tesseract's ALTO has no String 'was'"
        key, x, y, w, h = m.group(1), *map(int, m.group(2, 3, 4, 5))
        wc = DOUBTED / 100
        first = w // 3
        pieces = (f'<String ID="{key}" HPOS="{x}" VPOS="{y}" WIDTH="{first}" HEIGHT="{h}" WC="{wc}" CONTENT="w"/>'
                  f'<SP/><String ID="{key}_b" HPOS="{x + first + 2}" VPOS="{y}" WIDTH="{w - first - 2}" '
                  f'HEIGHT="{h}" WC="{wc}" CONTENT="as"/>')
        alto = text[:m.start()] + pieces + text[m.end():]
        if fmt == "alto":
            return alto.encode(), key, (x, y, x + w, y + h)
        return page_from_alto(alto.encode()), "w_" + key, (x, y, x + w, y + h)
    pattern = re.compile(r"<span class='ocrx_word' id='([^']+)' title='bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)'>was</span>")
    m = pattern.search(text)
    assert m, "Tesseract's hOCR has no word 'was'"
    key, x0, y0, x1, y1 = m.group(1), *map(int, m.group(2, 3, 4, 5))
    conf = DOUBTED
    middle = x0 + (x1 - x0) // 3
    pieces = (f"<span class='ocrx_word' id='{key}' title='bbox {x0} {y0} {middle} {y1}; x_wconf {conf}'>w</span> "
              f"<span class='ocrx_word' id='{key}_b' title='bbox {middle + 2} {y0} {x1} {y1}; x_wconf {conf}'>as</span>")
    return (text[:m.start()] + pieces + text[m.end():]).encode(), key, (x0, y0, x1, y1)


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_a_merge_gets_the_union_of_the_boxes(fmt, tesseract_output, tmp_path):  # noqa: F811
    source, key, union = break_was(fmt, tesseract_output["alto" if fmt == "page" else fmt].read_bytes())
    given = tmp_path / "in.xml"
    given.write_bytes(source)
    out = tmp_path / "out.xml"
    result = subprocess.run([BINARY, "correct", "-o", str(out), str(given)], capture_output=True, timeout=600)
    assert result.returncode == 0, result.stderr.decode()

    before, after = ET.fromstring(source), ET.fromstring(out.read_bytes())
    words_before = {word_id(fmt, e): e for e in word_elements(fmt, before)}
    words_after = {word_id(fmt, e): e for e in word_elements(fmt, after)}
    assert key + "_b" in words_before and key + "_b" not in words_after, "the two words were not joined"
    merged = words_after[key]
    assert word_text(fmt, merged) == "was"
    assert word_box(fmt, merged) == tuple(float(v) for v in union)
    assert "w as" in original_mark(fmt, merged)

    # Every other word is as Tesseract wrote it (the model may correct nothing else here).
    for other, e in words_before.items():
        if other not in (key, key + "_b"):
            assert canonical(words_after[other]) == canonical(e), f"{other} changed"

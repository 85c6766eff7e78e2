"""bench/e2e_pages.py and the pure parts of bench/e2e_ocr.py: the lines drawn are the
reference text, a letter and its combining mark are drawn by one face, degradation is
seeded, and ocrfix's input is rebuilt exactly from its output and edits. Uses the Debian
faces scripts/install-deps.sh installs and ImageMagick; no model, no ../shared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from PIL import Image

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))  # e2e_ocr imports its neighbours by name


def load(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = load("e2e_pages")
e2e = load("e2e_ocr")

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def test_page_lines_keep_line_breaks_and_wrap_only_at_spaces():
    text = "one two three four five six\n\n  seven   eight\nnine¬\nten"
    lines = pages.page_lines(text, lambda line: len(line) <= 10)
    assert lines == ["one two", "three four", "five six", "seven", "eight", "nine-", "ten"]


def test_a_word_wider_than_the_column_gets_a_line_of_its_own():
    assert pages.page_lines("a verylongword b", lambda line: len(line) <= 5) == ["a", "verylongword", "b"]


def test_cut_text_stops_at_a_space_or_line_end():
    assert pages.cut_text("alpha beta gamma", 12) == "alpha beta"
    assert pages.cut_text("alpha\nbeta gamma", 9) == "alpha"
    assert pages.cut_text("short", 12) == "short"


def test_a_letter_and_its_combining_mark_go_to_a_face_that_has_both():
    faces = pages.FaceChain([DEJAVU, LIBERATION], 40)
    assert 0x364 not in faces.coverage[0] and 0x364 in faces.coverage[1]  # combining small e
    line = "Glu\u0364ck und Bru\u0364cke"
    runs = faces.runs(line)
    assert "".join(text for _, text in runs) == line
    assert (1, "u\u0364") in runs
    assert faces.missing(line) == []
    assert faces.missing("a\U0001F600") == ["\U0001F600"]


def test_degradation_is_seeded_and_bounded():
    level = pages.LEVELS["heavy"]
    first = level.convert_arguments("in.png", "out.png", 7)
    assert first == level.convert_arguments("in.png", "out.png", 7)
    assert first != level.convert_arguments("in.png", "out.png", 8)
    angle = float(first[first.index("-rotate") + 1])
    assert abs(angle) <= level.skew_degrees
    assert pages.stable_seed("25", "id") == pages.stable_seed("25", "id") != pages.stable_seed("25", "id2")


def test_a_rendered_page_degrades_to_the_level_resolution(tmp_path):
    faces = pages.FaceChain([DEJAVU], 50)
    clean = tmp_path / "page.png"
    width, height = pages.render_page(["Ths is a smple txt."], faces, clean)
    degraded = tmp_path / "page.heavy.png"
    level = pages.LEVELS["heavy"]
    level.degrade(str(clean), str(degraded), 25)
    with Image.open(degraded) as image:
        assert image.mode == "L"
        assert abs(image.width - width * level.scale) < width * 0.05  # rotation adds a little
        assert round(image.info["dpi"][0]) == level.dpi_out


def test_tesseract_blank_lines_and_form_feed_are_left_out():
    assert pages.normalise_ocr_text("First line  \n\nSecond\n\n\f") == "First line\nSecond"


def test_ocrfix_input_is_rebuilt_from_its_output_and_edits():
    original = "Thé smple txt, naïve\nSecnd"
    edits = [  # byte offsets into the original, as `ocrfix correct -f json` gives them
        {"begin": 5, "end": 10, "original": "smple", "replacement": "simple"},
        {"begin": 11, "end": 14, "original": "txt", "replacement": "text"},
        {"begin": 23, "end": 28, "original": "Secnd", "replacement": "Second"},
    ]
    assert e2e.original_text("Thé simple text, naïve\nSecond", edits) == original
    assert e2e.original_text(original, []) == original

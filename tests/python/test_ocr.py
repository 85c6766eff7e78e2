"""Engine.ocr (issue 25, item 3): a page rendered here with text2image, one word misspelled
("reccived"), recognised through Tesseract's C++ API and corrected; from a path and from bytes,
as text and with its ALTO document; bad images raise ocrfix errors. The fast tier needs no model;
the last test runs the default model and skips loudly without it.
"""
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import ocrfix
from conftest import DEFAULT_REPO, require_models

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_images import blank_pdf, png_claiming, render_png, require_tools  # noqa: E402

TEXT = "The committee reccived the letter.\nIt was sent by the post today.\n"
WRONG, RIGHT = "reccived", "received"
ALTO_V3 = "{http://www.loc.gov/standards/alto/ns-v3#}"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with ocrfix.Engine(ocrfix.ModelConfig(tier="fast")) as engine, pytest.raises(ocrfix.Error) as probe:
        engine.ocr(b"")
    if "OCRFIX_OCR=OFF" in str(probe.value):
        pytest.skip("SKIPPED: this build has no page recognition (OCRFIX_OCR=OFF)")
    require_tools()
    return render_png(tmp_path_factory.mktemp("ocr"), "one", TEXT)


@pytest.fixture(scope="module")
def fast_engine(page):
    with ocrfix.Engine(ocrfix.ModelConfig(tier="fast", language="en")) as engine:
        yield engine


def test_a_page_image_is_recognised_and_corrected_with_its_word_boxes(fast_engine, page):
    result = fast_engine.ocr(page)
    assert isinstance(result, ocrfix.OcrResult) and len(result.pages) == 1
    first = result.pages[0]
    assert str(result) == result.text == first.text == TEXT.replace(WRONG, RIGHT).strip()
    assert first.original.split() == TEXT.split()
    assert [(first.original[e.begin:e.end], e.replacement) for e in first.edits] == [(WRONG, RIGHT)]
    assert [w.text for w in first.words] == TEXT.replace(WRONG, RIGHT).split()
    for word in first.words:
        left, top, right, bottom = word.box
        assert 0 <= left < right <= 1400 and 0 <= top < bottom <= 400 and 0 < word.confidence <= 1
    assert first.document == b"" and first.number == 1


def test_bytes_and_alto_give_the_document_with_the_corrected_word_in_place(fast_engine, page):
    result = fast_engine.ocr(page.read_bytes(), format="alto", tier="fast", language="en")
    assert result.text == fast_engine.ocr(str(page)).text
    strings = ElementTree.fromstring(result.pages[0].document).iter(f"{ALTO_V3}String")
    corrected = [s for s in strings if s.find(f"{ALTO_V3}ALTERNATIVE") is not None]
    assert [(s.get("CONTENT"), s.find(f"{ALTO_V3}ALTERNATIVE").text) for s in corrected] == [(RIGHT, WRONG)]


def test_a_pdf_gives_the_same_words_as_its_image(fast_engine, page, tmp_path):
    subprocess.run(["tesseract", page, tmp_path / "one", "-l", "eng", "pdf"], check=True, capture_output=True,
                   timeout=300)
    pdf = fast_engine.ocr(tmp_path / "one.pdf")
    assert pdf.text.split() == TEXT.replace(WRONG, RIGHT).split()
    assert pdf.pages[0].warning == ""


def test_a_pdf_page_rendered_below_the_resolution_asked_says_so(fast_engine):
    # 200 x 200 inches would be 3.6 billion pixels at 300 DPI: rendered at 50 DPI instead.
    [page] = fast_engine.ocr(blank_pdf(14400, 14400)).pages
    assert "rendered at 50 dpi instead of 300" in page.warning and page.text == ""


@pytest.mark.parametrize("image, error, message", [
    (b"not an image", ocrfix.InvalidInputError, "not an image"),
    (b"%PDF-1.4\n%%EOF\n", ocrfix.InvalidInputError, "PDF"),
    (png_claiming(40000, 40000), ocrfix.InvalidInputError, "40000 x 40000 pixels"),
    ("/no/such/scan.png", ocrfix.FileError, "no such file"),
])
def test_bad_images_raise_ocrfix_errors_that_say_what_is_wrong(fast_engine, image, error, message):
    with pytest.raises(error, match=message):
        fast_engine.ocr(image)


def test_bad_arguments_raise_argument_errors(fast_engine, page):
    with pytest.raises(ocrfix.InvalidArgumentError, match="objects"):
        fast_engine.ocr(page, format="json")
    with pytest.raises(ocrfix.InvalidArgumentError, match="not known"):
        fast_engine.ocr(page, format="pdf")
    with pytest.raises(ocrfix.InvalidArgumentError, match="pdf_dpi"):
        fast_engine.ocr(page, pdf_dpi=5000)
    with pytest.raises(ocrfix.InvalidArgumentError, match="Tesseract languages"):
        fast_engine.ocr(page, ocr_language="../eng")
    with pytest.raises(ocrfix.InvalidInputError, match="tesseract-ocr-xyz"):
        fast_engine.ocr(page, ocr_language="xyz")
    with pytest.raises(TypeError):  # as open() says of an int
        fast_engine.ocr(42)


@pytest.mark.model
def test_the_default_model_corrects_the_page(page):
    require_models(DEFAULT_REPO)
    with ocrfix.Engine(ocrfix.ModelConfig(gpu_layers=0, language="en")) as engine:
        result = engine.ocr(page)
    assert result.text.split() == TEXT.replace(WRONG, RIGHT).split()
    assert [e.replacement for e in result.pages[0].edits] == [RIGHT]

"""POST /v1/ocr (issue 25, item 3) over real HTTP: a page rendered here with text2image, one word
misspelled ("reccived"), sent as PNG, TIFF or PDF; answered as JSON (text, edits, words with
boxes), hOCR or ALTO. The body is hostile input: the wrong type, bytes that do not decode, a PDF
without pages, a PNG whose header claims 1.6 billion pixels and a PDF page of 200 x 200 inches
each get a clear error or a bounded answer. The fast tier keeps the model out of the timings.
"""
from __future__ import annotations

import ctypes
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from test_endpoints import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_images import (IFF_TIFF_ZIP, blank_pdf, leptonica, png_claiming, render_png,  # noqa: E402
                         require_tools)

TEXT = "The committee reccived the letter.\nIt was sent by the post today.\n"
WRONG, RIGHT = "reccived", "received"
FAST = {"tier": "fast", "language": "en"}
ALTO_V3 = "{http://www.loc.gov/standards/alto/ns-v3#}"


@pytest.fixture(scope="module")
def openapi(server):
    return server.get("/openapi.json").json()


@pytest.fixture(scope="module")
def recognising(server):
    """Skips, saying so, where the server was built without page recognition (OCRFIX_OCR=OFF)."""
    if ocr(server, b"", "image/png").status_code == 501:
        pytest.skip("SKIPPED: this server has no page recognition (OCRFIX_OCR=OFF)")


@pytest.fixture(scope="module")
def page(server, recognising, tmp_path_factory) -> dict[str, bytes]:
    require_tools()
    folder = tmp_path_factory.mktemp("ocr")
    png = render_png(folder, "one", TEXT)
    subprocess.run(["tesseract", png, folder / "one", "-l", "eng", "pdf"], check=True, capture_output=True,
                   timeout=300)
    lept = leptonica()
    pix = ctypes.c_void_p(lept.pixRead(str(png).encode()))
    for mode in (b"w", b"a"):  # the same page twice: a two-page TIFF
        assert lept.pixWriteTiff(str(folder / "two.tif").encode(), pix, IFF_TIFF_ZIP, mode) == 0
    lept.pixDestroy(ctypes.byref(pix))
    return {"png": png.read_bytes(), "pdf": (folder / "one.pdf").read_bytes(), "tiff": (folder / "two.tif").read_bytes()}


def ocr(server, data: bytes, content_type: str, accept: str | None = None, **query):
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return server.post("/v1/ocr", data=data, headers=headers, params={**FAST, **query})


def test_a_png_is_answered_with_corrected_text_edits_and_word_boxes(server, openapi, page):
    response = ocr(server, page["png"], "image/png")
    assert response.status_code == 200, response.text
    body = response.json()
    validate(openapi, "OcrResponse", body)
    assert body["text"].split() == TEXT.replace(WRONG, RIGHT).split()
    assert body["tier"] == "fast" and body["ocr_language"] == "eng"
    [first] = body["pages"]
    assert [(e["original"], e["replacement"]) for e in first["edits"]] == [(WRONG, RIGHT)]
    assert [w["text"] for w in first["words"]] == TEXT.replace(WRONG, RIGHT).split()
    assert [w["edits"] for w in first["words"]][:4] == [[], [], [0], []]  # the word the edit wrote onto
    assert all(0 <= w["box"][0] < w["box"][2] <= 1400 and 0 < w["confidence"] <= 1 for w in first["words"])


def test_a_pdf_reads_as_its_image_and_a_two_page_tiff_gives_two_pages(server, page):
    from_pdf = ocr(server, page["pdf"], "application/pdf")
    assert from_pdf.status_code == 200, from_pdf.text
    assert from_pdf.json()["text"].split() == TEXT.replace(WRONG, RIGHT).split()
    from_tiff = ocr(server, page["tiff"], "image/tiff")
    assert from_tiff.status_code == 200, from_tiff.text
    assert [p["page"] for p in from_tiff.json()["pages"]] == [1, 2]
    assert from_tiff.json()["text"].split("\f")[1].split() == TEXT.replace(WRONG, RIGHT).split()


def test_accept_asks_for_alto_or_hocr_with_the_corrected_word_in_place(server, page):
    alto = ocr(server, page["png"], "image/png", accept="application/alto+xml")
    assert alto.status_code == 200 and alto.headers["X-Ocrfix-Format"] == "alto"
    strings = list(ElementTree.fromstring(alto.content).iter(f"{ALTO_V3}String"))
    assert [s.get("CONTENT") for s in strings] == TEXT.replace(WRONG, RIGHT).split()
    assert [a.text for s in strings for a in s.iter(f"{ALTO_V3}ALTERNATIVE")] == [WRONG]
    hocr = ocr(server, page["png"], "image/png", accept="application/xhtml+xml")
    assert hocr.status_code == 200 and hocr.headers["Content-Type"].startswith("application/xhtml+xml")
    marked = [e for e in ElementTree.fromstring(hocr.content).iter() if e.get("data-ocrfix-original")]
    assert [(e.get("data-ocrfix-original"), "".join(e.itertext()).strip()) for e in marked] == [(WRONG, RIGHT)]
    text = ocr(server, page["png"], "image/png", format="text")
    assert text.headers["Content-Type"].startswith("text/plain") and text.text.split()[2] == RIGHT
    several = ocr(server, page["tiff"], "image/tiff", accept="application/alto+xml")
    assert several.status_code == 406 and "2 pages" in several.json()["error"]["message"]


@pytest.mark.parametrize("content_type", ["image/gif", "text/plain", "application/octet-stream", ""])
def test_other_media_types_are_415(server, page, content_type):
    response = ocr(server, page["png"], content_type)
    assert response.status_code == 415
    assert "image/png" in response.json()["error"]["message"]


@pytest.mark.parametrize("case, content_type, expect", [
    ("garbage", "image/png", "not an image"),
    ("png sent as jpeg", "image/jpeg", "not a JPEG image"),
    ("truncated png", "image/png", "could not decode"),
    ("pdf without pages", "application/pdf", "without pages"),
    ("not a pdf", "application/pdf", "not a PDF"),
    ("pixel bomb", "image/png", "40000 x 40000 pixels"),
])
def test_unreadable_pages_are_422_and_say_why(server, openapi, page, case, content_type, expect):
    data = {"garbage": b"\x89PNG but not really", "png sent as jpeg": page["png"],
            "truncated png": page["png"][:len(page["png"]) // 2], "pdf without pages": blank_pdf(612, 792, pages=0),
            "not a pdf": b"%PDF-1.4\nnothing else", "pixel bomb": png_claiming(40000, 40000)}[case]
    started = time.monotonic()
    response = ocr(server, data, content_type)
    assert response.status_code == 422, response.text
    validate(openapi, "Error", response.json())
    assert response.json()["error"]["code"] == "unreadable_page"
    assert expect in response.json()["error"]["message"]
    assert time.monotonic() - started < 30, "refused from the header, never decoded"


def test_a_huge_pdf_page_is_rendered_within_the_pixel_limit(server, recognising):
    # 200 x 200 inches: 3.6 billion pixels at 300 DPI; rendered at 50 DPI instead, blank.
    response = ocr(server, blank_pdf(14400, 14400), "application/pdf")
    assert response.status_code == 200, response.text
    [page] = response.json()["pages"]
    warning = page.pop("warning")
    assert page == {"page": 1, "text": "", "edits": [], "words": [], "edits_not_applied": 0}
    assert "rendered at 50 dpi instead of 300" in warning, warning


def test_bad_query_parameters_are_400_and_not_echoed(server, page):
    for query in ({"tier": "turbo"}, {"format": "pdf"}, {"colour": "red"}, {"ocr_language": "../../etc/passwd"},
                  {"language": "../../etc/passwd"}):
        response = ocr(server, page["png"], "image/png", **query)
        assert response.status_code == 400, (query, response.text)
        assert "/etc/passwd" not in response.text


def test_missing_tesseract_data_is_named(server, page):
    response = ocr(server, page["png"], "image/png", ocr_language="xyz")
    assert response.status_code == 422 and "tesseract-ocr-xyz" in response.json()["error"]["message"]


def test_a_body_over_the_limit_is_413(server, page):
    response = ocr(server, page["png"] + b"\0" * 70000, "image/png")
    assert response.status_code == 413

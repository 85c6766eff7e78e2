"""`ocrfix ocr` (issue 25, item 3): page images rendered here with Tesseract's text2image and
DejaVu Sans, one of them with a misspelling the fast tier corrects ("reccived"), recognised by
ocrfix through Tesseract's C++ API and corrected; as text, hOCR and ALTO (Tesseract's own, the
corrected word marked the format's way, Tesseract's confidences kept), from a PNG, a PDF that
Tesseract writes here, and two-page PDFs and TIFFs. Bad inputs exit with 4 and write nothing.

Run by CTest as `cli.ocr` (label unit: fast tier, no model) with OCRFIX_BINARY set. Needs
Debian's tesseract-ocr, tesseract-ocr-eng and fonts-dejavu-core, and Leptonica's library
(libleptonica-dev), which converts the rendered TIFFs to PNG here: scripts/install-deps.sh.
"""
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_images import IFF_PNG, IFF_TIFF_ZIP, blank_pdf, leptonica, png_claiming, render_tiff, require_tools  # noqa: E402

BINARY = os.environ.get("OCRFIX_BINARY", "build/tools/cli/ocrfix")
PAGES = {
    "one": "The committee reccived the letter.\nIt was sent by the post today.\n",
    "two": "A second page with more words.\nThe meeting was postponed.\n",
}
WRONG, RIGHT = "reccived", "received"
CORRECTED = {name: text.replace(WRONG, RIGHT) for name, text in PAGES.items()}  # what ocrfix must print


def ocrfix(*args):
    return subprocess.run([BINARY, *map(str, args)], capture_output=True, timeout=300)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def words(text):
    return re.findall(r"\w+", text)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    require_tools()
    folder = tmp_path_factory.mktemp("ocr")
    lept = leptonica()
    files = {}
    for name, text in PAGES.items():
        pix = ctypes.c_void_p(lept.pixRead(str(render_tiff(folder, name, text)).encode()))
        assert pix.value, "Leptonica could not read the rendered page"
        assert lept.pixWrite(str(folder / f"{name}.png").encode(), pix, IFF_PNG) == 0
        assert lept.pixWriteTiff(str(folder / "both.tif").encode(), pix, IFF_TIFF_ZIP,
                                 b"w" if name == "one" else b"a") == 0
        lept.pixDestroy(ctypes.byref(pix))
        files[name] = folder / f"{name}.png"
    files["both.tif"] = folder / "both.tif"
    blank = ctypes.c_void_p(lept.pixCreate(800, 600, 1))  # 1 bit per pixel, all 0: white
    assert lept.pixWrite(str(folder / "blank.png").encode(), blank, IFF_PNG) == 0
    lept.pixDestroy(ctypes.byref(blank))
    files["blank"] = folder / "blank.png"
    # PDFs as Tesseract writes them (the page image with a text layer); a list of images makes one
    # PDF of several pages.
    subprocess.run(["tesseract", files["one"], folder / "one", "-l", "eng", "pdf"], check=True, capture_output=True,
                   timeout=300)
    (folder / "list.txt").write_text(f"{files['one']}\n{files['two']}\n")
    subprocess.run(["tesseract", folder / "list.txt", folder / "both", "-l", "eng", "pdf"], check=True,
                   capture_output=True, timeout=300)
    files["one.pdf"], files["both.pdf"] = folder / "one.pdf", folder / "both.pdf"
    read = subprocess.run(["tesseract", files["one"], "-", "-l", "eng"], capture_output=True, text=True).stdout
    assert WRONG in words(read), f"Tesseract did not read the misspelling as written: {read!r}"
    files["folder"] = folder
    return files


def test_image_text_is_recognised_and_corrected(pages):
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", pages["one"])
    assert run.returncode == 0, run.stderr.decode()
    text = run.stdout.decode()
    assert words(text) == words(CORRECTED["one"]), text


def test_hocr_carries_the_corrected_word_and_tesseracts_confidences(pages, tmp_path):
    out = tmp_path / "one.hocr"
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "-f", "hocr", "-o", out, pages["one"])
    assert run.returncode == 0, run.stderr.decode()
    root = ET.parse(out).getroot()
    words_ = [e for e in root.iter() if "ocrx_word" in (e.get("class") or "")]
    assert words_ and all("x_wconf" in e.get("title") for e in words_)
    corrected = [e for e in words_ if e.get("data-ocrfix-original")]
    assert [(e.get("data-ocrfix-original"), "".join(e.itertext()).strip()) for e in corrected] == [(WRONG, RIGHT)]
    assert re.search(r"x_wconf \d+", corrected[0].get("title"))
    # The rest is what the tesseract command writes: the same words, boxes and confidences.
    subprocess.run(["tesseract", pages["one"], tmp_path / "tesseract", "-l", "eng", "hocr"], check=True,
                   capture_output=True, timeout=300)
    theirs = [e for e in ET.parse(tmp_path / "tesseract.hocr").getroot().iter()
              if "ocrx_word" in (e.get("class") or "")]
    assert [e.get("title") for e in words_] == [e.get("title") for e in theirs]
    assert ["".join(e.itertext()) for e in theirs] == [
        e.get("data-ocrfix-original") or "".join(e.itertext()) for e in words_]


def test_alto_carries_the_corrected_word_and_tesseracts_confidences(pages, tmp_path):
    out = tmp_path / "one.xml"
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "-f", "alto", "-o", out, pages["one"])
    assert run.returncode == 0, run.stderr.decode()
    strings = [e for e in ET.parse(out).getroot().iter() if local(e.tag) == "String"]
    assert strings and all(e.get("WC") for e in strings)
    corrected = [e for e in strings if any(local(c.tag) == "ALTERNATIVE" for c in e)]
    assert [e.get("CONTENT") for e in corrected] == [RIGHT]
    assert [c.text for c in corrected[0] if local(c.tag) == "ALTERNATIVE"] == [WRONG]


def test_pdf_gives_the_same_text_as_its_image(pages):
    from_image = ocrfix("ocr", "--tier", "fast", "-l", "en", pages["one"])
    from_pdf = ocrfix("ocr", "--tier", "fast", "-l", "en", pages["one.pdf"])
    assert from_pdf.returncode == 0, from_pdf.stderr.decode()
    assert words(from_pdf.stdout.decode()) == words(from_image.stdout.decode()) == words(CORRECTED["one"])


@pytest.mark.parametrize("source", ["both.pdf", "both.tif"])
def test_two_pages_are_separated_by_a_form_feed(pages, source):
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", pages[source])
    assert run.returncode == 0, run.stderr.decode()
    texts = run.stdout.decode().split("\f")
    assert [words(t) for t in texts] == [words(CORRECTED["one"]), words(CORRECTED["two"])]


def test_json_gives_each_page_with_its_edits(pages):
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "-f", "json", pages["both.pdf"])
    assert run.returncode == 0, run.stderr.decode()
    documents = json.loads(run.stdout)
    assert [d["page"] for d in documents] == [1, 2]
    assert [(e["original"], e["replacement"]) for e in documents[0]["edits"]] == [(WRONG, RIGHT)]
    assert documents[1]["edits"] == []


def test_layout_of_several_pages_goes_one_file_per_page(pages, tmp_path):
    refused = ocrfix("ocr", "--tier", "fast", "-f", "hocr", "-o", tmp_path / "x.hocr", pages["both.tif"])
    assert refused.returncode == 2 and b"--output-dir" in refused.stderr
    assert not (tmp_path / "x.hocr").exists()
    out = tmp_path / "out"
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "-f", "alto", "--output-dir", out, pages["both.tif"])
    assert run.returncode == 0, run.stderr.decode()
    assert sorted(os.listdir(out)) == ["both-p1.alto.xml", "both-p2.alto.xml"]
    contents = [[e.get("CONTENT") for e in ET.parse(out / f).getroot().iter() if local(e.tag) == "String"]
                for f in sorted(os.listdir(out))]
    assert contents == [CORRECTED["one"].split(), CORRECTED["two"].split()]


def test_a_pdf_page_too_large_to_render_as_asked_is_read_with_a_warning(pages, tmp_path):
    # 200 x 200 inches: 3.6 billion pixels at 300 DPI. Rendered at 50 DPI instead, its text
    # could be lost without a word: the user is told why, and what to do.
    huge = tmp_path / "poster.pdf"
    huge.write_bytes(blank_pdf(14400, 14400))
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", huge)
    assert run.returncode == 0, run.stderr.decode()
    warning = run.stderr.decode()
    assert "warning: page 1 of" in warning and "200 × 200 inches" in warning, warning
    assert "at 50 dpi instead of 300" in warning and "Crop or scale" in warning, warning
    normal = ocrfix("ocr", "--tier", "fast", "-l", "en", pages["one.pdf"])
    assert normal.returncode == 0 and "warning" not in normal.stderr.decode(), normal.stderr.decode()


@pytest.mark.parametrize("fmt", ["text", "hocr"])
def test_a_blank_page_gives_no_words_and_no_error(pages, fmt):
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "-f", fmt, pages["blank"])
    assert run.returncode == 0, run.stderr.decode()
    if fmt == "text":
        assert run.stdout.strip() == b""
    else:
        root = ET.fromstring(run.stdout)
        assert [e for e in root.iter() if (e.get("class") or "") == "ocr_page"]
        assert not [e for e in root.iter() if (e.get("class") or "") == "ocrx_word"]


def test_output_dir_writes_one_text_per_input_and_refuses_two_inputs_of_one_name(pages, tmp_path):
    out = tmp_path / "out"
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "--output-dir", out, pages["one"], pages["both.pdf"])
    assert run.returncode == 0, run.stderr.decode()
    assert sorted(os.listdir(out)) == ["both.txt", "one.txt"]
    assert words((out / "one.txt").read_text()) == words(CORRECTED["one"])
    assert [words(t) for t in (out / "both.txt").read_text().split("\f")] == [words(CORRECTED["one"]),
                                                                              words(CORRECTED["two"])]
    clash = ocrfix("ocr", "--tier", "fast", "--output-dir", tmp_path / "clash", pages["one"], pages["one.pdf"])
    assert clash.returncode == 2 and b"rename one" in clash.stderr
    assert not (tmp_path / "clash").exists()


def test_output_dir_replaces_a_planted_link_and_refuses_a_page_named_like_another_input(pages, tmp_path):
    # A link planted where a result goes is replaced, not written through.
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / "one.txt").symlink_to(victim)
    run = ocrfix("ocr", "--tier", "fast", "-l", "en", "--output-dir", out, pages["one"])
    assert run.returncode == 0, run.stderr.decode()
    assert victim.read_text() == "precious\n"
    assert not (out / "one.txt").is_symlink() and words((out / "one.txt").read_text()) == words(CORRECTED["one"])
    # both.pdf's first page and an image named both-p1 would both write both-p1.hocr.
    clash = tmp_path / "both-p1.png"
    shutil.copy(pages["one"], clash)
    refused = ocrfix("ocr", "--tier", "fast", "-f", "hocr", "--output-dir", tmp_path / "clash", pages["both.pdf"], clash)
    assert refused.returncode == 2 and b"both-p1.hocr" in refused.stderr, refused.stderr
    assert not (tmp_path / "clash").exists()


def test_page_xml_needs_a_tesseract_that_writes_it(pages, tmp_path):
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
    major, minor = map(int, re.search(r"tesseract (\d+)\.(\d+)", version).groups())
    if (major, minor) >= (5, 4):
        pytest.skip("this Tesseract writes PAGE XML")
    run = ocrfix("ocr", "--tier", "fast", "-f", "page", "-o", tmp_path / "x.xml", pages["one"])
    assert run.returncode == 2 and b"PAGE XML" in run.stderr
    assert not (tmp_path / "x.xml").exists()


@pytest.mark.parametrize("case", ["text named png", "empty pdf", "missing language", "too many pixels"])
def test_bad_input_exits_4_and_writes_nothing(pages, tmp_path, case):
    args = ["--tier", "fast"]
    if case == "text named png":
        bad = tmp_path / "scan.png"
        bad.write_text("not an image\n")
        expect = "scan.png"
    elif case == "empty pdf":
        bad = tmp_path / "scan.pdf"
        bad.write_bytes(b"")
        expect = "scan.pdf"
    elif case == "too many pixels":
        bad = tmp_path / "bomb.png"
        bad.write_bytes(png_claiming(40000, 40000))
        expect = "40000 x 40000 pixels"
    else:
        bad = pages["one"]
        args += ["--ocr-lang", "xyz"]
        expect = "tesseract-ocr-xyz"
    out = tmp_path / "out.txt"
    run = ocrfix("ocr", *args, "-o", out, bad)
    assert run.returncode == 4, run.stderr.decode()
    assert expect in run.stderr.decode()
    assert not out.exists()
    assert not [f for f in os.listdir(tmp_path) if f.startswith("out")]

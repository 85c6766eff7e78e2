"""The OCRmyPDF plugin ocrfix.ocrmypdf (issue 25, item 6): a scanned PDF made here (a page
rendered with text2image, one misspelled word, wrapped by img2pdf) goes through
`ocrmypdf --plugin ocrfix.ocrmypdf in.pdf out.pdf`, run as OCRmyPDF's own command; poppler's
pdftotext then reads the corrected words from the text layer, at the boxes where plain OCRmyPDF
puts what Tesseract read. A clean page keeps its words, and bad options stop the run with a
message. The fast tier needs no model; the last test runs the default model and skips loudly
without it. OCRmyPDF comes from requirements-dev.txt (`make pydeps`), pdftotext from
scripts/install-deps.sh (poppler-utils).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEFAULT_REPO, require_models, require_module, worker_pythonpath

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_images import render_png, require_tools  # noqa: E402

MISSPELLED = "The committee reccived the letter.\nIt was sent by the post today.\n"
WRONG, RIGHT = "reccived", "received"
CLEAN = "The council met on Monday.\nThe report was read aloud.\n"
# Words Tesseract reads as printed, that the default model's tier (balanced) corrects.
MODEL_TEXT, MODEL_FIXED = "Ths is a smple txt.\n", "This is a simple text."
PDF_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
BOX_TOLERANCE = 0.5  # points: the same box, written and read back through two programs


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    """A folder with NAME.pdf for each page text: an image-only PDF, like a scanner's."""
    require_module("ocrmypdf")
    img2pdf = require_module("img2pdf")  # installed with OCRmyPDF
    require_tools()
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run scripts/install-deps.sh (Debian's poppler-utils)")
    folder = tmp_path_factory.mktemp("scans")
    for name, text in (("misspelled", MISSPELLED), ("clean", CLEAN), ("model", MODEL_TEXT)):
        (folder / f"{name}.pdf").write_bytes(img2pdf.convert(str(render_png(folder, name, text))))
    return folder


def ocrmypdf(*arguments: object, plugin: bool = True) -> subprocess.CompletedProcess:
    """OCRmyPDF's command, from this Python, with the ocrfix package this process imported."""
    command = [sys.executable, "-m", "ocrmypdf", *(["--plugin", "ocrfix.ocrmypdf"] if plugin else []), *arguments]
    environment = dict(os.environ, PYTHONPATH=worker_pythonpath())
    return subprocess.run([str(part) for part in command], env=environment, capture_output=True, text=True,
                          timeout=600)


def text_layer(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    """Each word of the PDF's text layer, with its box in points, as pdftotext reads them."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True,
                          timeout=120).stdout
    return [(word, tuple(map(float, box))) for *box, word in PDF_WORD.findall(html)]


def test_the_corrected_words_land_in_the_text_layer_in_their_boxes(scans, tmp_path):
    plain, fixed, sidecar = tmp_path / "plain.pdf", tmp_path / "fixed.pdf", tmp_path / "fixed.txt"
    assert ocrmypdf(scans / "misspelled.pdf", plain, plugin=False).returncode == 0
    run = ocrmypdf("--ocrfix-tier", "fast", "--sidecar", sidecar, scans / "misspelled.pdf", fixed)
    assert run.returncode == 0, run.stderr
    as_read, corrected = text_layer(plain), text_layer(fixed)
    assert [word for word, _ in as_read] == MISSPELLED.split(), "Tesseract no longer reads the page as printed"
    assert [word for word, _ in corrected] == MISSPELLED.replace(WRONG, RIGHT).split()
    for (_, box_as_read), (_, box_corrected) in zip(as_read, corrected):
        assert box_corrected == pytest.approx(box_as_read, abs=BOX_TOLERANCE)
    assert sidecar.read_text().split() == MISSPELLED.replace(WRONG, RIGHT).split()
    assert "ocrfix corrected 1 of 12 words" in run.stderr
    assert "ocrfix" in subprocess.run(["pdfinfo", fixed], capture_output=True, text=True).stdout


def test_a_clean_page_keeps_its_words(scans, tmp_path):
    run = ocrmypdf("--ocrfix-tier", "fast", scans / "clean.pdf", tmp_path / "clean.pdf")
    assert run.returncode == 0, run.stderr
    assert [word for word, _ in text_layer(tmp_path / "clean.pdf")] == CLEAN.split()
    assert "ocrfix corrected 0 of 10 words" in run.stderr


@pytest.mark.parametrize("arguments, exit_code, message", [
    (["--ocrfix-tier", "turbo"], 1, "tier"),
    (["--ocrfix-lang", "xx"], 1, "language"),
    (["--ocrfix-threads", "many"], 2, "invalid int value"),  # argparse's own check
    (["--pdf-renderer", "sandwich"], 1, "leave --pdf-renderer out"),
    (["--ocrfix-tier", "balanced", "--ocrfix-model", "/no/such/model.gguf"], 3, "/no/such/model.gguf"),
])
def test_bad_options_stop_the_run_before_any_page_with_a_message(scans, tmp_path, arguments, exit_code, message):
    run = ocrmypdf(*arguments, scans / "clean.pdf", tmp_path / "out.pdf")
    assert run.returncode == exit_code, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out.pdf").exists()


def test_through_ocrmypdfs_api_two_worker_processes_correct_their_pages(scans, tmp_path):
    img2pdf = require_module("img2pdf")
    (tmp_path / "two.pdf").write_bytes(img2pdf.convert([str(scans / "misspelled.png"), str(scans / "clean.png")]))
    code = ("import sys, ocrmypdf; sys.exit(ocrmypdf.ocr(sys.argv[1], sys.argv[2], plugins=['ocrfix.ocrmypdf'], "
            "ocrfix_tier='fast', jobs=2, progress_bar=False))")
    run = subprocess.run([sys.executable, "-c", code, tmp_path / "two.pdf", tmp_path / "out.pdf"],
                         env=dict(os.environ, PYTHONPATH=worker_pythonpath()), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr
    pages = subprocess.run(["pdftotext", tmp_path / "out.pdf", "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    assert [page.split() for page in pages[:2]] == [MISSPELLED.replace(WRONG, RIGHT).split(), CLEAN.split()]


def test_without_ocrmypdf_the_plugin_names_the_extra_to_install():
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['ocrmypdf'] = None; import ocrfix.ocrmypdf"],
                         env=dict(os.environ, PYTHONPATH=worker_pythonpath()), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0 and "pip install 'ocrfix[ocrmypdf]'" in run.stderr


@pytest.mark.model
def test_the_default_model_corrects_the_scan(scans, tmp_path):
    require_models(DEFAULT_REPO)
    run = ocrmypdf(scans / "model.pdf", tmp_path / "model.pdf")  # the default tier, language from -l eng
    assert run.returncode == 0, run.stderr
    assert [word for word, _ in text_layer(tmp_path / "model.pdf")] == MODEL_FIXED.split()

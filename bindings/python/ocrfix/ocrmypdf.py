"""An OCRmyPDF plugin: ocrfix corrects what Tesseract read before OCRmyPDF writes the text layer.

    ocrmypdf --plugin ocrfix.ocrmypdf scan.pdf searchable.pdf
    ocrmypdf --plugin ocrfix.ocrmypdf -l fra --ocrfix-tier fast scan.pdf searchable.pdf

OCRmyPDF asks the OCR engine for each page's hOCR and draws its invisible text layer from it
(its fpdf2 renderer, the default). This plugin's engine is OCRmyPDF's own Tesseract engine,
whose hOCR it corrects in place (Engine.correct_document) before OCRmyPDF reads it: the
corrected words land in the text layer with Tesseract's boxes, and in the `--sidecar` text.
`--pdf-renderer sandwich` is refused, since there Tesseract draws the text layer itself.

Every ocrfix setting is an option, `--ocrfix-` and the command line's name (`--ocrfix-tier`,
`--ocrfix-lang`, `--ocrfix-model`, `--ocrfix-hf-repo`, ...; `ocrmypdf --plugin ocrfix.ocrmypdf
--help` lists them), else its OCRFIX_* environment variable, else ocrfix's default. The
language comes from OCRmyPDF's `-l` when neither names it (eng: en, fra: fr, deu and frk:
de). Each worker process loads the model once; a missing model or a bad value stops the run
before any page is read. Install with `pip install 'ocrfix[ocrmypdf]'`. From Python,
`ocrmypdf.ocr("scan.pdf", "out.pdf", plugins=["ocrfix.ocrmypdf"], ocrfix_tier="fast")`.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any, Optional
from xml.etree import ElementTree

try:
    from ocrmypdf import hookimpl
    from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
    from ocrmypdf.exceptions import BadArgsError, MissingDependencyError
    from ocrmypdf.helpers import available_cpu_count
except ImportError as error:
    raise ImportError("ocrfix.ocrmypdf needs OCRmyPDF: pip install 'ocrfix[ocrmypdf]'") from error

from ._batches import process_engine
from ._ocrfix import (Engine, Error, InvalidArgumentError, InvalidInputError, ModelConfig, apply_environment,
                      model_settings, version)

__all__ = ["CorrectingTesseractEngine", "engine_settings"]

log = logging.getLogger(__name__)

# ocrfix's language for each of Tesseract's (data, as in `ocrfix ocr -l`); any other is "auto".
OCRFIX_LANGUAGE_OF_TESSERACT = {"eng": "en", "fra": "fr", "deu": "de", "frk": "de"}
# Where the plugin's default differs from ocrfix's, as the help says it.
PLUGIN_DEFAULTS = {"language": "from OCRmyPDF's -l: eng en, fra fr, deu and frk de, others auto",
                   "threads": "the cores OCRmyPDF leaves to each page it reads at once"}
# The option for setting NAME is `--ocrfix-FLAG`, stored by argparse as ocrfix_NAME.
OPTION_PREFIX = "ocrfix_"
# Set by validate() from the page count unless --ocrfix-threads was given.
THREADS_OPTION = OPTION_PREFIX + "threads"
HOCR_WORD_CLASS = "ocrx_word"
HOCR_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
HOCR_PARAGRAPH_CLASS = "ocr_par"
CORRECTED_MARK = "data-ocrfix-original"  # the attribute ocrfix puts on each word it corrected


def _option_flag(setting: dict[str, Any]) -> str:
    """`--ocrfix-lang` for the setting whose command line flags are `-l,--lang`."""
    long_flags = [flag for flag in setting["cli_flags"].split(",") if flag.startswith("--")]
    return "--ocrfix-" + long_flags[-1][2:]


@hookimpl
def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("ocrfix", "Correction of what Tesseract read, by ocrfix (ocrfix.ocrmypdf)")
    kinds = {"int": {"type": int}, "str": {"type": str}, "bool": {"action": argparse.BooleanOptionalAction}}
    for setting in model_settings():
        flag = _option_flag(setting)
        metavar = {} if setting["type"] == "bool" else {"metavar": flag.removeprefix("--ocrfix-").upper()}
        default = PLUGIN_DEFAULTS.get(setting["name"], repr(setting["default"]))
        group.add_argument(flag, dest=OPTION_PREFIX + setting["name"], default=None,
                           help=f"{setting['help']} (default: ${setting['env']}, else {default})",
                           **kinds[setting["type"]], **metavar)


def _given(options: Any, name: str) -> Any:
    """The value of --ocrfix-NAME, or None when it was not given (also through OCRmyPDF's API,
    where a plugin's options are present only when the caller passed them)."""
    return getattr(options, OPTION_PREFIX + name, None)


def _language_of(tesseract_languages: list[str]) -> str:
    """ocrfix's language for OCRmyPDF's `-l` (eng+fra is two): the one they all map to, else auto."""
    languages = {OCRFIX_LANGUAGE_OF_TESSERACT.get(language, "auto") for language in tesseract_languages}
    return languages.pop() if len(languages) == 1 else "auto"


def engine_settings(options: Any) -> dict[str, Any]:
    """ModelConfig's keyword arguments for an OCRmyPDF run: each setting from its --ocrfix-
    option, else its OCRFIX_* environment variable, else ocrfix's default; the language, when
    neither names it, from OCRmyPDF's languages."""
    environment = apply_environment(ModelConfig())
    settings = {}
    for setting in model_settings():
        name = setting["name"]
        if _given(options, name) is not None:
            settings[name] = _given(options, name)
        elif setting["env"] in os.environ:
            settings[name] = getattr(environment, name)
    if "language" not in settings:
        settings["language"] = _language_of(list(getattr(options, "languages", None) or ["eng"]))
    return settings


def _setting_env(name: str) -> str:
    return next(setting["env"] for setting in model_settings() if setting["name"] == name)


def _chosen(options: Any) -> bool:
    """Whether OCRmyPDF will OCR with Tesseract, whose output this plugin corrects."""
    return getattr(options, "ocr_engine", "auto") in ("auto", "tesseract")


SANDWICH_REFUSED = ("ocrfix.ocrmypdf: --pdf-renderer sandwich has Tesseract draw the text layer itself, "
                    "where ocrfix cannot correct it; leave --pdf-renderer out (auto) or give fpdf2")


@hookimpl
def check_options(options: Any) -> None:
    if not _chosen(options):
        return
    if options.pdf_renderer == "sandwich":
        raise BadArgsError(SANDWICH_REFUSED)
    # The Engine is loaded once here, and freed, so that a bad value, a missing model or a
    # missing lexicon stops the run with ocrfix's message before any page is read.
    try:
        with Engine(ModelConfig(**engine_settings(options))):
            pass
    except InvalidArgumentError as error:
        raise BadArgsError(f"ocrfix.ocrmypdf: {error}") from error
    except Error as error:
        raise MissingDependencyError(f"ocrfix.ocrmypdf: {error}") from error


@hookimpl
def validate(pdfinfo: Any, options: Any) -> None:
    # OCRmyPDF runs one page per worker; the cores left over go to each worker's Engine.
    if _given(options, "threads") is None and _setting_env("threads") not in os.environ:
        jobs = options.jobs or available_cpu_count()
        options.extra_attrs[THREADS_OPTION] = max(1, jobs // max(1, len(pdfinfo)))


@hookimpl
def get_ocr_engine(options: Optional[Any]) -> Optional[TesseractOcrEngine]:
    if options is not None and not _chosen(options):
        return None
    return CorrectingTesseractEngine()


class CorrectingTesseractEngine(TesseractOcrEngine):
    """OCRmyPDF's Tesseract engine, whose hOCR of each page ocrfix corrects before OCRmyPDF
    draws the text layer from it."""

    @staticmethod
    def creator_tag(options: Any) -> str:
        return f"{TesseractOcrEngine.creator_tag(options)} + ocrfix {version()}"

    def __str__(self) -> str:
        return f"{super().__str__()} + ocrfix {version()}"

    @staticmethod
    def supports_generate_ocr() -> bool:
        return False  # the hOCR path, which is what this engine corrects

    @staticmethod
    def generate_hocr(input_file: Path, output_hocr: Path, output_text: Path, options: Any) -> None:
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        correct_hocr_file(Path(output_hocr), Path(output_text), engine_settings(options))

    @staticmethod
    def generate_pdf(input_file: Path, output_pdf: Path, output_text: Path, options: Any) -> None:
        raise BadArgsError(SANDWICH_REFUSED)  # check_options refuses it first


def _with_class(root: ElementTree.Element, classes: set[str]) -> list[ElementTree.Element]:
    """The elements under `root` (itself included) with one of the hOCR `classes`."""
    return [element for element in root.iter() if classes.intersection((element.get("class") or "").split())]


def _page_text(page: ElementTree.Element) -> str:
    """The text of an hOCR page as Tesseract writes it beside: a line each, paragraphs apart."""
    def line_text(line: ElementTree.Element) -> str:
        return " ".join("".join(word.itertext()).strip() for word in _with_class(line, {HOCR_WORD_CLASS}))

    return "\n".join("".join(line_text(line) + "\n" for line in _with_class(paragraph, HOCR_LINE_CLASSES))
                     for paragraph in _with_class(page, {HOCR_PARAGRAPH_CLASS}))


def correct_hocr_file(hocr_path: Path, text_path: Path, settings: dict[str, Any]) -> None:
    """Corrects Tesseract's hOCR of a page in place, and rewrites its text beside from it. A
    page without words (blank, or skipped by OCRmyPDF, which then writes an empty file) is left
    alone, and so is one whose hOCR cannot be read (with a warning): it keeps Tesseract's text."""
    hocr = hocr_path.read_bytes()
    if not hocr.strip():
        return
    try:
        words = _with_class(ElementTree.fromstring(hocr), {HOCR_WORD_CLASS})
        if not words:
            return
        log.debug("ocrfix settings: %s", settings)
        # One thread unless the settings name them, as validate() does for the command and the API.
        corrected = process_engine(settings, 1).correct_document(hocr)
    except (ElementTree.ParseError, InvalidInputError) as error:
        log.warning("ocrfix could not read Tesseract's hOCR; the page keeps Tesseract's text: %s", error)
        return
    page = ElementTree.fromstring(corrected)
    hocr_path.write_bytes(corrected)
    text_path.write_text(_page_text(page), encoding="utf-8")
    changed = sum(1 for element in page.iter() if element.get(CORRECTED_MARK) is not None)
    log.info("ocrfix corrected %d of %d words", changed, len(words))

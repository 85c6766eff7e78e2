"""ocrfix: corrects the errors OCR leaves in text, with local GGUF language models.

    import ocrfix

    with ocrfix.Engine(ocrfix.ModelConfig(gpu_layers=0)) as engine:
        result = engine.run_postprocessor("Ths is a smple txt.")
        print(result)              # the corrected text
        for edit in result.edits:  # what changed, as byte offsets into the input
            print(edit.begin, edit.end, edit.replacement)

Page images and PDFs: ``engine.ocr("scan.png")`` recognises them with Tesseract and
corrects each page (its text, edits and words with boxes; hOCR or ALTO with ``format=``).

Many files into a folder, with one worker process per core and resuming where a
killed run stopped: ``ocrfix.correct_files(["scans/"], "fixed/", tier="fast")``.

Scripts written for the seed SDK run with one changed import:
``from ocrfix.ai import AsposeAI, AsposeAIModelConfig``.

Every error is an ``ocrfix.Error`` subclass (``ModelNotFoundError``, ``DownloadError``, ...)
whose message says what to do next. An uncaught one is printed as that message alone,
without a traceback; set OCRFIX_TRACEBACK=1 to see the traceback too.
"""

from ._ocrfix import (
    CorrectionResult,
    DownloadError,
    Edit,
    Engine,
    Error,
    FileError,
    InferenceError,
    InvalidArgumentError,
    InvalidInputError,
    LocalModel,
    ModelConfig,
    ModelInvalidError,
    ModelNotFoundError,
    NotInitializedError,
    OcrPage,
    OcrResult,
    OcrWord,
    apply_environment,
    model_settings,
    version,
)
from ._errors_hook import install as _install_errors_hook
from .batch import BatchFailure, BatchSummary, correct_files

__version__ = "0.1.0"

__all__ = [
    "CorrectionResult", "DownloadError", "Edit", "Engine", "Error", "FileError", "InferenceError",
    "InvalidArgumentError", "InvalidInputError", "LocalModel", "ModelConfig", "ModelInvalidError",
    "ModelNotFoundError", "NotInitializedError", "OcrPage", "OcrResult", "OcrWord", "apply_environment",
    "model_settings", "version",
    "AsposeAI", "AsposeAIModelConfig", "BatchFailure", "BatchSummary", "correct_files",
]

# The seed SDK's names, also importable from ocrfix.ai.
AsposeAI = Engine
AsposeAIModelConfig = ModelConfig

_install_errors_hook(Error)

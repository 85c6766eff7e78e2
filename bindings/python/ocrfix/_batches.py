"""What ocrfix.ray and ocrfix.dask share: an Engine built from settings, and a batch of texts
corrected into plain values that any table or bag holds (a str and a list of dicts per text).

Only settings travel between processes; each worker process builds its own Engine from them.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Optional, Sequence

from ._ocrfix import Engine, InvalidArgumentError, InvalidInputError, ModelConfig

# The keys of one edit, in the order they are written out.
EDIT_FIELDS = ("begin", "end", "original", "replacement", "score", "source")


def checked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """`settings` as given, after checking them without loading a model, so that a typo fails
    where it was made rather than on every worker."""
    values = {name: value for name, value in settings.items() if not (name == "threads" and value is None)}
    ModelConfig(**values).validate()
    return dict(settings)


def build_engine(settings: dict[str, Any], threads: int) -> Engine:
    """An Engine for `settings`; `threads` is used unless the settings name a number."""
    values = dict(settings)
    if values.get("threads") is None:
        values["threads"] = threads
    return Engine(ModelConfig(**values))


_engines: dict[tuple, Engine] = {}
_engines_lock = threading.Lock()


def process_engine(settings: dict[str, Any], threads: int) -> Engine:
    """This process's one Engine for `settings` and `threads`, built on first use. Tasks on
    several threads of one process share it; its calls take turns, each on `threads` cores."""
    key = (tuple(sorted(settings.items())), threads)
    with _engines_lock:  # held while loading, so two threads never load the same model twice
        if key not in _engines:
            _engines[key] = build_engine(settings, threads)
        return _engines[key]


def drop_process_engine(settings: dict[str, Any], threads: int) -> None:
    """Frees the Engine process_engine() built for these settings, if any."""
    with _engines_lock:
        engine = _engines.pop((tuple(sorted(settings.items())), threads), None)
    if engine is not None:
        engine.free_resources()


def is_missing(value: Any) -> bool:
    """None, NaN or pandas.NA: a null in a table, passed through as null."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    pandas = sys.modules.get("pandas")  # if pandas is not loaded, no value can be pandas.NA
    return pandas is not None and value is pandas.NA


def edit_rows(text: str, edits: Sequence[Any]) -> list[dict[str, Any]]:
    """The edits of one result as dicts; `original` is the input they replace."""
    data = text.encode()
    return [{"begin": edit.begin, "end": edit.end, "original": data[edit.begin:edit.end].decode(),
             "replacement": edit.replacement, "score": edit.score, "source": edit.source}
            for edit in edits]


def correct_texts(engine: Callable[[], Engine], texts: Sequence[Any], where: str
                  ) -> tuple[list[Optional[str]], list[list[dict[str, Any]]]]:
    """Corrects `texts` in one run_postprocessor call: the corrected texts and each one's
    edits. A null stays null with no edits; any other value that is not a str is an error
    naming `where` it came from. `engine()` is called only when there is text to correct, so
    an empty partition loads no model."""
    present = []
    for row, value in enumerate(texts):
        if isinstance(value, str):
            present.append(row)
        elif not is_missing(value):
            raise InvalidInputError(f"row {row} of {where} is of type {type(value).__name__}, not text; "
                                    "convert it to str (or to null to leave it out)")
    corrected: list[Optional[str]] = [None] * len(texts)
    edits: list[list[dict[str, Any]]] = [[] for _ in texts]
    if not present:
        return corrected, edits
    results = engine().run_postprocessor([str(texts[row]) for row in present])
    for row, result in zip(present, results):
        corrected[row] = result.text
        edits[row] = edit_rows(str(texts[row]), result.edits)
    return corrected, edits


def missing_column(kind: str, name: str, present: Sequence[Any], argument: str) -> InvalidArgumentError:
    """The error for a text column or field that is not there, listing what is."""
    return InvalidArgumentError(f"the {kind} has no {name!r} (it has: {', '.join(map(str, present)) or 'nothing'}); "
                                f"name the one that holds the text with {argument}=...")

"""Corrects a column of text in a Ray Dataset, with one Engine per actor.

    import ray
    import ocrfix.ray

    pages = ray.data.read_parquet("pages/")          # any Dataset with a column of text
    corrected = pages.map_batches(
        ocrfix.ray.Corrector,
        fn_constructor_kwargs={"text_column": "text", "gpu_layers": 0},  # + any ModelConfig setting
        compute=ray.data.ActorPoolStrategy(size=4),  # 4 actors; `concurrency=4` before Ray 2.51
        num_cpus=2,                                  # cores per actor, and its Engine's threads
        batch_size=64,
    )
    corrected.write_parquet("corrected/")

Each actor builds one Engine from the settings when it starts: only the settings travel, the
model is loaded where it runs and is never pickled. The Engine gets as many threads as Ray
assigned the actor CPUs (`num_cpus`, at least 1), unless the settings name `threads`.

Every row keeps its columns and gains two:

- `corrected`: the corrected text (null where the text was null);
- `edits`: a list with one dict per edit, `{begin, end, original, replacement, score, source}`,
  where `begin` and `end` are byte offsets into the row's UTF-8 text and `original` is the
  text they span. Arrow holds it as list<struct<...>> (edits_type()), so it is written to
  Parquet and read back as nested data; an empty list means the text was left as it was.

Columns already named `corrected` or `edits` are replaced. Batches may come in any of Ray's
formats (numpy, the default; pandas; pyarrow) and go back in the same one. Install with
`pip install 'ocrfix[ray]'`.
"""

from __future__ import annotations

import sys
from typing import Any

try:
    import ray
except ImportError as error:
    raise ImportError("ocrfix.ray needs Ray Data: pip install 'ocrfix[ray]'") from error

from ._batches import EDIT_FIELDS, build_engine, correct_texts, missing_column
from ._ocrfix import InvalidArgumentError

__all__ = ["Corrector", "edits_type"]


def edits_type():
    """The Arrow type of the `edits` column: list<struct<begin, end, original, replacement,
    score, source>>."""
    import pyarrow

    types = {"begin": pyarrow.int64(), "end": pyarrow.int64(), "score": pyarrow.float64()}
    return pyarrow.list_(pyarrow.struct([(name, types.get(name, pyarrow.string())) for name in EDIT_FIELDS]))


def _assigned_cpus() -> int:
    """The CPUs Ray assigned this actor, at least 1 (also outside an actor, where none are)."""
    if not ray.is_initialized() or ray.get_runtime_context().get_actor_id() is None:
        return 1
    return max(1, int(ray.get_runtime_context().get_assigned_resources().get("CPU", 0)))


class Corrector:
    """A callable class for Dataset.map_batches: corrects the text in `text_column` of each
    batch with one Engine built from `model_settings` (ModelConfig's keyword arguments)."""

    def __init__(self, text_column: str = "text", **model_settings: Any) -> None:
        self.text_column = text_column
        self.engine = build_engine(model_settings, _assigned_cpus())

    @property
    def threads(self) -> int:
        """The CPU threads this actor's Engine runs on."""
        return self.engine.config.threads

    def __call__(self, batch: Any) -> Any:
        if isinstance(batch, dict):
            return self._correct_columns(batch)
        pandas = sys.modules.get("pandas")
        if pandas is not None and isinstance(batch, pandas.DataFrame):
            return self._correct_frame(batch)
        pyarrow = sys.modules.get("pyarrow")
        if pyarrow is not None and isinstance(batch, pyarrow.Table):
            return self._correct_table(batch)
        raise InvalidArgumentError(f"ocrfix.ray.Corrector got a batch of type {type(batch).__name__}; call "
                                   "map_batches with batch_format='numpy' (the default), 'pandas' or 'pyarrow'")

    def _correct(self, texts) -> tuple[list, list]:
        return correct_texts(lambda: self.engine, list(texts), f"column {self.text_column!r}")

    def _check(self, columns: list) -> None:
        if self.text_column not in columns:
            raise missing_column("batch", self.text_column, columns, "text_column")

    def _correct_columns(self, batch: dict) -> dict:
        import numpy

        self._check(list(batch))
        corrected, edits = self._correct(batch[self.text_column])
        edits_column = numpy.empty(len(edits), dtype=object)
        for row, row_edits in enumerate(edits):  # one list per cell (a 2-D array otherwise)
            edits_column[row] = row_edits
        return {**batch, "corrected": numpy.array(corrected, dtype=object), "edits": edits_column}

    def _correct_frame(self, frame):
        import pandas

        self._check(list(frame.columns))
        corrected, edits = self._correct(frame[self.text_column].tolist())
        return frame.assign(corrected=pandas.Series(corrected, index=frame.index, dtype=object),
                            edits=pandas.Series(edits, index=frame.index, dtype=object))

    def _correct_table(self, table):
        import pyarrow

        self._check(table.column_names)
        corrected, edits = self._correct(table.column(self.text_column).to_pylist())
        table = table.drop_columns([name for name in ("corrected", "edits") if name in table.column_names])
        return (table.append_column("corrected", pyarrow.array(corrected, pyarrow.string()))
                .append_column("edits", pyarrow.array(edits, edits_type())))

"""Corrects a Dask bag or dataframe partition by partition, with one Engine per worker process.

    import json

    import dask.bag
    import dask.dataframe
    from distributed import Client
    import ocrfix.dask

    client = Client("scheduler-host:8786")              # or Client(LocalCluster(...))
    settings = {"gpu_layers": 0}                        # any ModelConfig setting
    client.register_plugin(ocrfix.dask.EnginePlugin(**settings))  # optional: load as workers start

    pages = dask.dataframe.read_parquet("pages/")       # a column "text"
    ocrfix.dask.correct_dataframe(pages, column="text", **settings).to_parquet("corrected/")

    lines = dask.bag.read_text("ocr/*.txt")             # strings, or dicts with a "text" field
    ocrfix.dask.correct_bag(lines, **settings).map(json.dumps).to_textfiles("corrected/*.jsonl")

Only the settings travel with the tasks. Each worker process builds one Engine from them, the
first time a task (or EnginePlugin.setup) needs it, and keeps it for every later partition;
tasks on several threads of one worker share it and take turns, each call on all of the
worker's threads. Its threads are the worker's `nthreads` unless the settings name `threads`;
outside a distributed worker (the local schedulers) they are all the machine's cores, so give
`threads` with the multiprocessing scheduler.

Each record gains `corrected` (the corrected text; null where the text was null) and `edits`:
one `{begin, end, original, replacement, score, source}` per edit, where `begin` and `end`
are byte offsets into the record's UTF-8 text and `original` is the text they span.

- In a bag, `edits` is a list of dicts. A string becomes a dict {field: the string, ...}; a
  dict is copied with the two keys added.
- In a dataframe, `edits` is a JSON string of that list (`json.loads(row.edits)`): Dask infers
  a Parquet schema from a placeholder of each column and cannot for a column of nested
  lists, and pandas reads a nested Arrow column back with an error, so a string is what
  survives to_parquet, read_parquet and compute alike. `corrected` and `edits` get the text
  column's string dtype.

Columns or keys already named `corrected` or `edits` are replaced. Install with
`pip install 'ocrfix[dask]'`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

try:
    import dask  # noqa: F401 (what the extra installs, checked here with its message)
    from distributed import WorkerPlugin
except ImportError as error:
    raise ImportError("ocrfix.dask needs Dask and distributed: pip install 'ocrfix[dask]'") from error

from ._batches import checked_settings, correct_texts, drop_process_engine, missing_column, process_engine
from ._ocrfix import Engine, InvalidInputError

__all__ = ["EnginePlugin", "correct_bag", "correct_dataframe", "worker_engine"]


def _worker_threads(worker: Any = None) -> int:
    """The threads of the distributed worker running this code, 0 (all cores) outside one."""
    if worker is None:
        try:
            from distributed import get_worker

            worker = get_worker()
        except ValueError:  # a local scheduler, not a distributed worker
            return 0
    return worker.state.nthreads


def worker_engine(**settings: Any) -> Engine:
    """This process's Engine for `settings`, built on first use: for tasks of your own
    (`ocrfix.dask.worker_engine(**settings).run_postprocessor(texts)`)."""
    return process_engine(settings, _worker_threads())


class EnginePlugin(WorkerPlugin):
    """Builds each worker's Engine for `settings` when the worker starts (and on workers that
    join later), so the first partitions do not wait for the model; frees it when the worker
    closes. `client.register_plugin(EnginePlugin(**settings))`; pass the same settings to
    correct_bag or correct_dataframe."""

    def __init__(self, **settings: Any) -> None:
        self.settings = checked_settings(settings)
        # One plugin per settings: registering the same settings again replaces it.
        digest = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode()).hexdigest()
        self.name = "ocrfix-engine-" + digest[:16]

    def setup(self, worker: Any) -> None:
        process_engine(self.settings, _worker_threads(worker))

    def teardown(self, worker: Any) -> None:
        drop_process_engine(self.settings, _worker_threads(worker))


def correct_bag(bag: Any, field: str = "text", **settings: Any) -> Any:
    """A bag of dicts with `corrected` and `edits` added: one per item of `bag`, which holds
    strings, or dicts with the text under `field`."""
    return bag.map_partitions(_correct_bag_partition, field, checked_settings(settings))


def correct_dataframe(frame: Any, column: str = "text", **settings: Any) -> Any:
    """`frame` with the columns `corrected` and `edits` (a JSON string) added, corrected from
    its column `column`."""
    settings = checked_settings(settings)
    if column not in frame.columns:
        raise missing_column("dataframe", column, list(frame.columns), "column")
    meta = _correct_frame_partition(frame._meta, column, settings)  # empty: loads no model
    return frame.map_partitions(_correct_frame_partition, column, settings, meta=meta)


def _correct_bag_partition(items: Any, field: str, settings: dict[str, Any]) -> list[dict[str, Any]]:
    records = []
    for item in items:
        if isinstance(item, str):
            records.append({field: item})
        elif isinstance(item, Mapping):
            if field not in item:
                raise missing_column("record", field, list(item), "field")
            records.append(dict(item))
        else:
            raise InvalidInputError(f"the bag holds an item of type {type(item).__name__}; its items must be "
                                    f"str, or dicts with the text under {field!r}")
    texts = [record[field] for record in records]
    corrected, edits = correct_texts(lambda: worker_engine(**settings), texts, f"a partition's field {field!r}")
    for record, text, text_edits in zip(records, corrected, edits):
        record["corrected"], record["edits"] = text, text_edits
    return records


def _correct_frame_partition(frame: Any, column: str, settings: dict[str, Any]) -> Any:
    import pandas

    corrected, edits = correct_texts(lambda: worker_engine(**settings), frame[column].tolist(),
                                     f"a partition's column {column!r}")
    dtype = frame[column].dtype if isinstance(frame[column].dtype, pandas.StringDtype) else object
    return frame.assign(
        corrected=pandas.Series(corrected, index=frame.index, dtype=dtype),
        edits=pandas.Series([json.dumps(row, ensure_ascii=False) for row in edits], index=frame.index, dtype=dtype))

"""Many files into a folder, on every core: ``ocrfix.correct_files``.

    import ocrfix

    summary = ocrfix.correct_files(["scans/"], "fixed/", tier="fast", jobs=2)
    print(summary.corrected, summary.skipped, summary.failed)

This runs the same batch as ``ocrfix correct --output-dir fixed/ scans/``: the command
shipped in this package, with its worker processes (one model each), its atomic outputs
and its resume (a second call skips the files already done with the same settings). The
model settings are ``ModelConfig``'s, given as a ``config`` or as keyword arguments.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Union

from . import _ocrfix
from ._cli import executable

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class BatchFailure:
    """A file that was not corrected: its output path under the folder, and why."""

    path: str
    category: str  # as ocrfix.Error's categories: "invalid_input", "io", "runtime", ...
    error: str


@dataclass(frozen=True)
class BatchSummary:
    """What a batch did (OUT/.ocrfix/summary.json)."""

    files: int
    corrected: int
    skipped: int  # done by an earlier run with the same input and settings
    failed: list[BatchFailure] = field(default_factory=list)
    left: int = 0  # not reached (an interruption)
    interrupted: bool = False
    characters: int = 0
    edits: int = 0
    seconds: float = 0.0
    chars_per_second: float = 0.0
    jobs: int = 0
    threads_per_job: int = 0
    worker_peak_rss_bytes: int = 0
    model_load_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every file is done."""
        return not self.failed and self.left == 0 and not self.interrupted


# The CLI's exit codes (ocrfix --help) for failures that stop the whole batch.
_ERRORS = {2: _ocrfix.InvalidArgumentError, 3: _ocrfix.ModelNotFoundError, 4: _ocrfix.FileError}


def _setting_environment(config: Optional[_ocrfix.ModelConfig], settings: dict) -> dict:
    """OCRFIX_* variables for every setting of `config`, then of `settings`."""
    table = {row["name"]: row for row in _ocrfix.model_settings()}
    unknown = sorted(set(settings) - set(table))
    if unknown:
        raise _ocrfix.InvalidArgumentError(
            f"unknown setting {', '.join(unknown)}; the settings are: {', '.join(table)}")
    config = config if config is not None else _ocrfix.ModelConfig()
    environment = {}
    for name, row in table.items():
        value = settings[name] if name in settings else getattr(config, name)
        environment[row["env"]] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return environment


def correct_files(inputs: Union[PathLike, Iterable[PathLike]], output_dir: PathLike, *,
                  config: Optional[_ocrfix.ModelConfig] = None, jobs: int = 0, format: Optional[str] = None,
                  progress: Optional[bool] = None, **settings) -> BatchSummary:
    """Corrects files and folders (searched for *.txt and *.jsonl) into `output_dir`.

    Each input gets one output at its path relative to the folder given, written whole or
    not at all. `jobs` worker processes (0: one per CPU core) each load the model once.
    `format` is "text", "json" or "jsonl"; by default *.jsonl files are corrected line by
    line and the others as text. `progress` shows the command's progress bar and summary on
    stderr (default: when stderr is a terminal).

    Files that fail are listed in the summary, not raised; an error that stops the whole
    batch (a bad setting, a model that does not load, a path that does not exist) raises
    the matching ``ocrfix.Error``.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = [os.fspath(path) for path in inputs]
    if not inputs:
        raise _ocrfix.InvalidArgumentError("correct_files needs at least one file or folder")
    output_dir = Path(output_dir)
    arguments = [executable(), "correct", "--output-dir", str(output_dir), "--jobs", str(int(jobs))]
    if format:
        arguments += ["--format", format]
    arguments += ["--", *inputs]
    environment = {**os.environ, **_setting_environment(config, settings)}
    if progress is None:
        progress = sys.stderr.isatty()

    summary_path = output_dir / ".ocrfix" / "summary.json"

    def identity():  # the summary is replaced by a rename: a new inode means a new summary
        try:
            stat = summary_path.stat()
            return stat.st_ino, stat.st_mtime_ns
        except OSError:
            return None

    before = identity()
    process = subprocess.Popen(arguments, env=environment, stdin=subprocess.DEVNULL,
                               stderr=None if progress else subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate()
    except KeyboardInterrupt:
        # Ctrl-C reached the command too: it finishes the files in progress and writes its
        # summary. Wait for that, then let the interruption go on.
        process.wait()
        raise
    message = (stderr or "").strip()
    code = process.returncode
    wrote_summary = identity() not in (None, before)
    if code in (0, 1, 4, 130) and wrote_summary:
        return _read_summary(summary_path)
    if code in (130, -signal.SIGINT):
        raise KeyboardInterrupt
    if code < 0:
        raise _ocrfix.InferenceError(f"the ocrfix command was killed by signal {-code} "
                                     f"({signal.Signals(-code).name}); out of memory? Run the same call again "
                                     "to resume: finished files are kept")
    error = _ERRORS.get(code, _ocrfix.InferenceError)
    lines = [line.removeprefix("ocrfix: error: ") for line in message.splitlines() if line.strip()]
    raise error(" ".join(lines) if lines else f"the batch failed (exit code {code}); see above")


def _read_summary(path: Path) -> BatchSummary:
    data = json.loads(path.read_text())
    failed = [BatchFailure(item["path"], item["category"], item["error"]) for item in data.pop("failed", [])]
    known = {name for name in BatchSummary.__dataclass_fields__ if name != "failed"}
    return BatchSummary(failed=failed, **{key: value for key, value in data.items() if key in known})

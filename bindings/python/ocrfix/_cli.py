"""The ``ocrfix`` command line (tools/cli, C++) that ships inside this package.

The wheel installs it as ``ocrfix/bin/ocrfix``; a source build puts a symlink at the same
place in ``build/python/ocrfix/bin/``. Set ``OCRFIX_CLI`` to run another binary instead.

    from ocrfix import _cli
    code = _cli.run(["correct", "--tier", "fast", "page.txt"])
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Sequence

_BUNDLED = Path(__file__).resolve().parent / "bin" / "ocrfix"


def executable() -> str:
    """The path of the ocrfix binary: ``$OCRFIX_CLI`` when set, else the bundled one.

    Raises FileNotFoundError, saying what to do, when that file is not there.
    """
    override = os.environ.get("OCRFIX_CLI")
    path = Path(override).expanduser() if override else _BUNDLED
    if not path.is_file():
        if override:
            raise FileNotFoundError(f"OCRFIX_CLI is set to {override}, which is not a file. "
                                    "Point it at an ocrfix binary, or unset it to use the bundled one.")
        raise FileNotFoundError(f"the ocrfix command is not in this package ({path}): it was built "
                                "with OCRFIX_BUILD_TOOLS=OFF. Rebuild with tools on (`pip install .` "
                                "does), or set OCRFIX_CLI to an ocrfix binary.")
    return str(path)


def run(argv: Sequence[str], **subprocess_options: Any) -> int:
    """Runs ``ocrfix ARGV...`` and returns its exit code (128 + N when killed by signal N).

    ``subprocess_options`` go to subprocess.run (``cwd``, ``env``, ``stdin``, ...).
    """
    completed = subprocess.run([executable(), *argv], check=False, **subprocess_options)
    return completed.returncode if completed.returncode >= 0 else 128 - completed.returncode

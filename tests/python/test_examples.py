"""The examples as users run them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEFAULT_REPO, GEMMA_REPO, ROOT, require_models

# The seed SDK's tutorial as the issue gives it; examples/seed_tutorial.py must be this with
# only the import changed (plus the paragraph the tutorial leaves to the reader).
SEED = '''\
from asposeocr.ai import AsposeAI, AsposeAIModelConfig
ai = AsposeAI()
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="openai/gpt2",
    hugging_face_quantization="int8", gpu_layers=0))
print("Fast model correction:", ai.run_postprocessor("Ths is a smple txt."))
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="Qwen/Qwen2.5-3B-Instruct-GGUF",
    hugging_face_quantization="q4_k_m", gpu_layers=40, context_size=8192))
print("Accurate model correction:", ai.run_postprocessor(long_ocr_paragraph))
ai.free_resources()
'''


def run_example(name: str, env: dict, timeout: int) -> subprocess.CompletedProcess:
    path_entries = [entry for entry in sys.path if entry]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path_entries), **env)
    env.pop("OCRFIX_TRACEBACK", None)
    return subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_seed_tutorial_differs_only_in_its_import():
    ours = [line for line in (ROOT / "examples" / "seed_tutorial.py").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    seed = SEED.splitlines()
    assert ours[0] == "from ocrfix.ai import AsposeAI, AsposeAIModelConfig"
    statements = [line for line in ours[1:] if not line.startswith(("long_ocr_paragraph", "    \"", ")"))]
    assert statements == seed[1:]


def test_seed_tutorial_offline_stops_at_the_first_initialize_with_one_paragraph(tmp_path):
    run = run_example("seed_tutorial.py", {"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path)}, timeout=120)
    assert run.returncode == 1
    assert run.stdout == ""  # nothing printed: it stopped at the first initialize
    assert "Traceback" not in run.stderr
    message = run.stderr.strip()
    assert "\n" not in message, message
    assert message.startswith("ocrfix: ModelNotFoundError: model openai/gpt2 (quantization 'int8')")
    assert "HF_HUB_OFFLINE" in message and "ocrfix models pull openai/gpt2" in message
    assert "file_model_path" in message


@pytest.mark.model
def test_tutorial_runs_on_the_built_in_models():
    require_models(DEFAULT_REPO, GEMMA_REPO)
    run = run_example("tutorial.py", {}, timeout=1500)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("Fast model correction: ") for line in lines)
    assert sum(line.startswith("Line: ") for line in lines) == 2
    assert any(line.startswith("Accurate model correction: ") and len(line) > 200 for line in lines)
    assert "gemma-3-270m" in run.stdout and lines[-1] == "Initialized after free_resources: False"

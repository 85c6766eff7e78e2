"""ocrfix.Engine on the real default model: every method of the API."""

import threading
import time

import ocrfix
import pytest
from conftest import DEFAULT_REPO, require_models

pytestmark = pytest.mark.model


def apply(text: str, edits) -> str:
    """The edits applied to `text` by byte offsets: what every result must equal."""
    data, out, at = text.encode(), b"", 0
    for edit in edits:
        out += data[at:edit.begin] + edit.replacement.encode()
        at = edit.end
    return (out + data[at:]).decode()


@pytest.fixture(scope="module")
def engine():
    require_models(DEFAULT_REPO)
    with ocrfix.Engine(ocrfix.ModelConfig(gpu_layers=0)) as loaded:
        yield loaded


def test_text_and_list_results_trace_to_the_input(engine):
    result = engine.run_postprocessor("Ths txt.")
    assert isinstance(result, ocrfix.CorrectionResult)
    assert str(result) == result.text == apply("Ths txt.", result.edits)
    results = engine.run_postprocessor(["tbe end", "", "caf\u00e9"])
    assert len(results) == 3
    for text, one in zip(["tbe end", "", "caf\u00e9"], results):
        assert one.text == apply(text, one.edits)
    assert engine.run_postprocessor("Ths txt.", tier="balanced").text == result.text


def test_a_profile_per_call_and_per_config(engine, cpu_config):
    text = "the adver-\ntisement\n"
    assert engine.run_postprocessor(text, language="en").text == text
    marked = engine.run_postprocessor(text, language="en", profile="hipe")
    assert marked.text == "the adver\u00ac\ntisement\n" == apply(text, marked.edits)
    with pytest.raises(ocrfix.Error, match="reader, hipe"):
        engine.run_postprocessor(text, profile="typewriter")
    assert ocrfix.ModelConfig(profile="hipe").profile == "hipe"


def test_context_manager_frees_the_model(cpu_config):
    require_models(DEFAULT_REPO)
    with ocrfix.Engine(cpu_config) as engine:
        assert engine.is_initialized()
        assert engine.model_path().endswith(".gguf")
        assert engine.config.gpu_layers == 0
    assert not engine.is_initialized()
    engine.initialize(cpu_config)  # usable again
    assert engine.is_initialized()
    engine.free_resources()
    assert not engine.is_initialized() and engine.model_path() == ""


def test_custom_post_processors(engine):
    engine.set_post_processor(lambda texts: [text.upper() for text in texts])
    result = engine.run_postprocessor("tbe end")
    assert result.text == "TBE END" and apply("tbe end", result.edits) == "TBE END"
    assert result.edits[0].source == "post_processor"

    class SeedStyle:  # the seed SDK's IOcrAIPostProcessor shape
        def set_ai(self, ai):
            self.ai = ai

        def process(self, texts):
            inner = [self.ai.run_postprocessor(text) for text in texts]  # the built-in correction
            return [ocrfix.CorrectionResult() if not t else r for t, r in zip(texts, inner)]

    processor = SeedStyle()
    engine.set_post_processor(processor)
    assert processor.ai is engine
    assert [r.text for r in engine.run_postprocessor(["", "ok"])] == ["", "ok"]

    def broken(texts):
        raise KeyError("from the processor")

    engine.set_post_processor(broken)
    with pytest.raises(KeyError, match="from the processor"):
        engine.run_postprocessor("x")
    engine.set_post_processor(lambda texts: [42 for _ in texts])
    with pytest.raises(ocrfix.InvalidArgumentError, match="str or CorrectionResult"):
        engine.run_postprocessor("x")
    engine.set_post_processor(lambda texts: [])
    with pytest.raises(ocrfix.InferenceError, match="one result per text"):
        engine.run_postprocessor("x")
    engine.set_post_processor(None)
    assert engine.run_postprocessor("ok").text == "ok"


def test_set_post_processor_with_settings_loads_the_model(cpu_config):
    require_models(DEFAULT_REPO)
    engine = ocrfix.Engine()
    engine.set_post_processor(lambda texts: texts, cpu_config)
    assert engine.is_initialized() and engine.run_postprocessor("same").edits == []
    engine.free_resources()


def test_local_models_and_switching(tmp_path, cpu_config):
    (path,) = require_models(DEFAULT_REPO)
    engine = ocrfix.Engine(cpu_config)
    assert any(model.repo_id == DEFAULT_REPO and model.size_bytes > 10**6 for model in engine.list_local())
    (tmp_path / "mine.Q4_1.gguf").symlink_to(path)
    engine.initialize(ocrfix.ModelConfig(gpu_layers=0, directory_model_path=str(tmp_path),
                                         hugging_face_quantization="q4_1"))
    assert engine.model_path() == str(tmp_path / "mine.Q4_1.gguf")
    assert engine.get_local_path() == str(tmp_path)
    assert engine.list_local()[0].filename == "mine.Q4_1.gguf"
    engine.free_resources()


def test_inference_releases_the_gil(engine):
    ticks = 0
    done = threading.Event()
    outcome = []

    def correct():
        # Long enough to take a while (one sentence took 49 ms once the scoring stopped
        # zeroing the KV cache, under the bar below).
        outcome.append(engine.run_postprocessor("Ths is a smple txt, and tbe end. " * 8))
        done.set()

    worker = threading.Thread(target=correct)
    started = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - started
    assert outcome and elapsed > 0.05
    # With the GIL held for the whole call this loop could not have run meanwhile.
    assert ticks > elapsed * 100, (ticks, elapsed)


def test_shared_weights_for_another_thread(engine):
    other = engine.share()
    assert other.is_initialized() and other.model_path() == engine.model_path()
    assert other.run_postprocessor("ok").text == "ok"
    other.free_resources()
    assert engine.is_initialized()


def test_auto_download_of_a_real_model(hub, cpu_config):
    (path,) = require_models(DEFAULT_REPO)
    hub.start("ocrfix-test/smol-GGUF", {"smol.Q4_1.gguf": {"path": path}})
    with ocrfix.Engine(ocrfix.ModelConfig(hugging_face_repo_id="ocrfix-test/smol-GGUF",
                                          hugging_face_quantization="q4_1", gpu_layers=0)) as engine:
        assert "models--ocrfix-test--smol-GGUF" in engine.model_path()
        assert engine.run_postprocessor("").text == ""

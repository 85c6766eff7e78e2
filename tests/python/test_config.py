"""ModelConfig: its keyword arguments and attributes are the settings table's rows."""

import ocrfix
import pytest
from ocrfix.ai import AsposeAI, AsposeAIModelConfig

PYTHON_TYPES = {"str": str, "int": int, "bool": bool}


def test_every_setting_is_a_typed_keyword_and_attribute():
    settings = ocrfix.model_settings()
    assert [row["name"] for row in settings][:4] == [
        "hugging_face_repo_id", "hugging_face_quantization", "gpu_layers", "context_size"]
    defaults = ocrfix.ModelConfig()
    for row in settings:
        value = getattr(defaults, row["name"])
        assert value == row["default"] and type(value) is PYTHON_TYPES[row["type"]], row
        assert row["env"].startswith("OCRFIX_") and row["help"]
        config = ocrfix.ModelConfig(**{row["name"]: row["default"]})
        assert config == defaults


def test_seed_sdk_defaults_and_names():
    config = AsposeAIModelConfig(hugging_face_repo_id="ORG/NAME-GGUF", context_size=8192)
    assert (config.hugging_face_quantization, config.gpu_layers, config.context_size) == ("q4_k_m", 40, 8192)
    assert config.allow_auto_download is True and config.tier == "balanced"
    assert AsposeAI is ocrfix.Engine and AsposeAIModelConfig is ocrfix.ModelConfig
    assert ocrfix.AsposeAI is ocrfix.Engine
    assert "hugging_face_repo_id='ORG/NAME-GGUF'" in repr(config)


def test_attributes_are_settable_and_checked():
    config = ocrfix.ModelConfig()
    config.threads = 2
    config.tier = "fast"
    config.allow_auto_download = False
    assert (config.threads, config.tier, config.allow_auto_download) == (2, "fast", False)
    with pytest.raises(TypeError, match="gpu_layers must be int"):
        config.gpu_layers = "40"
    with pytest.raises(TypeError, match="allow_auto_download must be bool"):
        ocrfix.ModelConfig(allow_auto_download=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'quantization'"):
        ocrfix.ModelConfig(quantization="q4_k_m")
    with pytest.raises(ocrfix.InvalidArgumentError, match="tier 'turbo'") as raised:
        ocrfix.ModelConfig(tier="turbo").validate()
    assert isinstance(raised.value, ValueError) and raised.value.category == "invalid_argument"
    with pytest.raises(ocrfix.InvalidArgumentError):
        ocrfix.ModelConfig(gpu_layers=-1).validate()


def test_environment_applies_over_a_base(monkeypatch):
    monkeypatch.setenv("OCRFIX_GPU_LAYERS", "7")
    monkeypatch.setenv("OCRFIX_TIER", "accurate")
    config = ocrfix.apply_environment(ocrfix.ModelConfig(threads=3))
    assert (config.gpu_layers, config.tier, config.threads) == (7, "accurate", 3)

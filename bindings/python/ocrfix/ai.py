"""The seed SDK's names, so its scripts run after changing only their import line:

    from ocrfix.ai import AsposeAI, AsposeAIModelConfig
"""

from . import Engine as AsposeAI
from . import ModelConfig as AsposeAIModelConfig
from . import CorrectionResult, Error

__all__ = ["AsposeAI", "AsposeAIModelConfig", "CorrectionResult", "Error"]

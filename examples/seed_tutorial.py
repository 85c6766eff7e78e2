# The seed SDK's tutorial, unchanged except for its import line (ocrfix provides the names).
# Without the two models it names (none of them is a built-in model), it stops at the first
# initialize() with one paragraph that says which model is missing and how to get it.
from ocrfix.ai import AsposeAI, AsposeAIModelConfig

long_ocr_paragraph = (
    "Tbe Govemment has announced tho new rules for the harbour. It was a very fine day, "
    "and the shlp arrived at tbe port in the rnorning, carrying rnany passengers and goods "
    "frorn the colonies, which were unloaded before noon by the men of the docks."
)

ai = AsposeAI()
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="openai/gpt2",
    hugging_face_quantization="int8", gpu_layers=0))
print("Fast model correction:", ai.run_postprocessor("Ths is a smple txt."))
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="Qwen/Qwen2.5-3B-Instruct-GGUF",
    hugging_face_quantization="q4_k_m", gpu_layers=40, context_size=8192))
print("Accurate model correction:", ai.run_postprocessor(long_ocr_paragraph))
ai.free_resources()

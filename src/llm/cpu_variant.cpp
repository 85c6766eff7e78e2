#include "llm/cpu_variant.h"

#include <llama.h>
#include <unistd.h>

#include <functional>

#include "llm/model.h"

namespace ocrfix::llm {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxSize = 1ull << 30;

}  // namespace

std::string cpu_fast_variant(const Model& model, const fs::path& derived_dir) {
    const std::string& path = model.path();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > kMaxSize || llama_model_ftype(model.raw()) != LLAMA_FTYPE_MOSTLY_Q4_1) return path;
    // Name the copy by the source's name, size and time, so a replaced source gets a new copy.
    const auto stamp = fs::last_write_time(path, ec).time_since_epoch().count();
    const std::string key = std::to_string(std::hash<std::string>{}(fs::path(path).filename().string() + ":" +
                                                                     std::to_string(size) + ":" + std::to_string(stamp)));
    const fs::path target = derived_dir / (fs::path(path).stem().string() + "." + key + ".q8_0.gguf");
    if (fs::exists(target, ec)) return target.string();
    fs::create_directories(derived_dir, ec);
    const fs::path partial = target.string() + ".partial." + std::to_string(::getpid());
    ensure_backend();
    llama_model_quantize_params params = llama_model_quantize_default_params();
    params.ftype = LLAMA_FTYPE_MOSTLY_Q8_0;
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
    return target.string();
}

}  // namespace ocrfix::llm

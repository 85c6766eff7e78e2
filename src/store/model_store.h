// Finding the GGUF file a ModelConfig names: an explicit file, a folder, or the local
// Hugging Face hub cache (models--ORG--NAME/snapshots/REV/FILE, refs/main).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/model_config.h"
#include "store/download.h"

namespace ocrfix::store {

// Models that scripts/ocrfix_setup.py installs from PyPI packages (keep the two in step;
// a unit test compares them).
struct BuiltinModel {
    std::string_view alias;
    std::string_view repo_id;
    std::string_view filename;
    std::string_view description;
};
const std::vector<BuiltinModel>& builtin_models();
const BuiltinModel& default_model();
const BuiltinModel* find_builtin(std::string_view alias_or_repo_id);

// $OCRFIX_HOME, else $XDG_CACHE_HOME/ocrfix, else ~/.cache/ocrfix.
std::filesystem::path ocrfix_home();
// $HF_HUB_CACHE, else $HF_HOME/hub, else <ocrfix home>/hub.
std::filesystem::path hub_cache_dir();
// <cache>/models--ORG--NAME
std::filesystem::path repo_cache_dir(std::string_view repo_id);

// File-name tokens a quantization name matches, lower case: "int8" -> {"q8_0"},
// "fp16" -> {"f16"}, "none" -> {"f32", "bf16", "f16"}, "q4_k_m" -> {"q4_k_m"}.
std::vector<std::string> quantization_tokens(std::string_view quantization);

// Among `filenames`, the GGUF files whose name carries `quantization` (case-insensitive,
// delimited by non-alphanumerics). Split models (-00001-of-0000N) count once, by their
// first part.
std::vector<std::string> match_quantization(const std::vector<std::string>& filenames,
                                            std::string_view quantization);

// The local file for `config`, without downloading: file_model_path, then
// directory_model_path, then the hub cache. nullopt when it is not there; throws
// ocrfix::Error(model_not_found) when the choice is ambiguous or a named path is missing.
std::optional<std::filesystem::path> find_local(const ModelConfig& config);

// find_local, or an ocrfix::Error(model_not_found) that names the repo, the quantization
// and what to do next. Never downloads.
std::filesystem::path resolve(const ModelConfig& config);

// One GGUF file in the local hub cache.
struct LocalModel {
    std::string repo_id;     // "ORG/NAME"
    std::string filename;    // as in the snapshot
    std::string revision;    // the snapshot folder name
    std::filesystem::path path;
    std::uint64_t size_bytes = 0;
};
// Every GGUF in every snapshot of the hub cache, sorted by repo id then file name.
std::vector<LocalModel> list_local();

// Deletes a repo (all its snapshots and blobs) from the hub cache; returns the bytes freed.
// Throws ocrfix::Error(model_not_found) when the repo is not cached.
std::uint64_t remove_local(std::string_view repo_id);

// Downloads the GGUF file(s) `config` names from the hub at HF_ENDPOINT into the cache,
// unless they are there already; returns the local path (first part of a split model).
// Reads the repo's file list, picks the file for the quantization (every part of a split
// model), downloads each (download.h) and points refs/main at the commit. With
// HF_HUB_OFFLINE set it only looks locally. Throws ocrfix::Error(download /
// model_not_found) naming the repo, the file and what to do.
std::filesystem::path pull(const ModelConfig& config, const ProgressCallback& progress = {});

}  // namespace ocrfix::store

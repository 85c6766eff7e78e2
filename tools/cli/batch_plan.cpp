#include "batch_plan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "ocrfix/engine.h"
#include "ocrfix/error.h"
#include "ocrfix/settings.h"
#include "store/model_store.h"
#include "store/sha256.h"
#include "text/utf8.h"

namespace ocrfix::cli {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

bool is_hidden(const fs::path& path) {
    const std::string name = path.filename().string();
    return name.size() > 1 && name[0] == '.';
}

bool is_layout_name(const fs::path& path) {
    const std::string extension = lower(path.extension().string());
    return extension == ".xml" || extension == ".hocr" || extension == ".html" || extension == ".xhtml";
}

bool is_batch_input(const fs::path& path) {
    const std::string extension = lower(path.extension().string());
    return extension == ".txt" || extension == ".jsonl" || is_layout_name(path);
}

// Where the output of `relative` goes, and in which format.
void place(BatchItem& item, const std::string& format) {
    const bool jsonl_input = lower(fs::path(item.relative).extension().string()) == ".jsonl";
    if (format.empty()) {
        item.format = jsonl_input ? OutputFormat::jsonl : OutputFormat::text;
        item.keep_layout = !jsonl_input;  // the worker keeps the layout of what is hOCR, ALTO or PAGE
        return;
    }
    item.format = parse_output_format(format);
    if (item.format == OutputFormat::diff)
        throw Error(ErrorCategory::invalid_argument,
                    "--output-dir writes text, json or jsonl files; for diffs, correct one file at a time");
    if (item.format == OutputFormat::json) item.relative = fs::path(item.relative).replace_extension(".json").string();
    if (item.format == OutputFormat::text && is_layout_name(item.relative))
        item.relative = fs::path(item.relative).replace_extension(".txt").string();
}

std::uint64_t size_of(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// Is `folder` OUT itself? Compared after resolving both, so "./out" and "out/" match. A
// folder under OUT is walked (an input folder may live inside OUT); OUT's own files are
// skipped because OUT is. An unresolvable path is not OUT.
bool is_output_dir(const fs::path& folder, const fs::path& output_dir) {
    std::error_code ec_a, ec_b;
    const fs::path a = fs::weakly_canonical(folder, ec_a);
    const fs::path b = fs::weakly_canonical(output_dir, ec_b);
    return !ec_a && !ec_b && a == b;
}

// A file named directly, resolved: a link into /dev or /proc (/dev/stdin, /dev/fd/3) is the
// worker's own pipe or a device, not a file to correct.
fs::path direct_file(const std::string& name) {
    std::error_code ec;
    const fs::path resolved = fs::canonical(name, ec);
    const std::string text = resolved.string();
    if (ec || !fs::is_regular_file(resolved, ec) || text.rfind("/dev/", 0) == 0 || text.rfind("/proc/", 0) == 0)
        throw Error(ErrorCategory::io, "'" + name + "' is not a regular file; a batch reads files and folders "
                                       "(pipe it to `ocrfix correct -` instead)");
    return resolved;
}

void add_folder(const fs::path& root, const fs::path& output_dir, std::vector<BatchItem>& items) {
    std::error_code ec;
    fs::recursive_directory_iterator walk(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) throw Error(ErrorCategory::io, "cannot read the folder '" + root.string() + "': " + ec.message());
    for (auto it = walk; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) throw Error(ErrorCategory::io, "cannot read in '" + root.string() + "': " + ec.message());
        const fs::path& path = it->path();
        const bool folder = it->is_directory(ec) && !it->is_symlink(ec);
        if (is_hidden(path) || (folder && is_output_dir(path, output_dir))) {
            if (folder) it.disable_recursion_pending();
            continue;
        }
        if (folder || !it->is_regular_file(ec) || !is_batch_input(path)) continue;  // a symlink to a file counts
        BatchItem item;
        item.input = path;
        item.relative = path.lexically_relative(root).generic_string();
        item.size = size_of(path);
        items.push_back(std::move(item));
    }
}

}  // namespace

std::vector<BatchItem> plan_batch(const std::vector<std::string>& paths, const fs::path& output_dir,
                                  const std::string& format) {
    std::vector<BatchItem> items;
    for (const auto& name : paths) {
        if (name == "-")
            throw Error(ErrorCategory::invalid_argument, "--output-dir corrects files and folders, not stdin");
        std::error_code ec;
        const auto status = fs::status(name, ec);
        if (ec || !fs::exists(status))
            throw Error(ErrorCategory::io, "cannot read '" + name + "': no such file or folder; check the path");
        if (fs::is_directory(status)) {
            const std::size_t before = items.size();
            add_folder(name, output_dir, items);
            std::sort(items.begin() + static_cast<std::ptrdiff_t>(before), items.end(),
                      [](const BatchItem& a, const BatchItem& b) { return a.relative < b.relative; });
            continue;
        }
        // A FIFO or device would be read twice (hash, then correction), /dev/stdin is the worker's pipe.
        BatchItem item;
        item.input = direct_file(name);
        item.relative = fs::path(name).filename().string();
        item.size = size_of(name);
        items.push_back(std::move(item));
    }
    // Every input's identity: no output may be written over any of them.
    std::map<std::pair<dev_t, ino_t>, const BatchItem*> inputs;
    for (const auto& item : items) {
        struct stat info {};
        if (::stat(item.input.c_str(), &info) == 0) inputs.emplace(std::make_pair(info.st_dev, info.st_ino), &item);
    }
    std::map<std::string, const BatchItem*> by_output;
    for (auto& item : items) {
        place(item, format);
        const auto [it, fresh] = by_output.emplace(item.relative, &item);
        if (!fresh)
            throw Error(ErrorCategory::invalid_argument,
                        "'" + it->second->input.string() + "' and '" + item.input.string() + "' would both be written to '" +
                            (output_dir / item.relative).string() +
                            "'; correct them in separate runs or pass their folder instead");
        struct stat info {};
        if (::stat((output_dir / item.relative).c_str(), &info) == 0)
            if (const auto hit = inputs.find({info.st_dev, info.st_ino}); hit != inputs.end())
                throw Error(ErrorCategory::invalid_argument,
                            "the output of '" + item.input.string() + "' would overwrite the input '" +
                                hit->second->input.string() + "'; choose another --output-dir");
    }
    return items;
}

std::string settings_fingerprint(const ModelConfig& config, OutputFormat format) {
    std::string state = "ocrfix " + version_string() + "\nformat " + std::to_string(static_cast<int>(format)) + "\n";
    for (const auto& setting : model_settings())
        if (setting.name != "threads") state += std::string(setting.name) + "=" + setting.get(config) + "\n";
    if (config.tier != "fast") {
        try {
            if (const auto model = store::find_local(config)) {
                std::error_code ec;
                const auto modified = fs::last_write_time(*model, ec).time_since_epoch().count();
                state += "model " + model->string() + " " + std::to_string(size_of(*model)) + " " +
                         std::to_string(modified) + "\n";
            }
        } catch (const Error&) {
            // Not found or ambiguous: the workers report it when they load the model.
        }
    }
    return store::sha256_bytes(state);
}

std::string path_to_json(const std::string& path) {
    if (!text::find_invalid_utf8(path) && path.rfind("hex:", 0) != 0) return path;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "hex:";
    for (const unsigned char c : path) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string path_from_json(const std::string& text) {
    if (text.rfind("hex:", 0) != 0) return text;
    auto digit = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::string out;
    for (std::size_t i = 4; i + 1 < text.size(); i += 2)
        out += static_cast<char>(digit(text[i]) * 16 + digit(text[i + 1]));
    return out;
}

DoneList::DoneList(const fs::path& state_dir) : path_(state_dir / "done.jsonl") {
    std::ifstream file(path_);
    std::string line;
    while (std::getline(file, line)) {
        const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (!record.is_object() || !record.contains("path") || !record["path"].is_string() ||
            !record.contains("input") || !record["input"].is_string() || !record.contains("settings") ||
            !record["settings"].is_string() || !record.contains("bytes") || !record["bytes"].is_number_unsigned())
            continue;  // torn by a kill, or not ours
        entries_[path_from_json(record["path"].get<std::string>())] = {record["input"].get<std::string>(),
                                                       record["settings"].get<std::string>(),
                                                       record["bytes"].get<std::uint64_t>()};
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw Error(ErrorCategory::io, "cannot write '" + path_.string() + "': " + std::strerror(errno) +
                                           "; check the permissions of the output folder");
    // A line a killed run left half-written gets its end, so the next record starts a line.
    std::error_code ec;
    if (const auto size = fs::file_size(path_, ec); !ec && size > 0) {
        std::ifstream last(path_, std::ios::binary);
        last.seekg(static_cast<std::streamoff>(size) - 1);
        if (last.get() != '\n' && ::write(fd_, "\n", 1) != 1)
            throw Error(ErrorCategory::io, "cannot write '" + path_.string() + "': " + std::strerror(errno));
    }
}

DoneList::~DoneList() {
    if (fd_ >= 0) ::close(fd_);
}

bool DoneList::finished(const BatchItem& item, const fs::path& output_dir, const std::string& fingerprint) const {
    const auto it = entries_.find(item.relative);
    if (it == entries_.end() || it->second.fingerprint != fingerprint) return false;
    std::error_code ec;
    const auto size = fs::file_size(output_dir / item.relative, ec);
    if (ec || size != it->second.bytes) return false;
    // Last, as it reads the whole input: only files that may be done are hashed.
    try {
        return store::sha256_file(item.input) == it->second.input_sha256;
    } catch (const Error&) {
        return false;  // unreadable now: the worker says why
    }
}

void DoneList::record(const BatchItem& item, const std::string& fingerprint, std::uint64_t output_bytes) {
    const std::string line = nlohmann::json{{"path", path_to_json(item.relative)},
                                            {"input", item.input_sha256},
                                            {"settings", fingerprint},
                                            {"bytes", output_bytes}}
                                 .dump() +
                             "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        throw Error(ErrorCategory::io, "cannot write '" + path_.string() + "': " + std::strerror(errno) +
                                           "; free some space and run again (finished files are kept)");
    entries_[item.relative] = {item.input_sha256, fingerprint, output_bytes};
}

}  // namespace ocrfix::cli

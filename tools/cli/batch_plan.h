// What `ocrfix correct --output-dir OUT` has to do: the input files found under the paths
// given, where each one's output goes, and which of them an earlier run already finished.
//
// OUT/.ocrfix/ holds the batch's own state:
//   done.jsonl    one line per finished file: its output path, the SHA-256 of its input,
//                 the settings fingerprint and the output's size; appended as files finish
//   summary.json  the last run's summary (what `ocrfix.correct_files` returns)
//   tmp/          outputs being written; renamed into place when whole, emptied at start
//   lock          held while a batch runs, so two runs never write the same folder
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "ocrfix/model_config.h"
#include "output_formats.h"

namespace ocrfix::cli {

struct BatchItem {
    std::filesystem::path input;  // as found
    std::string relative;         // the output's path under OUT, '/'-separated
    OutputFormat format;          // what the output holds
    bool keep_layout = false;     // an hOCR, ALTO or PAGE input is written back as such
    std::uint64_t size = 0;       // input bytes
    std::string input_sha256;     // of the bytes the worker corrected, for the done list
};

// Folders are searched recursively for *.txt, *.jsonl, and the layout files *.xml (ALTO,
// PAGE), *.hocr, *.html and *.xhtml (hidden entries, symlinked folders and OUT itself are
// skipped); a file named directly is taken whatever its name. A folder's files keep their
// path relative to it; a file named directly is put at OUT's top. `format` empty: *.jsonl
// files are corrected line by line (jsonl), hOCR, ALTO and PAGE files (recognised from their
// bytes) are written back in their format, the rest as text; "json", "jsonl" or "text"
// applies to all (json writes NAME.json; text writes a layout file's words as NAME.txt).
// Throws ocrfix::Error:
// io for a path that does not exist, invalid_argument when two inputs would write the same
// output or an output would overwrite an input.
std::vector<BatchItem> plan_batch(const std::vector<std::string>& paths, const std::filesystem::path& output_dir,
                                  const std::string& format);

// A digest of everything that changes a result: ocrfix's version, the output format, every
// model setting but threads, and, for the model tiers, the model file's path, size and
// modification time. A finished file is only skipped when its fingerprint matches.
std::string settings_fingerprint(const ModelConfig& config, OutputFormat format);

// A path as a JSON string and back, losslessly: file names are bytes, JSON strings are UTF-8.
// A name that is not valid UTF-8 (or starts with "hex:") is written as "hex:" and its bytes
// in hex.
std::string path_to_json(const std::string& path);
std::string path_from_json(const std::string& text);

class DoneList {
public:
    // Reads OUT/.ocrfix/done.jsonl; a line a killed run left half-written is ignored.
    explicit DoneList(const std::filesystem::path& state_dir);
    ~DoneList();
    DoneList(const DoneList&) = delete;
    DoneList& operator=(const DoneList&) = delete;

    // True when `item` was finished with these settings, its output is still there with the
    // size it was written with, and its input has the SHA-256 it had (hashed only when the
    // rest matches).
    bool finished(const BatchItem& item, const std::filesystem::path& output_dir, const std::string& fingerprint) const;

    // Appends one line (one write(2), so a kill leaves whole lines or a torn last one).
    // Throws ocrfix::Error(io).
    void record(const BatchItem& item, const std::string& fingerprint, std::uint64_t output_bytes);

private:
    struct Entry {
        std::string input_sha256;
        std::string fingerprint;
        std::uint64_t bytes = 0;
    };
    std::filesystem::path path_;
    std::unordered_map<std::string, Entry> entries_;  // by relative output path
    int fd_ = -1;
};

}  // namespace ocrfix::cli

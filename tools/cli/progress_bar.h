// A one-line progress bar on stderr, drawn only when stderr is a terminal: a pipeline that
// captures stderr sees no control characters and no noise.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ocrfix::cli {

enum class ProgressUnit { items, bytes };

class ProgressBar {
public:
    // `label` heads the line ("downloading model.gguf"); `total` 0 means unknown.
    ProgressBar(std::string label, std::uint64_t total, ProgressUnit unit = ProgressUnit::items);
    ~ProgressBar();  // finish()es
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    bool enabled() const noexcept { return enabled_; }
    void set_label(std::string label);
    void set_total(std::uint64_t total) noexcept { total_ = total; }
    // Text after the counts ("12,345 chars/s  ETA 3m10s"), shown from the next redraw.
    void set_detail(std::string detail) { detail_ = std::move(detail); }
    // Redraws at most ten times a second, plus always at 100%.
    void update(std::uint64_t done);
    // Draws the final state and ends the line; nothing when update() was never called, so
    // work that turned out to be instant (a model already downloaded) prints nothing.
    void finish();

private:
    void draw();

    std::string label_;
    std::string detail_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    ProgressUnit unit_;
    bool enabled_;
    bool finished_ = false;
    bool updated_ = false;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_draw_{};
};

// "12.3 MB", "512 B": decimal units, as download tools print them.
std::string format_bytes(std::uint64_t bytes);

}  // namespace ocrfix::cli

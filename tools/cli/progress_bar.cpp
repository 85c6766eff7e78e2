#include "progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "terminal.h"

namespace ocrfix::cli {

namespace {

int terminal_width() {
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) return size.ws_col;
    return 80;
}

std::string format_count(std::uint64_t value, ProgressUnit unit) {
    return unit == ProgressUnit::bytes ? format_bytes(value) : std::to_string(value);
}

}  // namespace

std::string format_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    int index = 0;
    while (value >= 1000.0 && index < 4) {
        value /= 1000.0;
        ++index;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, index == 0 ? "%.0f %s" : "%.1f %s", value, units[index]);
    return buffer;
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total, ProgressUnit unit)
    : label_(std::move(label)), total_(total), unit_(unit), enabled_(is_terminal(stderr)),
      started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::set_label(std::string label) { label_ = std::move(label); }

void ProgressBar::update(std::uint64_t done) {
    done_ = done;
    updated_ = true;
    if (!enabled_ || finished_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100) && !(total_ && done_ >= total_)) return;
    last_draw_ = now;
    draw();
}

void ProgressBar::finish() {
    if (!enabled_ || finished_ || !updated_) return;
    finished_ = true;
    draw();
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

void ProgressBar::draw() {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    std::string counts = format_count(done_, unit_);
    if (total_) counts += " / " + format_count(total_, unit_);
    if (unit_ == ProgressUnit::bytes && seconds > 0.5)
        counts += "  " + format_bytes(static_cast<std::uint64_t>(done_ / seconds)) + "/s";
    if (!detail_.empty()) counts += "  " + detail_;

    const int width = terminal_width();
    std::string line = label_ + " ";
    const int bar_width = std::max(10, width - static_cast<int>(line.size() + counts.size()) - 5);
    if (total_) {
        const double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
        const int filled = static_cast<int>(fraction * bar_width);
        line += '[';
        line.append(filled, '#');
        line.append(bar_width - filled, '.');
        line += "] ";
    }
    line += counts;
    if (static_cast<int>(line.size()) >= width) line.resize(width - 1);
    // \r returns to the start of the line and \x1b[K clears what a longer line left.
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
}

}  // namespace ocrfix::cli

#include "store/progress_bar.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

namespace ocrfix::store {

ProgressCallback terminal_progress_bar() {
    if (!::isatty(STDERR_FILENO)) return {};
    struct State {
        std::chrono::steady_clock::time_point last_draw{};
        bool finished = false;
    };
    auto state = std::make_shared<State>();
    return [state](const DownloadProgress& progress) {
        const auto now = std::chrono::steady_clock::now();
        const bool done = progress.bytes_total > 0 && progress.bytes_done >= progress.bytes_total;
        // Redraw at most ten times a second: curl calls back far more often.
        if (!done && now - state->last_draw < std::chrono::milliseconds(100)) return;
        if (done && state->finished) return;
        state->last_draw = now;
        state->finished = done;
        constexpr int kWidth = 30;
        const double mb = 1e6;
        if (progress.bytes_total == 0) {
            std::fprintf(stderr, "\r%.*s  %.1f MB", 40, std::string(progress.filename).c_str(),
                         progress.bytes_done / mb);
        } else {
            const double fraction = static_cast<double>(progress.bytes_done) / progress.bytes_total;
            const int filled = static_cast<int>(fraction * kWidth);
            std::fprintf(stderr, "\r%.*s %3d%% [%s%s] %.1f/%.1f MB", 40,
                         std::string(progress.filename).c_str(), static_cast<int>(fraction * 100),
                         std::string(filled, '=').c_str(), std::string(kWidth - filled, ' ').c_str(),
                         progress.bytes_done / mb, progress.bytes_total / mb);
        }
        if (done) std::fputc('\n', stderr);
        std::fflush(stderr);
    };
}

}  // namespace ocrfix::store

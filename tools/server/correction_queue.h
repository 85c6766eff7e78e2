// A bounded queue of correction jobs served by worker threads, each with its own Engine
// over one shared model (Engine::share: weights loaded once, one context per worker).
// Thread-safe: submit() may be called from any number of HTTP threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "ocrfix/engine.h"

namespace ocrfix::server {

// Thrown into a job's future when its deadline passed before its texts were corrected.
class DeadlineExceeded : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CorrectionJob {
    std::vector<std::string> texts;
    RunOptions options;
    // When set, the worker runs this before correcting `texts`, and its results come first.
    // POST /v1/ocr recognises its pages here, so that Tesseract shares the workers' bound and
    // the deadline (`options` comes with its should_stop set).
    std::function<std::vector<CorrectionResult>(Engine&, const RunOptions&)> work;
    std::chrono::steady_clock::time_point deadline;
    // Set by the HTTP thread when it stopped waiting; the worker then stops the correction
    // in progress (RunOptions::should_stop) and skips what is left.
    std::atomic<bool> abandoned{false};
    std::promise<std::vector<CorrectionResult>> results;
};

enum class SubmitStatus { accepted, queue_full, closed };

class CorrectionQueue {
public:
    // Takes the loaded engine as the first worker and share()s it for the others.
    // `capacity` counts jobs that may wait while every worker is busy.
    CorrectionQueue(Engine engine, int workers, std::size_t capacity);
    ~CorrectionQueue();  // close()
    CorrectionQueue(const CorrectionQueue&) = delete;
    CorrectionQueue& operator=(const CorrectionQueue&) = delete;

    SubmitStatus submit(std::shared_ptr<CorrectionJob> job);
    // Stops accepting, lets the workers finish every queued job, joins them.
    void close();

    std::size_t waiting() const;
    std::size_t busy() const;
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t workers() const noexcept { return engines_.size(); }

private:
    void work(Engine& engine);

    const std::size_t capacity_;
    std::vector<Engine> engines_;
    std::vector<std::thread> threads_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<CorrectionJob>> jobs_;
    std::size_t busy_ = 0;
    bool closed_ = false;
};

}  // namespace ocrfix::server

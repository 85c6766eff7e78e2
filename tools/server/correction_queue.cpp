#include "correction_queue.h"

#include "ocrfix/error.h"

namespace ocrfix::server {

CorrectionQueue::CorrectionQueue(Engine engine, int workers, std::size_t capacity) : capacity_(capacity) {
    const int count = std::max(1, workers);
    engines_.reserve(count);
    for (int i = 1; i < count; ++i) engines_.push_back(engine.share());
    engines_.push_back(std::move(engine));
    // engines_ is never resized again, so the references the threads hold stay valid.
    for (auto& worker_engine : engines_) threads_.emplace_back([this, &worker_engine] { work(worker_engine); });
}

CorrectionQueue::~CorrectionQueue() { close(); }

SubmitStatus CorrectionQueue::submit(std::shared_ptr<CorrectionJob> job) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return SubmitStatus::closed;
        // Idle workers take a job at once; beyond them, `capacity_` jobs may wait.
        if (jobs_.size() + busy_ >= engines_.size() + capacity_) return SubmitStatus::queue_full;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return SubmitStatus::accepted;
}

void CorrectionQueue::close() {
    {
        std::lock_guard lock(mutex_);
        if (closed_ && threads_.empty()) return;
        closed_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

std::size_t CorrectionQueue::waiting() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

std::size_t CorrectionQueue::busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
}

void CorrectionQueue::work(Engine& engine) {
    for (;;) {
        std::shared_ptr<CorrectionJob> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return closed_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // closed and drained
            job = std::move(jobs_.front());
            jobs_.pop_front();
            ++busy_;
        }
        // Asked between texts and, through RunOptions::should_stop, inside the correction of
        // each: a job past its deadline stops within one model operation and frees the worker.
        CorrectionJob& current = *job;
        const auto should_stop = [&current] {
            return current.abandoned.load(std::memory_order_relaxed) ||
                   std::chrono::steady_clock::now() >= current.deadline;
        };
        const auto timed_out = [] {
            return std::make_exception_ptr(DeadlineExceeded("the request timed out before its texts were corrected"));
        };
        current.options.should_stop = should_stop;
        try {
            std::vector<CorrectionResult> results;
            if (current.work) {
                if (should_stop()) std::rethrow_exception(timed_out());
                results = current.work(engine, current.options);
            }
            results.reserve(current.texts.size());
            for (const auto& text : current.texts) {
                if (should_stop()) std::rethrow_exception(timed_out());
                results.push_back(engine.run_postprocessor(text, current.options));
            }
            current.results.set_value(std::move(results));
        } catch (const Error&) {
            current.results.set_exception(should_stop() ? timed_out() : std::current_exception());
        } catch (...) {
            current.results.set_exception(std::current_exception());
        }
        std::lock_guard lock(mutex_);
        --busy_;
    }
}

}  // namespace ocrfix::server

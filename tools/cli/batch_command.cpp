#include "batch_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "batch_plan.h"
#include "batch_worker.h"
#include "exit_codes.h"
#include "llm/machine_limits.h"
#include "ocrfix/error.h"
#include "progress_bar.h"
#include "store/model_store.h"

namespace ocrfix::cli {

namespace fs = std::filesystem;

namespace {

constexpr int kInterrupted = 130;

volatile std::sig_atomic_t g_interrupts = 0;
extern "C" void on_interrupt(int) { g_interrupts = g_interrupts + 1; }

// SIGINT/SIGTERM count interruptions while the batch runs; SIGPIPE is ignored (a worker
// that died is seen as EOF). The previous handlers come back at the end.
class SignalScope {
public:
    SignalScope() {
        g_interrupts = 0;
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ignore, &old_pipe_);
    }
    ~SignalScope() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        sigaction(SIGPIPE, &old_pipe_, nullptr);
    }

private:
    struct sigaction old_int_ {}, old_term_ {}, old_pipe_ {};
};

// OUT/.ocrfix/lock, held with flock for the whole run.
class FolderLock {
public:
    explicit FolderLock(const fs::path& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw Error(ErrorCategory::io, "cannot write '" + path.string() + "': " + std::strerror(errno));
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
            throw Error(ErrorCategory::invalid_argument,
                        "another ocrfix batch is writing into '" + path.parent_path().parent_path().string() +
                            "'; wait for it to finish or choose another --output-dir");
    }
    ~FolderLock() { ::close(fd_); }
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

struct Failure {
    std::string path;
    ErrorCategory category;
    std::string message;
};

struct Worker {
    WorkerProcess process;
    std::string buffer;                // bytes read, up to a full line
    bool ready = false;
    std::optional<std::size_t> item;   // index into the to-do list while it corrects one
    bool open = true;                  // its stdin is open
};

std::string with_commas(std::uint64_t value) {
    const std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string duration(double seconds) {
    const auto total = static_cast<long long>(seconds + 0.5);
    char buffer[32];
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", total / 3600, total / 60 % 60);
    else if (total >= 60)
        std::snprintf(buffer, sizeof buffer, "%lldm%02llds", total / 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%llds", total);
    return buffer;
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// Ends every worker still running: closes their stdin, waits `grace`, then kills.
void stop_workers(std::deque<Worker>& workers, std::chrono::milliseconds grace) {
    for (auto& worker : workers) close_fd(worker.process.to_worker);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    for (auto& worker : workers) {
        if (worker.process.pid < 0) continue;
        int status = 0;
        while (::waitpid(worker.process.pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(worker.process.pid, SIGKILL);
                ::waitpid(worker.process.pid, &status, 0);
                break;
            }
            ::usleep(10000);
        }
        worker.process.pid = -1;
        close_fd(worker.process.from_worker);
    }
}

// How a worker that closed its stdout ended, for the failure of the file it held.
std::string reap(Worker& worker) {
    int status = 0;
    while (::waitpid(worker.process.pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker.process.pid = -1;
    close_fd(worker.process.to_worker);
    close_fd(worker.process.from_worker);
    if (WIFSIGNALED(status))
        return std::string("the worker was killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
               strsignal(WTERMSIG(status)) + ") while correcting it" +
               (WTERMSIG(status) == SIGKILL ? "; out of memory?" : "");
    return "the worker exited (status " + std::to_string(WEXITSTATUS(status)) + ") while correcting it";
}

// One job per core, but no more than the memory holds: each job loads its own model. The
// estimate (measured: 102 MiB for the fast tier; 583 MiB for the balanced tier with
// SmolLM2, whose file is 94 MB) is the lexicons plus four times the model file (its CPU
// copy, the KV cache of the verifier's sequences, buffers).
int default_jobs(int cores, const ModelConfig& config) {
    constexpr std::uint64_t kMiB = 1024 * 1024;
    std::uint64_t per_job = 160 * kMiB;
    if (config.tier != "fast") {
        try {
            if (const auto model = store::find_local(config)) {
                std::error_code ec;
                per_job += 4 * fs::file_size(*model, ec);
            }
        } catch (const Error&) {
            // Not found: the first worker reports it.
        }
    }
    const std::uint64_t memory = llm::usable_memory();
    if (memory == 0) return cores;
    const std::uint64_t fit = memory * 8 / 10 / per_job;
    const double need = static_cast<double>(per_job) / kMiB, have = static_cast<double>(memory) / kMiB;
    if (fit == 0)
        std::fprintf(stderr, "ocrfix: warning: a job needs about %.0f MiB and %.0f MiB is available; the worker may be "
                             "killed for memory (try --tier fast or a smaller model)\n", need, have);
    else if (fit < static_cast<std::uint64_t>(cores))
        std::fprintf(stderr, "ocrfix: %d %s, not %d: each needs about %.0f MiB and %.0f MiB is available; --jobs "
                             "overrides\n", static_cast<int>(fit), fit == 1 ? "job" : "jobs", cores, need, have);
    return static_cast<int>(std::clamp<std::uint64_t>(fit, 1, static_cast<std::uint64_t>(cores)));
}

struct Work {
    std::vector<std::size_t> todo;  // indexes into the items
    std::size_t skipped = 0;        // done by an earlier run
    std::uint64_t bytes = 0;        // input bytes to do
};

// What is left to do: files whose input or settings changed, or whose output is gone or
// damaged. A rerun hashes the inputs a run finished (a progress bar: that takes a while
// for a large collection).
Work find_work(const std::vector<BatchItem>& items, const ModelConfig& config, const fs::path& output_dir,
               const DoneList& done, std::map<OutputFormat, std::string>& fingerprints) {
    Work work;
    ProgressBar checking("checking what is done", items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        checking.update(i + 1);
        const auto& item = items[i];
        auto [fingerprint, fresh] = fingerprints.emplace(item.format, "");
        if (fresh) fingerprint->second = settings_fingerprint(config, item.format);
        if (done.finished(item, output_dir, fingerprint->second)) {
            ++work.skipped;
        } else {
            work.todo.push_back(i);
            work.bytes += item.size;
        }
    }
    return work;
}

// Writes summary.json whole (tmp + rename); false, with the reason on stderr, when it cannot.
bool write_summary(const fs::path& path, const nlohmann::json& summary) {
    const fs::path temp = path.string() + ".tmp";
    std::error_code ec;
    bool ok = false;
    if (std::FILE* file = std::fopen(temp.c_str(), "wb")) {
        const std::string text = summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
        ok = std::fclose(file) == 0 && ok;
    }
    if (ok) fs::rename(temp, path, ec);
    if (ok && !ec) return true;
    fs::remove(temp, ec);
    std::fprintf(stderr, "ocrfix: warning: cannot write %s (%s); the failures are only listed here\n",
                 path.c_str(), std::strerror(errno ? errno : EIO));
    return false;
}

}  // namespace

int run_batch(const BatchArguments& arguments) {
    const auto started = std::chrono::steady_clock::now();
    if (arguments.inputs.empty())
        throw Error(ErrorCategory::invalid_argument, "--output-dir needs files or folders to correct");
    if (arguments.jobs < 0) throw Error(ErrorCategory::invalid_argument, "--jobs must be 0 (one per core) or more");
    const fs::path output_dir = arguments.output_dir;
    std::vector<BatchItem> items = plan_batch(arguments.inputs, output_dir, arguments.format);

    const fs::path state_dir = output_dir / ".ocrfix";
    std::error_code ec;
    fs::create_directories(state_dir / "tmp", ec);
    if (ec)
        throw Error(ErrorCategory::io, "cannot create '" + (state_dir / "tmp").string() + "': " + ec.message() +
                                           "; check the path and its permissions");
    FolderLock lock(state_dir / "lock");
    for (const auto& stale : fs::directory_iterator(state_dir / "tmp", ec)) fs::remove(stale.path(), ec);  // a killed run's
    DoneList done(state_dir);

    std::map<OutputFormat, std::string> fingerprints;
    Work work = find_work(items, arguments.config, output_dir, done, fingerprints);
    std::vector<std::size_t> todo = std::move(work.todo);
    const std::size_t skipped = work.skipped;
    const std::uint64_t todo_bytes = work.bytes;

    // Largest first: the last files to finish are then the small ones, and no worker is left
    // with one long file while the others idle.
    std::stable_sort(todo.begin(), todo.end(),
                     [&](std::size_t a, std::size_t b) { return items[a].size > items[b].size; });

    const int cores = llm::usable_cores();
    int jobs = arguments.jobs > 0 ? arguments.jobs : default_jobs(cores, arguments.config);
    jobs = static_cast<int>(std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(jobs), todo.size())));
    ModelConfig config = arguments.config;
    if (config.threads == 0) config.threads = std::max(1, cores / jobs);  // the cores, split between the jobs

    SignalScope signals;
    std::deque<Worker> workers;  // a deque: references stay valid as workers are added
    std::vector<Failure> failures;
    std::size_t next = 0, corrected = 0, deaths_in_a_row = 0;
    std::uint64_t characters = 0, edits = 0, bytes_done = 0;
    long peak_rss_kb = 0;          // the largest worker's
    double model_load_seconds = 0;  // the first worker's
    ProgressBar progress("correcting files", todo.size());
    auto work_started = std::chrono::steady_clock::now();  // from the first worker's ready: rates leave out the model load

    auto assign = [&](Worker& worker) {
        if (g_interrupts > 0 || next >= todo.size()) {
            close_fd(worker.process.to_worker);
            return;
        }
        const std::size_t index = todo[next++];
        const auto& item = items[index];
        const nlohmann::json job = {
            {"input", path_to_json(item.input.string())},
            {"output", path_to_json((output_dir / item.relative).string())},
            {"output_dir", path_to_json(output_dir.string())},
            {"temp", path_to_json((state_dir / "tmp" / (std::to_string(index) + ".part")).string())},
            {"format", static_cast<int>(item.format)},
            {"layout", item.keep_layout}};
        const std::string line = job.dump() + "\n";
        worker.item = index;
        if (::write(worker.process.to_worker, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
            close_fd(worker.process.to_worker);  // it died: its EOF arrives next and fails the item
    };
    auto start_worker = [&] {
        Worker worker;
        worker.process = spawn_worker(config);
        workers.push_back(std::move(worker));
    };
    auto update_progress = [&] {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - work_started).count();
        if (seconds > 1.0 && bytes_done > 0) {
            const double rate = static_cast<double>(bytes_done) / seconds;
            progress.set_detail(with_commas(static_cast<std::uint64_t>(static_cast<double>(characters) / seconds)) +
                                " chars/s  ETA " +
                                duration(static_cast<double>(todo_bytes - std::min(todo_bytes, bytes_done)) / rate));
        }
        progress.update(corrected + failures.size());
    };

    try {
        // One worker first: a model that must be downloaded or converted is so once, and a
        // model that does not load stops the batch before more processes try.
        if (!todo.empty()) start_worker();
        bool all_started = false;
        bool told_interrupt = false;
        while (true) {
            std::vector<pollfd> fds;
            std::vector<Worker*> polled;
            for (auto& worker : workers)
                if (worker.process.from_worker >= 0) {
                    fds.push_back({worker.process.from_worker, POLLIN, 0});
                    polled.push_back(&worker);
                }
            if (fds.empty()) break;
            if (g_interrupts > 1) break;  // a second Ctrl-C: stop now
            if (g_interrupts > 0) {
                if (!told_interrupt) {
                    told_interrupt = true;
                    progress.finish();
                    std::fprintf(stderr, "ocrfix: interrupted; finishing the files in progress (Ctrl-C again to stop "
                                         "at once)\n");
                }
                for (auto& worker : workers)
                    if (!worker.item) close_fd(worker.process.to_worker);
            }
            if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR)
                throw Error(ErrorCategory::runtime, std::string("poll failed: ") + std::strerror(errno));
            for (std::size_t w = 0; w < polled.size(); ++w) {
                if (fds[w].revents == 0) continue;
                Worker& worker = *polled[w];
                char chunk[4096];
                const ssize_t got = ::read(worker.process.from_worker, chunk, sizeof chunk);
                if (got < 0) continue;  // EINTR: poll again
                if (got == 0) {         // the worker ended
                    const bool was_ready = worker.ready;
                    const std::string how = reap(worker);
                    if (worker.item) {
                        const auto& item = items[*worker.item];
                        failures.push_back({item.relative, ErrorCategory::runtime, how});
                        worker.item.reset();
                        update_progress();
                    }
                    if (!was_ready && g_interrupts == 0)
                        throw Error(ErrorCategory::runtime, "a worker ended before loading the model (" + how +
                                                                "); run `ocrfix correct` on one file to see why");
                    if (next < todo.size() && g_interrupts == 0) {
                        // A worker that dies now and then (a file too big for memory) is replaced; workers
                        // that die one after another with nothing finished in between stop the batch.
                        if (++deaths_in_a_row > static_cast<std::size_t>(jobs) + 2)
                            throw Error(ErrorCategory::runtime, "workers keep dying (" + how + "); stopping the batch");
                        start_worker();
                    }
                    continue;
                }
                worker.buffer.append(chunk, static_cast<std::size_t>(got));
                std::size_t newline;
                while ((newline = worker.buffer.find('\n')) != std::string::npos) {
                    const auto message = nlohmann::json::parse(worker.buffer.substr(0, newline), nullptr, false);
                    worker.buffer.erase(0, newline + 1);
                    if (!message.is_object()) throw Error(ErrorCategory::runtime, "a worker sent an unreadable reply");
                    if (message.value("fatal", false))
                        throw Error(category_from_name(message.value("category", "runtime")),
                                    message.value("error", "a worker could not load the model"));
                    peak_rss_kb = std::max(peak_rss_kb, message.value("rss_kb", 0L));
                    if (message.value("ready", false)) {
                        worker.ready = true;
                        if (!all_started) {
                            model_load_seconds = message.value("load_seconds", 0.0);
                            work_started = std::chrono::steady_clock::now();
                        }
                        if (!all_started) {
                            all_started = true;
                            for (int j = 1; j < jobs; ++j) start_worker();
                        }
                    } else if (worker.item) {
                        auto& item = items[*worker.item];
                        if (message.value("ok", false)) {
                            item.input_sha256 = message.value("sha256", item.input_sha256);
                            done.record(item, fingerprints[item.format], message.value("bytes", std::uint64_t{0}));
                            ++corrected;
                            deaths_in_a_row = 0;
                            characters += message.value("chars", std::uint64_t{0});
                            edits += message.value("edits", std::uint64_t{0});
                        } else {
                            failures.push_back({item.relative, category_from_name(message.value("category", "runtime")),
                                                message.value("error", "failed")});
                        }
                        bytes_done += item.size;
                        worker.item.reset();
                        update_progress();
                    }
                    if (!worker.item && worker.ready) assign(worker);
                }
            }
        }
    } catch (...) {
        stop_workers(workers, std::chrono::milliseconds(0));
        throw;
    }
    stop_workers(workers, std::chrono::milliseconds(g_interrupts > 1 ? 0 : 5000));
    progress.finish();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double work_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - work_started).count();
    const bool interrupted = g_interrupts > 0;
    const std::size_t left = todo.size() - corrected - failures.size();
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& failure : failures)
        failed.push_back({{"path", failure.path}, {"category", std::string(to_string(failure.category))},
                          {"error", failure.message}});
    const bool summary_written = write_summary(state_dir / "summary.json",
                  {{"files", items.size()}, {"corrected", corrected}, {"skipped", skipped},
                   {"failed", failed}, {"left", left}, {"interrupted", interrupted},
                   {"characters", characters}, {"edits", edits}, {"seconds", seconds},
                   {"chars_per_second", work_seconds > 0 ? static_cast<double>(characters) / work_seconds : 0.0},
                   {"jobs", todo.empty() ? 0 : jobs}, {"threads_per_job", config.threads},
                   {"worker_peak_rss_bytes", peak_rss_kb * 1024}, {"model_load_seconds", model_load_seconds}});

    std::string line = "ocrfix: " + with_commas(items.size()) + " files: " + with_commas(corrected) + " corrected, " +
                       with_commas(skipped) + " already done, " + with_commas(failures.size()) + " failed";
    if (left > 0) line += ", " + with_commas(left) + " left";
    line += "; " + with_commas(characters) + " characters, " + with_commas(edits) + " edits in " + duration(seconds);
    if (corrected > 0 && work_seconds > 0)
        line += " (" + with_commas(static_cast<std::uint64_t>(static_cast<double>(characters) / work_seconds)) +
                " chars/s, " + std::to_string(jobs) + (jobs == 1 ? " job" : " jobs") + " x " +
                std::to_string(config.threads) + (config.threads == 1 ? " thread)" : " threads)");
    std::fprintf(stderr, "%s\n", line.c_str());
    const std::size_t kShown = summary_written ? 20 : failures.size();
    for (std::size_t i = 0; i < failures.size() && i < kShown; ++i)
        std::fprintf(stderr, "  failed: %s: %s\n", failures[i].path.c_str(), failures[i].message.c_str());
    if (failures.size() > kShown)
        std::fprintf(stderr, "  ... and %zu more failures, all listed in %s\n", failures.size() - kShown,
                     (state_dir / "summary.json").c_str());
    if (interrupted)
        std::fprintf(stderr, "ocrfix: interrupted; run the same command again to correct the rest\n");

    if (interrupted) return kInterrupted;
    if (failures.empty()) return kOk;
    const bool all_input = std::all_of(failures.begin(), failures.end(), [](const Failure& failure) {
        return failure.category == ErrorCategory::invalid_input || failure.category == ErrorCategory::io;
    });
    return all_input ? kBadInput : kFailure;
}

}  // namespace ocrfix::cli

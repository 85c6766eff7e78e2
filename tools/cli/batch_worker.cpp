#include "batch_worker.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "batch_plan.h"
#include "commands.h"
#include "correct_document.h"
#include "ocrfix/ocrfix.h"
#include "ocrfix/settings.h"
#include "store/sha256.h"

extern char** environ;

namespace ocrfix::cli {

namespace fs = std::filesystem;

namespace {

long peak_rss_kb() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

constexpr const char* kParentVariable = "OCRFIX_BATCH_PARENT";

// One line to the parent; a parent that is gone ends the worker.
void reply(const nlohmann::json& message) {
    // Messages may quote file names that are not UTF-8: shown with U+FFFD, never a throw.
    const std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size() || std::fflush(stdout) != 0) std::_Exit(1);
}

nlohmann::json failure(ErrorCategory category, const std::string& message) {
    return {{"ok", false}, {"category", std::string(to_string(category))}, {"error", message}};
}

// The folders from `root` down to `output`'s, made one at a time; none may be a symlink, or
// a link planted in the output folder would send the file somewhere else.
void make_folders_inside(const fs::path& root, const fs::path& output) {
    fs::path folder = root;
    for (const fs::path& part : output.parent_path().lexically_relative(root)) {
        if (part.empty() || part == ".") continue;
        folder /= part;
        struct stat info {};
        if (::lstat(folder.c_str(), &info) == 0) {
            if (S_ISDIR(info.st_mode)) continue;
            throw Error(ErrorCategory::io,
                        "cannot write '" + output.string() + "': '" + folder.string() +
                            (S_ISLNK(info.st_mode) ? "' is a symbolic link inside the output folder, which ocrfix does "
                                                     "not write through; remove it or choose another --output-dir"
                                                   : "' is a file, not a folder; move it or choose another --output-dir"));
        }
        if (::mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST)
            throw Error(ErrorCategory::io, "cannot create the folder '" + folder.string() + "': " + std::strerror(errno));
    }
}

void write_whole(const std::string& temp, const std::string& output, const std::string& bytes,
                 const std::string& output_dir) {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // the umask applies
    auto fail = [&](const std::string& what, int error_number) {
        ::unlink(temp.c_str());
        throw Error(ErrorCategory::io, what + " '" + output + "': " + std::strerror(error_number) +
                                           (error_number == ENOSPC ? "; free some space and run again" : ""));
    };
    if (fd < 0) fail("cannot write", errno);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error_number = n < 0 ? errno : EIO;
            ::close(fd);
            fail("writing", error_number);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) fail("writing", errno);
    try {
        make_folders_inside(output_dir, output);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    if (::rename(temp.c_str(), output.c_str()) != 0) fail("cannot put in place", errno);
}

nlohmann::json correct_one(Engine& engine, const nlohmann::json& job) {
    const std::string input = path_from_json(job.at("input").get<std::string>());
    const std::string& name = input;
    const std::string bytes = read_input(input);
    const std::string sha256 = store::sha256_bytes(bytes);
    const auto format = static_cast<OutputFormat>(job.at("format").get<int>());
    const FileCorrection done = correct_whole_file(engine, name, bytes, format, job.value("layout", false));
    write_whole(path_from_json(job.at("temp").get<std::string>()), path_from_json(job.at("output").get<std::string>()),
                done.output, path_from_json(job.at("output_dir").get<std::string>()));
    return {{"ok", true},
            {"chars", done.characters},
            {"edits", done.edits},
            {"bytes", done.output.size()},
            {"sha256", sha256},
            {"rss_kb", peak_rss_kb()}};
}

int run_worker() {
    // End with the parent, even when it is killed with SIGKILL.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    const char* parent = std::getenv(kParentVariable);
    if (!parent || std::to_string(::getppid()) != parent) {
        std::cerr << "ocrfix: batch-worker is run by `ocrfix correct --output-dir`, not by hand\n";
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    Engine engine;
    const auto loading = std::chrono::steady_clock::now();
    try {
        engine.initialize(apply_environment());
    } catch (const Error& error) {
        reply({{"fatal", true}, {"category", std::string(to_string(error.category()))}, {"error", error.what()}});
        return 3;
    }
    reply({{"ready", true},
           {"load_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - loading).count()},
           {"rss_kb", peak_rss_kb()}});
    std::string line;
    while (std::getline(std::cin, line)) {
        nlohmann::json answer;
        try {
            answer = correct_one(engine, nlohmann::json::parse(line));
        } catch (const Error& error) {
            answer = failure(error.category(), error.what());
        } catch (const std::exception& error) {
            answer = failure(ErrorCategory::runtime, error.what());
        }
        reply(answer);
    }
    return 0;
}

}  // namespace

ErrorCategory category_from_name(std::string_view name) {
    for (auto category : {ErrorCategory::invalid_argument, ErrorCategory::invalid_input, ErrorCategory::model_not_found,
                          ErrorCategory::model_invalid, ErrorCategory::download, ErrorCategory::io,
                          ErrorCategory::not_initialized, ErrorCategory::runtime})
        if (to_string(category) == name) return category;
    return ErrorCategory::runtime;
}

WorkerProcess spawn_worker(const ModelConfig& config) {
    // The environment: ours, with every setting of `config` and the parent's pid.
    std::map<std::string, std::string> variables;
    for (char** entry = environ; *entry; ++entry) {
        const std::string item(*entry);
        const auto equals = item.find('=');
        if (equals != std::string::npos) variables[item.substr(0, equals)] = item.substr(equals + 1);
    }
    for (const auto& setting : model_settings()) variables[std::string(setting.env)] = setting.get(config);
    variables[kParentVariable] = std::to_string(::getpid());
    std::vector<std::string> strings;
    for (const auto& [key, value] : variables) strings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& item : strings) envp.push_back(item.data());
    envp.push_back(nullptr);

    int to_worker[2];
    int from_worker[2];
    if (::pipe2(to_worker, O_CLOEXEC) != 0)
        throw Error(ErrorCategory::runtime, std::string("cannot start a worker: ") + std::strerror(errno));
    if (::pipe2(from_worker, O_CLOEXEC) != 0) {
        const int error_number = errno;
        ::close(to_worker[0]);
        ::close(to_worker[1]);
        throw Error(ErrorCategory::runtime, std::string("cannot start a worker: ") + std::strerror(error_number));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_worker[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_worker[1], STDOUT_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    char program[] = "ocrfix";
    char command[] = "batch-worker";
    char* argv[] = {program, command, nullptr};
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, "/proc/self/exe", &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(to_worker[0]);
    ::close(from_worker[1]);
    if (spawned != 0) {
        ::close(to_worker[1]);
        ::close(from_worker[0]);
        throw Error(ErrorCategory::runtime, std::string("cannot start a worker: ") + std::strerror(spawned));
    }
    return {pid, to_worker[1], from_worker[0]};
}

void add_batch_worker_command(CLI::App& app) {
    auto* command = app.add_subcommand("batch-worker", "");
    command->group("");  // hidden: started by `correct --output-dir`
    command->callback([] {
        const int code = run_worker();
        std::fflush(stdout);
        std::_Exit(code);
    });
}

}  // namespace ocrfix::cli

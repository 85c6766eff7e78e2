// A gtest fixture that runs tests/hub_server/hub_server.py on a free loopback port, points
// HF_ENDPOINT at it and HF_HUB_CACHE at an empty temporary folder, and stops it afterwards.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ocrfix/error.h"
#include "ocrfix/model_config.h"
#include "store/http.h"
#include "store/model_store.h"

namespace ocrfix::testing {

// The repo every download test serves, and its one model file.
inline constexpr const char* kTinyRepo = "ocrfix-test/tiny-GGUF";
inline constexpr const char* kTinyFile = "tiny.Q4_K_M.gguf";

inline std::string read_all(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

// A configuration naming `repo_id` on the hub, quantization q4_k_m.
inline ModelConfig hub_config(const std::string& repo_id = kTinyRepo) {
    ModelConfig config;
    config.hugging_face_repo_id = repo_id;
    config.hugging_face_quantization = "q4_k_m";
    return config;
}

// Runs store::pull() and returns the error it throws (fails the test when it does not throw).
inline Error pull_error(const ModelConfig& config) {
    try {
        const auto path = store::pull(config);
        ADD_FAILURE() << "pull did not throw; it returned " << path;
    } catch (const Error& error) {
        return error;
    }
    return Error(ErrorCategory::runtime, "");
}

class LoopbackHub : public ::testing::Test {
protected:
    static constexpr const char* kCommit = "0c1e57098bba43ac29e6e3b677cdceebdd22334f";

    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("ocrfix-hub-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        std::filesystem::create_directories(root_ / "cache");
        for (const char* name : {"HF_HUB_CACHE", "HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE", "HF_HOME"}) {
            const char* value = std::getenv(name);
            saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
            ::unsetenv(name);
        }
        ::setenv("HF_HUB_CACHE", (root_ / "cache").c_str(), 1);
    }

    void TearDown() override {
        stop();
        for (const auto& [name, value] : saved_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
        std::filesystem::remove_all(root_);
    }

    // Writes a small valid GGUF (hub_server.py tiny-gguf) and returns its path.
    std::filesystem::path tiny_gguf(const std::string& name, int elements = 262144) {
        const auto path = root_ / name;
        const std::string command = std::string(OCRFIX_PYTHON) + " " + server_script() + " tiny-gguf " +
                                    path.string() + " " + std::to_string(elements);
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
        return path;
    }

    // Starts the server with `config` (see hub_server.py) and sets HF_ENDPOINT.
    void start(const nlohmann::json& config) {
        const auto config_path = root_ / "hub.json";
        std::ofstream(config_path) << config.dump();
        int pipe_fds[2];
        ASSERT_EQ(::pipe(pipe_fds), 0);
        pid_ = ::fork();
        ASSERT_GE(pid_, 0);
        if (pid_ == 0) {
            ::dup2(pipe_fds[1], STDOUT_FILENO);
            ::close(pipe_fds[0]);
            const std::string script = server_script();
            ::execl(OCRFIX_PYTHON, OCRFIX_PYTHON, script.c_str(), "serve", config_path.c_str(), nullptr);
            ::_exit(127);
        }
        ::close(pipe_fds[1]);
        std::FILE* out = ::fdopen(pipe_fds[0], "r");
        int port = 0;
        const bool got_port = std::fscanf(out, "PORT %d", &port) == 1;
        std::fclose(out);
        ASSERT_TRUE(got_port) << "the loopback hub did not start";
        endpoint_ = "http://127.0.0.1:" + std::to_string(port);
        ::setenv("HF_ENDPOINT", endpoint_.c_str(), 1);
    }

    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
    }

    // Every request the server saw: [{method, path, range, authorization}].
    nlohmann::json requests() const {
        const auto response = store::http::get({.url = endpoint_ + "/_test/requests"});
        return response.ok() ? nlohmann::json::parse(response.body) : nlohmann::json::array();
    }

    int count_requests(const std::string& method, const std::string& path_prefix) const {
        int count = 0;
        for (const auto& request : requests())
            if (request["method"] == method && request["path"].get<std::string>().starts_with(path_prefix))
                ++count;
        return count;
    }

    // A config serving `files` (name -> path) in one repo.
    static nlohmann::json one_repo(const std::string& repo_id,
                                   const std::map<std::string, nlohmann::json>& files) {
        nlohmann::json config;
        config["repos"][repo_id]["commit"] = kCommit;
        for (const auto& [name, entry] : files) config["repos"][repo_id]["files"][name] = entry;
        return config;
    }

    static std::string server_script() {
        return std::string(OCRFIX_SOURCE_DIR) + "/tests/hub_server/hub_server.py";
    }

    std::filesystem::path root_;
    std::string endpoint_;
    pid_t pid_ = -1;
    std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace ocrfix::testing

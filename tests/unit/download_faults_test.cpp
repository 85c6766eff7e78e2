// Faults during a download, injected for real: a file-size limit that runs out mid-file (what
// a full disk does to a writer), and kill -9 mid-transfer. The cache must stay consistent,
// a partial file must never be taken for a model, and the next pull must resume.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "hub_server/loopback_hub.h"
#include "ocrfix/error.h"
#include "store/model_store.h"

namespace fs = std::filesystem;
using ocrfix::testing::LoopbackHub;

namespace {

constexpr const char* kRepo = ocrfix::testing::kTinyRepo;
constexpr const char* kFile = ocrfix::testing::kTinyFile;
using ocrfix::testing::read_all;

ocrfix::ModelConfig tiny_config() { return ocrfix::testing::hub_config(); }

// The .incomplete files in the repo's blobs folder.
std::vector<fs::path> partial_files() {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(ocrfix::store::repo_cache_dir(kRepo) / "blobs", ec))
        if (entry.path().extension() == ".incomplete") found.push_back(entry.path());
    return found;
}

// The cache holds no usable model: no snapshot link, no finished blob.
void expect_no_model_cached() {
    EXPECT_FALSE(ocrfix::store::find_local(tiny_config()).has_value());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(ocrfix::store::repo_cache_dir(kRepo) / "blobs", ec))
        EXPECT_EQ(entry.path().extension(), ".incomplete") << "a finished blob: " << entry.path();
}

bool resumed_with_range(const nlohmann::json& requests) {
    for (const auto& request : requests)
        if (request["method"] == "GET" && request["range"].get<std::string>().starts_with("bytes=") &&
            request["range"] != "bytes=0-")
            return true;
    return false;
}

}  // namespace

TEST_F(LoopbackHub, AFullDiskMidDownloadKeepsTheCacheConsistentAndTheNextPullResumes) {
    const auto source = tiny_gguf("tiny.gguf");  // 1 MiB
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}}}}));
    constexpr rlim_t kLimit = 300000;  // bytes any one file of the child may hold
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::signal(SIGXFSZ, SIG_IGN);  // the write fails with EFBIG instead of killing us
        const rlimit limit{kLimit, kLimit};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            ocrfix::store::pull(tiny_config());
            ::_exit(0);
        } catch (const ocrfix::Error& error) {
            std::ofstream(root_ / "child-error.txt") << error.what();
            ::_exit(error.category() == ocrfix::ErrorCategory::io ? 10 : 11);
        } catch (...) {
            ::_exit(12);
        }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    const std::string message = read_all(root_ / "child-error.txt");
    EXPECT_EQ(WEXITSTATUS(status), 10) << "an io error, not a retry loop or a crash: " << message;
    EXPECT_NE(message.find("disk full"), std::string::npos) << message;
    expect_no_model_cached();
    const auto partial = partial_files();
    ASSERT_EQ(partial.size(), 1u);
    EXPECT_GT(fs::file_size(partial[0]), 0u);
    EXPECT_LE(fs::file_size(partial[0]), kLimit);
    EXPECT_EQ(read_all(partial[0]), read_all(source).substr(0, fs::file_size(partial[0])))
        << "the bytes kept are a prefix of the file";

    // Space again: the next pull resumes and the model is whole.
    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(read_all(path), read_all(source));
    EXPECT_TRUE(resumed_with_range(requests())) << requests().dump();
    EXPECT_TRUE(partial_files().empty());
}

TEST_F(LoopbackHub, KillNineMidDownloadThenARestartResumesAndThePartialIsNeverTheModel) {
    const auto source = tiny_gguf("tiny.gguf");  // 16 chunks of 64 KiB, 100 ms apart
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}, {"chunk_delay", 0.1}}}}));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            ocrfix::store::pull(tiny_config());
        } catch (...) {
        }
        ::_exit(0);
    }
    // Wait for a few chunks to land, then kill -9.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::uintmax_t received = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto partial = partial_files();
        std::error_code ec;
        received = partial.empty() ? 0 : fs::file_size(partial[0], ec);
        if (received >= 3 * 65536) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child finished before it was killed";
    ASSERT_GE(received, 3u * 65536);
    ASSERT_LT(received, fs::file_size(source));

    expect_no_model_cached();  // the partial file is not a model, for find_local or anyone
    try {
        ocrfix::store::resolve(tiny_config());
        ADD_FAILURE() << "resolve found a model in a half-downloaded cache";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::model_not_found);
    }

    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(read_all(path), read_all(source));
    EXPECT_TRUE(resumed_with_range(requests())) << requests().dump();
    EXPECT_TRUE(partial_files().empty());
}

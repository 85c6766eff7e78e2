// The model store's downloads, end to end: real libcurl against a loopback server that
// speaks the hub's HTTP API and serves real GGUF bytes (tests/hub_server/hub_server.py).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hub_server/loopback_hub.h"
#include "ocrfix/error.h"
#include "store/model_store.h"

namespace fs = std::filesystem;
using ocrfix::ErrorCategory;
using ocrfix::testing::LoopbackHub;

namespace {

constexpr const char* kRepo = ocrfix::testing::kTinyRepo;
constexpr const char* kFile = ocrfix::testing::kTinyFile;
using ocrfix::testing::pull_error;
using ocrfix::testing::read_all;

ocrfix::ModelConfig tiny_config() { return ocrfix::testing::hub_config(); }

bool has_regular_files(const fs::path& folder) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(folder, ec))
        if (entry.is_regular_file(ec)) return true;
    return false;
}

}  // namespace

TEST_F(LoopbackHub, DownloadsIntoTheHubCacheLayout) {
    const auto source = tiny_gguf("tiny.gguf");
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}}}}));
    std::uint64_t last_done = 0, last_total = 0;
    const auto path =
        ocrfix::store::pull(tiny_config(), [&](const ocrfix::store::DownloadProgress& progress) {
            EXPECT_EQ(progress.filename, kFile);
            last_done = progress.bytes_done;
            last_total = progress.bytes_total;
        });
    const fs::path repo_dir = ocrfix::store::repo_cache_dir(kRepo);
    EXPECT_EQ(path, repo_dir / "snapshots" / kCommit / kFile);
    ASSERT_TRUE(fs::is_symlink(path));
    EXPECT_EQ(fs::canonical(path).parent_path(), fs::canonical(repo_dir / "blobs"));
    EXPECT_EQ(read_all(path), read_all(source));
    EXPECT_EQ(read_all(path).substr(0, 4), "GGUF");
    EXPECT_EQ(read_all(repo_dir / "refs" / "main"), kCommit);
    EXPECT_EQ(last_done, fs::file_size(source));
    EXPECT_EQ(last_total, fs::file_size(source));
    for (const auto& request : requests()) EXPECT_EQ(request["authorization"], "");  // no token set

    // Cached now: found locally, and a second pull sends no request at all.
    const auto before = requests().size();
    EXPECT_EQ(ocrfix::store::find_local(tiny_config()), path);
    EXPECT_EQ(ocrfix::store::pull(tiny_config()), path);
    EXPECT_EQ(requests().size(), before + 1);  // only our own /_test/requests call
    ASSERT_EQ(ocrfix::store::list_local().size(), 1u);
    EXPECT_EQ(ocrfix::store::list_local()[0].repo_id, kRepo);
}

TEST_F(LoopbackHub, ResumesWithRangeAfterTheServerDropsTheConnection) {
    const auto source = tiny_gguf("tiny.gguf");
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}, {"cut_first", 300000}}}}));
    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(read_all(path), read_all(source));
    bool resumed = false;
    for (const auto& request : requests())
        if (request["method"] == "GET" && request["range"] == "bytes=300000-") resumed = true;
    EXPECT_TRUE(resumed) << requests().dump();
}

TEST_F(LoopbackHub, ResumesThePartialFileOfAnInterruptedProcess) {
    const auto source = tiny_gguf("tiny.gguf");
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}}}}));
    // What a killed process leaves behind: the first 500000 bytes in blobs/<sha>.incomplete.
    const std::string bytes = read_all(source);
    const auto head = ocrfix::store::http::head(
        {.url = endpoint_ + "/" + kRepo + "/resolve/main/" + kFile, .follow_redirects = false});
    std::string etag = head.header("x-linked-etag");
    etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
    const fs::path blobs = ocrfix::store::repo_cache_dir(kRepo) / "blobs";
    fs::create_directories(blobs);
    std::ofstream(blobs / (etag + ".incomplete"), std::ios::binary) << bytes.substr(0, 500000);

    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(read_all(path), bytes);
    EXPECT_EQ(count_requests("GET", "/_cdn/"), 1);
    bool resumed = false;
    for (const auto& request : requests())
        if (request["method"] == "GET" && request["range"] == "bytes=500000-") resumed = true;
    EXPECT_TRUE(resumed) << requests().dump();
    EXPECT_FALSE(fs::exists(blobs / (etag + ".incomplete")));
}

TEST_F(LoopbackHub, ChecksumMismatchIsRejectedAndLeavesNothingCached) {
    const auto source = tiny_gguf("tiny.gguf");
    const std::string wrong(64, 'a');  // the hub announces another file's sha256
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}, {"etag", wrong}}}}));
    const auto error = pull_error(tiny_config());
    EXPECT_EQ(error.category(), ErrorCategory::download);
    const std::string message = error.what();
    EXPECT_NE(message.find("sha256"), std::string::npos) << message;
    EXPECT_NE(message.find(std::string(kRepo) + "/" + kFile), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was cached"), std::string::npos) << message;
    EXPECT_EQ(count_requests("GET", "/_cdn/"), 1);  // it was downloaded, then refused
    EXPECT_FALSE(has_regular_files(ocrfix::store::repo_cache_dir(kRepo)));
    EXPECT_FALSE(ocrfix::store::find_local(tiny_config()).has_value());
}

TEST_F(LoopbackHub, PrivateRepoAnswers401UntilTheTokenIsSent) {
    const auto source = tiny_gguf("tiny.gguf");
    auto config = one_repo(kRepo, {{kFile, {{"path", source.string()}}}});
    config["token"] = "hf_test_secret";
    config["repos"][kRepo]["private"] = true;
    start(config);
    const auto error = pull_error(tiny_config());
    EXPECT_EQ(error.category(), ErrorCategory::download);
    const std::string message = error.what();
    EXPECT_NE(message.find("401"), std::string::npos) << message;
    EXPECT_NE(message.find(kRepo), std::string::npos) << message;
    EXPECT_NE(message.find("Set HF_TOKEN"), std::string::npos) << message;
    EXPECT_FALSE(has_regular_files(ocrfix::store::repo_cache_dir(kRepo)));

    ::setenv("HF_TOKEN", "hf_test_secret", 1);
    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(read_all(path), read_all(source));
    EXPECT_EQ(requests().back()["authorization"], "");  // /_test/requests itself carries none
    bool sent = false;
    for (const auto& request : requests())
        if (request["authorization"] == "Bearer hf_test_secret") sent = true;
    EXPECT_TRUE(sent);
}

TEST_F(LoopbackHub, MissingRepoOrQuantizationSaysWhatToDo) {
    const auto source = tiny_gguf("tiny.gguf");
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}}}}));
    auto config = tiny_config();
    config.hugging_face_repo_id = "ocrfix-test/absent-GGUF";
    auto error = pull_error(config);
    EXPECT_EQ(error.category(), ErrorCategory::model_not_found);
    std::string message = error.what();
    EXPECT_NE(message.find("ocrfix-test/absent-GGUF"), std::string::npos) << message;
    EXPECT_NE(message.find("404"), std::string::npos) << message;
    EXPECT_NE(message.find("Check the repo id"), std::string::npos) << message;

    config = tiny_config();
    config.hugging_face_quantization = "int8";
    error = pull_error(config);
    EXPECT_EQ(error.category(), ErrorCategory::model_not_found);
    message = error.what();
    EXPECT_NE(message.find("'int8'"), std::string::npos) << message;
    EXPECT_NE(message.find(kFile), std::string::npos) << "lists what is there: " << message;
}

TEST_F(LoopbackHub, OfflineModeNeverTouchesTheNetwork) {
    const auto source = tiny_gguf("tiny.gguf");
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}}}}));
    ::setenv("HF_HUB_OFFLINE", "1", 1);
    const auto error = pull_error(tiny_config());
    EXPECT_EQ(error.category(), ErrorCategory::model_not_found);
    EXPECT_NE(std::string(error.what()).find("HF_HUB_OFFLINE"), std::string::npos) << error.what();
    EXPECT_EQ(requests().size(), 1u);  // only our own /_test/requests call

    ::unsetenv("HF_HUB_OFFLINE");
    const auto path = ocrfix::store::pull(tiny_config());
    ::setenv("HF_HUB_OFFLINE", "true", 1);
    const auto count = requests().size();
    EXPECT_EQ(ocrfix::store::pull(tiny_config()), path);  // cached models still resolve
    EXPECT_EQ(requests().size(), count + 1);
}

TEST_F(LoopbackHub, TwoProcessesDownloadTheSameFileOnce) {
    const auto source = tiny_gguf("tiny.gguf");
    // Slow enough (16 chunks x 50 ms) that the second process arrives mid-download.
    start(one_repo(kRepo, {{kFile, {{"path", source.string()}, {"chunk_delay", 0.05}}}}));
    pid_t children[2];
    for (pid_t& child : children) {
        child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            try {
                const auto path = ocrfix::store::pull(tiny_config());
                ::_exit(read_all(path) == read_all(source) ? 0 : 2);
            } catch (...) {
                ::_exit(1);
            }
        }
    }
    for (pid_t child : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }
    EXPECT_EQ(count_requests("GET", "/_cdn/"), 1) << requests().dump();
    EXPECT_EQ(count_requests("HEAD", std::string("/") + kRepo + "/resolve/"), 2);
    EXPECT_EQ(read_all(ocrfix::store::find_local(tiny_config()).value()), read_all(source));
}

TEST_F(LoopbackHub, SplitModelsDownloadEveryPartWithoutRedirects) {
    const auto part1 = tiny_gguf("part1.gguf", 1000);
    const auto part2 = tiny_gguf("part2.gguf", 2000);
    auto config = one_repo(kRepo, {{"big-Q4_K_M-00001-of-00002.gguf", {{"path", part1.string()}}},
                                   {"big-Q4_K_M-00002-of-00002.gguf", {{"path", part2.string()}}}});
    config["redirect"] = false;  // the bytes come straight from /resolve, with a plain ETag
    start(config);
    const auto path = ocrfix::store::pull(tiny_config());
    EXPECT_EQ(path.filename(), "big-Q4_K_M-00001-of-00002.gguf");
    EXPECT_EQ(read_all(path), read_all(part1));
    EXPECT_EQ(read_all(path.parent_path() / "big-Q4_K_M-00002-of-00002.gguf"), read_all(part2));
    EXPECT_EQ(count_requests("GET", "/_cdn/"), 0);
}

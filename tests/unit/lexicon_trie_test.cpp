// The lexicon's channel walk: it must find exactly the words whose channel cost from the
// observed word is within the budget, as ConfusionModel::cost says word by word.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <utility>

#include "lexicon/confusion_model.h"
#include "lexicon/lexicon.h"
#include "lexicon/lexicon_trie.h"
#include "text/normalize.h"

namespace {

namespace fs = std::filesystem;
using ocrfix::lexicon::ConfusionModel;
using ocrfix::lexicon::Lexicon;
using ocrfix::lexicon::LexiconTrie;

// Words over letters OCR confuses (rn/m, li/h, c/e, o/e, u/n, ii/u, ...), so that many lie
// within a few cheap misreadings of one another.
std::u32string random_word(std::mt19937& random) {
    static const std::u32string alphabet = U"acdehilmnortuü";
    std::uniform_int_distribution<int> length(1, 11), letter(0, static_cast<int>(alphabet.size()) - 1);
    std::u32string word;
    for (int n = length(random); n > 0; --n) word += alphabet[static_cast<std::size_t>(letter(random))];
    return word;
}

fs::path write_lexicon(const std::string& name, const std::vector<std::u32string>& words) {
    const fs::path dir = fs::temp_directory_path() /
                         ("ocrfix-trie-" + name + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::create_directories(dir);
    std::ofstream out(dir / "xx.tsv");
    for (std::size_t i = 0; i < words.size(); ++i) out << ocrfix::text::to_utf8(words[i]) << '\t' << 300 + i % 400 << '\n';
    return dir;
}

}  // namespace

TEST(LexiconTrie, FindsExactlyTheWordsWithinTheBudget) {
    std::mt19937 random(5);
    std::set<std::u32string> unique;
    while (unique.size() < 2000) unique.insert(random_word(random));
    const std::vector<std::u32string> words(unique.begin(), unique.end());
    const fs::path dir = write_lexicon("exact", words);
    const auto lexicon = Lexicon::load("xx", dir);
    fs::remove_all(dir);
    const LexiconTrie trie(*lexicon);
    const ConfusionModel& model = ConfusionModel::builtin();
    int found = 0;
    for (int q = 0; q < 120; ++q) {
        // Half the queries are lexicon words with misreadings made, half random strings.
        std::u32string query = random_word(random);
        if (q % 2 == 0) {
            query = words[static_cast<std::size_t>(q * 13) % words.size()];
            for (std::size_t i = 0; i < query.size(); ++i)
                if (query[i] == U'm') query.replace(i, 1, U"rn");
                else if (query[i] == U'e') query[i] = U'c';
        }
        for (const double budget : {2.5, 6.0, 9.0}) {
            std::set<std::pair<std::uint32_t, double>> expected, got;
            for (std::uint32_t id = 0; id < lexicon->words().size(); ++id) {
                const double cost = model.cost(query, ocrfix::text::to_code_points(lexicon->words()[id]));
                if (cost <= budget) expected.insert({id, cost});
            }
            std::vector<LexiconTrie::Reading> readings;
            EXPECT_TRUE(trie.within(model, query, budget, readings, 10'000'000));
            for (const auto& reading : readings) got.insert({reading.word_id, reading.cost});
            EXPECT_EQ(got, expected) << "query " << ocrfix::text::to_utf8(query) << " within " << budget;
            found += static_cast<int>(got.size());
        }
    }
    EXPECT_GT(found, 500);  // the budgets reach many words, not a few
}

TEST(LexiconTrie, ReachesAWordGarbledByManyCheapMisreadings) {
    // `dofoudeiit` for `defendant`: o->e twice, u->n, ii->a; three or four plain edits, out of
    // any lookup within two, but a few nats on the channel.
    const std::vector<std::u32string> words{U"defendant", U"defend", U"dependent", U"student", U"the"};
    const fs::path dir = write_lexicon("garbled", words);
    const auto lexicon = Lexicon::load("xx", dir);
    fs::remove_all(dir);
    const LexiconTrie trie(*lexicon);
    std::vector<LexiconTrie::Reading> readings;
    ASSERT_TRUE(trie.within(ConfusionModel::builtin(), U"dofoudeiit", 9.0, readings, 100000));
    ASSERT_FALSE(readings.empty());
    EXPECT_EQ(lexicon->words()[readings.front().word_id], "defendant");
    EXPECT_LT(readings.front().cost, 9.0);
    for (const auto& reading : readings) EXPECT_NE(lexicon->words()[reading.word_id], "the");
    // A walk cut short says so.
    readings.clear();
    EXPECT_FALSE(trie.within(ConfusionModel::builtin(), U"dofoudeiit", 9.0, readings, 5));
}

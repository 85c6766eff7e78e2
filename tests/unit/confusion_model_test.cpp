// The OCR channel: costs of the typical confusions and the readings with them undone.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "lexicon/confusion_model.h"
#include "text/normalize.h"

namespace {

using ocrfix::lexicon::ConfusionModel;

double cost(std::u32string_view observed, std::u32string_view intended) {
    return ConfusionModel::builtin().cost(observed, intended);
}

bool holds(const std::vector<std::u32string>& variants, std::u32string_view wanted) {
    return std::find(variants.begin(), variants.end(), wanted) != variants.end();
}

}  // namespace

TEST(ConfusionModel, MultiCharacterConfusionsAreOneStep) {
    EXPECT_EQ(cost(U"the", U"the"), 0.0);
    // li -> h is one confusion, far cheaper than the substitution and insertion it takes plainly.
    EXPECT_LT(cost(U"tlie", U"the"), 1.5);
    EXPECT_LT(cost(U"rnodern", U"modern"), 2.5);
    EXPECT_GE(cost(U"tqxe", U"the"), ConfusionModel::kSubstitution + ConfusionModel::kInsertion);
}

TEST(ConfusionModel, LearnedConfusionsExtendTheHandTable) {
    // `bo` -> `he` (`tbo` for `the`) is not a glyph pair of the hand table; learned from
    // aligned pairs it costs less than the two substitutions it takes plainly.
    EXPECT_LT(cost(U"bo", U"he"), 2 * ConfusionModel::kSubstitution);
    EXPECT_GE(cost(U"bo", U"he"), ConfusionModel::kLearnedFloor);
    // The DTA's I/J transcription convention (`Ich` -> `Jch`) is not a misreading.
    EXPECT_GE(cost(U"ich", U"jch"), ConfusionModel::kSubstitution);
}

TEST(ConfusionModel, UndoesOneOrTwoMultiCharacterConfusions) {
    const auto& model = ConfusionModel::builtin();
    EXPECT_TRUE(holds(model.undo_multi_character(U"tlie"), U"the"));
    // Two sites at once: rn -> m and cl -> d.
    const auto both = model.undo_multi_character(U"rnoclern");
    EXPECT_TRUE(holds(both, U"modern"));
    EXPECT_TRUE(holds(both, U"mocl" U"ern"));
    for (const auto& variant : both) EXPECT_NE(variant, U"rnoclern");
    // No confusion site, no variant; and never more than asked for.
    EXPECT_TRUE(model.undo_multi_character(U"abc").empty());
    EXPECT_LE(model.undo_multi_character(U"rnrnrnrnclclclclliliuuuu", 10).size(), 10u);
}

TEST(ConfusionModel, TheCheapestUndoesComeFirstWhereverTheyAre) {
    // `indopendonoo` for `independence`: o -> e at the 4th and 9th letters. Its sites at the
    // start (i, n, d) must not use up the limit before the likely pair later in the word.
    const auto& model = ConfusionModel::builtin();
    const auto variants = model.undo(U"indopendonoo", 64, 1.6);
    EXPECT_TRUE(holds(variants, U"independenoo"));
    EXPECT_EQ(variants.size(), 64u);
    // The likelier come first: one o -> e (1 nat) before the pair (2 nats).
    const auto at = [&](std::u32string_view wanted) { return std::find(variants.begin(), variants.end(), wanted); };
    EXPECT_LT(at(U"independonoo"), at(U"independenoo"));
}

TEST(ConfusionModel, PrefixCostBoundsEveryWordThatStartsSo) {
    // `Beag` can be read as the start of `Tjeaclí` no cheaper than `Beagle` as the whole.
    for (const std::u32string word : {U"beagle", U"the", U"modern", U"government"}) {
        const std::u32string observed = word == U"beagle" ? U"tjeaclí" : word == U"modern" ? U"rnodern" : U"tbe";
        for (std::size_t n = 0; n <= word.size(); ++n)
            EXPECT_LE(ConfusionModel::builtin().prefix_cost(observed, word.substr(0, n)),
                      cost(observed, word) + 1e-9);
    }
    // A start no reading of the word begins with costs more than a few confusions.
    EXPECT_GT(ConfusionModel::builtin().prefix_cost(U"modern", U"xyzq"), 10.0);
    EXPECT_EQ(ConfusionModel::builtin().prefix_cost(U"modern", U"mod"), 0.0);
}

TEST(ConfusionModel, ColumnsBoundEveryWordThatStartsSoEvenMidConfusion) {
    // `l` alone is half of `u` -> `ll`: prefix_cost() of `l` is an arbitrary edit (3 nats),
    // more than `u` read as `ll` costs; bound() counts the confusion under way.
    const auto& model = ConfusionModel::builtin();
    ConfusionModel::Columns columns(model, U"u");
    columns.push(U'l');
    EXPECT_GT(columns.prefix_cost(), cost(U"u", U"ll"));
    EXPECT_LE(columns.bound(), cost(U"u", U"ll") + 1e-9);
    for (const auto& [observed, word] : std::vector<std::pair<std::u32string, std::u32string>>{
             {U"tjeaclí", U"beagle"}, {U"rnodern", U"modern"}, {U"dofoudeiit", U"defendant"}, {U"aU", U"all"}, {U"m", U"rnm"}}) {
        ConfusionModel::Columns walk(model, observed);
        for (const char32_t c : word) {
            walk.push(c);
            EXPECT_LE(walk.bound(), cost(observed, word) + 1e-9);
            EXPECT_LE(walk.bound(), walk.prefix_cost());
        }
    }
}

TEST(ConfusionModel, ColumnsPoppedEqualColumnsNeverPushed) {
    const auto& model = ConfusionModel::builtin();
    const std::u32string observed[] = {U"tlie", U"rnodern", U"govemment", U"tjeaclí", U"aud", U"ſoone", U"wiiich"};
    const std::u32string intended[] = {U"the", U"modern", U"government", U"beagle", U"and", U"soone", U"which",
                                       U"hello", U"m", U""};
    for (const auto& o : observed)
        for (const auto& w : intended) {
            // A trie walk pushes a letter, looks, and pops it again: the table must come back.
            ConfusionModel::Columns columns(model, o);
            for (const char32_t c : w) {
                columns.push(U'x');
                columns.pop();
                columns.push(c);
            }
            EXPECT_NEAR(columns.cost(), model.cost(o, w), 1e-9);
            EXPECT_NEAR(columns.prefix_cost(), model.prefix_cost(o, w), 1e-9);
            EXPECT_LE(columns.prefix_cost(), columns.cost());
        }
}

TEST(ConfusionModel, TheWholeTableEqualsTheColumnsGrownOneByOne) {
    // cost() fills the table at once; Columns (the trie walk's) grows it a character at a
    // time. Over letters that the confusions involve, both must give the same cost to the bit.
    const ConfusionModel& model = ConfusionModel::builtin();
    static const std::u32string alphabet = U"rnmiluhdcloeatbfsſ10»vwy";
    std::mt19937 random(9);
    std::uniform_int_distribution<int> letter(0, static_cast<int>(alphabet.size()) - 1), length(0, 11);
    auto word = [&] {
        std::u32string w;
        for (int n = length(random); n > 0; --n) w += alphabet[static_cast<std::size_t>(letter(random))];
        return w;
    };
    int finite = 0;
    for (int k = 0; k < 3000; ++k) {
        const std::u32string observed = word(), intended = k % 3 == 0 ? observed : word();
        ConfusionModel::Columns columns(model, observed);
        for (const char32_t c : intended) columns.push(c);
        ASSERT_EQ(model.cost(observed, intended), columns.cost());
        finite += columns.cost() < 1e9;
    }
    EXPECT_EQ(finite, 3000);
}

TEST(ConfusionModel, TheReadingsWithinABudgetAreTheWordsTheTableCostsSoLittle) {
    // Under a budget below every plain edit, some_reading_within must find a word exactly
    // when cost() puts some word within the budget: the fast tier skips a word's lookups on
    // its say-so. Words near one another over letters the confusions involve.
    const ConfusionModel& model = ConfusionModel::builtin();
    static const std::u32string alphabet = U"rnmiluhdcoeatbfsſ10v";
    std::mt19937 random(13);
    std::uniform_int_distribution<int> letter(0, static_cast<int>(alphabet.size()) - 1), length(1, 8);
    std::vector<std::u32string> words;
    for (int k = 0; k < 400; ++k) {
        std::u32string w;
        for (int n = length(random); n > 0; --n) w += alphabet[static_cast<std::size_t>(letter(random))];
        words.push_back(w);
    }
    int agreed_found = 0;
    for (int k = 0; k < 1000; ++k) {
        // An observed word: one of the words with a few letters changed, or a random one.
        std::u32string observed = words[static_cast<std::size_t>(k) % words.size()];
        for (int e = k % 3; e > 0; --e)
            observed[static_cast<std::size_t>(random()) % observed.size()] = alphabet[static_cast<std::size_t>(letter(random))];
        for (const double budget : {1.0, 2.5}) {
            bool expected = false;
            for (const auto& w : words) expected = expected || model.cost(observed, w) <= budget;
            const bool found = model.some_reading_within(observed, budget + 1e-6, [&](std::string_view reading) {
                return std::find(words.begin(), words.end(), ocrfix::text::to_code_points(reading)) != words.end();
            });
            ASSERT_EQ(found, expected) << "budget " << budget;
            agreed_found += found;
        }
    }
    EXPECT_GT(agreed_found, 500);
    // Past max_readings it answers true: the caller looks the slow way.
    EXPECT_TRUE(model.some_reading_within(U"ſſſſſſſſſſſſ", 2.5, [](std::string_view) { return false; }, 10));
    EXPECT_FALSE(model.some_reading_within(U"xyzq", 2.5, [](std::string_view) { return false; }));
}

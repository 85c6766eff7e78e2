// The rule registry's catalogue is the one in docs/QUALITY.md (regenerate it with
// build/bench/rule_catalogue), and the per-language facts files parse.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "correct/language_facts.h"
#include "correct/rules/registry.h"

namespace {

TEST(RuleCatalogue, DocsQualityHoldsTheGeneratedCatalogue) {
    std::ifstream in(std::string(OCRFIX_SOURCE_DIR) + "/docs/QUALITY.md");
    ASSERT_TRUE(in) << "docs/QUALITY.md not found";
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string page = buffer.str();
    const std::string heading = "## Rule catalogue\n";
    const std::size_t at = page.find(heading);
    ASSERT_NE(at, std::string::npos) << "docs/QUALITY.md has no \"## Rule catalogue\" section";
    // The section's text after its heading and one line of introduction, up to the next heading.
    std::size_t begin = page.find("\n\n", at + heading.size());
    ASSERT_NE(begin, std::string::npos);
    begin += 2;
    std::size_t end = page.find("\n## ", begin);
    if (end == std::string::npos) end = page.size();
    else end += 1;
    std::string section = page.substr(begin, end - begin);
    while (section.size() >= 2 && section.ends_with("\n\n")) section.pop_back();
    EXPECT_EQ(section, ocrfix::correct::rule_catalogue_markdown())
        << "docs/QUALITY.md's rule catalogue is stale: replace it with the output of build/bench/rule_catalogue";
}

TEST(LanguageFacts, EachLanguageFileParses) {
    const auto languages = ocrfix::correct::languages_with_facts();
    EXPECT_EQ(languages.size(), 3u);
    const auto& english = ocrfix::correct::language_facts("en");
    EXPECT_TRUE(ocrfix::correct::LanguageFacts::contains(english.titles, "Capt"));
    EXPECT_TRUE(english.wide_real_word_twins);
    ASSERT_TRUE(ocrfix::correct::language_facts("de").one_letter_words.has_value());
    EXPECT_TRUE(ocrfix::correct::language_facts("de").one_letter_words->empty());
    EXPECT_EQ(ocrfix::correct::LanguageFacts::reading_of(ocrfix::correct::language_facts("fr").sentence_start_misreads, "11"),
              "Il");
    // A language without a file has no facts: no rule that needs them runs for it.
    EXPECT_FALSE(ocrfix::correct::language_facts("nl").one_letter_words.has_value());
}

TEST(LanguageFacts, AMisspelledKeyOrAMalformedPairIsAnError) {
    EXPECT_THROW(ocrfix::correct::parse_language_facts("xx", "title: Mr\n"), std::invalid_argument);
    EXPECT_THROW(ocrfix::correct::parse_language_facts("xx", "signs_for_letters: 1I\n"), std::invalid_argument);
    EXPECT_THROW(ocrfix::correct::parse_language_facts("xx", "free_accents: maybe\n"), std::invalid_argument);
    const auto facts = ocrfix::correct::parse_language_facts("xx", "# a comment\ntitles: Mr Dr\nsentence_start_misreads: 11=Il\n");
    EXPECT_EQ(facts.titles.size(), 2u);
    EXPECT_EQ(ocrfix::correct::LanguageFacts::reading_of(facts.sentence_start_misreads, "11"), "Il");
}

}  // namespace

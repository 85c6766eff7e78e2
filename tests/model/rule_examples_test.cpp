// Every registered rule's examples, run through the lexical proposer on the installed
// lexicons (no model): each example's span gets the rule's reading, or none from the rule.
// The rule catalogue in docs/QUALITY.md is the registry's.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "correct/language_resources.h"
#include "correct/lexical_proposer.h"
#include "correct/rules/registry.h"
#include "model/default_model.h"

namespace {

using ocrfix::correct::Rule;
using ocrfix::correct::RuleExample;

struct Case {
    const Rule* rule;
    const RuleExample* example;
};

std::vector<Case> all_examples() {
    std::vector<Case> cases;
    for (const Rule* rule : ocrfix::correct::rules())
        for (const RuleExample& example : rule->examples) cases.push_back({rule, &example});
    return cases;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    std::string name(info.param.rule->name);
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name + "_" + std::to_string(info.index);
}

class RuleExamples : public ::testing::TestWithParam<Case> {};

TEST_P(RuleExamples, ProposeTheirReading) {
    const auto [rule, example] = GetParam();
    OCRFIX_REQUIRE_LEXICONS();
    // Held for the whole run: the library is shared while someone holds it, and loading a
    // lexicon takes a second or two.
    static const auto library = ocrfix::correct::LanguageLibrary::shared();
    const auto* resources = library->get(std::string(example->language));
    ASSERT_NE(resources, nullptr) << "no lexicon for " << example->language;
    const std::string text(example->text);
    const std::size_t at = text.find(example->span);
    ASSERT_NE(at, std::string::npos) << "the span is not in the text";
    std::vector<std::string> readings;
    for (const auto& p : ocrfix::correct::LexicalProposer(*resources).propose(text, 3, false))
        if (p.begin == at && p.end == at + example->span.size() && p.source == rule->name) readings.push_back(p.replacement);
    if (example->reading.empty()) {
        EXPECT_TRUE(readings.empty()) << rule->name << " proposed `" << readings.front() << "` in `" << text << "`";
    } else {
        EXPECT_NE(std::find(readings.begin(), readings.end(), example->reading), readings.end())
            << rule->name << " did not propose `" << example->reading << "` for `" << example->span << "` in `" << text
            << "`";
    }
}

INSTANTIATE_TEST_SUITE_P(Registry, RuleExamples, ::testing::ValuesIn(all_examples()), case_name);

TEST(RuleRegistry, EveryRuleHasExamplesAndAUniqueName) {
    for (const Rule* rule : ocrfix::correct::rules()) {
        EXPECT_GE(rule->examples.size(), 2u) << rule->name;
        EXPECT_EQ(ocrfix::correct::find_rule(rule->name), rule) << rule->name;
        EXPECT_FALSE(ocrfix::correct::rule_languages(*rule).empty()) << rule->name << " runs for no language";
    }
}

}  // namespace

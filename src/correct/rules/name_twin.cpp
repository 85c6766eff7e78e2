// A name's first word misread as a commoner word before a capitalised word (`Now South
// Wales`, `Now York` -> `New York`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "name-twin";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    // `Now` before a capitalised word is the misread `New` of a name (`Now South Wales`,
    // `Now York`): over the English dev pairs, 6 of 6. Too common for a twin elsewhere.
    const std::string_view word = in.view(in.i);
    const auto name = LanguageFacts::reading_of(in.facts.name_twins, word);
    if (!name || in.next >= in.tokens.size() || in.tokens[in.next].kind != text::TokenKind::word ||
        !text::is_upper(text::to_code_points(in.view(in.next))[0]))
        return;
    const std::string folded = text::fold_for_lookup(word), reading = text::fold_for_lookup(*name);
    out.push_back({in.token().begin, in.token().end, std::string(*name), ProposalKind::real_word,
                   in.confusions.cost(text::to_code_points(folded), text::to_code_points(reading)),
                   in.lexicon.log_frequency(reading), !in.sentence_start, kName});
}

constexpr RuleExample kExamples[] = {
    {"en", "he went to Now York by sea", "Now", "New"},
    {"en", "he went to Now South Wales", "Now", "New"},
    {"en", "and now we go", "now", ""},
};

}  // namespace

const Rule& name_twin_rule() {
    static const Rule rule{kName, "a name's first word misread as a commoner word (`Now York` -> `New York`)",
                           ProposalKind::real_word, RuleStage::word,
                           [](const LanguageFacts& facts) { return !facts.name_twins.empty(); }, propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

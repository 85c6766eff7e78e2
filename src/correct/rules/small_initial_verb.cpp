// A small i or j read as a capital at the start of a verb form in -ed or -ing after a small
// word or a bracket (`was Joined`, `(Instructed by`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "small-initial-verb";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    // The same misreading turns `i` and `j` into capitals at the start of a verb form (`was
    // Joined as co-respondent`, `(Instructed by Mr. Gilbert)`, `he Identified`): a word in
    // -ed or -ing is no name, so after a word in small letters or an opening bracket its
    // small form is a reading when that is a common word. The LM judges it like a small `i`.
    const std::string_view word = in.view(i);
    const std::u32string points = text::to_code_points(word);
    if (i == 0 || points.size() < 5 || !all_small(std::u32string_view(points).substr(1))) return;
    bool capital = false, verb_form = false;
    for (const std::string& letter : in.facts.small_initial_verb_letters)
        capital = capital || word.starts_with(letter);
    for (const std::string& ending : in.facts.verb_form_endings) verb_form = verb_form || word.ends_with(ending);
    if (!capital || !verb_form) return;
    const bool after_bracket = in.view(i - 1) == "(";
    const bool after_small_word = i >= 2 && text::is_gap(tokens[i - 1]) && tokens[i - 2].kind == text::TokenKind::word &&
                                  all_small(text::to_code_points(in.view(i - 2)));
    if (!after_bracket && !after_small_word) return;
    std::string small(word);
    small[0] = static_cast<char>(small[0] - 'A' + 'a');
    const auto centibels = in.lexicon.centibels(small);
    if (!centibels || *centibels > in.params.joined_max_centibels) return;
    out.push_back(token_reading(in, small, ProposalKind::small_i, kName));
}

constexpr RuleExample kExamples[] = {
    {"en", "he was Joined as co-respondent", "Joined", "joined"},
    {"en", "(Instructed by Mr. Gilbert)", "Instructed", "instructed"},
    {"en", "Mr. Ingram Joined the club", "Joined", ""},  // after a capitalised word: a heading or a name
};

}  // namespace

const Rule& small_initial_verb_rule() {
    static const Rule rule{kName, "a small i or j read as a capital at the start of a verb form (`was Joined` -> `was joined`)",
                           ProposalKind::small_i, RuleStage::word,
                           [](const LanguageFacts& facts) { return !facts.small_initial_verb_letters.empty(); },
                           propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

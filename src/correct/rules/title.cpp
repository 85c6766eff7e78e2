// A title before a name read one letter off (`Nr. Blair` -> `Mr. Blair`, `Mra. Hill`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "title";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const std::size_t i = in.i;
    // OCR misreads one letter of a title before a name (`Nr. Blair`, `Mt. J. Smith`, `Mra.
    // Hill`, `Hr Dyce`): a capitalised word one letter off Mr, Mrs or Dr, itself no common
    // word (Zipf below 5: not `My`, `De`) nor another title (`Ms`), then a full stop or not,
    // a gap and a capital. The LM tells `Mt. Everest` from `Mt. J. Smith`.
    const std::string_view word = in.view(i);
    if (!before_name(in.text, in.tokens, i)) return;
    if (word.empty() || word[0] < 'A' || word[0] > 'Z' || LanguageFacts::contains(in.facts.titles_of_their_own, word))
        return;
    if (const auto centibels = in.lexicon.centibels(text::fold_for_lookup(word));
        centibels && *centibels <= in.params.title_lookalike_max_centibels)
        return;
    for (const std::string& title : in.facts.title_readings) {
        if (title.size() != word.size() || title == word) continue;
        int differ = 0;
        for (std::size_t k = 0; k < word.size(); ++k) differ += word[k] != title[k];
        if (differ == 1)
            out.push_back(token_reading(in, title, ProposalKind::title, kName));
    }
}

constexpr RuleExample kExamples[] = {
    {"en", "said Nr. Blair to them", "Nr", "Mr"},
    {"en", "and Mra. Hill came", "Mra", "Mrs"},
    {"en", "and Ms. Hill came", "Ms", ""},
};

}  // namespace

const Rule& title_rule() {
    static const Rule rule{kName, "a title before a name read one letter off (`Nr. Blair` -> `Mr. Blair`)",
                           ProposalKind::title, RuleStage::word,
                           [](const LanguageFacts& facts) { return !facts.title_readings.empty(); }, propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

// An initial read as strokes between a title or an initial and a name (`Mr. W. II. Drew`,
// `Mrs. II. Wallace` -> `Mrs. H. Wallace`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "initial";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const std::size_t i = in.i;
    // OCR reads the two stems of a capital H as `II`. Between a title or an initial and a
    // capitalised word it is an initial, not the numeral of `Part II. Overture` or `George II`
    // (which follow a word): `Mr. W. II. Drew`, `Mrs. II. Wallace`, `Mr O II Phillips`.
    const auto initial = LanguageFacts::reading_of(in.facts.initial_misreads, in.view(i));
    if (!initial || !before_name(in.text, in.tokens, i)) return;
    std::size_t prior = i;
    while (prior > 0 && text::is_gap(in.tokens[prior - 1])) --prior;
    if (prior == i || !after_title(in.text, in.tokens, prior, in.facts.titles)) return;
    out.push_back({in.tokens[i].begin, in.tokens[i].end, std::string(*initial), ProposalKind::initial, 0.0, 0.0, false,
                   kName});
}

constexpr RuleExample kExamples[] = {
    {"en", "to Mrs. II. Wallace of", "II", "H"},
    {"en", "by Mr. W. II. Drew and", "II", "H"},
    {"en", "of George II. The king", "II", ""},
};

}  // namespace

const Rule& initial_rule() {
    static const Rule rule{kName, "an initial before a name read as strokes (`Mrs. II. Wallace` -> `Mrs. H. Wallace`)",
                           ProposalKind::initial, RuleStage::word,
                           [](const LanguageFacts& facts) { return !facts.initial_misreads.empty(); }, propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

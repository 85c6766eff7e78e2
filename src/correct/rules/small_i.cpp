// A small i read as a capital in a function word mid-sentence (`sea In the` -> `sea in the`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "small-i";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    // OCR often reads a small i as a capital (`was In the`). Only the function words: a
    // capitalised noun after a small word is usually right (`the Jury`, `the Islands`), and
    // on the dev set the model could not tell those apart.
    const std::string_view word = in.view(i);
    if (i < 2 || !LanguageFacts::contains(in.facts.small_i_words, word)) return;
    // Mid-sentence: a small word, then one space or line break. `In`, `Into`, `Is` and `Its`
    // also after a comma or a semicolon, or after a capitalised word (`in Sydney In June`,
    // `the Commissioner Is`); `It` and `If` there mostly begin a sentence whose full stop OCR
    // lost.
    if (!text::is_gap(tokens[i - 1])) return;
    const std::string_view previous = in.view(i - 2);
    const std::u32string before = text::to_code_points(previous);
    const bool small_word = tokens[i - 2].kind == text::TokenKind::word && all_small(before);
    const bool mid_clause = !LanguageFacts::contains(in.facts.small_i_sentence_openers, word) &&
                            (previous == "," || previous == ";" ||
                             (tokens[i - 2].kind == text::TokenKind::word && before.size() >= 2 &&
                              text::is_upper(before[0]) && all_small(std::u32string_view(before).substr(1))));
    if (!small_word && !mid_clause) return;
    std::string small(word);
    small[0] = 'i';
    out.push_back(token_reading(in, small, ProposalKind::small_i, kName));
}

constexpr RuleExample kExamples[] = {
    {"en", "out at sea In the night", "In", "in"},
    {"en", "the Commissioner Is here", "Is", "is"},
    {"en", "they left It was late", "It", "it"},
    {"en", "the storm, It was late", "It", ""},
};

}  // namespace

const Rule& small_i_rule() {
    static const Rule rule{kName, "a small i read as a capital mid-sentence (`was In the` -> `was in the`)",
                           ProposalKind::small_i, RuleStage::word,
                           [](const LanguageFacts& facts) { return !facts.small_i_words.empty(); }, propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

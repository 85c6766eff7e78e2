// A sentence's first word read as a numeral: French `Il` as `II` or `11` (`II se peut`,
// `11 s'agit`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "french-il";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    const std::string_view text = in.text;
    if (tokens[i].kind != text::TokenKind::number && tokens[i].kind != text::TokenKind::word) return;
    // French `Il` opens many sentences, and OCR reads its `l` as `I` or both letters as `1`
    // (`II se peut`, `11 s'agit`). At a sentence's start and before a word in small letters
    // they are no numeral (`Louis II,`, `le 11 novembre`, `de 11 pouces` follow a word); the
    // LM judges the rest.
    const std::string_view sign = tokens[i].view(text);
    const auto word = LanguageFacts::reading_of(in.facts.sentence_start_misreads, sign);
    if (!word || i + 2 >= tokens.size() || tokens[i + 1].kind != text::TokenKind::space) return;
    if (tokens[i + 2].kind != text::TokenKind::word || !starts_small(text, tokens[i + 2])) return;
    if (i >= 1) {
        const bool after_line = tokens[i - 1].kind == text::TokenKind::newline;
        const bool after_sentence =
            i >= 2 && tokens[i - 1].kind == text::TokenKind::space && ends_sentence(tokens[i - 2].view(text));
        if (!after_line && !after_sentence) return;
    }
    out.push_back(token_reading(in, *word, ProposalKind::sign_for_letter, kName));
}

constexpr RuleExample kExamples[] = {
    {"fr", "Il pleut. II se peut que", "II", "Il"},
    {"fr", "11 s'agit de tout", "11", "Il"},
    {"fr", "le 11 novembre", "11", ""},
};

}  // namespace

const Rule& french_il_rule() {
    static const Rule rule{kName, "a sentence's first word read as a numeral (French `II se peut` -> `Il se peut`)",
                           ProposalKind::sign_for_letter, RuleStage::token,
                           [](const LanguageFacts& facts) { return !facts.sentence_start_misreads.empty(); }, propose,
                           kExamples};
    return rule;
}

}  // namespace ocrfix::correct

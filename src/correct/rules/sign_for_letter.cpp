// A one-letter word read as a sign: `1` or `|` for I (`which 1 gladly`, `in court. | know`),
// `&` for a (`of & new`).
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "sign-for-letter";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    const std::string_view text = in.text;
    if (tokens[i].kind != text::TokenKind::number && tokens[i].kind != text::TokenKind::punctuation) return;
    // OCR reads a one-letter word as a sign: the pronoun I as the digit 1 (`which 1 gladly`,
    // `and 1 shall`), after a word or a mark, and the article a as an ampersand (`of & new`,
    // `hat and & bushel`), between words in small letters. Both stand before a word in small
    // letters. `1 rood`, `1 try` are amounts and `black & white` an ampersand; the LM tells
    // them apart.
    const std::string_view sign = tokens[i].view(text);
    const auto letter = LanguageFacts::reading_of(in.facts.signs_for_letters, sign);
    if (!letter || i < 2 || i + 2 >= tokens.size()) return;
    if (!text::is_gap(tokens[i - 1]) || !text::is_gap(tokens[i + 1]) || tokens[i + 2].kind != text::TokenKind::word) return;
    // A bar at a line's start or end is a column rule more often than a letter.
    if (sign == "|" && (tokens[i - 1].kind != text::TokenKind::space || tokens[i + 1].kind != text::TokenKind::space))
        return;
    if (!starts_small(text, tokens[i + 2])) return;
    const text::TextToken& before = tokens[i - 2];
    // A sign for the pronoun I follows a word or a mark (it opens sentences); another sign
    // stands between words in small letters.
    const bool pronoun = *letter == "I";
    if (pronoun && before.kind != text::TokenKind::word && before.kind != text::TokenKind::punctuation) return;
    if (!pronoun && !starts_small(text, before)) return;
    out.push_back(token_reading(in, *letter, ProposalKind::sign_for_letter, kName));
}

constexpr RuleExample kExamples[] = {
    {"en", "which 1 gladly accept", "1", "I"},
    {"en", "and 1 shall go", "1", "I"},
    {"en", "a hat of & new shape", "&", "a"},
    {"en", "in court. | know him", "|", "I"},
    {"en", "the guest\n| was drunk", "|", ""},
    {"en", "black & White", "&", ""},
};

}  // namespace

const Rule& sign_for_letter_rule() {
    static const Rule rule{kName, "a one-letter word read as a sign (`and 1 shall` -> `and I shall`, `of & new`)",
                           ProposalKind::sign_for_letter, RuleStage::token,
                           [](const LanguageFacts& facts) { return !facts.signs_for_letters.empty(); }, propose,
                           kExamples};
    return rule;
}

}  // namespace ocrfix::correct

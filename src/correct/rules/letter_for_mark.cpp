// A spaced exclamation mark read as a letter or digit: French `la mort 1 Le lendemain`.
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "letter-for-mark";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    const std::string_view text = in.text;
    if (tokens[i].kind != text::TokenKind::number && tokens[i].kind != text::TokenKind::word) return;
    // French sets `!` apart from its word, and OCR reads the lone stroke as `1` or `I`:
    // after a word in small letters, before a capital, a quote, a dash or the line's end
    // (`Vive la nation 1 A bas`, `la mort I`). A `1` after a word is also an amount
    // (`sur 1 pied`), and `I` after a name a numeral (`Napoléon I`): the one is followed by
    // a word in small letters, the other follows a capital; the LM judges the rest.
    const std::string_view sign = tokens[i].view(text);
    if (!LanguageFacts::contains(in.facts.spaced_exclamation_misreads, sign) || i < 2 ||
        tokens[i - 1].kind != text::TokenKind::space)
        return;
    if (tokens[i - 2].kind != text::TokenKind::word || !all_small(text::to_code_points(tokens[i - 2].view(text)))) return;
    if (i + 1 < tokens.size() && !text::is_gap(tokens[i + 1])) return;
    if (i + 2 < tokens.size() && tokens[i + 1].kind == text::TokenKind::space) {
        const std::u32string next = text::to_code_points(tokens[i + 2].view(text));
        const bool capital = tokens[i + 2].kind == text::TokenKind::word && text::is_upper(next[0]);
        const bool line_end = tokens[i + 2].kind == text::TokenKind::newline;
        const bool opens = tokens[i + 2].kind == text::TokenKind::punctuation &&
                           std::u32string_view(U"«»\"“”'’-—–").find(next[0]) != std::u32string_view::npos;
        if (!capital && !opens && !line_end) return;
    }
    out.push_back({tokens[i].begin, tokens[i].end, "!", ProposalKind::letter_for_mark, 0.0, 0.0, false, kName});
}

constexpr RuleExample kExamples[] = {
    {"fr", "Vive la nation 1 A bas les tyrans", "1", "!"},
    {"fr", "ce fut la mort I Le lendemain", "I", "!"},
    {"fr", "sur 1 pied de large", "1", ""},
};

}  // namespace

const Rule& letter_for_mark_rule() {
    static const Rule rule{kName, "a spaced `!` read as a letter or digit (French `la mort 1 Le` -> `la mort ! Le`)",
                           ProposalKind::letter_for_mark, RuleStage::token,
                           [](const LanguageFacts& facts) { return !facts.spaced_exclamation_misreads.empty(); },
                           propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

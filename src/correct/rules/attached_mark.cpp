// A speck read as a mark stuck to a word in small letters, at its end or start (English:
// `marked' attention`, `is 'always`, `the .most`, `species! of`; elsewhere `.most` only).
#include <algorithm>
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "attached-mark";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    const std::string_view text = in.text;
    if (tokens[i].kind != text::TokenKind::punctuation) return;
    // A speck beside a word reads as a mark stuck to it: a quote at its end or start
    // (`marked' attention`, `so'⏎painful`, `is 'always followed`), a full stop or a comma at
    // its start (`the .most attractive`, `love ,of`), `!` or `:` at its end between words in
    // small letters (`species! of`, `in: vain`). A quote is left where another quote on the
    // line opens or closes a word (quoting), after a plural (`the Smiths' house`), or in an
    // elision (`tho'`, `thro'`, `goin'`; `'tis`, `'em`, `'buses`). The LM compares the word
    // without the mark.
    // French and German (their facts list `.` alone) write `!` and `:` their own ways, and
    // quotes open elisions and quotations there.
    const std::string_view mark = tokens[i].view(text);
    const bool leading = LanguageFacts::contains(in.facts.leading_attached_marks, mark);
    const bool trailing = LanguageFacts::contains(in.facts.trailing_attached_marks, mark);
    const bool quote = (mark == "'" || mark == "’") && (leading || trailing);
    if (!leading && !trailing) return;
    auto small_word = [&](std::size_t k) {
        if (k >= tokens.size() || tokens[k].kind != text::TokenKind::word) return false;
        const std::u32string points = text::to_code_points(tokens[k].view(text));
        return points.size() >= 2 && all_small(points);
    };
    if (quote && quoted_nearby(text, tokens[i].begin, tokens[i].end, in.params.quote_reach)) return;
    // At a word's end, before a gap and a word in small letters.
    if (trailing && i >= 1 && small_word(i - 1) && i + 2 < tokens.size() && text::is_gap(tokens[i + 1]) &&
        starts_small(text, tokens[i + 2])) {
        const std::string_view word = tokens[i - 1].view(text);
        bool elision = LanguageFacts::contains(in.facts.elided_before_quote, word);
        for (const std::string& ending : in.facts.elided_ending_before_quote)
            elision = elision || (word.size() > 3 && word.ends_with(ending));
        if (!quote || (word.back() != 's' && !elision))
            out.push_back({tokens[i - 1].begin, tokens[i].end, std::string(word), ProposalKind::stray_mark, 0.0, 0.0, false,
                           kName});
    }
    // At a word's start, after a gap (or the text's start), the word followed by a gap or a
    // mark that is no quote.
    if (leading && (i == 0 || text::is_gap(tokens[i - 1])) && small_word(i + 1) &&
        (i + 2 >= tokens.size() || text::is_gap(tokens[i + 2]) ||
         (tokens[i + 2].kind == text::TokenKind::punctuation &&
          !is_single_quote(text::to_code_points(tokens[i + 2].view(text))[0])))) {
        const std::string_view word = tokens[i + 1].view(text);
        if (!quote || !LanguageFacts::contains(in.facts.elided_after_quote, word))
            out.push_back({tokens[i].begin, tokens[i + 1].end, std::string(word), ProposalKind::stray_mark, 0.0, 0.0, false,
                           kName});
    }
}

constexpr RuleExample kExamples[] = {
    {"en", "he marked' attention to it", "marked'", "marked"},
    {"en", "it is 'always followed", "'always", "always"},
    {"en", "the .most attractive", ".most", "most"},
    {"en", "the species! of birds", "species!", "species"},
    {"en", "but 'tis a pity", "'tis", ""},
    {"fr", "de la .plus belle", ".plus", "plus"},
};

}  // namespace

const Rule& attached_mark_rule() {
    static const Rule rule{kName, "a speck read as a mark stuck to a word in small letters (`the .most` -> `the most`)",
                           ProposalKind::stray_mark, RuleStage::token,
                           [](const LanguageFacts& facts) {
                               return !facts.leading_attached_marks.empty() || !facts.trailing_attached_marks.empty();
                           },
                           propose, kExamples};
    return rule;
}

}  // namespace ocrfix::correct

// A word with a letter broken off by a space (`w as`, `t he`, `poli c e`, `n a h m`): the
// pieces from this word on, joined, when one is a lone letter that is no word of the language.
#include <algorithm>
#include <string>

#include "correct/rules/rule.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kName = "lone-letter-merge";

void propose(const RuleInput& in, std::vector<Proposal>& out) {
    // OCR sets a space inside a word, often beside a narrow letter (`w as`, `t he`, `matr o n`,
    // `poli c e`), and letter-spaced print comes out one letter at a time (`n a h m`). A lone
    // letter that is no word of the language (English has a and I, French a, à and y) is a
    // piece of its neighbours: the pieces joined, up to four, when they form a common word and
    // the pieces after the first start in small letters. An English `s` or `t` at the end is a
    // lost apostrophe (`King s`, `don t`), not a piece.
    const auto& tokens = in.tokens;
    const std::size_t i = in.i;
    const std::string_view text = in.text;
    const lexicon::Lexicon& lexicon = in.lexicon;
    const WordList& one_letter_words = *in.facts.one_letter_words;
    auto lone_letter = [&](std::string_view piece) {
        const std::u32string points = text::to_code_points(piece);
        if (points.size() != 1 || !text::is_letter(points[0])) return false;
        return !LanguageFacts::contains(one_letter_words, text::fold_for_lookup(piece));
    };
    // French and German end words with such letters (`haut s`, `de n`, `erfolgt e`): after a
    // word, a lone letter is as often a stray as an ending (3 right, 5 wrong on the dev pairs),
    // and it would start a longer join (`Er n a` -> `Erna` beside `n a h m` -> `nahm`).
    if (in.facts.lone_letter_may_end_word && i + 2 < tokens.size() && lone_letter(tokens[i + 2].view(text)) &&
        text::to_code_points(tokens[i].view(text)).size() >= 2 && lexicon.is_known(tokens[i].view(text)))
        return;
    // Where the merges made from earlier pieces end, at the furthest: a piece inside one of
    // them gets no slot of its own. Such a merge spans at most 2 * max_merged_pieces - 1
    // tokens, so it was made among the recent ones.
    const bool recent_suffice = 2 * in.params.max_merged_pieces <= RuleInput::kRecentTokens;
    std::size_t merged_until = 0;
    for (std::size_t k = recent_suffice ? in.recent : 0; k < in.made.size(); ++k)
        if (const Proposal& p = in.made[k]; p.kind == ProposalKind::merge && p.source == kName)
            merged_until = std::max(merged_until, p.end);
    std::string joined(tokens[i].view(text));
    bool has_lone_letter = lone_letter(tokens[i].view(text));
    for (std::size_t pieces = 2, k = i + 2; pieces <= in.params.max_merged_pieces && k < tokens.size(); ++pieces, k += 2) {
        if (tokens[k - 1].view(text) != " " || !starts_small(text, tokens[k])) break;
        const std::string_view piece = tokens[k].view(text);
        joined += piece;
        has_lone_letter = has_lone_letter || lone_letter(piece);
        if (!has_lone_letter) continue;
        if (k + 1 < tokens.size() && is_single_quote(text::to_code_points(tokens[k + 1].view(text))[0])) continue;
        if (LanguageFacts::contains(in.facts.lost_apostrophe_endings, piece)) continue;
        const std::string folded = text::fold_for_lookup(joined);
        const auto centibels = lexicon.centibels(folded);
        if (!centibels || *centibels > in.params.joined_max_centibels) continue;
        // Part of a longer word proposed from an earlier piece (`o n` in `matr o n`): no slot
        // of its own, or its reading would crowd out the whole word's. Those merges all start
        // before this piece, so the furthest end tells.
        if (merged_until >= tokens[k].end) continue;
        // The pieces as written, only the spaces gone (`Stra ß e` keeps its ß).
        out.push_back({tokens[i].begin, tokens[k].end, joined, ProposalKind::merge, in.params.merge_cost,
                       lexicon.log_frequency(folded), false, kName});
    }
}

constexpr RuleExample kExamples[] = {
    {"en", "and there w as a man", "w as", "was"},
    {"en", "the poli c e came", "poli c e", "police"},
    {"en", "the King s men", "King s", ""},
    {"de", "er n a h m es", "n a h m", "nahm"},
};

}  // namespace

const Rule& lone_letter_merge_rule() {
    static const Rule rule{kName, "a word with a lone letter broken off by a space (`w as` -> `was`, `poli c e` -> `police`)",
                           ProposalKind::merge, RuleStage::word_end,
                           [](const LanguageFacts& facts) { return facts.one_letter_words.has_value(); }, propose,
                           kExamples};
    return rule;
}

}  // namespace ocrfix::correct

#include "correct/spacing.h"

#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

using text::TextToken;
using text::TokenKind;

constexpr int kMinSpacedMarks = 5;
constexpr int kSpacedPercent = 80;

using text::is_gap;

// What a mark can end: a word, a number or a closing bracket (`(H-1707) ;`).
bool can_end_with_mark(std::string_view text, const TextToken& token) {
    return token.kind == TokenKind::word || token.kind == TokenKind::number || token.view(text) == ")";
}

class Tokens {
public:
    explicit Tokens(std::string_view text) : text_(text), tokens_(text::tokenize(text)) {}

    std::size_t size() const { return tokens_.size(); }
    const TextToken& operator[](std::size_t i) const { return tokens_[i]; }
    std::string_view view(std::size_t i) const { return tokens_[i].view(text_); }
    bool is(std::size_t i, TokenKind kind) const { return i < tokens_.size() && tokens_[i].kind == kind; }

    // Token i is a mark that ends a word, before a line's end, a space or the text's end, and
    // not before a spaced `.` or `,` (dot leaders, `. . .`, and runs of marks). Returns
    // whether a space sets it apart.
    enum class Mark { none, tight, spaced };
    Mark word_end_mark(std::size_t i) const {
        if (tokens_[i].kind != TokenKind::punctuation || i == 0) return Mark::none;
        if (i + 1 < tokens_.size() && !is_gap(tokens_[i + 1])) return Mark::none;
        if (i + 2 < tokens_.size() && tokens_[i + 1].kind == TokenKind::space &&
            tokens_[i + 2].kind == TokenKind::punctuation && (view(i + 2) == "." || view(i + 2) == ","))
            return Mark::none;
        if (can_end_with_mark(text_, tokens_[i - 1])) return Mark::tight;
        if (i >= 2 && tokens_[i - 1].kind == TokenKind::space && can_end_with_mark(text_, tokens_[i - 2])) return Mark::spaced;
        return Mark::none;
    }

private:
    std::string_view text_;
    std::vector<TextToken> tokens_;
};

bool tokenised(const Tokens& tokens) {
    int spaced = 0, tight = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens.view(i) != "," && tokens.view(i) != ".") continue;
        const auto mark = tokens.word_end_mark(i);
        spaced += mark == Tokens::Mark::spaced;
        tight += mark == Tokens::Mark::tight;
    }
    return spaced >= kMinSpacedMarks && spaced * 100 >= kSpacedPercent * (spaced + tight);
}

// `before ' after` is an elision (French `l'`, `d'`, `qu'`, `jusqu'`, `aujourd'hui`) or an
// English contraction (`don't`, `it's`, `we'll`).
bool elides(std::string_view before, std::string_view after) {
    static constexpr std::string_view kElided[] = {"l", "L", "d", "D", "j", "J", "m", "M", "n", "N",
                                                    "s", "S", "t", "T", "c", "C", "aujourd"};
    static constexpr std::string_view kContracted[] = {"s", "t", "ll", "re", "ve", "d", "m"};
    for (const auto word : kElided)
        if (before == word) return true;
    if (before.ends_with("qu") || before.ends_with("Qu") || before.ends_with("QU")) return true;
    for (const auto tail : kContracted)
        if (after == tail) return true;
    return false;
}

}  // namespace

bool spaced_like_tokens(std::string_view text) { return tokenised(Tokens(text)); }

std::vector<Edit> token_spacing_edits(std::string_view text, std::string_view language) {
    const Tokens tokens(text);
    if (!tokenised(tokens)) return {};
    const bool french = language == "fr";
    std::vector<Edit> edits;
    // Only plain spaces go: a tab, a no-break space or a form feed may be layout.
    auto drop = [&](std::size_t space) {
        if (tokens.view(space).find_first_not_of(' ') == std::string_view::npos)
            edits.push_back({tokens[space].begin, tokens[space].end, "", 1.0, "spacing"});
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens.is(i, TokenKind::punctuation)) continue;
        const std::string_view mark = tokens.view(i);
        const bool attaches = mark == "," || mark == "." || (!french && (mark == ";" || mark == ":"));
        if (attaches && tokens.word_end_mark(i) == Tokens::Mark::spaced) drop(i - 1);
        // `( H-1707 )`: the spaces inside the brackets.
        if (mark == ")" && tokens.is(i - 1, TokenKind::space) && i >= 2 && !is_gap(tokens[i - 2]) &&
            tokens.view(i - 2) != "(")
            drop(i - 1);
        if (mark == "(" && tokens.is(i + 1, TokenKind::space) &&
            (tokens.is(i + 2, TokenKind::word) || tokens.is(i + 2, TokenKind::number)))
            drop(i + 1);
        // An apostrophe in an elision or a contraction (`l ' agriculture`, `qu ' il`, `don ' t`);
        // a quote around words (`he said ' hello '`) stays.
        if ((mark == "'" || mark == "’") && i >= 2 && tokens.is(i - 1, TokenKind::space) &&
            tokens.is(i - 2, TokenKind::word) && tokens.is(i + 1, TokenKind::space) && tokens.is(i + 2, TokenKind::word) &&
            elides(tokens.view(i - 2), tokens.view(i + 2))) {
            drop(i - 1);
            drop(i + 1);
        }
    }
    return edits;
}

}  // namespace ocrfix::correct

#include "correct/hyphenation.h"

#include <algorithm>
#include <string>

#include "ocrfix/error.h"
#include "text/normalize.h"
#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

constexpr std::string_view kNotSign = "¬";

struct LineEndBreak {
    const text::TextToken* hyphen;   // "-" or "¬"
    const text::TextToken* newline;
};

// Every word, hyphen, line break, lower-case word sequence of the text.
std::vector<LineEndBreak> line_end_breaks(std::string_view text, const std::vector<text::TextToken>& tokens) {
    std::vector<LineEndBreak> breaks;
    for (std::size_t i = 1; i + 2 < tokens.size(); ++i) {
        const std::string_view mark = tokens[i].view(text);
        if (mark != "-" && mark != kNotSign) continue;
        if (tokens[i - 1].kind != text::TokenKind::word || tokens[i + 1].kind != text::TokenKind::newline ||
            tokens[i + 2].kind != text::TokenKind::word)
            continue;
        const std::u32string next = text::to_code_points(tokens[i + 2].view(text));
        if (next.empty() || !text::is_lower(next.front())) continue;
        breaks.push_back({&tokens[i], &tokens[i + 1]});
    }
    return breaks;
}

}  // namespace

LineEndHyphens parse_line_end_hyphens(std::string_view name) {
    if (name == "auto") return LineEndHyphens::automatic;
    if (name == "keep") return LineEndHyphens::keep;
    if (name == "mark") return LineEndHyphens::mark;
    if (name == "join") return LineEndHyphens::join;
    throw Error(ErrorCategory::invalid_argument,
                "line_end_hyphens '" + std::string(name) + "' is not one of auto, keep, mark, join");
}

std::vector<Edit> line_end_hyphen_edits(std::string_view text, LineEndHyphens mode) {
    if (mode == LineEndHyphens::keep) return {};
    const auto tokens = text::tokenize(text);
    const auto breaks = line_end_breaks(text, tokens);
    if (mode == LineEndHyphens::automatic) {
        const bool text_uses_mark = std::any_of(breaks.begin(), breaks.end(), [&](const LineEndBreak& b) {
            return b.hyphen->view(text) == kNotSign;
        });
        if (!text_uses_mark) return {};
        mode = LineEndHyphens::mark;
    }
    std::vector<Edit> edits;
    for (const auto& b : breaks) {
        if (mode == LineEndHyphens::mark && b.hyphen->view(text) != kNotSign)
            edits.push_back({b.hyphen->begin, b.hyphen->end, std::string(kNotSign), 1.0, "hyphenation"});
        else if (mode == LineEndHyphens::join)
            edits.push_back({b.hyphen->begin, b.newline->end, "", 1.0, "hyphenation"});
    }
    return edits;
}

}  // namespace ocrfix::correct

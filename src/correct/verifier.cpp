#include "correct/verifier.h"

#include <map>

#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

constexpr std::size_t kLeftWords = 12;   // context the model sees before the slot
constexpr std::size_t kRightWords = 4;   // context after it, scored with the slot

// Byte offset where the left context starts (kLeftWords words back, or the text start).
std::size_t left_window(const std::vector<text::TextToken>& tokens, std::size_t begin) {
    std::size_t words = 0;
    std::size_t start = 0;
    for (std::size_t i = tokens.size(); i-- > 0;) {
        if (tokens[i].end > begin) continue;
        if (tokens[i].kind == text::TokenKind::word && ++words > kLeftWords) break;
        start = tokens[i].begin;
    }
    return start;
}

std::size_t right_window(const std::vector<text::TextToken>& tokens, std::size_t end, std::size_t limit) {
    std::size_t words = 0;
    std::size_t stop = end;
    for (const auto& token : tokens) {
        if (token.begin < end) continue;
        if (token.kind == text::TokenKind::word && ++words > kRightWords) break;
        stop = token.end;
    }
    return std::min(stop, limit);
}

}  // namespace

std::vector<double> LmVerifier::score(std::string_view text, const std::vector<Candidate>& candidates) {
    std::vector<double> result(candidates.size(), 0.0);
    const auto tokens = text::tokenize(text);
    const llm::Model& model = context_.model();
    // Group candidates by slot: each group is one prefix and 1 + k continuations.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> slots;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        slots[{candidates[i].begin, candidates[i].end}].push_back(i);
    for (const auto& [slot, members] : slots) {
        auto [begin, end] = slot;
        // The prefix stops before the white space that precedes the slot, so the
        // continuation starts with " word" as the tokenizer would split it in running text.
        std::size_t cut = begin;
        while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\t')) --cut;
        const std::size_t left = left_window(tokens, cut);
        const std::size_t right = right_window(tokens, end, text.size());
        std::vector<llm::Token> prefix = model.tokenize(text.substr(left, cut - left), /*add_special=*/true);
        if (prefix.empty()) prefix = model.tokenize(" ", true);
        const std::string gap(text.substr(cut, begin - cut));
        const std::string tail(text.substr(end, right - end));
        std::vector<std::vector<llm::Token>> continuations;
        continuations.push_back(model.tokenize(gap + std::string(text.substr(begin, end - begin)) + tail, false));
        for (const std::size_t index : members)
            continuations.push_back(model.tokenize(gap + candidates[index].replacement + tail, false));
        const auto logprobs = context_.continuation_logprobs(prefix, continuations);
        for (std::size_t k = 0; k < members.size(); ++k) result[members[k]] = logprobs[k + 1] - logprobs[0];
    }
    return result;
}

}  // namespace ocrfix::correct

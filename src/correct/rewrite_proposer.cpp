#include "correct/rewrite_proposer.h"

#include "lexicon/confusion_model.h"
#include "llm/chat.h"
#include "text/normalize.h"
#include "text/align.h"
#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

const char* const kSystemPrompt =
    "You correct OCR errors. Rewrite the user's text with misread letters and misspelt words fixed. "
    "Keep every word, the punctuation and the line breaks. Do not add or explain anything. "
    "Output only the corrected text.";

std::vector<text::TextToken> words_of(std::string_view input) {
    std::vector<text::TextToken> words;
    for (const auto& token : text::tokenize(input))
        if (token.kind == text::TokenKind::word || token.kind == text::TokenKind::number) words.push_back(token);
    return words;
}

}  // namespace

RewriteRequest rewrite_request(const llm::Model& model, std::string_view chunk) {
    const std::string prompt = llm::apply_chat_template(
        model, {{"system", kSystemPrompt}, {"user", std::string(chunk)}}, /*add_assistant=*/true);
    RewriteRequest request;
    request.prompt = model.tokenize(prompt, /*add_special=*/true, /*parse_special=*/true);
    request.draft = model.tokenize(chunk, false);
    request.budget = static_cast<int>(request.draft.size() * 3 / 2 + 16);
    return request;
}

std::string rewrite_chunk(llm::Context& context, std::string_view chunk) {
    const RewriteRequest request = rewrite_request(context.model(), chunk);
    return context.model().detokenize(context.generate_greedy(request.prompt, request.budget));
}

std::vector<Candidate> candidates_from_rewrite(std::string_view chunk, std::string_view rewrite) {
    const auto source = words_of(chunk);
    const auto target = words_of(rewrite);
    std::vector<std::string_view> a, b;
    for (const auto& w : source) a.push_back(w.view(chunk));
    for (const auto& w : target) b.push_back(w.view(rewrite));
    std::vector<Candidate> candidates;
    for (const auto& step : text::align(a, b)) {
        if (step.op != text::AlignOp::substitute) continue;
        const auto& word = source[step.a_index];
        candidates.push_back({word.begin, word.end, std::string(b[step.b_index])});
    }
    return candidates;
}

std::vector<Proposal> rewrite_proposals(std::string_view input, llm::Context& context) {
    std::vector<Proposal> out;
    const auto& channel = lexicon::ConfusionModel::builtin();
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view line = input.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
            for (const auto& candidate : candidates_from_rewrite(line, rewrite_chunk(context, line))) {
                Proposal proposal;
                proposal.begin = start + candidate.begin;
                proposal.end = start + candidate.end;
                proposal.replacement = candidate.replacement;
                proposal.channel_cost = channel.cost(text::to_code_points(text::fold_for_lookup(
                                                         line.substr(candidate.begin, candidate.end - candidate.begin))),
                                                     text::to_code_points(text::fold_for_lookup(candidate.replacement)));
                if (proposal.channel_cost > 8.0) continue;  // a paraphrase, not a reading
                out.push_back(std::move(proposal));
            }
        }
        start = end + 1;
    }
    return out;
}

}  // namespace ocrfix::correct

#include "correct/pipeline.h"

#include <algorithm>

#include "correct/rewrite_proposer.h"
#include "correct/verifier.h"
#include "text/align.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

struct Chunk {
    std::size_t begin;
    std::size_t end;
};

// Lines, so that the model sees short, whole pieces and line breaks are never touched.
std::vector<Chunk> split_lines(std::string_view input) {
    std::vector<Chunk> chunks;
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        if (input.substr(start, end - start).find_first_not_of(" \t\r") != std::string_view::npos)
            chunks.push_back({start, end});
        start = end + 1;
    }
    return chunks;
}

// A plausible OCR correction changes a word a little; a paraphrase changes it a lot.
bool is_small_change(std::string_view original, std::string_view replacement) {
    std::u32string a, b;
    for (std::size_t i = 0; i < original.size();) a.push_back(text::next_code_point(original, i));
    for (std::size_t i = 0; i < replacement.size();) b.push_back(text::next_code_point(replacement, i));
    const std::size_t distance = text::levenshtein(a, b);
    return distance * 2 <= std::max(a.size(), b.size());
}

}  // namespace

CorrectionResult correct_text(llm::Context& context, std::string_view input, const PipelineOptions& options) {
    CorrectionResult result;
    LmVerifier verifier(context);
    for (const Chunk& chunk : split_lines(input)) {
        const std::string_view line = input.substr(chunk.begin, chunk.end - chunk.begin);
        const std::string rewrite = rewrite_chunk(context, line);
        std::vector<Candidate> candidates;
        for (auto& candidate : candidates_from_rewrite(line, rewrite))
            if (is_small_change(line.substr(candidate.begin, candidate.end - candidate.begin), candidate.replacement))
                candidates.push_back(std::move(candidate));
        if (candidates.empty()) continue;
        const auto scores = verifier.score(line, candidates);
        for (std::size_t i = 0; i < candidates.size(); ++i)
            if (scores[i] > options.accept_threshold)
                result.edits.push_back({chunk.begin + candidates[i].begin, chunk.begin + candidates[i].end,
                                        candidates[i].replacement, scores[i], "rewrite"});
    }
    std::sort(result.edits.begin(), result.edits.end(), [](const Edit& x, const Edit& y) { return x.begin < y.begin; });
    result.text = apply_edits(input, result.edits);
    return result;
}

}  // namespace ocrfix::correct

#include "text/metrics.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "text/align.h"
#include "text/normalize.h"

namespace ocrfix::text {

ErrorCounts count_errors(std::string_view hypothesis, std::string_view reference) {
    ErrorCounts counts;
    const std::u32string hyp = to_code_points(hypothesis);
    const std::u32string ref = to_code_points(reference);
    counts.reference_chars = ref.size();
    counts.char_edits = levenshtein(hyp, ref);
    std::unordered_map<std::string_view, int> ids;
    auto word_ids = [&ids](std::string_view text) {
        std::vector<int> out;
        for (const auto word : split_whitespace(text)) out.push_back(ids.emplace(word, int(ids.size())).first->second);
        return out;
    };
    const auto hyp_words = word_ids(hypothesis);
    const auto ref_words = word_ids(reference);
    counts.reference_words = ref_words.size();
    counts.word_edits = levenshtein(hyp_words, ref_words);
    return counts;
}

}  // namespace ocrfix::text

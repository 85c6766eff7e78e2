#include "page_words_json.h"

#include <string_view>

namespace ocrfix::server {

nlohmann::json corrected_words_to_json(const std::vector<layout::Word>& words, const CorrectionResult& result) {
    // Each edit's span in the corrected text: its offsets are into the original, so every
    // edit before it moves it by what it added or removed.
    struct Span {
        std::size_t begin, end;
    };
    std::vector<Span> corrected_spans;
    long long shift = 0;
    for (const Edit& edit : result.edits) {
        const auto begin = static_cast<std::size_t>(static_cast<long long>(edit.begin) + shift);
        corrected_spans.push_back({begin, begin + edit.replacement.size()});
        shift += static_cast<long long>(edit.replacement.size()) - static_cast<long long>(edit.end - edit.begin);
    }

    const std::string_view text = result.text;
    nlohmann::json words_json = nlohmann::json::array();
    for (const layout::Word& word : words) {
        nlohmann::json edits = nlohmann::json::array();
        const bool aligned = word.end <= text.size() && text.substr(word.begin, word.end - word.begin) == word.text;
        for (std::size_t i = 0; aligned && i < corrected_spans.size(); ++i) {
            const Span span = corrected_spans[i];
            // A deletion has no span left: it belongs to the word it touches.
            const bool touches = span.begin == span.end ? word.begin <= span.begin && span.begin <= word.end
                                                        : word.begin < span.end && span.begin < word.end;
            if (touches) edits.push_back(i);
        }
        words_json.push_back(
            {{"text", word.text},
             {"box", word.box.known ? nlohmann::json{word.box.left, word.box.top, word.box.right, word.box.bottom}
                                    : nlohmann::json()},
             {"confidence", word.confidence},
             {"edits", std::move(edits)}});
    }
    return words_json;
}

}  // namespace ocrfix::server

#include "page_words_json.h"

namespace ocrfix::server {

nlohmann::json corrected_words_to_json(const std::vector<layout::Word>& words,
                                       const std::vector<std::vector<std::size_t>>& word_edits) {
    nlohmann::json words_json = nlohmann::json::array();
    for (std::size_t i = 0; i < words.size(); ++i) {
        const layout::Word& word = words[i];
        words_json.push_back(
            {{"text", word.text},
             {"box", word.box.known ? nlohmann::json{word.box.left, word.box.top, word.box.right, word.box.bottom}
                                    : nlohmann::json()},
             {"confidence", word.confidence},
             {"edits", i < word_edits.size() ? nlohmann::json(word_edits[i]) : nlohmann::json::array()}});
    }
    return words_json;
}

}  // namespace ocrfix::server

#include "result_json.h"

namespace ocrfix::server {

nlohmann::json edit_to_json(std::string_view input, const Edit& edit) {
    const std::size_t end = std::min(edit.end, input.size());
    const std::size_t begin = std::min(edit.begin, end);
    return {
        {"begin", edit.begin},
        {"end", edit.end},
        {"original", std::string(input.substr(begin, end - begin))},
        {"replacement", edit.replacement},
        {"score", edit.score},
        {"source", edit.source},
    };
}

nlohmann::json result_to_json(std::string_view input, const CorrectionResult& result) {
    nlohmann::json edits = nlohmann::json::array();
    for (const Edit& edit : result.edits) edits.push_back(edit_to_json(input, edit));
    return {{"text", result.text}, {"edits", std::move(edits)}};
}

}  // namespace ocrfix::server

#include "engine/traced_result.h"

#include <algorithm>

#include "text/utf8.h"

namespace ocrfix::engine {

namespace {

bool is_continuation(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

}  // namespace

CorrectionResult traced_result(std::string_view input, CorrectionResult result, std::string_view source) {
    if (!result.edits.empty()) {
        result.text = apply_edits(input, result.edits);
        return result;
    }
    if (result.text == input) return result;
    text::require_valid_utf8(result.text, "the post-processor's output");
    const std::string_view output = result.text;
    std::size_t prefix = 0;
    while (prefix < input.size() && prefix < output.size() && input[prefix] == output[prefix]) ++prefix;
    std::size_t suffix = 0;
    const std::size_t limit = std::min(input.size(), output.size()) - prefix;
    while (suffix < limit && input[input.size() - 1 - suffix] == output[output.size() - 1 - suffix]) ++suffix;
    // Widen to whole code points so that the edit replaces characters, not stray bytes.
    while (prefix > 0 && ((prefix < input.size() && is_continuation(input[prefix])) ||
                          (prefix < output.size() && is_continuation(output[prefix]))))
        --prefix;
    while (suffix > 0 &&
           (is_continuation(input[input.size() - suffix]) || is_continuation(output[output.size() - suffix])))
        --suffix;
    Edit edit;
    edit.begin = prefix;
    edit.end = input.size() - suffix;
    edit.replacement = std::string(output.substr(prefix, output.size() - suffix - prefix));
    edit.source = std::string(source);
    result.edits.push_back(std::move(edit));
    return result;
}

}  // namespace ocrfix::engine

#include "ocrfix/edit.h"
#include "ocrfix/error.h"

namespace ocrfix {

std::string apply_edits(std::string_view input, const std::vector<Edit>& edits) {
    std::string output;
    output.reserve(input.size());
    std::size_t cursor = 0;
    for (const Edit& edit : edits) {
        if (edit.begin < cursor || edit.end < edit.begin || edit.end > input.size())
            throw Error(ErrorCategory::invalid_argument,
                        "edits overlap, are unsorted or run past the input (edit " + std::to_string(edit.begin) +
                            ".." + std::to_string(edit.end) + " over " + std::to_string(input.size()) + " bytes)");
        output.append(input.substr(cursor, edit.begin - cursor));
        output.append(edit.replacement);
        cursor = edit.end;
    }
    output.append(input.substr(cursor));
    return output;
}

}  // namespace ocrfix

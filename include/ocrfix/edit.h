// Edits and correction results: every output of ocrfix is the input plus accepted edits.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ocrfix {

// Replace input bytes [begin, end) with `replacement`. Offsets are byte offsets into the
// original input; edits in one result never overlap and are sorted by `begin`.
struct Edit {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string replacement;
    double score = 0.0;   // decision margin (docs/QUALITY.md): above 0, and higher is surer
    std::string source;   // which proposer suggested it: "lexical", "real-word", "garbled",
                          // "split", "rewrite", ..., or a context rule's name (docs/QUALITY.md)

    bool operator==(const Edit&) const = default;
};

struct CorrectionResult {
    std::string text;         // the input with `edits` applied
    std::vector<Edit> edits;  // accepted edits, sorted, non-overlapping
};

// Applies sorted, non-overlapping edits to `input`. Text outside edits is copied byte for
// byte. Throws ocrfix::Error(invalid_argument) if the edits overlap or run past the end.
std::string apply_edits(std::string_view input, const std::vector<Edit>& edits);

}  // namespace ocrfix

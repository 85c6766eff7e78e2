// Levenshtein alignment with backtrace (text/align.h) and the error counts built on it
// (text/metrics.h). Input: two texts separated by the first NUL byte; code points when
// both are valid UTF-8, else bytes; and their words.
//
// Invariants:
// - the steps consume both sequences exactly, in order, each index where it must be;
// - a match pairs equal items, a substitution unequal ones, and replaying the steps on
//   the first sequence gives the second;
// - the steps other than matches number levenshtein(a, b), which is symmetric, zero
//   only for equal sequences, and between |n - m| and max(n, m);
// - count_errors counts those edits over code points and words, and none against itself.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "text/align.h"
#include "text/metrics.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace {

using ocrfix::text::AlignOp;

template <class Sequence>
void check_alignment(const Sequence& a, const Sequence& b) {
    const auto steps = ocrfix::text::align(a, b);
    Sequence rebuilt;
    std::size_t i = 0, j = 0, edits = 0;
    for (const auto& step : steps) {
        FUZZ_CHECK(step.a_index == i && step.b_index == j);
        switch (step.op) {
            case AlignOp::match:
                FUZZ_CHECK(i < a.size() && j < b.size() && a[i] == b[j]);
                rebuilt.push_back(a[i]);
                ++i, ++j;
                break;
            case AlignOp::substitute:
                FUZZ_CHECK(i < a.size() && j < b.size() && !(a[i] == b[j]));
                rebuilt.push_back(b[j]);
                ++i, ++j, ++edits;
                break;
            case AlignOp::remove:
                FUZZ_CHECK(i < a.size());
                ++i, ++edits;
                break;
            case AlignOp::insert:
                FUZZ_CHECK(j < b.size());
                rebuilt.push_back(b[j]);
                ++j, ++edits;
                break;
        }
    }
    FUZZ_CHECK(i == a.size() && j == b.size());
    FUZZ_CHECK(rebuilt == b);
    const std::size_t distance = ocrfix::text::levenshtein(a, b);
    FUZZ_CHECK(edits == distance);
    FUZZ_CHECK(ocrfix::text::levenshtein(b, a) == distance);
    FUZZ_CHECK((distance == 0) == (a == b));
    const std::size_t n = a.size(), m = b.size();
    FUZZ_CHECK(distance >= std::max(n, m) - std::min(n, m) && distance <= std::max(n, m));
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    for (const auto word : ocrfix::text::split_whitespace(text)) out.emplace_back(word);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader reader(data, size);
    const std::string_view a = reader.until('\0');
    const std::string_view b = reader.rest();
    check_alignment(std::string(a), std::string(b));

    const bool valid = !ocrfix::text::find_invalid_utf8(a) && !ocrfix::text::find_invalid_utf8(b);
    const auto counts = ocrfix::text::count_errors(a, b);  // also on invalid text, for ASan
    if (!valid) return 0;
    const std::u32string a_points = ocrfix::text::to_code_points(a);
    const std::u32string b_points = ocrfix::text::to_code_points(b);
    check_alignment(a_points, b_points);
    const auto a_words = words_of(a), b_words = words_of(b);
    check_alignment(a_words, b_words);

    FUZZ_CHECK(counts.reference_chars == b_points.size());
    FUZZ_CHECK(counts.char_edits == ocrfix::text::levenshtein(a_points, b_points));
    FUZZ_CHECK(counts.reference_words == b_words.size());
    FUZZ_CHECK(counts.word_edits == ocrfix::text::levenshtein(a_words, b_words));
    const auto same = ocrfix::text::count_errors(b, b);
    FUZZ_CHECK(same.char_edits == 0 && same.word_edits == 0 && same.cer() == 0.0 && same.wer() == 0.0);
    FUZZ_CHECK(counts.cer() >= 0.0 && counts.wer() >= 0.0);
    return 0;
}

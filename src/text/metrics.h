// Character and word error rates, counted exactly as ../shared/tools/cer.py counts them:
// Levenshtein over code points, and over str.split() words.
#pragma once

#include <cstddef>
#include <string_view>

namespace ocrfix::text {

struct ErrorCounts {
    std::size_t reference_chars = 0;
    std::size_t char_edits = 0;
    std::size_t reference_words = 0;
    std::size_t word_edits = 0;

    void add(const ErrorCounts& other) {
        reference_chars += other.reference_chars;
        char_edits += other.char_edits;
        reference_words += other.reference_words;
        word_edits += other.word_edits;
    }
    double cer() const { return reference_chars ? double(char_edits) / double(reference_chars) : 0.0; }
    double wer() const { return reference_words ? double(word_edits) / double(reference_words) : 0.0; }
};

ErrorCounts count_errors(std::string_view hypothesis, std::string_view reference);

}  // namespace ocrfix::text

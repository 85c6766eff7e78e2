// Layout files (src/layout): hOCR, ALTO and PAGE XML parsed, edited and written back.
//
// Input: one byte that picks the edits, then the file. Every word whose index modulo
// (the byte % 5 + 1) is zero gets an edit, by turns: a letter changed, the word split in
// the middle, the word merged with the next one on its line.
//
// Invariants:
// - parsing succeeds or throws Error(invalid_input), nothing else;
// - with no edits, what is written parses again to the same text and words;
// - with edits that stay inside lines, everything is applied, and what is written parses
//   again, in the same format, to the text with the edits applied.
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "layout/document.h"
#include "ocrfix/edit.h"
#include "ocrfix/error.h"

namespace {

using ocrfix::CorrectionResult;
using ocrfix::Edit;
namespace layout = ocrfix::layout;

std::vector<Edit> edits_for(const layout::Document& document, unsigned every) {
    std::vector<Edit> edits;
    const auto& words = document.words();
    const std::string& text = document.text();
    std::size_t last_end = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const layout::Word& word = words[i];
        if (i % every != 0 || word.begin < last_end) continue;
        const std::string_view content(text.data() + word.begin, word.end - word.begin);
        // Edits at code point boundaries: ASCII letters only.
        std::size_t ascii = 0;
        while (ascii < content.size() && static_cast<unsigned char>(content[ascii]) < 0x80 && content[ascii] != ' ')
            ++ascii;
        switch (i % 3) {
            case 0:
                if (ascii > 0) edits.push_back({word.begin, word.begin + 1, "Q", 1.0, "fuzz"});
                break;
            case 1:
                if (ascii >= 2 && !word.whole_line)
                    edits.push_back({word.begin + 1, word.begin + 1, " ", 1.0, "fuzz"});
                break;
            case 2:
                if (i + 1 < words.size() && words[i + 1].line == word.line && !word.whole_line)
                    edits.push_back({word.end, words[i + 1].begin, "", 1.0, "fuzz"});
                break;
        }
        if (!edits.empty()) last_end = edits.back().end + 1;
    }
    return edits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader reader(data, size);
    const unsigned every = reader.byte() % 5 + 1;
    const std::string_view bytes = reader.rest();

    std::optional<layout::Document> parsed;
    try {
        parsed = layout::Document::parse(bytes, "fuzz.xml");
    } catch (const ocrfix::Error& error) {
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::invalid_input);
        return 0;
    }
    const std::string text = parsed->text();
    const layout::Format format = parsed->format();
    const std::vector<Edit> edits = edits_for(*parsed, every);

    {
        layout::Document untouched = layout::Document::parse(bytes, "fuzz.xml");
        untouched.apply(CorrectionResult{text, {}});
        const layout::Document again = layout::Document::parse(untouched.serialize(), "again.xml");
        FUZZ_CHECK(again.text() == text);
        FUZZ_CHECK(again.words().size() == parsed->words().size());
    }

    const std::string expected = ocrfix::apply_edits(text, edits);
    const layout::ApplyReport report = parsed->apply(CorrectionResult{expected, edits});
    FUZZ_CHECK(report.not_applied == 0);
    FUZZ_CHECK(report.applied == edits.size());
    const layout::Document again = layout::Document::parse(parsed->serialize(), "again.xml");
    FUZZ_CHECK(again.format() == format);
    FUZZ_CHECK(again.text() == expected);
    return 0;
}

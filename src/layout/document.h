// Layout documents: hOCR, ALTO and PAGE XML read into blocks, lines and words with their
// boxes and confidences, the plain text the engine corrects built from them, and the
// engine's edits written back onto the words, in the format they came in.
//
//   auto document = layout::Document::parse(bytes, "page.xml");        // format detected
//   CorrectionResult result = engine.run_postprocessor(document.text());
//   document.apply(result);                                             // words corrected in place
//   std::string xml = document.serialize();
//
// The text: words of a line joined by one space, lines by "\n", blocks by "\n\n". A line
// that ends in a hyphenated word ends in "-\n" (the hyphen: ALTO's HYP, or the word's own
// "-" or soft hyphen), as the engine expects of line-end hyphens in plain text. Every word
// knows its byte span in the text; what ocrfix writes back is limited to the words an
// accepted edit touches (docs: README "Layout formats").
//
// Not thread-safe: one Document per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ocrfix/edit.h"

namespace ocrfix::layout {

enum class Format { hocr, alto, page };

std::string_view format_name(Format format) noexcept;  // "hocr", "alto", "page"

// The layout format of `bytes` when they look like XML (after a BOM and white space, a
// '<'), std::nullopt for plain text. Only looks; Document::parse checks.
std::optional<Format> sniff_format(std::string_view bytes);
bool looks_like_xml(std::string_view bytes);

// Layout files larger than this are refused (the whole tree is held in memory).
inline constexpr std::size_t kMaxLayoutBytes = 256u << 20;
// Elements nested deeper than this are refused: real hOCR, ALTO and PAGE nest a dozen deep,
// and reading (and writing) the tree walks it recursively.
inline constexpr std::size_t kMaxLayoutDepth = 256;

struct Box {
    double left = 0, top = 0, right = 0, bottom = 0;
    bool known = false;  // false when the word has no box

    double width() const { return right - left; }
    Box united(const Box& other) const;
};

struct Word {
    std::string text;          // as read (trimmed; white space inside made single spaces)
    Box box;
    double confidence = -1.0;  // 0..1 (hOCR's x_wconf divided by 100); -1 when not given
    std::size_t line = 0;      // index into Document::lines()
    std::size_t begin = 0;     // byte span in Document::text()
    std::size_t end = 0;
    bool whole_line = false;   // a line with no word level (PAGE TextLine without Words)
    bool soft_hyphen = false;  // read with a final U+00AD, given to the engine as "-"
};

struct Line {
    std::size_t block = 0;
    std::size_t first_word = 0;
    std::size_t word_count = 0;
    std::string hyphen;  // ALTO: the HYP content after the last word ("" when none)
};

struct ApplyReport {
    std::size_t applied = 0;      // edits written onto words
    std::size_t not_applied = 0;  // edits across a line or block break, or on a line-end hyphen
                                  // (the layout keeps its lines and marks its hyphens itself)
    std::size_t words_changed = 0;
    std::vector<std::size_t> applied_edits;  // indices into the result's edits of those written, in order
};

class FormatAdapter;

class Document {
public:
    // Parses `bytes`; `format` forces a format, else it is detected from the root element
    // and its namespace. `name` is the file, for messages. Throws Error(invalid_input) for
    // malformed XML, an unknown root or namespace, a DOCTYPE that declares entities, a
    // document without any text, more than kMaxLayoutBytes, or elements nested deeper than
    // kMaxLayoutDepth.
    static Document parse(std::string_view bytes, std::string_view name, std::optional<Format> format = {});

    Document(Document&&) noexcept;
    Document& operator=(Document&&) noexcept;
    ~Document();

    Format format() const;
    const std::string& text() const { return text_; }
    const std::vector<Word>& words() const { return words_; }
    const std::vector<Line>& lines() const { return lines_; }

    // For the decision (issue 25, item 2): each byte of text() gets its word's confidence,
    // -1 for bytes between words and words without one.
    std::vector<double> byte_confidences() const;

    // Writes `result`'s edits (byte offsets into text()) onto the words. Call once.
    ApplyReport apply(const CorrectionResult& result);

    // The document as XML, UTF-8; equal to the input (as XML) where nothing was applied.
    std::string serialize() const;

private:
    Document();
    friend class DocumentBuilder;

    std::unique_ptr<FormatAdapter> adapter_;
    std::string text_;
    std::vector<Word> words_;
    std::vector<Line> lines_;
};

// For each word of `corrected` (the document written by apply() and read again), the indices
// into result.edits of the applied edits (ApplyReport::applied_edits) that wrote onto it.
// `original` is the text apply() was given. A word that an edit the layout left out has
// shifted out of place gets none rather than another word's.
std::vector<std::vector<std::size_t>> edits_of_words(const Document& corrected, std::string_view original,
                                                     const CorrectionResult& result,
                                                     const std::vector<std::size_t>& applied_edits);

}  // namespace ocrfix::layout

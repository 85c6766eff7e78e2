#include "layout/document.h"

#include <algorithm>

#include "layout/format_adapter.h"
#include "layout/well_formed.h"
#include "ocrfix/error.h"
#include "text/utf8.h"

namespace ocrfix::layout {

namespace {

constexpr std::string_view kSoftHyphen = "\xC2\xAD";  // U+00AD

constexpr std::string_view kAltoNamespaces[] = {
    "http://www.loc.gov/standards/alto/ns-v2#",
    "http://www.loc.gov/standards/alto/ns-v3#",
    "http://www.loc.gov/standards/alto/ns-v4#",
};
constexpr std::string_view kPageNamespaces[] = {
    "http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15",
    "http://schema.primaresearch.org/PAGE/gts/pagecontent/2017-07-15",
    "http://schema.primaresearch.org/PAGE/gts/pagecontent/2018-07-15",
    "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15",
};
constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

template <std::size_t N>
bool one_of(std::string_view value, const std::string_view (&list)[N]) {
    return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

std::string_view skip_bom_and_space(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    while (!bytes.empty() && (bytes.front() == ' ' || bytes.front() == '\t' || bytes.front() == '\n' ||
                              bytes.front() == '\r'))
        bytes.remove_prefix(1);
    return bytes;
}

// The root's format, or an error message naming what was found and what is known.
std::optional<Format> format_of_root(pugi::xml_node root, std::string& problem) {
    const std::string_view name = local_name(root);
    const std::string ns = namespace_of(root);
    if (name == "alto") {
        if (one_of(ns, kAltoNamespaces)) return Format::alto;
        problem = "its root is <alto> in the namespace '" + ns +
                  "', which is not ALTO v2, v3 or v4 (http://www.loc.gov/standards/alto/ns-v2# ... ns-v4#)";
        return std::nullopt;
    }
    if (name == "PcGts") {
        if (one_of(ns, kPageNamespaces)) return Format::page;
        problem = "its root is <PcGts> in the namespace '" + ns +
                  "', which is not PAGE XML 2013-07-15 or 2019-07-15 "
                  "(http://schema.primaresearch.org/PAGE/gts/pagecontent/...)";
        return std::nullopt;
    }
    if (name == "html") {
        if (ns.empty() || ns == kXhtmlNamespace) return Format::hocr;
        problem = "its root is <html> in the namespace '" + ns + "', not XHTML";
        return std::nullopt;
    }
    problem = "its root element is <" + std::string(root.name()) + ">, not <alto>, <PcGts> or an hOCR <html>";
    return std::nullopt;
}

std::unique_ptr<FormatAdapter> make_adapter(Format format) {
    switch (format) {
        case Format::hocr: return make_hocr_adapter();
        case Format::alto: return make_alto_adapter();
        case Format::page: return make_page_adapter();
    }
    return nullptr;
}

std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (unsigned char c : text) count += (c & 0xC0) != 0x80;
    return count;
}

// Words of a replacement: split at any white space (a line break in one stays in its line).
std::vector<std::string> split_on_spaces(std::string_view text) {
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find_first_of(" \t\n\r", start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) pieces.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return pieces;
}

}  // namespace

std::string_view format_name(Format format) noexcept {
    switch (format) {
        case Format::hocr: return "hocr";
        case Format::alto: return "alto";
        case Format::page: return "page";
    }
    return "?";
}

bool looks_like_xml(std::string_view bytes) { return skip_bom_and_space(bytes).starts_with("<"); }

std::optional<Format> sniff_format(std::string_view bytes) {
    if (!looks_like_xml(bytes)) return std::nullopt;
    const std::string_view head = bytes.substr(0, 4096);
    if (head.find("<alto") != std::string_view::npos || head.find(":alto") != std::string_view::npos)
        return Format::alto;
    if (head.find("PcGts") != std::string_view::npos) return Format::page;
    if (head.find("<html") != std::string_view::npos) return Format::hocr;
    return std::nullopt;
}

Box Box::united(const Box& other) const {
    if (!known) return other;
    if (!other.known) return *this;
    return {std::min(left, other.left), std::min(top, other.top), std::max(right, other.right),
            std::max(bottom, other.bottom), true};
}

// --- reading ---------------------------------------------------------------------------------

void DocumentBuilder::begin_block() { blocks_.emplace_back(); }

void DocumentBuilder::begin_line() {
    if (blocks_.empty()) begin_block();
    blocks_.back().emplace_back();
}

bool DocumentBuilder::add_word(std::string_view text, const Box& box, double confidence, bool whole_line) {
    // White space inside a word would break the text's lines and words: one space each.
    std::string clean;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!clean.empty() && clean.back() != ' ') clean += ' ';
        } else {
            clean += c;
        }
    }
    while (!clean.empty() && clean.back() == ' ') clean.pop_back();
    if (clean.empty()) return false;
    if (blocks_.empty() || blocks_.back().empty()) begin_line();
    Word word;
    word.text = std::move(clean);
    word.box = box;
    word.confidence = confidence;
    word.whole_line = whole_line;
    blocks_.back().back().words.push_back(std::move(word));
    return true;
}

void DocumentBuilder::set_line_hyphen(std::string hyphen) {
    if (!blocks_.empty() && !blocks_.back().empty()) blocks_.back().back().hyphen = std::move(hyphen);
}

Document DocumentBuilder::build(std::unique_ptr<FormatAdapter> adapter) {
    Document document;
    document.adapter_ = std::move(adapter);
    std::string& text = document.text_;
    std::size_t block_index = 0;
    for (auto& block : blocks_) {
        bool block_started = false;
        for (auto& pending : block) {
            if (pending.words.empty()) continue;
            if (!text.empty()) text += block_started ? "\n" : "\n\n";
            block_started = true;
            Line line;
            line.block = block_index;
            line.first_word = document.words_.size();
            line.word_count = pending.words.size();
            line.hyphen = pending.hyphen;
            for (std::size_t i = 0; i < pending.words.size(); ++i) {
                Word& word = pending.words[i];
                if (i > 0) text += ' ';
                word.line = document.lines_.size();
                word.begin = text.size();
                const bool last = i + 1 == pending.words.size();
                if (last && word.text.ends_with(kSoftHyphen)) {
                    // The engine knows a line-end hyphen as "-"; written back as it was.
                    word.soft_hyphen = true;
                    text.append(word.text, 0, word.text.size() - kSoftHyphen.size());
                    text += '-';
                } else {
                    text += word.text;
                }
                word.end = text.size();
                document.words_.push_back(std::move(word));
            }
            text += line.hyphen;
            document.lines_.push_back(std::move(line));
        }
        if (block_started) ++block_index;
    }
    return document;
}

Document::Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

Format Document::format() const { return adapter_->format(); }

Document Document::parse(std::string_view bytes, std::string_view name, std::optional<Format> format) {
    std::string file = "'";
    file.append(name).push_back('\'');
    if (bytes.size() > kMaxLayoutBytes)
        throw Error(ErrorCategory::invalid_input, file + " is larger than " + std::to_string(kMaxLayoutBytes >> 20) +
                                                      " MiB, the most a layout file may be; split it into pages");
    if (skip_bom_and_space(bytes).empty())
        throw Error(ErrorCategory::invalid_input,
                    file + " is empty: there is no " +
                        (format ? std::string(format_name(*format)) : std::string("layout")) +
                        " document to correct; check that the OCR wrote it");
    auto probe = std::make_unique<pugi::xml_document>();
    // Comments, processing instructions, the declaration and the DOCTYPE are kept as nodes so
    // that they are written back; pugixml never reads external entities or DTDs.
    const unsigned options = pugi::parse_full | pugi::parse_ws_pcdata;
    const pugi::xml_parse_result parsed = probe->load_buffer(bytes.data(), bytes.size(), options, pugi::encoding_auto);
    if (!parsed) {
        // hOCR is often written as HTML, which need not be XML.
        const bool html = bytes.find("ocrx_word") != std::string_view::npos ||
                          bytes.find("ocr_page") != std::string_view::npos;
        throw Error(ErrorCategory::invalid_input,
                    file + " is not well-formed XML (" + parsed.description() + " at byte " +
                        std::to_string(parsed.offset) + "); " +
                        (html ? "hOCR is read as XHTML: convert HTML with `xmllint --html --xmlout FILE` (libxml2-utils), or "
                              : "fix or re-export the file, or ") +
                        "pass --input-format text to correct it as plain text");
    }
    for (pugi::xml_node node = probe->first_child(); node; node = node.next_sibling())
        if (node.type() == pugi::node_doctype && std::string_view(node.value()).find("<!ENTITY") != std::string_view::npos)
            throw Error(ErrorCategory::invalid_input,
                        file + " declares entities in its DOCTYPE, which ocrfix does not expand; "
                               "remove the DOCTYPE's internal subset");
    // A file that says nothing of its encoding is UTF-8: checked as the file, so that the
    // message gives its own byte offset and line.
    if (parsed.encoding == pugi::encoding_utf8) text::require_valid_utf8(bytes, file);
    if (parsed.encoding == pugi::encoding_utf8 || parsed.encoding == pugi::encoding_latin1)
        if (const std::string problem = character_problem(bytes); !problem.empty())
            throw Error(ErrorCategory::invalid_input,
                        file + " is not well-formed XML: it has " + problem +
                            "; fix or re-export the file, or pass --input-format text to correct it as plain text");
    const pugi::xml_node root = probe->document_element();
    if (!root)
        throw Error(ErrorCategory::invalid_input, file + " has no root element; check that the OCR wrote it whole");
    if (nesting_depth(root) > kMaxLayoutDepth)
        throw Error(ErrorCategory::invalid_input,
                    file + " nests elements more than " + std::to_string(kMaxLayoutDepth) +
                        " deep, which no hOCR, ALTO or PAGE file does; check that it is one, or pass "
                        "--input-format text to correct its text");
    std::string problem;
    const std::optional<Format> found = format_of_root(root, problem);
    if (!found)
        throw Error(ErrorCategory::invalid_input,
                    file + " is not hOCR, ALTO or PAGE XML: " + problem +
                        "; pass --input-format text to correct it as plain text");
    if (format && *format != *found)
        throw Error(ErrorCategory::invalid_input,
                    file + " is " + std::string(format_name(*found)) + ", not " + std::string(format_name(*format)) +
                        "; leave out --input-format to detect it");

    // Whatever the file was in (Latin-1, UTF-16), it is read as and written back in UTF-8,
    // and its declaration says so.
    for (pugi::xml_node node = probe->first_child(); node; node = node.next_sibling())
        if (node.type() == pugi::node_declaration)
            if (pugi::xml_attribute encoding = node.attribute("encoding")) encoding.set_value("UTF-8");
    auto adapter = make_adapter(*found);
    adapter->xml.reset(*probe);
    DocumentBuilder builder;
    adapter->read(builder);
    Document document = builder.build(std::move(adapter));
    if (document.words_.empty()) {
        // PAGE can hold a region's text with no lines in it: not blank, but nothing ocrfix can
        // put corrected words back into.
        const bool region_text = *found == Format::page && root.find_node([](pugi::xml_node node) {
            return local_name(node) == "Unicode" && node.parent() && node.parent().parent() &&
                   local_name(node.parent().parent()) == "TextRegion" && !descendant_text(node).empty();
        });
        throw Error(ErrorCategory::invalid_input,
                    file + " is " + std::string(format_name(*found)) +
                        (region_text ? " with text only at the region level (a TextRegion's TextEquiv, no TextLine); "
                                       "ocrfix corrects lines and words: segment the regions into lines first"
                                     : " without any words or text lines; there is nothing to correct (was the page blank?)"));
    }
    text::require_valid_utf8(document.text_, file);
    return document;
}

std::vector<double> Document::byte_confidences() const {
    std::vector<double> confidences(text_.size(), -1.0);
    for (const auto& word : words_)
        std::fill(confidences.begin() + static_cast<std::ptrdiff_t>(word.begin),
                  confidences.begin() + static_cast<std::ptrdiff_t>(word.end), word.confidence);
    return confidences;
}

std::string Document::serialize() const {
    // Into a string that grows as it must: a stream that cannot grow fails quietly and
    // would give a truncated document; this throws.
    struct StringWriter final : pugi::xml_writer {
        std::string out;
        void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
    } writer;
    // Raw: no indentation added, so the white space read inside the root is what is written.
    const unsigned flags = pugi::format_raw;
    try {
        // XML keeps no white space around the root; a line break after each node of the
        // prolog (declaration, comments, DOCTYPE) and at the end, as files have them.
        for (pugi::xml_node node = adapter_->xml.first_child(); node; node = node.next_sibling()) {
            node.print(writer, "", flags, pugi::encoding_utf8);
            writer.out += '\n';
        }
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCategory::runtime, "out of memory writing the corrected " + std::string(format_name(format())) +
                                                " document; nothing was written (split the file into pages, or "
                                                "give ocrfix more memory)");
    }
    return std::move(writer.out);
}

// --- writing edits back ----------------------------------------------------------------------

ApplyReport Document::apply(const CorrectionResult& result) {
    ApplyReport report;
    struct Group {
        std::size_t first_word, last_word;
        std::vector<const Edit*> edits;
    };
    std::vector<Group> groups;
    // Line-end hyphens are the format's own markup (ALTO's HYP, a word's final "-" or soft
    // hyphen before the next line): an edit that ends on one and keeps it ends before it
    // (ALTO) or is a word's edit (hOCR, PAGE); one that changes it (a profile's "¬") is left out.
    struct Hyphen {
        std::size_t begin, end;
        bool own_element;  // ALTO's HYP, not part of a word
    };
    std::vector<Hyphen> hyphens;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
        const Line& line = lines_[l];
        const Word& last = words_[line.first_word + line.word_count - 1];
        if (!line.hyphen.empty()) hyphens.push_back({last.end, last.end + line.hyphen.size(), true});
        else if (l + 1 < lines_.size() && !last.whole_line && last.end - last.begin > 1 && text_[last.end - 1] == '-')
            hyphens.push_back({last.end - 1, last.end, false});
    }
    std::vector<Edit> edits;
    std::vector<std::size_t> edit_index;  // parallel to edits: its index in result.edits
    for (std::size_t index = 0; index < result.edits.size(); ++index) {
        Edit edit = result.edits[index];
        bool left_out = false;
        auto it = std::lower_bound(hyphens.begin(), hyphens.end(), edit.begin,
                                   [](const Hyphen& hyphen, std::size_t offset) { return hyphen.end < offset; });
        for (; it != hyphens.end() && it->begin <= edit.end; ++it) {
            const std::string_view mark(text_.data() + it->begin, it->end - it->begin);
            const bool overlaps = edit.begin < it->end && it->begin < edit.end;
            const bool keeps = edit.end == it->end && edit.begin < it->begin && edit.replacement.ends_with(mark);
            if (overlaps && keeps && it->own_element) {
                edit.end = it->begin;
                edit.replacement.resize(edit.replacement.size() - mark.size());
            } else if (overlaps && !keeps) {
                left_out = true;
            }
        }
        if (left_out) {
            ++report.not_applied;
        } else {
            edits.push_back(std::move(edit));
            edit_index.push_back(index);
        }
    }
    for (const Edit& edit : edits) {
        // The words the edit touches, boundaries included (an insertion at a word's end).
        auto it = std::lower_bound(words_.begin(), words_.end(), edit.begin,
                                   [](const Word& word, std::size_t offset) { return word.end < offset; });
        std::size_t first = static_cast<std::size_t>(it - words_.begin()), last = first;
        while (last < words_.size() && words_[last].begin <= edit.end) ++last;
        // Inside one line, from the first word's start to the last word's end: anything
        // else crosses a line break, a block break or an ALTO hyphen, which stay as they are.
        if (last == first || words_[first].line != words_[last - 1].line || edit.begin < words_[first].begin ||
            edit.end > words_[last - 1].end) {
            ++report.not_applied;
            continue;
        }
        --last;
        if (!groups.empty() && first <= groups.back().last_word) {
            groups.back().last_word = std::max(groups.back().last_word, last);
            groups.back().edits.push_back(&edit);
        } else {
            groups.push_back({first, last, {&edit}});
        }
    }

    for (const Group& group : groups) {
        const Word& first = words_[group.first_word];
        const Word& last = words_[group.last_word];
        const std::size_t count = group.last_word - group.first_word + 1;
        std::string before = text_.substr(first.begin, last.end - first.begin);
        std::vector<Edit> shifted;
        for (const Edit* edit : group.edits)
            shifted.push_back({edit->begin - first.begin, edit->end - first.begin, edit->replacement, 0.0, ""});
        const std::string after = apply_edits(before, shifted);

        // A word read with a space inside (`New York` in one hOCR word, a whole PAGE line)
        // stays one word: its spaces are not splits.
        const bool spaced = std::any_of(words_.begin() + static_cast<std::ptrdiff_t>(group.first_word),
                                        words_.begin() + static_cast<std::ptrdiff_t>(group.last_word + 1),
                                        [](const Word& word) { return word.whole_line || word.text.find(' ') != std::string::npos; });
        std::vector<std::string> texts = spaced ? std::vector<std::string>{after} : split_on_spaces(after);
        if (texts.empty() || (spaced && after.empty())) {  // words deleted: the layout keeps them
            report.not_applied += group.edits.size();
            continue;
        }
        if (last.soft_hyphen && texts.back().ends_with('-')) {
            texts.back().pop_back();
            texts.back() += kSoftHyphen;
        }
        std::vector<Piece> pieces(texts.size());
        std::string all_originals;
        Box united;
        for (std::size_t i = 0; i < count; ++i) {
            const Word& word = words_[group.first_word + i];
            all_originals += (i ? " " : "") + word.text;
            united = united.united(word.box);
        }
        std::size_t total_characters = texts.size() - 1;  // the spaces between them
        for (const auto& piece : texts) total_characters += code_points(piece);
        std::size_t cursor = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            Piece& piece = pieces[i];
            piece.text = texts[i];
            if (texts.size() == count) {
                piece.original = words_[group.first_word + i].text;
                piece.box = words_[group.first_word + i].box;
            } else {
                // Merged: the union of the boxes; split: the union divided by characters.
                piece.original = all_originals;
                piece.box = united;
                if (united.known && texts.size() > 1) {
                    const double per_character = united.width() / static_cast<double>(total_characters);
                    const std::size_t length = code_points(texts[i]);
                    piece.box.left = united.left + per_character * static_cast<double>(cursor);
                    piece.box.right = piece.box.left + per_character * static_cast<double>(length);
                    cursor += length + 1;
                }
            }
            if (piece.text != piece.original) ++report.words_changed;
        }
        adapter_->rewrite(group.first_word, count, pieces);
        report.applied += group.edits.size();
        for (const Edit* edit : group.edits)
            report.applied_edits.push_back(edit_index[static_cast<std::size_t>(edit - edits.data())]);
    }
    adapter_->finish();
    std::sort(report.applied_edits.begin(), report.applied_edits.end());
    return report;
}

std::vector<std::vector<std::size_t>> edits_of_words(const Document& corrected, std::string_view original,
                                                     const CorrectionResult& result,
                                                     const std::vector<std::size_t>& applied_edits) {
    // Each applied edit's span in the corrected document's text: its offsets are into the
    // original, so every applied edit before it moves it by what it added or removed.
    struct Span {
        std::size_t begin, end, edit;
    };
    std::vector<Span> spans;
    std::vector<Edit> applied;
    long long shift = 0;
    for (std::size_t index : applied_edits) {
        const Edit& edit = result.edits.at(index);
        const auto begin = static_cast<std::size_t>(static_cast<long long>(edit.begin) + shift);
        spans.push_back({begin, begin + edit.replacement.size(), index});
        shift += static_cast<long long>(edit.replacement.size()) - static_cast<long long>(edit.end - edit.begin);
        applied.push_back(edit);
    }
    // The text the spans are into, against the one the words are: they differ only where the
    // layout wrote an edit differently (white space in a replacement made one space).
    const std::string expected = apply_edits(original, applied);
    const std::string& text = corrected.text();
    const bool all_aligned = text == expected;
    std::vector<std::vector<std::size_t>> words_edits;
    std::size_t first_span = 0;  // spans and words are both in text order: one walk over each
    for (const Word& word : corrected.words()) {
        std::vector<std::size_t>& edits = words_edits.emplace_back();
        const std::size_t length = word.end - word.begin;
        const bool aligned = all_aligned || (word.end <= expected.size() &&
                                             expected.compare(word.begin, length, text, word.begin, length) == 0);
        // Spans that end before this word touch no later word either.
        while (first_span < spans.size() && (spans[first_span].begin == spans[first_span].end
                                                 ? spans[first_span].begin < word.begin
                                                 : spans[first_span].end <= word.begin))
            ++first_span;
        for (std::size_t i = first_span; aligned && i < spans.size() && spans[i].begin <= word.end; ++i) {
            const Span& span = spans[i];
            // A deletion has no span left: it belongs to the word it touches.
            const bool touches = span.begin == span.end ? word.begin <= span.begin && span.begin <= word.end
                                                        : word.begin < span.end && span.begin < word.end;
            if (touches) edits.push_back(span.edit);
        }
    }
    return words_edits;
}

}  // namespace ocrfix::layout

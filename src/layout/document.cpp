#include "layout/document.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "layout/format_adapter.h"
#include "ocrfix/error.h"
#include "text/align.h"
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

// How deep elements nest under `root` (1 for a root alone), counted without recursion and
// given up on past kMaxLayoutDepth.
std::size_t nesting_depth(pugi::xml_node root) {
    std::size_t depth = 1, deepest = 1;
    pugi::xml_node node = root;
    while (deepest <= kMaxLayoutDepth) {
        if (pugi::xml_node child = node.first_child()) {
            node = child;
            deepest = std::max(deepest, ++depth);
            continue;
        }
        while (node != root && !node.next_sibling()) {
            node = node.parent();
            --depth;
        }
        if (node == root) break;
        node = node.next_sibling();
    }
    return deepest;
}

// What pugixml lets through that XML does not allow, in a file in UTF-8 or Latin-1: a
// control character, a character reference to no XML character (`&#0;`, `&#xD800;`), or an
// entity XML does not define (HTML's `&nbsp;`, which would be written back as `&amp;nbsp;`).
// Comments, CDATA sections, processing instructions and the DOCTYPE are not looked in.
// "" when there is nothing.
std::string character_problem(std::string_view bytes) {
    auto skip_past = [&](std::size_t& at, std::string_view end) {
        const std::size_t found = bytes.find(end, at);
        at = found == std::string_view::npos ? bytes.size() : found + end.size();
    };
    // The byte at `at` of text or of an attribute value: "" when XML allows it, and `at` past it.
    auto check = [&](std::size_t& at) -> std::string {
        const unsigned char c = static_cast<unsigned char>(bytes[at]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", c);
            return "the control character " + std::string(hex) + " at byte " + std::to_string(at) +
                   ", which XML does not allow";
        }
        // A reference is short: the `;` is looked for in the next few bytes only, so that a
        // file of bare `&`s costs no search to its end each.
        const std::size_t in_window = c == '&' ? bytes.substr(at, 34).find(';') : std::string_view::npos;
        const std::size_t semicolon = in_window == std::string_view::npos ? in_window : at + in_window;
        if (semicolon == std::string_view::npos) {
            ++at;  // a lone `&` is pugixml's to judge
            return "";
        }
        const std::string_view name = bytes.substr(at + 1, semicolon - at - 1);
        if (name.starts_with('#')) {
            const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
            const std::string digits(name.substr(hex ? 2 : 1));
            char* end = nullptr;
            const unsigned long long value = std::strtoull(digits.c_str(), &end, hex ? 16 : 10);
            const bool allowed = !digits.empty() && end && *end == '\0' && value <= 0x10FFFF &&
                                 (value >= 0x20 || value == '\t' || value == '\n' || value == '\r') &&
                                 !(value >= 0xD800 && value <= 0xDFFF) && value != 0xFFFE && value != 0xFFFF;
            if (!allowed)
                return "the character reference &" + std::string(name) + "; at byte " + std::to_string(at) +
                       ", which names no character XML allows";
        } else if (name != "lt" && name != "gt" && name != "amp" && name != "quot" && name != "apos") {
            return "the entity &" + std::string(name) + "; at byte " + std::to_string(at) +
                   ", which XML does not define (HTML does); hOCR written as HTML converts with "
                   "`xmllint --html --xmlout FILE` (libxml2-utils)";
        }
        at = semicolon + 1;
        return "";
    };
    for (std::size_t at = 0; at < bytes.size();) {
        const std::string_view rest = bytes.substr(at);
        if (rest.starts_with("<!--")) {
            skip_past(at, "-->");
        } else if (rest.starts_with("<![CDATA[")) {
            skip_past(at, "]]>");
        } else if (rest.starts_with("<?")) {
            skip_past(at, "?>");
        } else if (rest.starts_with("<!")) {
            // The DOCTYPE, its internal subset (in brackets) included.
            const std::size_t close = bytes.find('>', at);
            const std::size_t bracket = bytes.substr(at, close == std::string_view::npos ? close : close - at).find('[');
            if (bracket != std::string_view::npos) skip_past(at, "]");
            skip_past(at, ">");
        } else if (rest.starts_with("<")) {
            // A tag: its attribute values are read as text is; a `>` inside quotes is theirs.
            char quote = 0;
            for (++at; at < bytes.size() && (quote || bytes[at] != '>');) {
                if (quote && bytes[at] == quote) quote = 0;
                else if (!quote && (bytes[at] == '"' || bytes[at] == '\'')) quote = bytes[at];
                if (std::string problem = check(at); !problem.empty()) return problem;
            }
            ++at;
        } else if (std::string problem = check(at); !problem.empty()) {
            return problem;
        }
    }
    return "";
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

void FormatAdapter::rewrite(std::size_t first, std::size_t count, const std::vector<Piece>& pieces) {
    const bool boxes_change = pieces.size() != count;
    const std::size_t kept = std::min(count, pieces.size());
    const std::vector<PlacedGlyph> plan = plan_glyphs(first, count, pieces);
    std::vector<pugi::xml_node> nodes(word_nodes_.begin() + static_cast<std::ptrdiff_t>(first),
                                      word_nodes_.begin() + static_cast<std::ptrdiff_t>(first + kept));
    for (std::size_t i = kept; i < count; ++i) {
        // A joined word's glyphs stay: they move into the word kept, then to where they belong.
        for (const PlacedGlyph& glyph : plan)
            if (glyph.word == i) nodes.back().append_move(glyph.node);
        remove_word(word_nodes_[first + i]);
    }
    // New words are copies of the last one as it was read, made before anything is marked.
    for (std::size_t i = kept; i < pieces.size(); ++i) nodes.push_back(add_word_after(nodes.back()));
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        Box box = pieces[i].box;
        if (boxes_change) {
            // Where the piece's glyphs all have boxes, they say where its characters are.
            Box glyphs_box;
            bool all_known = true, any = false;
            for (const PlacedGlyph& glyph : plan) {
                if (glyph.piece != i) continue;
                const Box one = glyph_box(glyph.node);
                all_known = all_known && one.known;
                any = true;
                glyphs_box = glyphs_box.united(one);
            }
            if (any && all_known) box = glyphs_box;
        }
        if (pieces[i].text != pieces[i].original || boxes_change)
            set_word_text(nodes[i], pieces[i].text, pieces[i].original);
        if (boxes_change && box.known) set_word_box(nodes[i], box);
        on_word_changed(nodes[i]);
    }
    place_glyphs(plan, nodes);
    if (!plan.empty())
        for (std::size_t i = 0; i < pieces.size(); ++i) after_glyphs_placed(nodes[i], pieces[i].text);
}

std::vector<FormatAdapter::PlacedGlyph> FormatAdapter::plan_glyphs(std::size_t first, std::size_t count,
                                                                   const std::vector<Piece>& pieces) const {
    // The glyphs and their text, checked against the words before anything is built on them.
    std::vector<PlacedGlyph> plan;
    std::string spelled;
    std::size_t read_length = 0;
    constexpr std::size_t kMaxCells = 1u << 20;  // the alignment's table: 4 MiB
    for (std::size_t w = first; w < first + count; ++w) {
        for (pugi::xml_node node : glyphs(word_nodes_[w])) {
            std::string text = glyph_text(node);
            if (text::find_invalid_utf8(text) || plan.size() >= kMaxCells) return {};
            read_length += text::count_code_points(text);
            spelled += text;
            plan.push_back({node, w - first, 0, "", std::move(text)});
        }
    }
    if (plan.empty()) return {};
    auto without_spaces = [](std::string text) {
        std::erase_if(text, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
        return text;
    };
    std::string words;  // a join's or split's pieces each have all of the words as their original
    if (pieces.size() != count) words = pieces.front().original;
    else for (const Piece& piece : pieces) words += piece.original;
    if (without_spaces(spelled) != without_spaces(words)) return {};  // the glyphs say something else

    std::size_t corrected_length = 0;
    for (const Piece& piece : pieces) corrected_length += text::count_code_points(piece.text);
    if ((read_length + 1) * (corrected_length + 1) > kMaxCells) return {};

    // The characters read, each with its glyph, and the corrected ones, each with its piece.
    std::vector<std::string> read;          // one code point each
    std::vector<std::size_t> read_glyph;    // its glyph, an index into plan
    for (std::size_t g = 0; g < plan.size(); ++g) {
        const std::string& text = plan[g].original;
        for (std::size_t at = 0; at < text.size();) {
            const std::size_t start = at;
            text::next_code_point(text, at);
            read.push_back(text.substr(start, at - start));
            read_glyph.push_back(g);
        }
    }
    std::vector<std::string> corrected;
    std::vector<std::size_t> corrected_piece;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        const std::string& text = pieces[p].text;
        for (std::size_t at = 0; at < text.size();) {
            const std::size_t start = at;
            text::next_code_point(text, at);
            corrected.push_back(text.substr(start, at - start));
            corrected_piece.push_back(p);
        }
    }

    // Each corrected character goes to the glyph it was read from when that glyph stays in
    // its piece; an inserted one to its neighbour in the piece (before it, else after it).
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::vector<std::size_t> owner(corrected.size(), kNone);
    std::vector<std::size_t> home(plan.size(), kNone);
    for (const text::AlignStep& step : text::align(read, corrected)) {
        if (step.op == text::AlignOp::insert || step.op == text::AlignOp::remove) continue;
        const std::size_t glyph = read_glyph[step.a_index];
        if (home[glyph] == kNone) home[glyph] = corrected_piece[step.b_index];
        if (home[glyph] == corrected_piece[step.b_index]) owner[step.b_index] = glyph;
    }
    for (std::size_t c = 1; c < corrected.size(); ++c)
        if (owner[c] == kNone && corrected_piece[c] == corrected_piece[c - 1]) owner[c] = owner[c - 1];
    for (std::size_t c = corrected.size(); c-- > 1;)
        if (owner[c - 1] == kNone && corrected_piece[c - 1] == corrected_piece[c]) owner[c - 1] = owner[c];
    // A glyph whose characters all went stays, with an empty reading, beside a glyph of the
    // word it was read in: the one after it, else the one before it.
    std::size_t next_home = kNone, next_word = kNone;
    for (std::size_t g = plan.size(); g-- > 0;) {
        if (home[g] == kNone && next_word == plan[g].word) home[g] = next_home;
        if (home[g] != kNone) next_home = home[g], next_word = plan[g].word;
    }
    for (std::size_t g = 0; g < plan.size(); ++g)
        if (home[g] == kNone) home[g] = g > 0 ? home[g - 1] : 0;
    for (std::size_t g = 1; g < plan.size(); ++g) home[g] = std::max(home[g], home[g - 1]);
    for (std::size_t c = 0; c < corrected.size(); ++c)
        if (owner[c] != kNone && home[owner[c]] == corrected_piece[c]) plan[owner[c]].text += corrected[c];
    for (std::size_t g = 0; g < plan.size(); ++g) plan[g].piece = home[g];
    return plan;
}

void FormatAdapter::place_glyphs(const std::vector<PlacedGlyph>& plan, const std::vector<pugi::xml_node>& words) {
    pugi::xml_node previous;
    std::size_t previous_piece = static_cast<std::size_t>(-1);
    for (const PlacedGlyph& glyph : plan) {
        pugi::xml_node word = words[glyph.piece];
        if (glyph.piece != previous_piece) {
            // The piece's first glyph: first among the word's glyphs.
            const std::vector<pugi::xml_node> there = glyphs(word);
            if (there.empty()) insert_first_glyph(word, glyph.node);
            else if (there.front() != glyph.node) there.front().parent().insert_move_before(glyph.node, there.front());
        } else if (pugi::xml_node next = previous.next_sibling(); next != glyph.node) {
            // After the one before it; white space between them (indentation) does not count.
            while (next && is_white_space(next)) next = next.next_sibling();
            if (next != glyph.node) previous.parent().insert_move_after(glyph.node, previous);
        }
        previous = glyph.node;
        previous_piece = glyph.piece;
        set_glyph_text(glyph.node, glyph.text, glyph.original);
    }
}

// --- helpers the formats share ------------------------------------------------------------

std::string_view local_name(pugi::xml_node node) {
    std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string namespace_of(pugi::xml_node element) {
    const std::string_view name = element.name();
    const std::size_t colon = name.find(':');
    const std::string attribute =
        colon == std::string_view::npos ? std::string("xmlns") : "xmlns:" + std::string(name.substr(0, colon));
    for (pugi::xml_node node = element; node; node = node.parent())
        if (pugi::xml_attribute declared = node.attribute(attribute.c_str())) return declared.value();
    return "";
}

Box plausible(Box box) {
    constexpr double kLimit = 1e9;
    for (const double value : {box.left, box.top, box.right, box.bottom})
        if (!(std::abs(value) <= kLimit)) return {};  // NaN fails too
    return box;
}

std::string format_number(double value, bool integers) {
    if (integers || std::abs(value - std::round(value)) < 1e-9) return std::to_string(std::lround(value));
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string out = buffer;
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
    return out;
}

std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view name) {
    std::vector<pugi::xml_node> found;
    for (pugi::xml_node child : node.children())
        if (child.type() == pugi::node_element && local_name(child) == name) found.push_back(child);
    return found;
}

std::string descendant_text(pugi::xml_node node) {
    std::string out;
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out += child.value();
        else if (child.type() == pugi::node_element) out += descendant_text(child);
    }
    return out;
}

std::string prefixed(pugi::xml_node like, const char* name) {
    const std::string_view full = like.name();
    const std::size_t colon = full.find(':');
    return colon == std::string_view::npos ? std::string(name) : std::string(full.substr(0, colon + 1)) + name;
}

void FormatAdapter::give_unique_id(pugi::xml_node copy, const char* attribute) {
    pugi::xml_attribute id = copy.attribute(attribute);
    if (!id) return;
    if (!ids_gathered_) {
        // Every format names its ids with one attribute; the copy's own is its original's.
        xml.find_node([&](pugi::xml_node node) {
            if (node != copy)
                if (pugi::xml_attribute value = node.attribute(attribute)) ids_.emplace(value.value());
            return false;
        });
        ids_gathered_ = true;
    }
    // A copy of a copy takes its number from the word that was read: s1_1, s1_2, not s1_1_1;
    // each base goes on from the last number it gave.
    const auto given = given_from_.find(id.value());
    const std::string base = given != given_from_.end() ? given->second : std::string(id.value());
    for (int& n = next_number_[base];;) {
        std::string candidate = base + "_" + std::to_string(++n);
        if (!ids_.contains(candidate)) {
            id.set_value(candidate.c_str());
            ids_.insert(candidate);
            given_from_.emplace(std::move(candidate), base);
            return;
        }
    }
}

bool is_white_space(pugi::xml_node node) {
    if (node.type() != pugi::node_pcdata) return false;
    for (const char* c = node.value(); *c; ++c)
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r') return false;
    return true;
}

pugi::xml_node remove_white_space_before(pugi::xml_node node) {
    pugi::xml_node parent = node.parent();
    pugi::xml_node before = node.previous_sibling();
    while (before && is_white_space(before)) {
        pugi::xml_node gone = before;
        before = before.previous_sibling();
        parent.remove_child(gone);
    }
    return before;
}

}  // namespace ocrfix::layout

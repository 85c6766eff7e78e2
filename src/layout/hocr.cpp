// hOCR (XHTML, as Tesseract writes it and as the hOCR spec describes): ocr_carea / ocr_par
// blocks, ocr_line (and ocr_header, ocr_caption, ocr_textfloat) lines, ocrx_word words with
// "bbox x0 y0 x1 y1; x_wconf N" in their title. A corrected word's text is replaced (inside
// any <strong>/<em> it had) and its old text kept in a data-ocrfix-original attribute;
// x_wconf, the OCR's confidence in what it read, stays. Character boxes (ocrx_cinfo, "x_bboxes"
// in their title) get their part of the new text, marked the same way.
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "layout/format_adapter.h"

namespace ocrfix::layout {

namespace {

bool has_class(pugi::xml_node node, std::string_view wanted) {
    std::istringstream classes(node.attribute("class").value());
    std::string one;
    while (classes >> one)
        if (one == wanted) return true;
    return false;
}

// The properties of an hOCR title, in order: "bbox 1 2 3 4; x_wconf 96".
std::vector<std::pair<std::string, std::string>> title_properties(std::string_view title) {
    std::vector<std::pair<std::string, std::string>> properties;
    std::size_t start = 0;
    while (start < title.size()) {
        std::size_t end = title.find(';', start);
        if (end == std::string_view::npos) end = title.size();
        std::string_view part = title.substr(start, end - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        const std::size_t space = part.find(' ');
        if (!part.empty())
            properties.emplace_back(std::string(part.substr(0, space)),
                                    space == std::string_view::npos ? "" : std::string(part.substr(space + 1)));
        start = end + 1;
    }
    return properties;
}

Box parse_bbox(std::string_view value) {
    std::istringstream in{std::string(value)};
    Box box;
    if (in >> box.left >> box.top >> box.right >> box.bottom) box.known = true;
    return plausible(box);
}

void collect_text_nodes(pugi::xml_node node, std::vector<pugi::xml_node>& out) {
    for (pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) out.push_back(child);
        else if (child.type() == pugi::node_element) collect_text_nodes(child, out);
    }
}

class HocrAdapter final : public FormatAdapter {
public:
    Format format() const override { return Format::hocr; }

    void read(DocumentBuilder& builder) override {
        keep_elements_open(xml.document_element());
        read_children(xml.document_element(), builder);
    }

protected:
    void set_word_text(pugi::xml_node node, const std::string& text, const std::string& original) override {
        // A word with character boxes holds its text in them: the first holds it all until
        // rewrite() gives each its part.
        const std::vector<pugi::xml_node> characters = glyphs(node);
        put_text(characters.empty() ? node : characters.front(), text);
        for (std::size_t i = 1; i < characters.size(); ++i) put_text(characters[i], "");
        if (text != original && !node.attribute("data-ocrfix-original"))
            node.append_attribute("data-ocrfix-original").set_value(original.c_str());
    }

    std::vector<pugi::xml_node> glyphs(pugi::xml_node word) const override {
        std::vector<pugi::xml_node> found;
        collect_character_boxes(word, found);
        return found;
    }
    std::string glyph_text(pugi::xml_node glyph) const override { return descendant_text(glyph); }
    Box glyph_box(pugi::xml_node glyph) const override {
        for (const auto& [name, value] : title_properties(glyph.attribute("title").value()))
            if (name == "x_bboxes") return parse_bbox(value);
        return {};
    }
    void set_glyph_text(pugi::xml_node glyph, const std::string& text, const std::string& original) override {
        put_text(glyph, text);
        if (text != original && !glyph.attribute("data-ocrfix-original"))
            glyph.append_attribute("data-ocrfix-original").set_value(original.c_str());
    }
    void after_glyphs_placed(pugi::xml_node word, const std::string& text) override {
        // Its characters all went to another word (`dog` -> `a dog`, none of them an `a`):
        // the word holds its text itself again.
        if (glyphs(word).empty()) put_text(word, text);
    }
    void insert_first_glyph(pugi::xml_node word, pugi::xml_node glyph) override {
        // The word's own text (a new word's, written before its glyphs came) gives way to theirs.
        std::vector<pugi::xml_node> texts;
        collect_text_nodes(word, texts);
        for (pugi::xml_node text : texts) text.set_value("");
        word.append_move(glyph);
    }

    void set_word_box(pugi::xml_node node, const Box& box) override {
        std::string title;
        bool written = false;
        for (const auto& [name, value] : title_properties(node.attribute("title").value())) {
            if (!title.empty()) title += "; ";
            if (name == "bbox") {
                title += bbox_text(box);
                written = true;
            } else {
                title += value.empty() ? name : name + " " + value;
            }
        }
        if (!written) title = bbox_text(box) + (title.empty() ? "" : "; " + title);
        pugi::xml_attribute attribute = node.attribute("title");
        if (!attribute) attribute = node.append_attribute("title");
        attribute.set_value(title.c_str());
    }

    pugi::xml_node add_word_after(pugi::xml_node node) override {
        pugi::xml_node parent = node.parent();
        pugi::xml_node space = parent.insert_child_after(pugi::node_pcdata, node);
        space.set_value(" ");
        pugi::xml_node copy = parent.insert_copy_after(node, space);
        give_unique_id(copy, "id");
        copy.remove_attribute("data-ocrfix-original");
        for (pugi::xml_node glyph : glyphs(copy)) glyph.parent().remove_child(glyph);
        keep_elements_open(copy);
        return copy;
    }

private:
    // hOCR is also read as HTML, where <title/> or <span/> opens an element that never
    // closes: an empty text inside makes them written <title></title>; void elements
    // (<meta/>, <br/>) stay as they are.
    static void keep_elements_open(pugi::xml_node node) {
        static const std::set<std::string_view> kVoid = {"area", "base", "br",   "col",   "embed",  "hr",    "img",
                                                         "input", "link", "meta", "param", "source", "track", "wbr"};
        for (pugi::xml_node child : node.children())
            if (child.type() == pugi::node_element) keep_elements_open(child);
        if (!node.first_child() && !kVoid.contains(local_name(node))) node.append_child(pugi::node_pcdata);
    }

    static std::string bbox_text(const Box& box) {
        return "bbox " + format_number(box.left, true) + " " + format_number(box.top, true) + " " +
               format_number(box.right, true) + " " + format_number(box.bottom, true);
    }

    void read_children(pugi::xml_node parent, DocumentBuilder& builder) {
        for (pugi::xml_node node : parent.children()) {
            if (node.type() != pugi::node_element) continue;
            if (local_name(node) == "head") continue;
            if (has_class(node, "ocrx_word")) {
                read_word(node, builder);
                continue;
            }
            if (has_class(node, "ocr_carea") || has_class(node, "ocr_par")) builder.begin_block();
            else if (has_class(node, "ocr_line") || has_class(node, "ocr_header") || has_class(node, "ocr_caption") ||
                     has_class(node, "ocr_textfloat"))
                builder.begin_line();
            read_children(node, builder);
        }
    }

    void read_word(pugi::xml_node node, DocumentBuilder& builder) {
        Box box;
        double confidence = -1.0;
        for (const auto& [name, value] : title_properties(node.attribute("title").value())) {
            if (name == "bbox") box = parse_bbox(value);
            else if (name == "x_wconf" && !value.empty()) confidence = std::strtod(value.c_str(), nullptr) / 100.0;
        }
        // With character boxes (Tesseract's hocr_char_boxes), the word is what they spell:
        // the white space between them is indentation.
        std::string text;
        const std::vector<pugi::xml_node> characters = glyphs(node);
        for (pugi::xml_node character : characters) text += descendant_text(character);
        if (characters.empty()) text = descendant_text(node);
        if (builder.add_word(text, box, confidence)) word_nodes_.push_back(node);
    }

    static void collect_character_boxes(pugi::xml_node node, std::vector<pugi::xml_node>& out) {
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            if (has_class(child, "ocrx_cinfo")) out.push_back(child);
            else collect_character_boxes(child, out);
        }
    }

    // `text` as the only text inside `node`: in its first text node, the others emptied.
    static void put_text(pugi::xml_node node, const std::string& text) {
        std::vector<pugi::xml_node> texts;
        collect_text_nodes(node, texts);
        if (texts.empty()) texts.push_back(node.append_child(pugi::node_pcdata));
        texts[0].set_value(text.c_str());
        for (std::size_t i = 1; i < texts.size(); ++i) texts[i].set_value("");
    }

};

}  // namespace

std::unique_ptr<FormatAdapter> make_hocr_adapter() { return std::make_unique<HocrAdapter>(); }

}  // namespace ocrfix::layout

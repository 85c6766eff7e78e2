// ALTO v2 to v4: TextBlock > TextLine > String (CONTENT, HPOS, VPOS, WIDTH, HEIGHT, WC), with
// SP between words and HYP for a line-end hyphen. A corrected String gets the new CONTENT,
// its old CONTENT as an <ALTERNATIVE> child, and loses CC (one confidence per character of
// the old CONTENT); WC, the OCR's confidence in what it read, stays. Its Glyphs get their part
// of the new CONTENT (FormatAdapter::rewrite aligns them), the old one as a Variant (with GC
// as its VC), and move with it when words are joined or split.
#include <set>
#include <string>

#include "layout/format_adapter.h"

namespace ocrfix::layout {

namespace {

bool has_fraction(pugi::xml_node node) {
    for (const char* name : {"HPOS", "VPOS", "WIDTH", "HEIGHT"})
        if (std::string_view(node.attribute(name).value()).find('.') != std::string_view::npos) return true;
    return false;
}

Box box_of(pugi::xml_node node) {
    Box box;
    if (node.attribute("HPOS") && node.attribute("WIDTH")) {
        box.left = node.attribute("HPOS").as_double();
        box.top = node.attribute("VPOS").as_double();
        box.right = box.left + node.attribute("WIDTH").as_double();
        box.bottom = box.top + node.attribute("HEIGHT").as_double();
        box.known = true;
    }
    return plausible(box);
}

class AltoAdapter final : public FormatAdapter {
public:
    Format format() const override { return Format::alto; }

    void read(DocumentBuilder& builder) override { read_children(xml.document_element(), builder); }

    void finish() override {
        // A hyphenated word's two parts carry the whole word in SUBS_CONTENT.
        for (pugi::xml_node node : changed_) {
            const std::string_view type = node.attribute("SUBS_TYPE").value();
            pugi::xml_node part1 = node, part2 = node;
            if (type == "HypPart1") part2 = next_string(node);
            else if (type == "HypPart2") part1 = previous_string(node);
            else continue;
            if (!part1 || !part2) continue;
            const std::string whole =
                std::string(part1.attribute("CONTENT").value()) + part2.attribute("CONTENT").value();
            for (pugi::xml_node part : {part1, part2})
                if (pugi::xml_attribute subs = part.attribute("SUBS_CONTENT")) subs.set_value(whole.c_str());
        }
    }

protected:
    void set_word_text(pugi::xml_node node, const std::string& text, const std::string& original) override {
        node.attribute("CONTENT").set_value(text.c_str());
        if (text == original) return;
        node.remove_attribute("CC");
        for (pugi::xml_node child : node.children())
            if (local_name(child) == "ALTERNATIVE" && original == child.child_value()) return;
        // ALTO's order inside String: Shape?, ALTERNATIVE*, Glyph*.
        pugi::xml_node glyph;
        for (pugi::xml_node child : node.children())
            if (local_name(child) == "Glyph") {
                glyph = child;
                break;
            }
        const std::string name = prefixed(node, "ALTERNATIVE");
        pugi::xml_node alternative = glyph ? node.insert_child_before(name.c_str(), glyph) : node.append_child(name.c_str());
        alternative.text().set(original.c_str());
    }

    void set_word_box(pugi::xml_node node, const Box& box) override {
        const bool integers = !has_fraction(node);
        auto set = [&](const char* name, double value) {
            pugi::xml_attribute attribute = node.attribute(name);
            if (!attribute) attribute = node.append_attribute(name);
            attribute.set_value(format_number(value, integers).c_str());
        };
        set("HPOS", box.left);
        set("VPOS", box.top);
        set("WIDTH", box.right - box.left);
        set("HEIGHT", box.bottom - box.top);
    }

    void remove_word(pugi::xml_node node) override {
        pugi::xml_node parent = node.parent();
        // The SP before it goes too.
        const pugi::xml_node before = remove_white_space_before(node);
        if (before && local_name(before) == "SP") parent.remove_child(before);
        parent.remove_child(node);
    }

    pugi::xml_node add_word_after(pugi::xml_node node) override {
        pugi::xml_node parent = node.parent();
        pugi::xml_node space = parent.insert_child_after(prefixed(node, "SP").c_str(), node);
        pugi::xml_node copy = parent.insert_copy_after(node, space);
        give_unique_id(copy, "ID");
        for (const char* name : {"SUBS_TYPE", "SUBS_CONTENT"}) copy.remove_attribute(name);
        while (pugi::xml_node child = copy.find_child([](pugi::xml_node c) {
                   return local_name(c) == "ALTERNATIVE" || local_name(c) == "Glyph";
               }))
            copy.remove_child(child);
        return copy;
    }

    std::vector<pugi::xml_node> glyphs(pugi::xml_node word) const override { return children_named(word, "Glyph"); }
    std::string glyph_text(pugi::xml_node glyph) const override { return glyph.attribute("CONTENT").value(); }
    Box glyph_box(pugi::xml_node glyph) const override { return box_of(glyph); }
    void set_glyph_text(pugi::xml_node glyph, const std::string& text, const std::string& original) override {
        if (text == original) return;
        // The reading it replaces becomes the glyph's first Variant, with its confidence.
        // ALTO's order inside Glyph: Shape?, Variant*.
        pugi::xml_node shape;
        for (pugi::xml_node child : glyph.children())
            if (local_name(child) == "Shape") shape = child;
        const std::string name = prefixed(glyph, "Variant");
        pugi::xml_node variant =
            shape ? glyph.insert_child_after(name.c_str(), shape) : glyph.prepend_child(name.c_str());
        variant.append_attribute("CONTENT").set_value(original.c_str());
        if (pugi::xml_attribute confidence = glyph.attribute("GC")) {
            variant.append_attribute("VC").set_value(confidence.value());
            glyph.remove_attribute(confidence);
        }
        glyph.attribute("CONTENT").set_value(text.c_str());
    }

    void on_word_changed(pugi::xml_node node) override { changed_.push_back(node); }

private:
    void read_children(pugi::xml_node parent, DocumentBuilder& builder) {
        for (pugi::xml_node node : parent.children()) {
            if (node.type() != pugi::node_element) continue;
            const std::string_view name = local_name(node);
            if (name == "TextBlock") {
                builder.begin_block();
                read_children(node, builder);
            } else if (name == "TextLine") {
                builder.begin_line();
                read_line(node, builder);
            } else if (name != "Description" && name != "Styles" && name != "Tags") {
                read_children(node, builder);
            }
        }
    }

    void read_line(pugi::xml_node line, DocumentBuilder& builder) {
        for (pugi::xml_node node : line.children()) {
            const std::string_view name = local_name(node);
            if (name == "String") {
                const double confidence = node.attribute("WC") ? node.attribute("WC").as_double() : -1.0;
                if (builder.add_word(node.attribute("CONTENT").value(), box_of(node), confidence))
                    word_nodes_.push_back(node);
            } else if (name == "HYP") {
                // The engine knows a line-end hyphen as "-" (a soft hyphen or an empty HYP too).
                const std::string_view hyphen = node.attribute("CONTENT").value();
                builder.set_line_hyphen(hyphen.empty() || hyphen == "\xC2\xAD" ? "-" : std::string(hyphen));
            }
        }
    }

    static pugi::xml_node next_string(pugi::xml_node node) {
        for (pugi::xml_node line = node.parent(); line; line = line.next_sibling()) {
            for (pugi::xml_node child = line == node.parent() ? node.next_sibling() : line.first_child(); child;
                 child = child.next_sibling())
                if (local_name(child) == "String") return child;
        }
        return {};
    }

    static pugi::xml_node previous_string(pugi::xml_node node) {
        for (pugi::xml_node line = node.parent(); line; line = line.previous_sibling()) {
            for (pugi::xml_node child = line == node.parent() ? node.previous_sibling() : line.last_child(); child;
                 child = child.previous_sibling())
                if (local_name(child) == "String") return child;
        }
        return {};
    }

    std::vector<pugi::xml_node> changed_;
};

}  // namespace

std::unique_ptr<FormatAdapter> make_alto_adapter() { return std::make_unique<AltoAdapter>(); }

}  // namespace ocrfix::layout

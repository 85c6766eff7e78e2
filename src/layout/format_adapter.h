// Inside the layout module: what each format (hocr.cpp, alto.cpp, page_xml.cpp) provides.
// A format reads its words into a DocumentBuilder, keeping a handle on each word's XML
// node, and later rewrites words through the few primitives below; document.cpp decides
// what to rewrite (merges, splits, boxes), the formats only how it is written.
#pragma once

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "layout/document.h"

namespace ocrfix::layout {

// The element's name without its namespace prefix ("alto:String" -> "String").
std::string_view local_name(pugi::xml_node node);
// The namespace URI of an element (its prefix's xmlns declaration, on it or an ancestor).
std::string namespace_of(pugi::xml_node element);
// `box` when its coordinates are finite and within a billion pixels, else an unknown box: a
// merge or split of words with such coordinates writes no new box.
Box plausible(Box box);
// A number as a coordinate or confidence attribute is written: integers without a point.
std::string format_number(double value, bool integers);
// The element children of `node` whose local name is `name`, in order.
std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view name);
// The text of an element's descendants, concatenated.
std::string descendant_text(pugi::xml_node node);
// `name` with the namespace prefix `like`'s name has ("alto:" + name), for new elements.
std::string prefixed(pugi::xml_node like, const char* name);
bool is_white_space(pugi::xml_node node);  // a text node of spaces, tabs and line breaks only
// Removes the white-space text nodes right before `node`; returns the sibling now before it.
pugi::xml_node remove_white_space_before(pugi::xml_node node);

class DocumentBuilder {
public:
    void begin_block();
    void begin_line();
    // Adds a word to the current line; false (and nothing added) when its text is empty
    // after trimming. The format keeps its node only when this returns true.
    bool add_word(std::string_view text, const Box& box, double confidence, bool whole_line = false);
    void set_line_hyphen(std::string hyphen);  // a hyphen element after the line's last word
    Document build(std::unique_ptr<FormatAdapter> adapter);

private:
    struct PendingLine {
        std::vector<Word> words;
        std::string hyphen;
    };
    std::vector<std::vector<PendingLine>> blocks_;
};

struct Piece {
    std::string text;
    Box box;
    std::string original;  // the text it replaces, for the format's record of it
};

class FormatAdapter {
public:
    virtual ~FormatAdapter() = default;
    virtual Format format() const = 0;
    virtual void read(DocumentBuilder& builder) = 0;
    // Words `first`..`first + count - 1` (consecutive, one line) become `pieces`. With as
    // many pieces as words, boxes stay; otherwise every piece gets its box.
    void rewrite(std::size_t first, std::size_t count, const std::vector<Piece>& pieces);
    // After all rewrites: derived text (line and region TextEquiv, SUBS_CONTENT) made consistent.
    virtual void finish() {}

    pugi::xml_document xml;

protected:
    // The primitives a format implements. `node` is a word's element.
    virtual void set_word_text(pugi::xml_node node, const std::string& text, const std::string& original) = 0;
    virtual void set_word_box(pugi::xml_node node, const Box& box) = 0;
    // With the white space before it; a format whose words are separated by elements (ALTO's
    // SP) removes that element too.
    virtual void remove_word(pugi::xml_node node) {
        remove_white_space_before(node);
        node.parent().remove_child(node);
    }
    // A copy, with a space between; without the glyphs, which rewrite() places.
    virtual pugi::xml_node add_word_after(pugi::xml_node node) = 0;
    virtual void on_word_changed(pugi::xml_node) {}

    // The glyph level, where a format has one (PAGE's and ALTO's Glyph, hOCR's ocrx_cinfo): a
    // word's characters, each with its own box. rewrite() aligns the glyphs' text with the
    // corrected text, moves glyphs into the word they now belong to, and then gives every
    // glyph its part of the text (set_glyph_text is called for each, changed or not).
    virtual std::vector<pugi::xml_node> glyphs(pugi::xml_node) const { return {}; }
    virtual std::string glyph_text(pugi::xml_node) const { return {}; }
    virtual Box glyph_box(pugi::xml_node) const { return {}; }
    virtual void set_glyph_text(pugi::xml_node, const std::string& /*text*/, const std::string& /*original*/) {}
    // Where a word's first glyph goes when it has none: the format's place for them.
    virtual void insert_first_glyph(pugi::xml_node word, pugi::xml_node glyph) { word.append_move(glyph); }
    // After the glyphs are placed, for each piece: a format whose words hold their text in
    // their glyphs (hOCR) gives a word that lost them all its text again.
    virtual void after_glyphs_placed(pugi::xml_node /*word*/, const std::string& /*text*/) {}

    std::vector<pugi::xml_node> word_nodes_;  // parallel to Document::words()

    // Gives `copy` (a copy of a word, with its `attribute`) "ID_1", "ID_2", ...: the first that
    // no element of the document has yet. The document's ids are gathered once, at the first
    // call, so that splitting many words costs no walk of the tree each.
    void give_unique_id(pugi::xml_node copy, const char* attribute);

private:
    struct PlacedGlyph {
        pugi::xml_node node;
        std::size_t word;   // the word it was read in, counted from the group's first
        std::size_t piece;  // the piece it goes to
        std::string text, original;
    };
    // Where each glyph of words `first`..`first + count - 1` goes and what it reads; empty
    // when the words have no glyphs or their glyphs do not spell the words.
    std::vector<PlacedGlyph> plan_glyphs(std::size_t first, std::size_t count, const std::vector<Piece>& pieces) const;
    void place_glyphs(const std::vector<PlacedGlyph>& plan, const std::vector<pugi::xml_node>& words);

    std::unordered_set<std::string> ids_;  // the values of the id attribute, once asked for
    std::unordered_map<std::string, std::string> given_from_;  // an id given -> the id it was made from
    std::unordered_map<std::string, int> next_number_;         // a base id -> the last number given it
    bool ids_gathered_ = false;
};

std::unique_ptr<FormatAdapter> make_hocr_adapter();
std::unique_ptr<FormatAdapter> make_alto_adapter();
std::unique_ptr<FormatAdapter> make_page_adapter();

}  // namespace ocrfix::layout

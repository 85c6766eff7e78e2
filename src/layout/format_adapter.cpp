// FormatAdapter's rewriting of words (glyphs aligned and moved with them, new ids) and the
// helpers the formats share.
#include "layout/format_adapter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "text/align.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::layout {

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
    std::u32string read, corrected;
    std::vector<std::size_t> read_glyph, corrected_piece;  // per character: an index into plan, into pieces
    for (std::size_t g = 0; g < plan.size(); ++g) {
        read += text::to_code_points(plan[g].original);
        read_glyph.resize(read.size(), g);
    }
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        corrected += text::to_code_points(pieces[p].text);
        corrected_piece.resize(corrected.size(), p);
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
        if (owner[c] != kNone && home[owner[c]] == corrected_piece[c]) text::append_utf8(plan[owner[c]].text, corrected[c]);
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

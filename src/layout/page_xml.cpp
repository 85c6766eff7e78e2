// PAGE XML (2013-07-15 to 2019-07-15): TextRegion > TextLine > Word, each with Coords
// points and TextEquiv (index, conf) > Unicode, read in the Page's ReadingOrder (the regions
// it leaves out after, as written). Lines without Words are corrected as whole lines. A corrected word gets a new TextEquiv index="0" (comments="corrected by ocrfix")
// holding the corrected text; its TextEquivs that were there keep their text and conf, their
// indices moved up by one (the one without an index becomes index="1"). A line's and a
// region's TextEquiv, where they have one, get the same treatment with their new text, so
// that every level's first reading agrees. Words joined into one: the first word's readings
// come after a TextEquiv (comments="the words ocrfix joined, as they were read") holding all
// of their text; the other Word elements go. A corrected word's Glyphs get the same
// treatment with their part of the corrected word (FormatAdapter::rewrite aligns them), and
// move with it when words are joined or split.
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "layout/format_adapter.h"

namespace ocrfix::layout {

namespace {

constexpr const char* kCorrectedComment = "corrected by ocrfix";
constexpr const char* kMergedComment = "the words ocrfix joined, as they were read";

// The reading a PAGE consumer takes: the TextEquiv with the lowest index, else the first.
pugi::xml_node main_equiv(pugi::xml_node node) {
    pugi::xml_node best;
    long best_index = LONG_MAX;
    for (pugi::xml_node equiv : children_named(node, "TextEquiv")) {
        const long index = equiv.attribute("index") ? equiv.attribute("index").as_llong() : LONG_MAX - 1;
        if (!best || index < best_index) {
            best = equiv;
            best_index = index;
        }
    }
    return best;
}

std::string equiv_text(pugi::xml_node equiv) {
    for (pugi::xml_node child : children_named(equiv, "Unicode")) return descendant_text(child);
    return "";
}

Box coords_box(pugi::xml_node node) {
    Box box;
    pugi::xml_node coords;
    for (pugi::xml_node child : children_named(node, "Coords")) coords = child;
    if (!coords) return box;
    std::string points = coords.attribute("points").value();
    std::replace(points.begin(), points.end(), ',', ' ');
    std::istringstream in(points);
    double x = 0, y = 0;
    while (in >> x >> y) {
        const Box point{x, y, x, y, true};
        box = box.united(point);
    }
    return plausible(box);
}

// A new first reading `text`, the ones there were kept behind it.
void add_corrected_equiv(pugi::xml_node node, const std::string& text, const char* comments = kCorrectedComment) {
    std::vector<pugi::xml_node> equivs = children_named(node, "TextEquiv");
    const bool indexed = std::any_of(equivs.begin(), equivs.end(), [](pugi::xml_node e) { return e.attribute("index"); });
    long next = 1;
    for (pugi::xml_node equiv : equivs) {
        if (indexed) {
            if (pugi::xml_attribute index = equiv.attribute("index")) index.set_value(index.as_llong() + 1);
        } else {
            equiv.prepend_attribute("index").set_value(next++);
        }
    }
    const std::string name = prefixed(node, "TextEquiv");
    // PAGE's order inside an element: ..., Coords, (Words or Glyphs), TextEquiv*, TextStyle, ...
    pugi::xml_node added;
    if (!equivs.empty()) {
        added = node.insert_child_before(name.c_str(), equivs.front());
    } else {
        pugi::xml_node after;
        for (pugi::xml_node child : node.children()) {
            const std::string_view child_name = local_name(child);
            if (child_name == "AlternativeImage" || child_name == "Coords" || child_name == "Baseline" ||
                child_name == "TextLine" || child_name == "Word" || child_name == "Glyph" || child_name == "TextRegion")
                after = child;
        }
        added = after ? node.insert_child_after(name.c_str(), after) : node.prepend_child(name.c_str());
    }
    added.append_attribute("index").set_value(0);
    added.append_attribute("comments").set_value(comments);
    added.append_child(prefixed(node, "Unicode").c_str()).text().set(text.c_str());
}

class PageAdapter final : public FormatAdapter {
public:
    Format format() const override { return Format::page; }

    void read(DocumentBuilder& builder) override {
        // The regions the ReadingOrder names, in its order; then the rest, as the file has them.
        for (pugi::xml_node region : reading_order()) {
            if (!read_.insert(region.internal_object()).second) continue;
            if (local_name(region) == "TextRegion") builder.begin_block();
            read_children(region, builder);
        }
        read_children(xml.document_element(), builder);
    }

    void finish() override {
        // Lines, then regions (innermost first), whose first reading no longer agrees with
        // the words (or lines) inside them.
        std::vector<pugi::xml_node> lines, regions;
        std::unordered_set<const void*> seen;
        for (pugi::xml_node node : changed_) {
            pugi::xml_node line = local_name(node) == "TextLine" ? node : node.parent();
            if (line && local_name(line) == "TextLine" && seen.insert(line.internal_object()).second)
                lines.push_back(line);
        }
        for (pugi::xml_node line : lines) {
            if (!children_named(line, "Word").empty()) refresh(line, "Word", " ");
            for (pugi::xml_node region = line.parent(); region && local_name(region) == "TextRegion";
                 region = region.parent())
                if (seen.insert(region.internal_object()).second) regions.push_back(region);
        }
        for (pugi::xml_node region : regions) refresh(region, "TextLine", "\n");
    }

protected:
    void set_word_text(pugi::xml_node node, const std::string& text, const std::string& original) override {
        if (text == original) return;
        // A merge: the words' text before it goes behind the new reading, before the
        // first word's own readings.
        if (pugi::xml_node equiv = main_equiv(node); equiv && equiv_text(equiv) != original)
            add_corrected_equiv(node, original, kMergedComment);
        add_corrected_equiv(node, text);
    }

    void set_word_box(pugi::xml_node node, const Box& box) override {
        pugi::xml_node coords;
        for (pugi::xml_node child : children_named(node, "Coords")) coords = child;
        if (!coords) return;
        const std::string l = format_number(box.left, true), t = format_number(box.top, true),
                          r = format_number(box.right, true), b = format_number(box.bottom, true);
        const std::string points = l + "," + t + " " + r + "," + t + " " + r + "," + b + " " + l + "," + b;
        pugi::xml_attribute attribute = coords.attribute("points");
        if (!attribute) attribute = coords.append_attribute("points");
        attribute.set_value(points.c_str());
    }

    pugi::xml_node add_word_after(pugi::xml_node node) override {
        pugi::xml_node parent = node.parent();
        pugi::xml_node copy = parent.insert_copy_after(node, node);
        give_unique_id(copy, "id");
        for (pugi::xml_node glyph : children_named(copy, "Glyph")) copy.remove_child(glyph);
        return copy;
    }

    std::vector<pugi::xml_node> glyphs(pugi::xml_node word) const override { return children_named(word, "Glyph"); }
    std::string glyph_text(pugi::xml_node glyph) const override {
        const pugi::xml_node equiv = main_equiv(glyph);
        return equiv ? equiv_text(equiv) : std::string();
    }
    Box glyph_box(pugi::xml_node glyph) const override { return coords_box(glyph); }
    void set_glyph_text(pugi::xml_node glyph, const std::string& text, const std::string& original) override {
        if (text != original) add_corrected_equiv(glyph, text);
    }
    void insert_first_glyph(pugi::xml_node word, pugi::xml_node glyph) override {
        // PAGE's order inside Word: AlternativeImage*, Coords, Glyph*, TextEquiv*, TextStyle?, ...
        for (pugi::xml_node child : word.children()) {
            const std::string_view name = local_name(child);
            if (name == "TextEquiv" || name == "TextStyle" || name == "UserDefined" || name == "Labels") {
                word.insert_move_before(glyph, child);
                return;
            }
        }
        word.append_move(glyph);
    }

    void on_word_changed(pugi::xml_node node) override { changed_.push_back(node); }

private:
    // `node`'s text as its parts (children named `part`) now read, marked when it differs.
    void refresh(pugi::xml_node node, std::string_view part, const char* separator) {
        pugi::xml_node equiv = main_equiv(node);
        if (!equiv) return;
        std::string text;
        bool first = true;
        for (pugi::xml_node child : children_named(node, part)) {
            pugi::xml_node child_equiv = main_equiv(child);
            if (!child_equiv) continue;
            if (!first) text += separator;
            text += equiv_text(child_equiv);
            first = false;
        }
        if (!first && text != equiv_text(equiv)) add_corrected_equiv(node, text);
    }

    void read_children(pugi::xml_node parent, DocumentBuilder& builder) {
        for (pugi::xml_node node : parent.children()) {
            if (node.type() != pugi::node_element) continue;
            const std::string_view name = local_name(node);
            if (name.ends_with("Region") && (read_.contains(node.internal_object()) ||
                                             ordered_.contains(node.internal_object())))
                continue;  // read in the ReadingOrder's place
            if (name == "TextRegion") {
                builder.begin_block();
                read_children(node, builder);
            } else if (name == "TextLine") {
                builder.begin_line();
                read_line(node, builder);
            } else if (name != "Metadata" && name != "ReadingOrder" && name != "TextEquiv") {
                read_children(node, builder);
            }
        }
    }

    void read_line(pugi::xml_node line, DocumentBuilder& builder) {
        const std::vector<pugi::xml_node> words = children_named(line, "Word");
        if (words.empty()) {
            pugi::xml_node equiv = main_equiv(line);
            if (equiv && builder.add_word(equiv_text(equiv), coords_box(line), confidence(equiv), true))
                word_nodes_.push_back(line);
            return;
        }
        for (pugi::xml_node word : words) {
            pugi::xml_node equiv = main_equiv(word);
            if (equiv && builder.add_word(equiv_text(equiv), coords_box(word), confidence(equiv)))
                word_nodes_.push_back(word);
        }
    }

    // The regions of the Page's ReadingOrder, in that order: an OrderedGroup's members by their
    // index, an UnorderedGroup's as written, a group's own region (regionRef) before its
    // members. References to no region, or to one already named, are skipped.
    std::vector<pugi::xml_node> reading_order() {
        std::unordered_map<std::string, pugi::xml_node> regions;
        pugi::xml_node order;
        for (pugi::xml_node page : children_named(xml.document_element(), "Page")) {
            for (pugi::xml_node child : children_named(page, "ReadingOrder")) order = child;
            collect_regions(page, regions);
        }
        std::vector<pugi::xml_node> ordered;
        if (order) add_group_members(order, regions, ordered, ordered_);
        return ordered;
    }

    static void collect_regions(pugi::xml_node node, std::unordered_map<std::string, pugi::xml_node>& regions) {
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            if (local_name(child).ends_with("Region") && child.attribute("id"))
                regions.emplace(child.attribute("id").value(), child);
            collect_regions(child, regions);
        }
    }

    // `named` holds the regions of `ordered`, so that a repeated reference costs one look-up.
    static void add_group_members(pugi::xml_node group, const std::unordered_map<std::string, pugi::xml_node>& regions,
                                  std::vector<pugi::xml_node>& ordered, std::unordered_set<const void*>& named) {
        if (const auto found = regions.find(group.attribute("regionRef").value()); found != regions.end())
            if (named.insert(found->second.internal_object()).second) ordered.push_back(found->second);
        std::vector<pugi::xml_node> members;
        for (pugi::xml_node child : group.children())
            if (child.type() == pugi::node_element && (local_name(child).starts_with("RegionRef") ||
                                                       local_name(child).starts_with("OrderedGroup") ||
                                                       local_name(child).starts_with("UnorderedGroup")))
                members.push_back(child);
        if (local_name(group).starts_with("OrderedGroup"))
            std::stable_sort(members.begin(), members.end(), [](pugi::xml_node a, pugi::xml_node b) {
                return a.attribute("index").as_llong() < b.attribute("index").as_llong();
            });
        for (pugi::xml_node member : members) add_group_members(member, regions, ordered, named);
    }

    static double confidence(pugi::xml_node equiv) {
        return equiv.attribute("conf") ? equiv.attribute("conf").as_double() : -1.0;
    }

    std::vector<pugi::xml_node> changed_;
    std::unordered_set<const void*> ordered_;  // the regions the ReadingOrder names
    std::unordered_set<const void*> read_;     // those read so far
};

}  // namespace

std::unique_ptr<FormatAdapter> make_page_adapter() { return std::make_unique<PageAdapter>(); }

}  // namespace ocrfix::layout

#include "layout/well_formed.h"

#include <cstdio>
#include <cstdlib>

#include "layout/document.h"

namespace ocrfix::layout {

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

}  // namespace ocrfix::layout

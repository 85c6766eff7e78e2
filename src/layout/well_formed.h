// What a layout file must be beyond what pugixml checks: nesting a recursive reader can
// walk, and only the characters and references XML allows (document.cpp's parse calls these).
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace ocrfix::layout {

// How deep elements nest under `root` (1 for a root alone), counted without recursion and
// given up on past kMaxLayoutDepth.
std::size_t nesting_depth(pugi::xml_node root);

// What pugixml lets through that XML does not allow, in a file in UTF-8 or Latin-1: a
// control character, a character reference to no XML character (`&#0;`, `&#xD800;`), or an
// entity XML does not define (HTML's `&nbsp;`, which would be written back as `&amp;nbsp;`).
// Comments, CDATA sections, processing instructions and the DOCTYPE are not looked in.
// "" when there is nothing.
std::string character_problem(std::string_view bytes);

}  // namespace ocrfix::layout

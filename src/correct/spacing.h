// Marks a tokeniser set apart from the words ("la Grande-Bretagne , de la France .",
// "l ' agriculture", "( H-1707 )").
//
// Some OCR pipelines hand on their text split into tokens and joined with spaces. The page
// had no space before a comma or a full stop, so in such a text those spaces are the
// pipeline's, not the printer's, and the marks go back on their words. The evidence is the
// text itself: it counts as tokenised when at least 5 commas and full stops that end a word
// stand apart from it, and they are at least 80% of such marks. A text with a few spaced
// commas is left alone: there they are the page's (17th- and 18th-century books spaced
// them) or a misread speck, and transcriptions disagree about them.
#pragma once

#include <string_view>
#include <vector>

#include "ocrfix/edit.h"

namespace ocrfix::correct {

// True when `text` reads as a tokeniser's output (the rule above).
bool spaced_like_tokens(std::string_view text);

// The edits that join a tokenised text's marks back to their words: the space before a
// comma or a full stop that ends a word (and before a semicolon or a colon, except in
// French, whose typography spaces them), the space inside brackets, and the spaces around
// an apostrophe in an elision or a contraction (`l ' agriculture`, `don ' t`; a quote
// around words stays). Dot leaders (`. . . .`) stay. No edits when the text is not
// tokenised. Each edit deletes one run of plain spaces; tabs, no-break spaces and line
// breaks are never touched.
std::vector<Edit> token_spacing_edits(std::string_view text, std::string_view language);

}  // namespace ocrfix::correct

// Words hyphenated across a line break ("réali-⏎sation"): how the output writes them.
//
// Transcriptions disagree here. Some keep the page's hyphen ("-⏎", Overproof), the
// HIPE-OCRepair ones mark a line-end break with a not sign ("¬⏎") and drop "¬⏎" when they
// compare texts, and text for reading or search wants the word joined. That is a choice
// of convention, not a correction, so it is a setting; only `automatic` corrects: where
// the text itself marks its line-end breaks with "¬", a "-" at another such break is the
// OCR misreading that mark, and becomes "¬".
#pragma once

#include <string_view>
#include <vector>

#include "ocrfix/edit.h"

namespace ocrfix::correct {

enum class LineEndHyphens {
    automatic,  // as the page has them, but "¬" where the text already uses "¬" for them
    keep,       // as the OCR has them
    mark,       // "¬⏎" (the HIPE-OCRepair convention)
    join,       // the word joined, hyphen and line break dropped
};

LineEndHyphens parse_line_end_hyphens(std::string_view name);  // throws Error(invalid_argument)

// The edits that write `mode`'s convention. A break counts when a word ends in "-" or
// "¬", a line break follows, and the next line starts with a lower-case word (a capital
// there is a compound or a name: "Zürich-⏎Bern"). Edits cover only the hyphen, or the
// hyphen and line break for `join`; the words stay as they are.
std::vector<Edit> line_end_hyphen_edits(std::string_view text, LineEndHyphens mode);

}  // namespace ocrfix::correct

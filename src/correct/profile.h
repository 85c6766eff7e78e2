// Transcription profiles. Sources disagree on conventions where nothing was misread: a word
// hyphenated across a line end (`-⏎` kept, `¬⏎` marked, or joined), a word the page broke
// mid-line (`réali-sation`), the apostrophe's form (`’` or `'`). A profile names one set of
// such choices; the edits that write them are convention edits (conventions.h), which the
// decision weighs against the readings of the same text.
#pragma once

#include <string_view>
#include <vector>

#include "correct/hyphenation.h"

namespace ocrfix::correct {

struct Profile {
    std::string_view name;
    std::string_view summary;  // one line, for --help and docs
    LineEndHyphens line_end_hyphens = LineEndHyphens::automatic;
    bool join_broken_words = false;     // join words the page broke mid-line (`réali-sation`)
    bool straight_apostrophes = false;  // write `’` as `'`
};

// Every profile, the default (`reader`) first.
const std::vector<Profile>& profiles();

// The profile called `name`; throws Error(invalid_argument) naming the profiles there are.
const Profile& profile_named(std::string_view name);

}  // namespace ocrfix::correct

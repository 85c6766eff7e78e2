// Convention edits: what a transcription profile writes differently from the OCR where
// nothing was misread (profile.h), and the marks a tokeniser set apart (spacing.h). They
// are proposals of their own kind: the decision (decide.h) applies each one unless a
// reading of the same text wins the slot.
#pragma once

#include <string_view>
#include <vector>

#include "correct/profile.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

struct ConventionEdit {
    Edit edit;
    // True when an accepted reading that only touches this edit (ends where it begins, or
    // begins where it ends) also rules it out: a space next to a mark a reading changed.
    bool yields_to_neighbours = false;
};

// The convention edits of `text` under `profile`. `language` is the text's ("" when no
// lexicon reads it): the `automatic` hyphen convention and the tokeniser's spacing correct a
// misreading, so they need a language ocrfix reads; an explicit convention applies to every
// text.
std::vector<ConventionEdit> convention_edits(std::string_view text, const Profile& profile, std::string_view language);

}  // namespace ocrfix::correct

// Keys under which spellings of one word meet: a reading with the original's key would
// modernise a spelling, not correct a misreading.
#pragma once

#include <string>
#include <string_view>

#include "correct/language_facts.h"

namespace ocrfix::correct {

// `folded` with the language's spelling folds applied in order (LanguageFacts::spelling_folds),
// doubled letters collapsed and a final e dropped.
std::string spelling_key(std::string_view folded, const ReadingList& folds);

// `folded` without the letter e after its first letter (early modern English: `yeares`,
// `knowen`, `breakefast`).
std::string without_inner_e(std::string_view folded);

// `word` without its diacritics (`häben` -> `haben`, `océan` -> `ocean`).
std::string strip_diacritics(std::string_view word);

}  // namespace ocrfix::correct

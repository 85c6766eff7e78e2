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

// Whether `candidate` is `original` with one letter of a pair dropped, where the pair is one
// letter written twice, once with an umlaut (`knaäben` -> `knaben`, `duünkel` -> `dunkel` or
// `dünkel`, `hoöher` -> `hoher` or `höher`): Fraktur's umlaut, an e or two dots above the
// letter, read as a second letter. No spelling writes such a pair, so the reading corrects a
// misreading even where it shares the original's spelling key. Both in the same case.
bool drops_doubled_umlaut(std::u32string_view original, std::u32string_view candidate);

// `word` without its diacritics (`häben` -> `haben`, `océan` -> `ocean`).
std::string strip_diacritics(std::string_view word);

}  // namespace ocrfix::correct

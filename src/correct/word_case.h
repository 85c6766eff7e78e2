// The case of a word as OCR reads it: broken case (`deS`, `LoRD`), CamelCase (`YouTube`),
// small capitals (`MayoR`), and a reading written in the original's case.
#pragma once

#include <string>
#include <string_view>

namespace ocrfix::correct {

// Writes `folded` (lower case) with the case pattern of `original`: "The", "THE", "the".
// A word in capitals with a misread small letter (`COUNTnY`) counts as capitals.
std::string restore_case(std::string_view original, std::string_view folded);

// OCR misreads a letter for its other case (`deS` des, `LoRD` LORD, `subjeCt` subject):
// capitals and small letters mixed after the first letter, or a small first letter before
// capitals (`aUS`). The part before an apostrophe and a Mc/Mac prefix do not count
// (`d'Aurelles`, `McCaw`).
bool has_broken_case(std::string_view word);

// A capital first letter, and every other capital between small letters, with at least two
// after it: `YouTube`, `PowerPoint`, `SonntagSarbeit`; not `LoRD`, `deS`, `subjeCt`.
bool is_camel_case(std::string_view word);

// The letters after an apostrophe (`d'Aurelles`, `O'Brien`) and after a Mc/Mac prefix
// (`McCaw`, `MacMahon`): the part of a word whose case follows the ordinary pattern.
std::u32string_view case_stem(std::u32string_view word);

// A word written in capitals (`BY`), misread letters aside (`COUNTnY`, `LoRD`): every
// letter a capital, or at least two capitals after the first letter and more of them than
// small letters.
bool mostly_upper(std::u32string_view word);

// A word set in small capitals, as OCR reads them (`MayoR`, `ABerDeen`, `PecHeLL`): a capital
// first letter and a capital A-Z after a small letter, in a word of at least four letters.
// The Fraktur long s read as a capital (`DaS`, `SonntagSarbeit`) is no such capital, nor is
// an accented one (`HanoÏ` is Hanoï).
bool small_capitals(std::u32string_view word);

// Whether `reading` keeps the capitals after the first letter of `word`, each within one
// place of where `word` has it (`PecHeLL` -> `Schell`, not `JuBtico` -> `Justice`).
bool keeps_capitals(std::u32string_view word, std::string_view reading);

char32_t to_upper(char32_t c);
char32_t to_lower(char32_t c);

// `word` with its first letter a capital.
std::string capitalise(std::string_view word);

}  // namespace ocrfix::correct

// What the lexical proposer and its context rules know of a language: titles, one-letter
// words, elisions, signs OCR makes of letters, spelling folds. The facts are data, one file
// a language (src/correct/languages/<language>.txt, compiled into the library), not branches
// on a language code: a rule asks for a fact ("the titles of this language"), and runs where
// its facts exist.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ocrfix::correct {

using WordList = std::vector<std::string>;
using ReadingList = std::vector<std::pair<std::string, std::string>>;  // written -> read

struct LanguageFacts {
    std::string language;

    // Titles before a name (`Mr`, `Sir`, `Capt`); empty where the language has none listed.
    WordList titles;
    // Titles OCR misreads one letter off and that are read back (`Nr.` Mr), and titles one
    // letter off those that stay (`Ms`).
    WordList title_readings;
    WordList titles_of_their_own;

    // The language's one-letter words; nullopt where they are not listed (no lone-letter
    // merges then). An empty list: every lone letter is a piece (German).
    std::optional<WordList> one_letter_words;
    // Lone small letters that are misreadings of a word (`n` a, `m` in, `i` I).
    WordList misread_lone_letters;
    // A lone small `i` between words is a speck, not a word.
    bool lone_small_i_is_stray = false;
    // Lone letters after a word that are a lost apostrophe (`King s`, `don t`).
    WordList lost_apostrophe_endings;
    // Words end in lone letters that OCR sets apart (`haut s`, `erfolgt e`).
    bool lone_letter_may_end_word = false;

    // Marks a speck makes at a word's start and end (`the .most`, `species! of`).
    WordList leading_attached_marks;
    WordList trailing_attached_marks;
    // Elisions a quote closes (`tho'`; and words ending so: `goin'`) or opens (`'tis`).
    WordList elided_before_quote;
    WordList elided_ending_before_quote;
    WordList elided_after_quote;

    // A one-letter word read as a sign (`1` I, `&` a).
    ReadingList signs_for_letters;
    // A sentence's first word read as a numeral (`II` Il, `11` Il).
    ReadingList sentence_start_misreads;
    // A spaced `!` read as a letter or digit (`1`, `I`).
    WordList spaced_exclamation_misreads;
    // Function words whose small i OCR reads as a capital mid-sentence, and those of them
    // that also open sentences.
    WordList small_i_words;
    WordList small_i_sentence_openers;
    // Capitals OCR makes of a small letter at the start of a verb form, and its endings.
    WordList small_initial_verb_letters;
    WordList verb_form_endings;

    // Spelling variants folded to one key, in this order (`v` u, `th` t, `our` or, ...).
    ReadingList spelling_folds;
    // Which real-word twins (LexicalParams::wide_twins or narrow_twins).
    bool wide_real_word_twins = false;
    // Words only the spell checker knows get twins too (`cither` either).
    bool spell_checker_twins = false;
    // A leading digit may be a misread letter (`6atd` said).
    bool leading_digit_as_letter = false;
    // Accents are the printer's choice: a reading that drops them is proposed for short
    // listed words alone.
    bool free_accents = false;
    // Early modern spelling adds and drops an e (`worke`, `entred`).
    bool early_modern_e = false;
    // CamelCase names and brands (`YouTube`) are no broken case.
    bool camel_case_words = false;
    // A guillemet before a word is a misread letter, not an opening quotation.
    bool guillemet_before_word_misread = false;
    // A word broken at a line end whose hyphen OCR lost is joined (`suc⏎cessor`).
    bool join_lost_line_end_hyphens = false;

    // Whether `word` is in `list`.
    static bool contains(const WordList& list, std::string_view word);
    // The reading of `written` in `list`, or nullopt.
    static std::optional<std::string_view> reading_of(const ReadingList& list, std::string_view written);
};

// Parses a facts file (`key: words`, `key: from=to ...`, `key: yes`; `#` comments). Throws
// std::invalid_argument on an unknown key or a malformed line.
LanguageFacts parse_language_facts(std::string_view language, std::string_view source);

// The facts of `language`, from the file compiled in; empty facts for a language without one.
const LanguageFacts& language_facts(std::string_view language);

// The languages with a facts file.
std::vector<std::string> languages_with_facts();

}  // namespace ocrfix::correct

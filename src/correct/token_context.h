// Questions about a token's neighbours that the lexical proposer and its context rules ask:
// is this word small, does it stand after a title, before a name, near a quote.
#pragma once

#include <string_view>
#include <vector>

#include "correct/language_facts.h"
#include "text/tokens.h"

namespace ocrfix::correct {

using Tokens = std::vector<text::TextToken>;

bool is_single_quote(char32_t c);

// Marks that OCR makes of a letter or a speck inside a word (`for.une`, `w,is`, `h!s`,
// `sa\\o`, `ni?ht`, `m"n`). Such a word reaches the proposer as one unit (propose); a word
// token never holds them.
bool is_stray_mark(char32_t c);

bool ends_sentence(std::string_view mark);

// Whether every letter of `word` is small (a digit or a mark is not).
bool all_small(std::u32string_view word);

// Whether `token` is a word whose first letter is small.
bool starts_small(std::string_view text, const text::TextToken& token);

// Whether the word before token `at` (gaps skipped) is an initial or one of `titles`, with or
// without its full stop: `J. `, `B `, `Mr. `, `Sir `.
bool after_title(std::string_view text, const Tokens& tokens, std::size_t at, const WordList& titles);

// Whether the word at `i` is followed, after a full stop or not and a gap, by a capitalised
// word: it stands before a name (`Mr. Blair`, `W. Drew`).
bool before_name(std::string_view text, const Tokens& tokens, std::size_t i);

// Whether a quote opens or closes a word (`'Soho`, `Eagle,'`) within `reach` bytes of
// [begin, end) on the same line.
bool quoted_nearby(std::string_view text, std::size_t begin, std::size_t end, std::size_t reach);

}  // namespace ocrfix::correct

// Whether a stream is a terminal, and whether to colour it: colour and progress bars are for
// people, so pipes and files get plain bytes.
#pragma once

#include <cstdio>
#include <string>

namespace ocrfix::cli {

bool is_terminal(std::FILE* stream);

// "auto" colours a terminal unless NO_COLOR is set or TERM is "dumb"; "always" and "never"
// do what they say. Throws ocrfix::Error(invalid_argument) for any other mode.
bool should_colour(const std::string& mode, std::FILE* stream);

}  // namespace ocrfix::cli

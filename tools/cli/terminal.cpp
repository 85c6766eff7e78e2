#include "terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "ocrfix/error.h"

namespace ocrfix::cli {

bool is_terminal(std::FILE* stream) { return stream && isatty(fileno(stream)) == 1; }

bool should_colour(const std::string& mode, std::FILE* stream) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (mode != "auto")
        throw Error(ErrorCategory::invalid_argument, "--color '" + mode + "' is not one of auto, always, never");
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
    if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
    return is_terminal(stream);
}

}  // namespace ocrfix::cli

#include "text/utf8.h"

#include <algorithm>

#include "ocrfix/error.h"

namespace ocrfix::text {

std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t min_value = 0;
        char32_t value = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2, min_value = 0x80, value = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, min_value = 0x800, value = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, min_value = 0x10000, value = lead & 0x07;
        } else {
            return i;
        }
        if (i + length > size) return i;
        for (std::size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) return i;
            value = (value << 6) | (bytes[i + k] & 0x3F);
        }
        if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return i;
        i += length;
    }
    return std::nullopt;
}

void require_valid_utf8(std::string_view text, std::string_view what) {
    const auto bad = find_invalid_utf8(text);
    if (!bad) return;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*bad), '\n');
    throw Error(ErrorCategory::invalid_input,
                std::string(what) + " is not valid UTF-8 (first bad byte at offset " +
                    std::to_string(*bad) + ", line " + std::to_string(line) +
                    "). Convert it first, for example with `iconv -f latin1 -t utf-8`.");
}

std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    return count;
}

}  // namespace ocrfix::text

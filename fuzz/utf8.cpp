// UTF-8 validation and decoding (text/utf8.h) and the conversions built on them
// (text/normalize.h). Input: any bytes.
//
// Invariants:
// - find_invalid_utf8 agrees with the Unicode Standard's table of well-formed byte sequences
//   (Table 3-7), written out here independently of the decoder;
// - require_valid_utf8 throws Error(invalid_input) exactly for invalid text, naming the offset;
// - valid text decodes to scalar values only, as many as count_code_points says, and
//   encodes back to the same bytes;
// - to_lower, fold_for_lookup and hipe_normalize give valid UTF-8; to_lower and
//   hipe_normalize are idempotent, and hipe_normalize leaves single spaces between words;
// - on invalid text the same functions stay inside the input (ASan checks).
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ocrfix/error.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace {

using ocrfix::text::find_invalid_utf8;

// Offset of the first byte that starts no well-formed sequence, per Table 3-7; npos if none.
std::size_t first_ill_formed(std::string_view text) {
    auto in = [](unsigned char byte, unsigned low, unsigned high) { return byte >= low && byte <= high; };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto at = [&](std::size_t k) {
            return static_cast<unsigned char>(k < text.size() ? text[k] : 0);
        };
        const unsigned char b0 = at(i);
        const std::size_t left = text.size() - i;
        if (b0 <= 0x7F) {
            i += 1;
        } else if (in(b0, 0xC2, 0xDF) && left >= 2 && in(at(i + 1), 0x80, 0xBF)) {
            i += 2;
        } else if (left >= 3 && in(at(i + 2), 0x80, 0xBF) &&
                   ((b0 == 0xE0 && in(at(i + 1), 0xA0, 0xBF)) ||
                    ((in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) && in(at(i + 1), 0x80, 0xBF)) ||
                    (b0 == 0xED && in(at(i + 1), 0x80, 0x9F)))) {
            i += 3;
        } else if (left >= 4 && in(at(i + 2), 0x80, 0xBF) && in(at(i + 3), 0x80, 0xBF) &&
                   ((b0 == 0xF0 && in(at(i + 1), 0x90, 0xBF)) ||
                    (in(b0, 0xF1, 0xF3) && in(at(i + 1), 0x80, 0xBF)) ||
                    (b0 == 0xF4 && in(at(i + 1), 0x80, 0x8F)))) {
            i += 4;
        } else {
            return i;
        }
    }
    return std::string_view::npos;
}

bool is_valid(std::string_view text) { return !find_invalid_utf8(text).has_value(); }

void check_valid_text(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size(); ++count) {
        const std::size_t before = pos;
        const char32_t c = ocrfix::text::next_code_point(text, pos);
        FUZZ_CHECK(pos > before && pos <= text.size());
        FUZZ_CHECK(c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF));
    }
    FUZZ_CHECK(count == ocrfix::text::count_code_points(text));
    const std::u32string code_points = ocrfix::text::to_code_points(text);
    FUZZ_CHECK(code_points.size() == count);
    FUZZ_CHECK(ocrfix::text::to_utf8(code_points) == text);

    const std::string lower = ocrfix::text::to_lower(text);
    FUZZ_CHECK(is_valid(lower));
    FUZZ_CHECK(ocrfix::text::to_lower(lower) == lower);
    FUZZ_CHECK(is_valid(ocrfix::text::fold_for_lookup(text)));
    const std::string hipe = ocrfix::text::hipe_normalize(text);
    FUZZ_CHECK(is_valid(hipe));
    FUZZ_CHECK(ocrfix::text::hipe_normalize(hipe) == hipe);
    FUZZ_CHECK(hipe.empty() || (hipe.front() != ' ' && hipe.back() != ' '));
    FUZZ_CHECK(hipe.find("  ") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto bad = find_invalid_utf8(text);
    const std::size_t expected = first_ill_formed(text);
    FUZZ_CHECK(bad.value_or(std::string_view::npos) == expected);

    bool threw = false;
    try {
        ocrfix::text::require_valid_utf8(text, "fuzz input");
    } catch (const ocrfix::Error& error) {
        threw = true;
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::invalid_input);
        const std::string message = error.what();
        FUZZ_CHECK(bad && message.find("offset " + std::to_string(*bad)) != std::string::npos);
    }
    FUZZ_CHECK(threw == bad.has_value());

    if (!bad) {
        check_valid_text(text);
        return 0;
    }
    // The valid prefix is checked as valid text; the whole input only for memory safety.
    check_valid_text(text.substr(0, *bad));
    (void)ocrfix::text::to_code_points(text);
    (void)ocrfix::text::to_lower(text);
    (void)ocrfix::text::fold_for_lookup(text);
    (void)ocrfix::text::hipe_normalize(text);
    return 0;
}

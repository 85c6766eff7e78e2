// Applying edits to a text (apply_edits, ocrfix/edit.h) and tracing a post-processor's
// output back to its input (engine/traced_result.h).
//
// Input: a mode byte, a 16-bit text length and the text; then, for apply_edits, edits of
// five bytes each (begin and end as 16-bit numbers a little past the text's end at most,
// the replacement's length) plus their replacements; for traced_result, the output text.
//
// Invariants of apply_edits:
// - sorted, non-overlapping edits inside the input are applied: the output is the input
//   outside the edits, byte for byte, and each replacement where its edit was;
// - any other list (overlapping, unsorted, reversed, past the end) throws
//   Error(invalid_argument) and nothing else.
// Invariants of traced_result:
// - edits given: the text is recomputed from them, or the same error is thrown;
// - only a text given: an unchanged text gets no edit; a changed one that is invalid UTF-8
//   throws Error(invalid_input); else one edit that turns the input into the output, on code
//   point boundaries of both when the input is valid UTF-8.
#include <string>
#include <string_view>
#include <vector>

#include "engine/traced_result.h"
#include "fuzz_support.h"
#include "ocrfix/edit.h"
#include "ocrfix/error.h"
#include "text/utf8.h"

namespace {

using ocrfix::Edit;

bool is_continuation(std::string_view text, std::size_t at) {
    return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

// apply_edits' contract, stated independently: each edit starts at or after the end of the
// previous one, does not end before it starts, and ends inside the input.
bool applicable(std::string_view input, const std::vector<Edit>& edits) {
    std::size_t cursor = 0;
    for (const Edit& edit : edits) {
        if (edit.begin < cursor || edit.end < edit.begin || edit.end > input.size()) return false;
        cursor = edit.end;
    }
    return true;
}

void check_applied(std::string_view input, const std::vector<Edit>& edits, std::string_view output) {
    std::size_t in = 0, out = 0;
    for (const Edit& edit : edits) {
        FUZZ_CHECK(output.substr(out, edit.begin - in) == input.substr(in, edit.begin - in));
        out += edit.begin - in;
        FUZZ_CHECK(output.substr(out, edit.replacement.size()) == edit.replacement);
        out += edit.replacement.size();
        in = edit.end;
    }
    FUZZ_CHECK(output.substr(out) == input.substr(in));
    FUZZ_CHECK(output.size() - out == input.size() - in);
}

// Runs `apply` (apply_edits or traced_result over the same edits) and checks its outcome.
template <class Function>
void applies(std::string_view input, const std::vector<Edit>& edits, Function apply) {
    const bool expected = applicable(input, edits);
    try {
        const std::string output = apply();
        FUZZ_CHECK(expected);
        check_applied(input, edits, output);
    } catch (const ocrfix::Error& error) {
        FUZZ_CHECK(!expected);
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::invalid_argument);
    }
}

void check_edits(std::string_view input, ocrfix::fuzz::ByteReader& reader) {
    std::vector<Edit> edits;
    while (!reader.empty() && edits.size() < 64) {
        Edit edit;
        edit.begin = reader.u16() % (input.size() + 3);
        edit.end = reader.u16() % (input.size() + 3);
        edit.replacement = std::string(reader.bytes(reader.byte() % 16));
        edits.push_back(std::move(edit));
    }
    applies(input, edits, [&] { return ocrfix::apply_edits(input, edits); });
    if (!edits.empty())  // without edits, traced_result derives them from the text
        applies(input, edits,
                [&] { return ocrfix::engine::traced_result(input, {"ignored", edits}, "fuzz").text; });
    FUZZ_CHECK(ocrfix::apply_edits(input, {}) == input);
}

void check_traced(std::string_view input, std::string_view output) {
    const bool input_valid = !ocrfix::text::find_invalid_utf8(input);
    const bool output_valid = !ocrfix::text::find_invalid_utf8(output);
    ocrfix::CorrectionResult result;
    try {
        result = ocrfix::engine::traced_result(input, {std::string(output), {}}, "fuzz");
    } catch (const ocrfix::Error& error) {
        FUZZ_CHECK(output != input && !output_valid);
        FUZZ_CHECK(error.category() == ocrfix::ErrorCategory::invalid_input);
        return;
    }
    FUZZ_CHECK(result.text == output);
    if (output == input) {
        FUZZ_CHECK(result.edits.empty());
        return;
    }
    FUZZ_CHECK(output_valid);
    FUZZ_CHECK(result.edits.size() == 1);
    const Edit& edit = result.edits.front();
    FUZZ_CHECK(edit.begin <= edit.end && edit.end <= input.size());
    FUZZ_CHECK(edit.source == "fuzz");
    FUZZ_CHECK(ocrfix::apply_edits(input, result.edits) == output);
    if (input_valid) {
        FUZZ_CHECK(!is_continuation(input, edit.begin) && !is_continuation(input, edit.end));
        FUZZ_CHECK(!ocrfix::text::find_invalid_utf8(edit.replacement));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader reader(data, size);
    const bool traced_mode = reader.byte() & 1;
    const std::string_view input = reader.bytes(reader.u16());
    if (traced_mode)
        check_traced(input, reader.rest());
    else
        check_edits(input, reader);
    return 0;
}

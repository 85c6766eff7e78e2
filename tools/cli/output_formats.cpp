#include "output_formats.h"

#include <algorithm>
#include <vector>

#include "ocrfix/error.h"

namespace ocrfix::cli {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kReverseOn = "\x1b[7m";
constexpr std::string_view kReverseOff = "\x1b[27m";

struct Range {
    std::size_t begin;
    std::size_t end;
};

// Offsets where lines start; a final '\n' does not open an empty last line.
std::vector<std::size_t> line_starts(std::string_view text) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
    return starts;
}

std::size_t line_of(const std::vector<std::size_t>& starts, std::size_t offset) {
    return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
}

std::size_t count_lines(std::string_view text) {
    if (text.empty()) return 0;
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + (text.back() == '\n' ? 0 : 1);
}

// Writes `segment` as diff lines starting with `sign`; bytes inside `emphasis` (ranges of
// segment offsets) are shown in reverse video when colouring.
void render_side(std::string& out, std::string_view segment, const std::vector<Range>& emphasis, char sign,
                 std::string_view line_colour, bool colour) {
    std::vector<bool> marked(segment.size(), false);
    for (const Range& range : emphasis)
        for (std::size_t i = range.begin; i < range.end && i < segment.size(); ++i) marked[i] = true;
    bool at_line_start = true;
    bool emphasised = false;
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (at_line_start) {
            if (colour) out += line_colour;
            out += sign;
            at_line_start = false;
        }
        if (segment[i] == '\n') {
            if (colour) out += kReset;  // colours never leak past the end of a line
            emphasised = false;
            out += '\n';
            at_line_start = true;
            continue;
        }
        if (colour && marked[i] != emphasised) {
            out += marked[i] ? kReverseOn : kReverseOff;
            emphasised = marked[i];
        }
        out += segment[i];
    }
    if (!at_line_start) {
        if (colour) out += kReset;
        out += "\n\\ No newline at end of file\n";
    }
}

}  // namespace

OutputFormat parse_output_format(std::string_view name) {
    if (name == "text") return OutputFormat::text;
    if (name == "diff") return OutputFormat::diff;
    if (name == "json") return OutputFormat::json;
    if (name == "jsonl") return OutputFormat::jsonl;
    throw Error(ErrorCategory::invalid_argument,
                "--format '" + std::string(name) + "' is not one of " + kOutputFormatNames);
}

std::string format_unified_diff(std::string_view name, std::string_view input, const CorrectionResult& result,
                                bool colour) {
    if (result.edits.empty()) return {};
    const auto starts = line_starts(input);

    // Runs of lines touched by edits; touching or adjacent runs merge into one hunk.
    struct Hunk {
        std::size_t first_line, last_line;
        std::vector<const Edit*> edits;
    };
    std::vector<Hunk> hunks;
    for (const Edit& edit : result.edits) {
        const std::size_t first = line_of(starts, edit.begin);
        std::size_t last = edit.end > edit.begin ? line_of(starts, edit.end - 1) : first;
        // An edit that removes a line break joins the next line to this one: the hunk must
        // show that line too, or the patch would not apply.
        if (edit.end > edit.begin && edit.end < input.size() && input[edit.end - 1] == '\n')
            last = line_of(starts, edit.end);
        if (!hunks.empty() && first <= hunks.back().last_line + 1) {
            hunks.back().last_line = std::max(hunks.back().last_line, last);
            hunks.back().edits.push_back(&edit);
        } else {
            hunks.push_back({first, last, {&edit}});
        }
    }

    const std::string label = name == "-" ? "stdin" : std::string(name);
    std::string out;
    if (colour) out += kBold;
    out += "--- a/" + label + "\n+++ b/" + label + "\n";
    if (colour) out += kReset;

    long line_delta = 0;  // lines the corrected text gained before the current hunk
    for (const Hunk& hunk : hunks) {
        const std::size_t begin = starts[hunk.first_line];
        const std::size_t end = hunk.last_line + 1 < starts.size() ? starts[hunk.last_line + 1] : input.size();
        const std::string_view old_segment = input.substr(begin, end - begin);

        std::string new_segment;
        std::vector<Range> old_marks, new_marks;
        std::size_t copied = begin;
        for (const Edit* edit : hunk.edits) {
            new_segment.append(input.substr(copied, edit->begin - copied));
            old_marks.push_back({edit->begin - begin, edit->end - begin});
            new_marks.push_back({new_segment.size(), new_segment.size() + edit->replacement.size()});
            new_segment += edit->replacement;
            copied = edit->end;
        }
        new_segment.append(input.substr(copied, end - copied));

        const std::size_t old_count = count_lines(old_segment);
        const std::size_t new_count = count_lines(new_segment);
        const long old_start = static_cast<long>(hunk.first_line) + 1;
        // An empty side names the line before it, as diff(1) does.
        const long new_start = old_start + line_delta - (new_count == 0 ? 1 : 0);
        line_delta += static_cast<long>(new_count) - static_cast<long>(old_count);

        if (colour) out += kCyan;
        out += "@@ -" + std::to_string(old_start) + "," + std::to_string(old_count) + " +" +
               std::to_string(new_start) + "," + std::to_string(new_count) + " @@\n";
        if (colour) out += kReset;
        render_side(out, old_segment, old_marks, '-', kRed, colour);
        render_side(out, new_segment, new_marks, '+', kGreen, colour);
    }
    return out;
}

}  // namespace ocrfix::cli

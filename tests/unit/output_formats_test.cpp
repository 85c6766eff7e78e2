// The unified diff of `ocrfix correct -f diff`: hunks, line numbers, the no-newline marker
// and colours, on hand-made edits (no model).
#include <gtest/gtest.h>

#include "ocrfix/error.h"
#include "output_formats.h"

namespace {

using ocrfix::CorrectionResult;
using ocrfix::Edit;
using ocrfix::cli::format_unified_diff;

CorrectionResult result_of(std::string_view input, std::vector<Edit> edits) {
    return {ocrfix::apply_edits(input, edits), std::move(edits)};
}

TEST(UnifiedDiff, NothingWhenNoEdit) {
    EXPECT_EQ(format_unified_diff("a.txt", "same\n", result_of("same\n", {}), false), "");
}

TEST(UnifiedDiff, OneHunkPerChangedLineWithLineNumbers) {
    const std::string input = "one\ntwo tbe\nthree\nfour shlp\n";
    const auto diff = format_unified_diff("-", input, result_of(input, {{8, 11, "the"}, {23, 27, "ship"}}), false);
    EXPECT_EQ(diff,
              "--- a/stdin\n+++ b/stdin\n"
              "@@ -2,1 +2,1 @@\n-two tbe\n+two the\n"
              "@@ -4,1 +4,1 @@\n-four shlp\n+four ship\n");
}

TEST(UnifiedDiff, AdjacentLinesMergeAndNewlinesShiftLaterHunks) {
    const std::string input = "a-\nb\nc\nd x\n";
    // Joining a hyphenated word across the break removes a line: later numbers move up.
    const auto diff = format_unified_diff("f", input, result_of(input, {{1, 3, ""}, {9, 10, "y"}}), false);
    EXPECT_EQ(diff,
              "--- a/f\n+++ b/f\n"
              "@@ -1,2 +1,1 @@\n-a-\n-b\n+ab\n"
              "@@ -4,1 +3,1 @@\n-d x\n+d y\n");
}

TEST(UnifiedDiff, MarksAMissingFinalNewline) {
    const std::string input = "end tbe";
    const auto diff = format_unified_diff("f", input, result_of(input, {{4, 7, "the"}}), false);
    EXPECT_EQ(diff,
              "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-end tbe\n\\ No newline at end of file\n"
              "+end the\n\\ No newline at end of file\n");
}

TEST(UnifiedDiff, ColourMarksOnlyTheEditedBytes) {
    const std::string input = "the shlp\n";
    const auto diff = format_unified_diff("f", input, result_of(input, {{4, 8, "ship"}}), true);
    EXPECT_NE(diff.find("\x1b[31m-the \x1b[7mshlp\x1b[0m\n"), std::string::npos) << diff;
    EXPECT_NE(diff.find("\x1b[32m+the \x1b[7mship\x1b[0m\n"), std::string::npos) << diff;
}

TEST(OutputFormat, ParsesTheFourNamesAndRejectsOthers) {
    EXPECT_EQ(ocrfix::cli::parse_output_format("jsonl"), ocrfix::cli::OutputFormat::jsonl);
    EXPECT_THROW(ocrfix::cli::parse_output_format("yaml"), ocrfix::Error);
}

}  // namespace

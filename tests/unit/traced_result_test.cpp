#include "engine/traced_result.h"

#include <gtest/gtest.h>

#include "ocrfix/error.h"

using ocrfix::CorrectionResult;
using ocrfix::engine::traced_result;

TEST(TracedResult, DerivesOneEditForTheChangedSpan) {
    const auto result = traced_result("Ths is a smple txt.", {"This is a simple txt.", {}}, "custom");
    ASSERT_EQ(result.edits.size(), 1u);
    EXPECT_EQ(result.edits[0].begin, 2u);
    EXPECT_EQ(result.edits[0].end, 10u);
    EXPECT_EQ(result.edits[0].replacement, "is is a si");
    EXPECT_EQ(result.edits[0].source, "custom");
    EXPECT_EQ(ocrfix::apply_edits("Ths is a smple txt.", result.edits), result.text);
}

TEST(TracedResult, KeepsWholeCodePoints) {
    // "é" (C3 A9) -> "è" (C3 A8): the shared lead byte must not be split from its tail.
    const auto result = traced_result("caf\xC3\xA9!", {"caf\xC3\xA8!", {}}, "custom");
    ASSERT_EQ(result.edits.size(), 1u);
    EXPECT_EQ(result.edits[0].begin, 3u);
    EXPECT_EQ(result.edits[0].end, 5u);
    EXPECT_EQ(result.edits[0].replacement, "\xC3\xA8");
}

TEST(TracedResult, UnchangedTextHasNoEditsAndEditsWinOverText) {
    EXPECT_TRUE(traced_result("same", {"same", {}}, "custom").edits.empty());
    CorrectionResult claimed{"anything", {{0, 3, "The", 1.0, "custom"}}};
    EXPECT_EQ(traced_result("tbe end", claimed, "custom").text, "The end");
    CorrectionResult overlapping{"", {{0, 3, "a", 0, "x"}, {2, 4, "b", 0, "x"}}};
    EXPECT_THROW(traced_result("abcdef", overlapping, "custom"), ocrfix::Error);
    EXPECT_THROW(traced_result("abc", {"bad \xff", {}}, "custom"), ocrfix::Error);
}

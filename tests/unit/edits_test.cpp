#include "ocrfix/edit.h"

#include <gtest/gtest.h>

#include "ocrfix/error.h"

using ocrfix::Edit;

TEST(Edits, ApplyKeepsEverythingOutsideEdits) {
    const std::string input = "Ths is a\r\nsmple txt.\n";
    const std::vector<Edit> edits = {{0, 3, "This"}, {10, 15, "simple"}, {16, 19, "text"}};
    EXPECT_EQ(ocrfix::apply_edits(input, edits), "This is a\r\nsimple text.\n");
    EXPECT_EQ(ocrfix::apply_edits(input, {}), input);
}

TEST(Edits, RejectsOverlapsAndOutOfRange) {
    EXPECT_THROW(ocrfix::apply_edits("abcdef", {{0, 3, "x"}, {2, 4, "y"}}), ocrfix::Error);
    EXPECT_THROW(ocrfix::apply_edits("abc", {{2, 9, "x"}}), ocrfix::Error);
    EXPECT_THROW(ocrfix::apply_edits("abc", {{2, 1, "x"}}), ocrfix::Error);
}

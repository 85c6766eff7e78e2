// Words hyphenated across a line break: each convention, and the automatic reading of "-"
// as the "¬" the text uses elsewhere.
#include <gtest/gtest.h>

#include "correct/hyphenation.h"
#include "ocrfix/error.h"

namespace {

using ocrfix::correct::LineEndHyphens;

std::string written(std::string_view text, LineEndHyphens mode) {
    return ocrfix::apply_edits(text, ocrfix::correct::line_end_hyphen_edits(text, mode));
}

}  // namespace

TEST(LineEndHyphens, EachConventionRewritesOnlyTheBreaks) {
    const std::string text = "The adver-\ntisement of the Zürich-\nBern line, a well-\nknown - road.\n";
    EXPECT_EQ(written(text, LineEndHyphens::keep), text);
    // A capital after the break is a compound or a name: its hyphen is the word's own.
    EXPECT_EQ(written(text, LineEndHyphens::mark),
              "The adver¬\ntisement of the Zürich-\nBern line, a well¬\nknown - road.\n");
    EXPECT_EQ(written(text, LineEndHyphens::join), "The advertisement of the Zürich-\nBern line, a wellknown - road.\n");
    // Nothing in this text marks its breaks with ¬, so the page's hyphens stay.
    EXPECT_EQ(written(text, LineEndHyphens::automatic), text);
}

TEST(LineEndHyphens, AutomaticReadsHyphensAsTheMarkTheTextUses) {
    const std::string text = "Die Kan¬\ntonsregierung hat die Ver-\nordnung und die Zürich-\nStrasse.\r\nneu-\r\nes";
    EXPECT_EQ(written(text, LineEndHyphens::automatic),
              "Die Kan¬\ntonsregierung hat die Ver¬\nordnung und die Zürich-\nStrasse.\r\nneu¬\r\nes");
    // Joining also drops the marks already there.
    EXPECT_EQ(written(text, LineEndHyphens::join), "Die Kantonsregierung hat die Verordnung und die Zürich-\nStrasse.\r\nneues");
}

TEST(LineEndHyphens, NamesParse) {
    EXPECT_EQ(ocrfix::correct::parse_line_end_hyphens("auto"), LineEndHyphens::automatic);
    EXPECT_EQ(ocrfix::correct::parse_line_end_hyphens("mark"), LineEndHyphens::mark);
    EXPECT_THROW(ocrfix::correct::parse_line_end_hyphens("hipe"), ocrfix::Error);
}

// Marks a tokeniser spaced off their words: joined back only where the text itself is
// tokenised, and only the spaces, never a line break.
#include <gtest/gtest.h>

#include "correct/spacing.h"

namespace {

using ocrfix::correct::spaced_like_tokens;

std::string joined(std::string_view text, std::string_view language) {
    return ocrfix::apply_edits(text, ocrfix::correct::token_spacing_edits(text, language));
}

// Written for this test in the shape of a tokenised newspaper column.
constexpr std::string_view kTokenised =
    "Les délégués de la Grande-Bretagne , de la France et de l ' Italie ont signé .\n"
    "Le soussigné ( H-1707 ) informe le public , que la vente aura lieu : lundi , mardi ; "
    "et jeudi . Prix : 5 fr . le litre . . . . Renseignements , au bureau .";

}  // namespace

TEST(TokenSpacing, ATokenisedTextGetsItsMarksBack) {
    EXPECT_TRUE(spaced_like_tokens(kTokenised));
    // French spaces a colon and a semicolon, and dot leaders stay apart.
    EXPECT_EQ(joined(kTokenised, "fr"),
              "Les délégués de la Grande-Bretagne, de la France et de l'Italie ont signé.\n"
              "Le soussigné (H-1707) informe le public, que la vente aura lieu : lundi, mardi ; "
              "et jeudi. Prix : 5 fr. le litre . . . . Renseignements, au bureau.");
    EXPECT_EQ(joined(kTokenised, "de"),
              "Les délégués de la Grande-Bretagne, de la France et de l'Italie ont signé.\n"
              "Le soussigné (H-1707) informe le public, que la vente aura lieu: lundi, mardi; "
              "et jeudi. Prix: 5 fr. le litre . . . . Renseignements, au bureau.");
}

TEST(TokenSpacing, AFewSpacedMarksAreThePagesAndStay) {
    // Old books spaced some commas, and OCR sets a speck apart now and then: too few, or
    // too few of the text's marks, to call the text tokenised.
    const std::string old_book = "Le troisiéme , la Sainte Vierge. Au dessous , l'Adoration des Rois. Plus bas, un Paysage, "
                                 "avec des figures. Sur bois , de 7 pouces de haut, sur 9 pouces de large.";
    EXPECT_FALSE(spaced_like_tokens(old_book));
    EXPECT_EQ(joined(old_book, "fr"), old_book);
    const std::string mostly_tight = "One , two , three , four , five , and six, seven, eight. Nine. Ten.";
    EXPECT_FALSE(spaced_like_tokens(mostly_tight));
    EXPECT_EQ(joined(mostly_tight, "en"), mostly_tight);
}

TEST(TokenSpacing, QuotesLayoutSpacesAndTheTextsStartAreHandled) {
    // Written for this test: a tokenised English text.
    const std::string text = "( Reuters ) He said ' hello there ' and left . We don ' t know , they say .\tIt "
                             "was late\u00a0, and dark , very dark .";
    ASSERT_TRUE(spaced_like_tokens(text));
    // A bracket at the text's start is joined; a quote around words stays, a contraction is
    // joined; a tab and a no-break space may be layout and stay.
    EXPECT_EQ(joined(text, "en"), "(Reuters) He said ' hello there ' and left. We don't know, they say.\tIt "
                                  "was late\u00a0, and dark, very dark.");
}

TEST(TokenSpacing, LineBreaksStay) {
    const std::string text = "erste ,\nzweite , dritte .\nvierte , fünfte .\n, sechste . siebte";
    ASSERT_TRUE(spaced_like_tokens(text));
    // A mark at a line's start is no word's end; only the spaces go.
    EXPECT_EQ(joined(text, "de"), "erste,\nzweite, dritte.\nvierte, fünfte.\n, sechste. siebte");
}

// Which readings count as another spelling of the word rather than a misreading
// (correct/spelling_variants.h). No lexicon: the keys and tests alone.
#include <gtest/gtest.h>

#include "correct/spelling_variants.h"
#include "text/normalize.h"

namespace {

using ocrfix::correct::drops_doubled_umlaut;

bool drops(const char* original, const char* candidate) {
    return drops_doubled_umlaut(ocrfix::text::to_code_points(original), ocrfix::text::to_code_points(candidate));
}

TEST(DoubledUmlaut, EitherLetterOfTheDoubledPairMayGo) {
    EXPECT_TRUE(drops("knaäben", "knaben"));
    EXPECT_TRUE(drops("duünkel", "dunkel"));
    EXPECT_TRUE(drops("duünkel", "dünkel"));
    EXPECT_TRUE(drops("mittäag", "mittag"));  // the umlaut first
    EXPECT_TRUE(drops("äaber", "aber"));      // at the start
    EXPECT_TRUE(drops("alfonsoö", "alfonso"));  // at the end
}

TEST(DoubledUmlaut, OtherDropsAreNot) {
    EXPECT_FALSE(drops("knabben", "knaben"));   // doubled without an umlaut
    EXPECT_FALSE(drops("semblée", "semble"));   // an accent, not an umlaut
    EXPECT_FALSE(drops("häben", "haben"));      // no letter dropped
    EXPECT_FALSE(drops("knaäbben", "knaben"));  // two dropped
    EXPECT_FALSE(drops("aüen", "aen"));          // a pair of different letters
    EXPECT_FALSE(drops("", ""));
    EXPECT_FALSE(drops("ä", ""));
}

}  // namespace

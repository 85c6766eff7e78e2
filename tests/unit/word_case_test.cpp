// The case pattern of words: broken case inside a word, and writing a candidate in the
// original's case.
#include <gtest/gtest.h>

#include "correct/lexical_proposer.h"

using ocrfix::correct::has_broken_case;
using ocrfix::correct::is_camel_case;
using ocrfix::correct::restore_case;

TEST(WordCase, CaseMixedInsideAWordIsBroken) {
    EXPECT_TRUE(has_broken_case("deS"));
    EXPECT_TRUE(has_broken_case("DaS"));
    EXPECT_TRUE(has_broken_case("LoRD"));
    EXPECT_TRUE(has_broken_case("SILVEr"));
    EXPECT_TRUE(has_broken_case("subjeCt"));
    EXPECT_TRUE(has_broken_case("gebieteS"));
}

TEST(WordCase, OrdinaryPatternsAreNotBroken) {
    for (const char* word : {"des", "Das", "LORD", "Lord", "a", "A", "Ämter", "ÜBER"}) EXPECT_FALSE(has_broken_case(word)) << word;
    // Names keep their inner capitals after a prefix or an apostrophe.
    for (const char* word : {"McCaw", "MacMahon", "d'Aurelles", "O'Brien", "l’Empereur", "DAY's"})
        EXPECT_FALSE(has_broken_case(word)) << word;
}

TEST(WordCase, CamelCaseIsTold) {
    for (const char* word : {"YouTube", "PowerPoint", "JavaScript", "SonntagSarbeit"}) EXPECT_TRUE(is_camel_case(word)) << word;
    for (const char* word : {"LoRD", "deS", "DaS", "subjeCt", "SILVEr", "Lord", "LORD", "ABerDeen"})
        EXPECT_FALSE(is_camel_case(word)) << word;
}

TEST(WordCase, CandidatesTakeTheOriginalsCase) {
    EXPECT_EQ(restore_case("tbe", "the"), "the");
    EXPECT_EQ(restore_case("Tbe", "the"), "The");
    EXPECT_EQ(restore_case("TBE", "the"), "THE");
    EXPECT_EQ(restore_case("BV", "by"), "BY");
    // Capitals with one misread small letter are still capitals.
    EXPECT_EQ(restore_case("COUNTnY", "country"), "COUNTRY");
    EXPECT_EQ(restore_case("LoRD", "lord"), "LORD");
    // One capital after the first letter is no capitals word.
    EXPECT_EQ(restore_case("DaS", "das"), "Das");
    EXPECT_EQ(restore_case("deS", "des"), "des");
    // Small capitals as OCR reads them: where the reading is the word itself, its capitals
    // are letters and the word is in capitals. Where the reading changes letters, a capital
    // was a misreading (`GeneraK`). Not the Fraktur `S`, an accented capital or a short word.
    EXPECT_EQ(restore_case("MayoR", "mayor"), "MAYOR");
    EXPECT_EQ(restore_case("ABerDeen", "aberdeen"), "ABERDEEN");
    EXPECT_EQ(restore_case("GeneraK", "general"), "General");
    EXPECT_EQ(restore_case("BaSler", "basler"), "Basler");
    EXPECT_EQ(restore_case("HanoÏ", "hanoï"), "Hanoï");
    EXPECT_EQ(restore_case("GoD", "god"), "God");
    EXPECT_EQ(restore_case("Straße", "strasse"), "Straße");
    // Names keep their inner capital where the candidate keeps the prefix.
    EXPECT_EQ(restore_case("McOrath", "mcgrath"), "McGrath");
    EXPECT_EQ(restore_case("MacMahen", "macmahon"), "MacMahon");
    EXPECT_EQ(restore_case("O'Brlen", "o'brien"), "O'Brien");
    EXPECT_EQ(restore_case("McOrath", "magrath"), "Magrath");
    EXPECT_EQ(restore_case("Mcgrath", "mcgrath"), "Mcgrath");
    EXPECT_EQ(restore_case("MacMahen", "wacmahon"), "Wacmahon");
    EXPECT_EQ(restore_case("L'Acadèmie", "l'académie"), "L'Académie");
    // A possessive is no name: the letter after the apostrophe is a misread s.
    EXPECT_EQ(restore_case("Lord'B", "lord's"), "Lord's");
}

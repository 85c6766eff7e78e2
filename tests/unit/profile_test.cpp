// Transcription profiles and their convention edits: what each profile writes, and that a
// reading of the same text wins over a convention.
#include <gtest/gtest.h>

#include <string>

#include "correct/conventions.h"
#include "correct/decide.h"
#include "correct/profile.h"
#include "ocrfix/error.h"

namespace {

using namespace ocrfix::correct;

std::string written(std::string_view text, std::string_view profile, std::string_view language = "en") {
    std::vector<Scored> none;
    return ocrfix::apply_edits(text, decide(none, convention_edits(text, profile_named(profile), language)));
}

}  // namespace

TEST(Profile, NamesAndErrors) {
    EXPECT_EQ(profiles().front().name, "reader");
    EXPECT_EQ(profile_named("hipe").line_end_hyphens, LineEndHyphens::mark);
    EXPECT_TRUE(profile_named("hipe").join_broken_words);
    EXPECT_FALSE(profile_named("reader").join_broken_words);
    try {
        profile_named("typewriter");
        FAIL() << "no error for an unknown profile";
    } catch (const ocrfix::Error& error) {
        EXPECT_NE(std::string(error.what()).find("reader, hipe"), std::string::npos) << error.what();
    }
}

TEST(Profile, EachWritesItsConventionsAndNothingElse) {
    const std::string text = "the adver-\ntisement l’homme, a well-known road.\n";
    EXPECT_EQ(written(text, "reader"), text);
    EXPECT_EQ(written(text, "hipe"), "the adver¬\ntisement l'homme, a well-known road.\n");
    // No lexicon reads the text: the explicit conventions still apply, the corrective ones not.
    EXPECT_EQ(written("Ein Satz ,\nmit ¬\nund adver-\nwort", "reader", ""), "Ein Satz ,\nmit ¬\nund adver-\nwort");
}

TEST(Profile, AReadingOfTheSameTextWinsOverAConvention) {
    const std::string text = "the adver-\ntisement l’homme";
    Scored reading;
    reading.proposal.begin = text.find("l’homme");
    reading.proposal.end = text.size();
    reading.proposal.replacement = "l’homme";
    reading.source = "lexical";
    reading.value = 1.0;
    reading.scored = true;
    const auto edits = decide({reading}, convention_edits(text, profile_named("hipe"), "en"));
    ASSERT_EQ(edits.size(), 2u);  // the hyphen's mark and the reading; the apostrophe inside the reading yields
    EXPECT_EQ(edits[0].replacement, "¬");
    EXPECT_EQ(edits[1].source, "lexical");
}

// The channel bound on the language model's readings: a reading the OCR could not have
// turned into what was read is never proposed, whatever the model thinks of it.
#include <gtest/gtest.h>

#include "correct/model_proposer.h"

namespace {

using ocrfix::correct::model_reading_allowed;

}  // namespace

TEST(ModelReading, WithinTheChannelBound) {
    EXPECT_TRUE(model_reading_allowed("Govemment", "Government", 7.0));  // rn read as m
    EXPECT_TRUE(model_reading_allowed("tbe", "the", 7.0));
    EXPECT_TRUE(model_reading_allowed("Govemmcnt", "Government", 7.0));  // and c read for e
}

TEST(ModelReading, OutsideTheBoundNeverMade) {
    EXPECT_FALSE(model_reading_allowed("Tjeaclí", "Beagle", 7.0));    // garbled beyond the bound
    EXPECT_FALSE(model_reading_allowed("Govemment", "Government", 0.5));
    EXPECT_FALSE(model_reading_allowed("house", "elephant", 7.0));    // the model's idea, not a misreading
    EXPECT_FALSE(model_reading_allowed("tbe", "", 7.0));             // nothing is no reading
}

TEST(ModelReading, OnlyWordsThatDiffer) {
    EXPECT_FALSE(model_reading_allowed("the", "the", 7.0));
    EXPECT_FALSE(model_reading_allowed("The", "the", 7.0));  // case alone is no reading
    EXPECT_FALSE(model_reading_allowed("tbe", "the,", 7.0)); // a word, not a word and a mark
    EXPECT_FALSE(model_reading_allowed("tbe", "t he", 7.0));
}

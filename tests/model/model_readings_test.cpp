// The language model's own readings (model_proposer.h) on the real default model: every one
// within the channel bound, and the right reading of a misread word among them.
#include <gtest/gtest.h>

#include <algorithm>

#include "correct/language_resources.h"
#include "correct/model_proposer.h"
#include "lexicon/confusion_model.h"
#include "llm/context.h"
#include "model/default_model.h"
#include "text/normalize.h"

namespace {

using namespace ocrfix;

}  // namespace

TEST(ModelReadings, EveryReadingIsWithinTheChannelBound) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = llm::Model::load({path, 0});
    llm::ContextParams params;
    params.context_size = 2048;
    params.sequences = 64;
    params.threads = 2;
    llm::Context context(model, params);
    const auto library = correct::LanguageLibrary::shared();
    const auto* english = library->get("en");
    ASSERT_NE(english, nullptr);
    const std::string text =
        "The Secretary of the Navy said on Tuesday that the new battleship would be launched in May. "
        "The Secretarv told the committee that the battlesbip had cost more than the Navy expected.";
    for (const double bound : {7.0, 3.0}) {
        correct::ModelReadingParams reading_params;
        reading_params.channel_bound = bound;
        const auto readings = correct::propose_model_readings(text, *english->lexicon, context, {}, reading_params);
        for (const auto& p : readings) {
            const std::string original = text.substr(p.begin, p.end - p.begin);
            SCOPED_TRACE(original + " -> " + p.replacement);
            EXPECT_EQ(p.kind, correct::ProposalKind::model);
            EXPECT_TRUE(correct::model_reading_allowed(original, p.replacement, bound));
            EXPECT_LE(p.channel_cost, bound);
        }
        if (bound == 7.0) {
            // The names of the first sentence are what the model copies for the misread ones.
            auto has = [&](const std::string& original, const std::string& reading) {
                return std::any_of(readings.begin(), readings.end(), [&](const correct::Proposal& p) {
                    return text.substr(p.begin, p.end - p.begin) == original && p.replacement == reading;
                });
            };
            EXPECT_TRUE(has("Secretarv", "Secretary") || has("battlesbip", "battleship"));
        }
    }
}

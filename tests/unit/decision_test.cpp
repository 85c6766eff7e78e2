// The verifier's decision rule (src/correct/decision.h): pure arithmetic, no model.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "correct/decision.h"
#include "correct/scoring.h"
#include "correct/rules/registry.h"

namespace {

using ocrfix::correct::DecisionFeatures;
using ocrfix::correct::DecisionModel;
using ocrfix::correct::ProposalKind;

DecisionFeatures typical_non_word() {
    DecisionFeatures f;
    f.channel_cost = 1.0;
    f.log_prior = -8.0;
    f.original_log_frequency = -20.0;
    f.english = true;
    f.plausible = 1;
    return f;
}

}  // namespace

TEST(Decision, MoreLmGainNeverLowersTheMargin) {
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();
    double previous = -1e9;
    for (double gain = -10.0; gain <= 30.0; gain += 0.5) {
        f.gain = gain;
        const double margin = model.margin(f, gain - f.channel_cost);
        EXPECT_GE(margin, previous) << "gain " << gain;
        previous = margin;
    }
    f.gain = 30.0;
    EXPECT_GT(model.margin(f, 29.0), 0.0) << "a huge gain on a clean non-word must pass";
    f.gain = -5.0;
    EXPECT_LT(model.margin(f, -6.0), 0.0) << "an edit the LM dislikes must fail";
}

TEST(Decision, BestCaseBoundsEveryGainTheFilterAssumes) {
    const DecisionModel model;
    for (const auto kind : {ProposalKind::non_word, ProposalKind::real_word, ProposalKind::split}) {
        DecisionFeatures f = typical_non_word();
        f.kind = kind;
        const double bound = model.best_case_log_odds(f);
        for (double gain = -5.0; gain <= model.max_useful_gain; gain += 1.0)
            for (int plausible = 0; plausible <= 3; ++plausible)
                for (int neighbours = 0; neighbours <= 6; neighbours += 2)
                    for (double runner = -20.0; runner <= 20.0; runner += 5.0) {
                        f.gain = gain, f.plausible = plausible, f.neighbours = neighbours, f.runner_margin = runner;
                        EXPECT_LE(model.log_odds(f), bound + 1e-9);
                    }
    }
}

TEST(Decision, RiskierKindsNeedMoreEvidence) {
    const DecisionModel model;
    DecisionFeatures word = typical_non_word();
    word.gain = 12.0;
    DecisionFeatures split = word;
    split.kind = ProposalKind::split;
    DecisionFeatures name = word;
    name.capitalised = true;
    EXPECT_LT(model.log_odds(split), model.log_odds(word));
    EXPECT_LT(model.log_odds(name), model.log_odds(word));
    EXPECT_LT(model.margin(split, 11.0), model.margin(word, 11.0));
}

TEST(Decision, NoisyEnglishTextLowersTheBarForNonWords) {
    // Where many of an English text's words are unknown, a non-word is more likely a
    // misreading: its readings get more log-odds. Not in cleaner text, not for real words,
    // not in other languages.
    const DecisionModel model;
    DecisionFeatures clean = typical_non_word();
    clean.suspect_share = model.noisy_share - 0.05;
    DecisionFeatures noisy = clean;
    noisy.suspect_share = model.noisy_share + 0.05;
    EXPECT_NEAR(model.log_odds(noisy) - model.log_odds(clean), model.noisy_non_word, 1e-9);
    ASSERT_GT(model.noisy_non_word, 0.0);
    DecisionFeatures real_word = noisy;
    real_word.kind = ProposalKind::real_word;
    DecisionFeatures real_word_clean = clean;
    real_word_clean.kind = ProposalKind::real_word;
    EXPECT_DOUBLE_EQ(model.log_odds(real_word), model.log_odds(real_word_clean));
    DecisionFeatures german = noisy;
    german.english = false;
    DecisionFeatures german_clean = clean;
    german_clean.english = false;
    EXPECT_DOUBLE_EQ(model.log_odds(german), model.log_odds(german_clean));
}

TEST(Decision, GermanHasTermsOfItsOwn) {
    // German's verifier is a model of its own, its gains on another scale: its candidates get
    // the German terms (a bias, less for costlier readings), no other language's do.
    const DecisionModel model;
    DecisionFeatures other = typical_non_word();
    other.english = false;
    other.gain = 8.0;
    DecisionFeatures german = other;
    german.german = true;
    for (const double cost : {1.0, 3.5, 6.0}) {
        other.channel_cost = german.channel_cost = cost;
        EXPECT_NEAR(model.log_odds(german) - model.log_odds(other),
                    model.german.bias + model.german.channel_cost * cost, 1e-9);
    }
    ASSERT_GT(model.german.bias, 0.0);
    ASSERT_LT(model.german.channel_cost, 0.0) << "a costlier reading gets less of the bias";
    // The terms count in what is worth scoring as well.
    german.channel_cost = other.channel_cost = 1.0;
    EXPECT_GT(model.best_case_log_odds(german), model.best_case_log_odds(other));
}

TEST(Decision, AGarbledReadingNeedsAFarLargerGainThanAnyOther) {
    // A reading beyond the usual channel bound (the channel walk's, ProposalKind::garbled) gets
    // its own terms: it passes only where the model finds the word far likelier in context.
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();
    f.kind = ProposalKind::garbled;
    f.channel_cost = 8.0;
    f.length = 10;
    DecisionFeatures usual = f;
    usual.kind = ProposalKind::non_word;
    EXPECT_NEAR(model.log_odds(f) - model.log_odds(usual),
                model.garbled.bias + model.garbled.channel_cost * f.channel_cost -
                    (usual.suspect_share >= model.noisy_share ? model.noisy_non_word : 0.0),
                1e-9);
    // Against the usual terms the extra nats cost less each (long words, cheap misreadings),
    // but the bias holds a garbled reading back where the gain is modest.
    ASSERT_LT(model.garbled.bias, 0.0);
    ASSERT_GT(model.garbled.channel_cost, 0.0);
    ASSERT_LT(model.channel_cost + model.garbled.channel_cost, 0.0) << "a costlier reading is still less likely";
    f.gain = 5.0;
    EXPECT_LT(model.margin(f, f.gain - f.channel_cost), 0.0);
    f.gain = 28.0, f.runner_margin = 8.0;
    EXPECT_GT(model.margin(f, f.gain - f.channel_cost), 0.0);
}

TEST(Decision, TypoRescueCoversOnlyAddedLettersInShortEnglishWords) {
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();  // "txt" -> "text": one dropped letter
    f.gain = 6.0, f.channel_cost = 3.0, f.length = 3, f.short_word = true, f.runner_margin = 10.0;
    f.only_adds_letters = true;
    const double score = f.gain - f.channel_cost;
    ASSERT_LT(model.log_odds(f), model.threshold) << "the fit alone would not apply this edit";
    EXPECT_GT(model.margin(f, score), 0.0);
    DecisionFeatures changed = f;  // "heare" -> "here" and the like: no rescue
    changed.only_adds_letters = false;
    EXPECT_LT(model.margin(changed, score), 0.0);
    DecisionFeatures french = f;
    french.english = false;
    EXPECT_LT(model.margin(french, score), 0.0);
    DecisionFeatures name = f;
    name.capitalised = true;
    EXPECT_LT(model.margin(name, score), 0.0);
}

TEST(Decision, KindsThatChangeNoSpellingAreJudgedByTheGainAlone) {
    // Their edits change no word's spelling, so the fitted features (frequencies, channel,
    // capitals) say nothing about them: the LM gain decides, against a bar of its own.
    const DecisionModel model;
    for (const auto& info : ocrfix::correct::proposal_kinds()) {
        if (!info.gain_alone_bar) {
            EXPECT_THROW(model.gain_alone_bar(info.kind), std::bad_optional_access) << info.name;
            continue;
        }
        const ProposalKind kind = info.kind;
        const double bar = model.gain_alone_bar(kind);
        DecisionFeatures f = typical_non_word();
        f.kind = kind;
        f.capitalised = true;
        f.channel_cost = 5.0;
        EXPECT_TRUE(model.worth_scoring(f));
        EXPECT_GT(model.margin(f, bar + 0.1), 0.0);
        EXPECT_LT(model.margin(f, bar - 0.1), 0.0);
    }
}

TEST(Decision, EveryKindHasItsEntryInTheKindsTableInEnumOrder) {
    // A kind added to the enum and not to the table would only fail at run time (kind_info
    // throws), in whichever text first proposes one.
    const auto kinds = ocrfix::correct::proposal_kinds();
    ASSERT_EQ(kinds.size(), static_cast<std::size_t>(ProposalKind::model) + 1);
    for (std::size_t k = 0; k < kinds.size(); ++k) EXPECT_EQ(kinds[k].kind, static_cast<ProposalKind>(k)) << kinds[k].name;
}

// The OCR's confidence (issue 25 item 2): a word the OCR doubted is easier to change than one
// it was sure of, and a text without confidences is decided as before they existed.
TEST(Decision, AConfidentOcrWordNeedsMoreEvidenceThanADoubtedOne) {
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();
    f.gain = 6.0;
    const double without = model.log_odds(f);
    f.ocr_confidence = 0.3;
    const double doubted = model.log_odds(f);
    f.ocr_confidence = 0.96;
    const double sure = model.log_odds(f);
    EXPECT_GT(doubted, sure);
    EXPECT_GT(doubted, without);  // Tesseract's low confidences mark misreadings
    EXPECT_LT(sure, without);     // and its high ones, words to leave alone
    DecisionModel off = model;     // weights at 0: the confidence changes nothing
    off.ocr_confidence_known = off.ocr_confidence = 0.0;
    off.ocr_confidence_known_alone = off.ocr_confidence_alone = 0.0;  // f has no page share
    EXPECT_EQ(off.log_odds(f), [&] { DecisionFeatures g = f; g.ocr_confidence = -1.0; return off.log_odds(g); }());
}

// The page's own cleanliness (DecisionModel::ocr_page_unsure): on a page whose words the OCR
// was nearly all sure of, an unknown word is far more often the page's own spelling than a
// misreading; on a page it doubted, a word it was sure of is still judged by its own
// confidence.
TEST(Decision, APageTheOcrWasSureOfAsksMoreThanOneItDoubted) {
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();
    f.gain = 12.0;
    f.ocr_confidence = 0.92;
    f.unsure_share = 0.0;
    const double clean_page = model.log_odds(f);
    f.unsure_share = 0.15;
    const double degraded_page = model.log_odds(f);
    f.unsure_share = 0.5;
    const double noisy_page = model.log_odds(f);
    EXPECT_LT(clean_page + 1.0, degraded_page);  // at least one log-odds apart
    EXPECT_LT(degraded_page, noisy_page);
    // Under 30% of the page's words unsure, an edit asks one log-odds more: such a page has
    // few errors to fix, and one wrong edit makes it worse.
    f.unsure_share = 0.29;
    const double mostly_clean = model.log_odds(f);
    f.unsure_share = 0.31;
    EXPECT_GT(model.log_odds(f) - mostly_clean, 0.95);
    f.unsure_share = 0.5;
    // A rule's edit, judged by the gain alone, weighs the same terms in nats of gain:
    // `drained Is estimated` on a page the OCR was sure of is the page's own text.
    DecisionFeatures rule = f;
    rule.kind = ProposalKind::small_i;
    rule.english = true;
    rule.unsure_share = 0.0;
    const double sure_margin = model.margin(rule, 8.0);
    rule.unsure_share = 0.5;
    rule.ocr_confidence = 0.4;
    EXPECT_LT(sure_margin + 5.0, model.margin(rule, 8.0));
    rule.ocr_confidence = -1.0;
    EXPECT_DOUBLE_EQ(model.margin(rule, 8.0), 8.0 - model.gain_alone_bar(ProposalKind::small_i));
    f.unsure_share = -1.0;  // a page of too few words: the word's own confidence alone
    EXPECT_DOUBLE_EQ(model.log_odds(f) - model.ocr_terms(f), model.log_odds([&] {
        DecisionFeatures g = f;
        g.ocr_confidence = -1.0;
        return g;
    }()));
    EXPECT_DOUBLE_EQ(model.ocr_terms(f), model.ocr_confidence_known_alone + model.ocr_confidence_alone * 0.92);
    f.unsure_share = 0.5;
    f.ocr_confidence = -1.0;  // the share is the OCR's, so without its confidences it is no evidence
    const double unknown = model.log_odds(f);
    f.unsure_share = -1.0;
    EXPECT_DOUBLE_EQ(model.log_odds(f), unknown);
}

// unsure_share counts the words (and numbers) that carry a confidence, by their least sure
// byte.
TEST(Decision, TheUnsureShareCountsWordsByTheirLeastSureByte) {
    const std::string text = "The Govemment, 1890 and tbe rest";
    std::vector<double> confidences(text.size(), 0.95);
    const auto set = [&](std::string_view word, double value) {
        const std::size_t at = text.find(word);
        std::fill(confidences.begin() + static_cast<std::ptrdiff_t>(at),
                  confidences.begin() + static_cast<std::ptrdiff_t>(at + word.size()), value);
    };
    EXPECT_DOUBLE_EQ(ocrfix::correct::unsure_share(text, confidences, 0.8, 1), 0.0);
    confidences[text.find("Govemment") + 4] = 0.3;  // one byte of a word is enough
    set("tbe", 0.6);
    EXPECT_DOUBLE_EQ(ocrfix::correct::unsure_share(text, confidences, 0.8, 1), 2.0 / 6.0);
    set("rest", -1.0);  // a word without a confidence is not counted
    EXPECT_DOUBLE_EQ(ocrfix::correct::unsure_share(text, confidences, 0.8, 1), 2.0 / 5.0);
    EXPECT_DOUBLE_EQ(ocrfix::correct::unsure_share(text, confidences, 0.8, 6), -1.0);  // too few words to say
    EXPECT_DOUBLE_EQ(ocrfix::correct::unsure_share(text, std::vector<double>(text.size(), -1.0), 0.8, 1), -1.0);
}

TEST(Decision, QuietTextAsksMoreOfAReadingTheCommonConfusionsDoNotMake) {
    const DecisionModel model;
    DecisionFeatures f = typical_non_word();
    f.gain = 12.0;
    f.channel_cost = 3.0;  // a plain substitution: `kitchin` for kitchen
    const double noisy = model.log_odds(f);
    f.quiet = true;
    EXPECT_DOUBLE_EQ(model.log_odds(f), noisy + model.quiet);
    EXPECT_LT(model.quiet, 0.0);
    f.ocr_confidence = 0.9;  // the OCR's own confidence says how clean the page is instead
    const double with_confidence = model.log_odds(f);
    f.quiet = false;
    EXPECT_DOUBLE_EQ(model.log_odds(f), with_confidence);
    f.ocr_confidence = -1.0;
    f.channel_cost = model.quiet_evidence_cost;  // a common confusion is no less likely there
    const double cheap = model.log_odds(f);
    f.quiet = true;
    EXPECT_DOUBLE_EQ(model.log_odds(f), cheap);
}

TEST(Decision, QuietMeansNoCheapNonWordReadingWithinTheWindow) {
    const DecisionModel model;
    auto proposal = [](std::size_t begin, ProposalKind kind, double cost) {
        ocrfix::correct::Proposal p;
        p.begin = begin;
        p.end = begin + 5;
        p.kind = kind;
        p.channel_cost = cost;
        return p;
    };
    const std::size_t w = model.quiet_window;
    const std::vector<ocrfix::correct::Proposal> proposals = {
        proposal(100, ProposalKind::non_word, 3.0),             // 0: its own reading is costly
        proposal(100 + w, ProposalKind::non_word, 1.0),         // 1: cheap: evidence within reach of 0
        proposal(100 + 2 * w + 1, ProposalKind::non_word, 3.0), // 2: one byte beyond 1's reach
        proposal(100 + 4 * w, ProposalKind::real_word, 0.5),    // 3: a real word's reading is no evidence
        proposal(100 + 6 * w, ProposalKind::non_word, 1.0),     // 4: from the rewrite: no evidence
    };
    std::vector<ocrfix::correct::DecisionFeatures> features(proposals.size());
    ocrfix::correct::mark_quiet(proposals, {false, false, false, false, true}, model, features);
    EXPECT_FALSE(features[0].quiet);
    EXPECT_FALSE(features[1].quiet);  // its own reading counts
    EXPECT_TRUE(features[2].quiet);
    EXPECT_TRUE(features[3].quiet);
    EXPECT_TRUE(features[4].quiet);
}

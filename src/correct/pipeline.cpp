#include "correct/pipeline.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_set>

#include "correct/conventions.h"
#include "correct/decide.h"
#include "correct/lexical_proposer.h"
#include "correct/model_proposer.h"
#include "correct/rewrite_proposer.h"
#include "correct/scoring.h"
#include "ocrfix/error.h"

namespace ocrfix::correct {

namespace {

// What the propose stage hands on: every candidate reading and convention edit of the text.
struct Proposals {
    std::vector<Proposal> readings;
    std::vector<bool> from_rewrite;  // by reading: made by the LLM rewrite
    std::vector<ConventionEdit> conventions;
};

// Whether the model scores and the fitted decision judges (balanced and accurate tiers with
// a model); otherwise score_without_model does, which weighs readings of unknown words only.
bool model_decides(const PipelineOptions& options, const llm::Context* context) {
    return options.tier != Tier::fast && context != nullptr;
}

void stop_if_asked(const PipelineOptions& options) {
    if (options.should_stop && options.should_stop()) throw Error(ErrorCategory::runtime, llm::kStoppedMessage);
}

// Readings from the lexicon and the context rules, from the model itself, from the LLM
// rewrite (accurate tier), and the profile's convention edits.
Proposals propose(std::string_view input, const std::string& language, const LanguageResources* resources,
                  llm::Context* context, const PipelineOptions& options) {
    Proposals out;
    out.conventions = convention_edits(input, options.profile, resources ? language : std::string());
    if (!resources) return out;
    const auto reach = model_decides(options, context) ? LexicalProposer::Reach::all : LexicalProposer::Reach::non_words;
    out.readings = LexicalProposer(*resources, reach).propose(input, 3, options.profile.join_broken_words, options.should_stop);
    // A mark a tokeniser set apart (spacing.h) is the tokeniser's, not a speck: no stray-mark
    // reading drops it (`5 fr . le` is no `5 fr le`). A set, not a scan per reading: long texts
    // have tens of thousands of both.
    std::unordered_set<std::size_t> yielding_ends;
    for (const auto& c : out.conventions)
        if (c.yields_to_neighbours) yielding_ends.insert(c.edit.end);
    std::erase_if(out.readings, [&](const Proposal& p) {
        return p.kind == ProposalKind::stray_mark && yielding_ends.count(p.begin) > 0;
    });
    stop_if_asked(options);  // the lexical proposer stops early, with part of the readings
    out.from_rewrite.assign(out.readings.size(), false);
    if (!model_decides(options, context)) return out;
    if (options.model_readings) {
        // A word with a cheap lexical reading (a confusion or two) needs no other, and a
        // reading the lexicon made stays the lexicon's.
        constexpr double kCheapReading = 2.5;  // nats
        std::set<std::tuple<std::size_t, std::size_t, std::string>> known;
        std::vector<std::size_t> settled;
        for (const auto& p : out.readings) {
            known.insert({p.begin, p.end, p.replacement});
            if (p.channel_cost <= kCheapReading) settled.push_back(p.begin);
        }
        for (auto& p : propose_model_readings(input, *resources->lexicon, *context, settled)) {
            if (known.count({p.begin, p.end, p.replacement})) continue;
            out.readings.push_back(std::move(p));
            out.from_rewrite.push_back(false);
        }
    }
    if (options.tier == Tier::accurate)
        for (auto& p : rewrite_proposals(input, *context)) {
            out.readings.push_back(std::move(p));
            out.from_rewrite.push_back(true);
        }
    return out;
}

}  // namespace

Tier parse_tier(std::string_view name) {
    if (name == "fast") return Tier::fast;
    if (name == "balanced") return Tier::balanced;
    if (name == "accurate") return Tier::accurate;
    throw Error(ErrorCategory::invalid_argument, "tier '" + std::string(name) + "' is not one of fast, balanced, accurate");
}

CorrectionResult correct_text(std::string_view input, LanguageLibrary& library, llm::Context* context,
                              const PipelineOptions& options) {
    // Every model call below asks options.should_stop too, so that one long decode stops.
    const llm::StopHook stop_hook(context, options.should_stop);
    // 1. Segment: the text's language and what the lexicon makes of its words.
    const std::string language = options.language == "auto" || options.language.empty()
                                     ? library.detect(input) : options.language;
    TextFacts facts;
    facts.resources = language.empty() ? nullptr : library.get(language);
    facts.english = language == "en";
    facts.german = language == "de";
    if (!options.confidences.empty()) {
        if (options.confidences.size() != input.size())
            throw Error(ErrorCategory::invalid_argument,
                        "confidences: " + std::to_string(options.confidences.size()) + " values for a text of " +
                            std::to_string(input.size()) + " bytes; give one per byte of the text, -1 where none");
        facts.confidences = &options.confidences;
        facts.unsure_share = unsure_share(input, options.confidences, options.decision.ocr_unsure_below,
                                          options.decision.ocr_page_min_words);
    }
    // A pass over every word: only when the model's decision weighs it (the noisy-text step
    // is English only; the fast tier's decision has no use for it) or the tuning log wants it.
    if (facts.resources && ((model_decides(options, context) && (options.decision.suspect_share != 0.0 ||
                                               (options.decision.noisy_non_word != 0.0 && facts.english))) ||
                            options.candidate_log))
        facts.suspect_share = suspect_share(input, *facts.resources->lexicon);
    // 2. Propose.
    stop_if_asked(options);
    const Proposals proposals = propose(input, language, facts.resources, context, options);
    // 3. Score.
    stop_if_asked(options);
    std::vector<Scored> scored;
    if (model_decides(options, context))
        scored = score_proposals(input, proposals.readings, proposals.from_rewrite, facts, *context, options.decision);
    else if (facts.resources)
        scored = score_without_model(proposals.readings, options.fast_margin);
    if (options.candidate_log) options.candidate_log(candidate_log_line(input, language, facts, scored));
    // 4. Decide. 5. Apply.
    stop_if_asked(options);
    CorrectionResult result;
    result.edits = decide(std::move(scored), proposals.conventions);
    result.text = apply_edits(input, result.edits);
    return result;
}

}  // namespace ocrfix::correct

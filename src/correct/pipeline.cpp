#include "correct/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "correct/decision.h"
#include "correct/lexical_proposer.h"
#include "correct/model_proposer.h"
#include "correct/rewrite_proposer.h"
#include "correct/spacing.h"
#include "correct/verifier.h"
#include "lexicon/confusion_model.h"
#include "ocrfix/error.h"
#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

// OCRFIX_STATS=1 prints proposal counts and every scored candidate on stderr (docs/QUALITY.md).
const bool kPrintStats = std::getenv("OCRFIX_STATS") != nullptr;
// OCRFIX_CANDIDATES=FILE appends one JSON line per text with every scored candidate and the
// features the decision could use: the raw material for tuning (docs/QUALITY.md).
const char* const kCandidateLog = std::getenv("OCRFIX_CANDIDATES");

struct Scored {
    Proposal proposal;
    std::string source;
    double score = 0.0;        // LM log-prob gain - channel cost, nats (0 when not scored)
    double value = 0.0;        // the decision margin: log-odds - threshold; > 0 is applied
    double first_score = 0.0;  // `score` in the first pass
    bool scored = false;       // false: skipped, it could not pass whatever the LM said
};

using Slot = std::pair<std::size_t, std::size_t>;

// True when `to` is `from` with one or more letters inserted ("smple" -> "simple").
bool adds_letters_only(std::string_view from, std::string_view to) {
    const std::u32string a = text::to_code_points(from), b = text::to_code_points(to);
    if (a.size() >= b.size()) return false;
    std::size_t matched = 0;
    for (const char32_t c : b)
        if (matched < a.size() && a[matched] == c) ++matched;
        else if (!text::is_letter(c)) return false;
    return matched == a.size();
}

DecisionFeatures features_of(const Proposal& p, std::string_view input, const LanguageResources* resources,
                             bool english, bool from_rewrite, double suspect_share) {
    DecisionFeatures f;
    f.suspect_share = suspect_share;
    const std::string_view original = input.substr(p.begin, p.end - p.begin);
    f.channel_cost = p.channel_cost;
    f.log_prior = p.log_prior;
    f.original_log_frequency = resources ? resources->lexicon->log_frequency(text::fold_for_lookup(original))
                                         : lexicon::Lexicon::kUnknownLogFrequency;
    f.hunspell_accepts_original = resources && resources->lexicon->hunspell_accepts(original);
    f.capitalised = p.capitalised;
    f.english = english;
    const std::u32string points = text::to_code_points(original);
    f.length = static_cast<int>(points.size());
    f.only_adds_letters = adds_letters_only(text::fold_for_lookup(original), text::fold_for_lookup(p.replacement));
    f.short_word = points.size() <= 3;
    f.all_caps = points.size() >= 2 &&
                 std::any_of(points.begin(), points.end(), [](char32_t c) { return text::is_upper(c); }) &&
                 std::none_of(points.begin(), points.end(), [](char32_t c) { return text::is_lower(c); });
    f.kind = p.kind;
    f.from_rewrite = from_rewrite;
    return f;
}

// Rewrite candidates become proposals with a channel cost, so they compete on equal terms.
std::vector<Proposal> rewrite_proposals(std::string_view input, llm::Context& context) {
    std::vector<Proposal> out;
    const auto& channel = lexicon::ConfusionModel::builtin();
    std::size_t start = 0;
    while (start < input.size()) {
        std::size_t end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view line = input.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
            for (const auto& candidate : candidates_from_rewrite(line, rewrite_chunk(context, line))) {
                Proposal proposal;
                proposal.begin = start + candidate.begin;
                proposal.end = start + candidate.end;
                proposal.replacement = candidate.replacement;
                proposal.channel_cost = channel.cost(text::to_code_points(text::fold_for_lookup(
                                                         line.substr(candidate.begin, candidate.end - candidate.begin))),
                                                     text::to_code_points(text::fold_for_lookup(candidate.replacement)));
                if (proposal.channel_cost > 8.0) continue;  // a paraphrase, not a reading
                out.push_back(std::move(proposal));
            }
        }
        start = end + 1;
    }
    return out;
}

// One line of the OCRFIX_CANDIDATES log: the text's size, language and suspect share, then per candidate
// [begin, end, original, replacement, source, LM gain, channel cost, log prior of the
// replacement, log frequency of the original, Hunspell accepts the original, capitalised,
// first-pass score, final score (gain - channel), decision margin (log-odds - threshold)].
// Candidates skipped without the LM are left out.
void log_candidates(std::string_view input, const std::string& language, const LanguageResources* resources,
                    double suspects, const std::vector<Scored>& scored) {
    nlohmann::json line = {{"bytes", input.size()}, {"lang", language}, {"suspects", suspects},
                           {"c", nlohmann::json::array()}};
    for (const auto& item : scored) {
        if (!item.scored) continue;
        const Proposal& p = item.proposal;
        const DecisionFeatures f = features_of(p, input, resources, false, false, suspects);
        line["c"].push_back({p.begin, p.end, input.substr(p.begin, p.end - p.begin), p.replacement, item.source,
                             item.score + p.channel_cost, p.channel_cost, p.log_prior, f.original_log_frequency,
                             f.hunspell_accepts_original, p.capitalised, item.first_score, item.score, item.value});
    }
    std::ofstream(kCandidateLog, std::ios::app) << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                                                << '\n';
}

bool overlaps_any(const std::vector<Edit>& edits, std::size_t begin, std::size_t end) {
    return std::any_of(edits.begin(), edits.end(), [&](const Edit& e) { return begin < e.end && e.begin < end; });
}

bool by_position(const Edit& a, const Edit& b) { return a.begin < b.begin; }

// Adds the `extra` edits that overlap none of `edits`, which stay sorted.
void add_non_overlapping(std::vector<Edit>& edits, std::vector<Edit> extra) {
    for (auto& e : extra)
        if (!overlaps_any(edits, e.begin, e.end)) edits.push_back(std::move(e));
    std::sort(edits.begin(), edits.end(), by_position);
}

// Accepts the best candidate of each slot whose margin + `slack` is positive, then drops
// overlaps, stronger edits first.
std::vector<Edit> decide(std::vector<Scored> scored, double slack = 0.0) {
    std::map<Slot, Scored> best;
    for (auto& item : scored) {
        if (item.value + slack <= 0.0) continue;
        const Slot key{item.proposal.begin, item.proposal.end};
        auto found = best.find(key);
        if (found == best.end() || item.value > found->second.value) best[key] = std::move(item);
    }
    std::vector<Scored> winners;
    for (auto& [key, item] : best) winners.push_back(std::move(item));
    std::sort(winners.begin(), winners.end(), [](const Scored& a, const Scored& b) { return a.value > b.value; });
    std::vector<Edit> edits;
    for (auto& item : winners) {
        if (!overlaps_any(edits, item.proposal.begin, item.proposal.end))
            edits.push_back({item.proposal.begin, item.proposal.end, item.proposal.replacement, item.value, item.source});
    }
    std::sort(edits.begin(), edits.end(), by_position);
    return edits;
}

// Scores every proposal worth it with the LM and sets each one's decision margin, re-scoring
// close calls in later passes.
std::vector<Scored> verify_proposals(std::string_view input, const std::vector<Proposal>& proposals,
                                     const std::vector<bool>& from_rewrite, const LanguageResources* resources,
                                     bool english, double suspects, llm::Context& context, const DecisionModel& model) {
    std::vector<Scored> scored;
    std::vector<DecisionFeatures> features;
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        scored.push_back({proposals[i], std::string(from_rewrite[i] ? "rewrite" : source_of(proposals[i]))});
        features.push_back(features_of(proposals[i], input, resources, english, from_rewrite[i], suspects));
        scored.back().scored = model.worth_scoring(features.back());
    }
    // Scores the items `which` over `text`, whose offsets `shift` maps from the input's.
    auto verify = [&](std::string_view text, const std::vector<std::size_t>& which, auto shift) {
        std::vector<Candidate> candidates;
        for (const std::size_t i : which) {
            const Proposal& p = scored[i].proposal;
            candidates.push_back({shift(p.begin), shift(p.end), p.replacement});
        }
        const auto gains = LmVerifier(context).score(text, candidates);
        for (std::size_t k = 0; k < which.size(); ++k) {
            scored[which[k]].score = gains[k] - scored[which[k]].proposal.channel_cost;
            features[which[k]].gain = gains[k];
        }
    };
    // The slot-level features (the lead over rivals, how many readings the model finds
    // plausible) change with every score, so margins are recomputed from all of them.
    auto update_values = [&] {
        // Candidates the gain alone judges (small_i) are kept apart (DecisionModel::margin):
        // they are neither rivals of a word's readings nor neighbouring evidence of noise.
        std::map<std::pair<Slot, bool>, std::vector<std::size_t>> slots;
        for (std::size_t i = 0; i < scored.size(); ++i)
            if (scored[i].scored)
                slots[{{scored[i].proposal.begin, scored[i].proposal.end}, judged_by_gain_alone(scored[i].proposal.kind)}]
                    .push_back(i);
        std::vector<std::size_t> plausible_slots;  // begin offsets of slots with a plausible reading
        for (const auto& [key, members] : slots)
            if (!key.second &&
                std::any_of(members.begin(), members.end(), [&](std::size_t j) { return scored[j].score > 0.0; }))
                plausible_slots.push_back(key.first.first);
        constexpr std::size_t kNeighbourhood = 40;  // bytes
        for (const auto& [key, members] : slots) {
            const Slot& slot = key.first;
            int neighbours = 0;
            for (const std::size_t begin : plausible_slots)
                if (begin != slot.first && (begin > slot.first ? begin - slot.first : slot.first - begin) < kNeighbourhood)
                    ++neighbours;
            for (const std::size_t i : members) {
                double best_rival = -10.0;
                int plausible = 0;
                for (const std::size_t j : members) {
                    if (scored[j].score > 0.0) ++plausible;
                    if (j != i) best_rival = std::max(best_rival, scored[j].score);
                }
                features[i].runner_margin = scored[i].score - best_rival;
                features[i].plausible = plausible;
                features[i].neighbours = neighbours;
                scored[i].value = model.margin(features[i], scored[i].score);
            }
        }
        for (auto& item : scored)
            if (!item.scored) item.value = -1e9;
    };
    std::vector<std::size_t> first;
    for (std::size_t i = 0; i < scored.size(); ++i)
        if (scored[i].scored) first.push_back(i);
    verify(input, first, [](std::size_t offset) { return offset; });
    for (auto& item : scored) item.first_score = item.score;
    update_values();
    // Later passes: errors hide each other ("a smple txt"), so candidates that came
    // close are scored again in the text with the accepted edits applied and, for
    // their neighbours, the likeliest fix of each other close slot. The close slots
    // take turns (odd and even) so that no slot is scored with its own fix in place.
    // Until nothing changes, at most kPasses.
    constexpr int kPasses = 3;
    constexpr double kRetryWindow = 1.5;  // log-odds below the threshold worth a second look
    for (int pass = 1; pass < kPasses; ++pass) {
        const std::vector<Edit> accepted = decide(scored);
        const std::vector<Edit> provisional = decide(scored, kRetryWindow);
        if (provisional.empty()) break;
        auto overlaps = [](const Proposal& p, const Edit& e) { return p.begin < e.end && e.begin < p.end; };
        std::vector<std::size_t> retry;
        for (std::size_t i = 0; i < scored.size(); ++i) {
            const auto& p = scored[i].proposal;
            const bool settled = std::any_of(accepted.begin(), accepted.end(), [&](const Edit& e) { return overlaps(p, e); });
            if (!settled && scored[i].value > -kRetryWindow && scored[i].value <= 0.0) retry.push_back(i);
        }
        if (retry.empty()) break;
        std::vector<Slot> retry_slots;
        for (const std::size_t i : retry) retry_slots.push_back({scored[i].proposal.begin, scored[i].proposal.end});
        std::sort(retry_slots.begin(), retry_slots.end());
        retry_slots.erase(std::unique(retry_slots.begin(), retry_slots.end()), retry_slots.end());
        auto turn_of = [&](const Proposal& p) {
            return (std::lower_bound(retry_slots.begin(), retry_slots.end(), Slot{p.begin, p.end}) - retry_slots.begin()) % 2;
        };
        std::vector<bool> before;
        for (const auto& item : scored) before.push_back(item.value > 0.0);
        for (int turn = 0; turn < 2; ++turn) {
            std::vector<std::size_t> group;
            for (const std::size_t i : retry)
                if (turn_of(scored[i].proposal) == turn) group.push_back(i);
            if (group.empty()) continue;
            std::vector<Edit> context_edits;
            for (const auto& e : provisional) {
                const bool mine = std::any_of(group.begin(), group.end(),
                                              [&](std::size_t i) { return overlaps(scored[i].proposal, e); });
                if (!mine) context_edits.push_back(e);
            }
            verify(apply_edits(input, context_edits), group, [&](std::size_t offset) {  // input -> edited offsets
                std::ptrdiff_t delta = 0;
                for (const auto& e : context_edits)
                    if (e.end <= offset)
                        delta += static_cast<std::ptrdiff_t>(e.replacement.size()) -
                                 static_cast<std::ptrdiff_t>(e.end - e.begin);
                return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(offset) + delta);
            });
        }
        update_values();
        bool changed = false;
        for (std::size_t i = 0; i < scored.size(); ++i) changed = changed || (scored[i].value > 0.0) != before[i];
        if (!changed) break;
    }
    return scored;
}

// No neural model: the lexicon's prior and the channel decide, and only for non-words with
// one clear winner.
std::vector<Scored> decide_without_model(const std::vector<Proposal>& proposals, double fast_margin) {
    std::vector<Scored> scored;
    std::map<Slot, std::vector<const Proposal*>> slots;
    for (const auto& p : proposals)
        if (p.kind == ProposalKind::non_word && !p.capitalised) slots[{p.begin, p.end}].push_back(&p);
    for (auto& [slot, members] : slots) {
        std::sort(members.begin(), members.end(), [](const Proposal* a, const Proposal* b) {
            return a->log_prior - a->channel_cost > b->log_prior - b->channel_cost;
        });
        const double first = members[0]->log_prior - members[0]->channel_cost;
        const double second = members.size() > 1 ? members[1]->log_prior - members[1]->channel_cost
                                                  : lexicon::Lexicon::kUnknownLogFrequency;
        if (members[0]->channel_cost <= 2.5)
            scored.push_back({*members[0], "lexical", first - second, first - second - fast_margin, 0.0, true});
    }
    return scored;
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
    CorrectionResult result;
    const std::string language = options.language == "auto" || options.language.empty()
                                     ? library.detect(input) : options.language;
    const LanguageResources* resources = language.empty() ? nullptr : library.get(language);
    std::vector<Proposal> proposals;
    std::vector<bool> from_rewrite;
    // Marks a tokeniser set apart go back on their words (spacing.h). Such a mark is the
    // tokeniser's, not a speck: no stray-mark reading drops it (`5 fr . le` is no `5 fr le`).
    const std::vector<Edit> spacing = resources ? token_spacing_edits(input, language) : std::vector<Edit>{};
    if (resources) {
        proposals = LexicalProposer(*resources).propose(input, 3, options.join_broken_words);
        std::erase_if(proposals, [&](const Proposal& p) {
            return p.kind == ProposalKind::stray_mark &&
                   std::any_of(spacing.begin(), spacing.end(), [&](const Edit& e) { return e.end == p.begin; });
        });
        from_rewrite.assign(proposals.size(), false);
    }
    const bool use_model = options.tier != Tier::fast && context != nullptr;
    if (kPrintStats) {
        std::set<std::pair<std::size_t, std::size_t>> slots;
        for (const auto& p : proposals) slots.insert({p.begin, p.end});
        std::fprintf(stderr, "stats: bytes=%zu proposals=%zu slots=%zu lang=%s\n", input.size(), proposals.size(),
                     slots.size(), language.c_str());
    }
    if (use_model && resources && options.model_readings) {
        // A reading the lexicon already proposed for the same word stays the lexicon's.
        // A word with a cheap lexical reading (a confusion or two) needs no other.
        constexpr double kCheapReading = 2.5;  // nats
        std::set<std::tuple<std::size_t, std::size_t, std::string>> known;
        std::vector<std::size_t> settled;
        for (const auto& p : proposals) {
            known.insert({p.begin, p.end, p.replacement});
            if (p.channel_cost <= kCheapReading) settled.push_back(p.begin);
        }
        for (auto& p : propose_model_readings(input, *resources->lexicon, *context, settled)) {
            if (known.count({p.begin, p.end, p.replacement})) continue;
            proposals.push_back(std::move(p));
            from_rewrite.push_back(false);
        }
    }
    if (options.tier == Tier::accurate && context) {
        for (auto& proposal : rewrite_proposals(input, *context)) {
            proposals.push_back(std::move(proposal));
            from_rewrite.push_back(true);
        }
    }
    // A pass over every word: only when the decision weighs it (the noisy-text step is
    // English only) or the tuning log wants it.
    const bool want_suspects = resources && (options.decision.suspect_share != 0.0 ||
                                             (options.decision.noisy_non_word != 0.0 && language == "en") ||
                                             kCandidateLog);
    const double suspects = want_suspects ? suspect_share(input, *resources->lexicon) : 0.0;
    std::vector<Scored> scored;
    if (use_model)
        scored = verify_proposals(input, proposals, from_rewrite, resources, language == "en", suspects, *context,
                                  options.decision);
    else if (resources)
        scored = decide_without_model(proposals, options.fast_margin);
    if (kPrintStats)
        for (const auto& item : scored)
            std::fprintf(stderr, "candidate %zu-%zu '%s' -> '%s' %s score %.2f margin %.2f channel %.2f\n",
                         item.proposal.begin, item.proposal.end,
                         std::string(input.substr(item.proposal.begin, item.proposal.end - item.proposal.begin)).c_str(),
                         item.proposal.replacement.c_str(), item.source.c_str(), item.score, item.value,
                         item.proposal.channel_cost);
    if (kCandidateLog) log_candidates(input, language, resources, suspects, scored);
    result.edits = decide(std::move(scored));
    // The line-end hyphen convention: automatic only for languages ocrfix reads, since it
    // corrects a misreading; an explicit choice applies to every text.
    if (resources || options.line_end_hyphens != LineEndHyphens::automatic)
        add_non_overlapping(result.edits, line_end_hyphen_edits(input, options.line_end_hyphens));
    // The spacing edits, like the hyphens a convention the text itself shows, so no verifier;
    // none beside an accepted edit, which may have read the mark or the space otherwise.
    std::vector<Edit> apart;
    for (const auto& e : spacing)
        if (std::none_of(result.edits.begin(), result.edits.end(),
                         [&](const Edit& a) { return a.begin <= e.end && e.begin <= a.end; }))
            apart.push_back(e);
    add_non_overlapping(result.edits, std::move(apart));
    result.text = apply_edits(input, result.edits);
    return result;
}

}  // namespace ocrfix::correct

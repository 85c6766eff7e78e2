#include "correct/scoring.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "correct/verifier.h"
#include "ocrfix/edit.h"
#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

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

// The OCR's confidence in input[begin, end): its least sure byte that has one; -1 for none.
double confidence_of(const std::vector<double>* confidences, std::size_t begin, std::size_t end) {
    double least = -1.0;
    if (!confidences) return least;
    for (std::size_t i = begin; i < end && i < confidences->size(); ++i)
        if ((*confidences)[i] >= 0.0 && (least < 0.0 || (*confidences)[i] < least)) least = (*confidences)[i];
    return least;
}

DecisionFeatures features_of(const Proposal& p, std::string_view input, const LanguageResources* resources,
                             bool from_rewrite, const TextFacts& facts) {
    DecisionFeatures f;
    f.suspect_share = facts.suspect_share;
    f.ocr_confidence = confidence_of(facts.confidences, p.begin, p.end);
    f.unsure_share = facts.unsure_share;
    const std::string_view original = input.substr(p.begin, p.end - p.begin);
    f.channel_cost = p.channel_cost;
    f.log_prior = p.log_prior;
    f.original_log_frequency = resources ? resources->lexicon->log_frequency(text::fold_for_lookup(original))
                                         : lexicon::Lexicon::kUnknownLogFrequency;
    f.hunspell_accepts_original = resources && resources->lexicon->hunspell_accepts(original);
    f.capitalised = p.capitalised;
    f.english = facts.english;
    f.german = facts.german;
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

}  // namespace

double unsure_share(std::string_view text, const std::vector<double>& confidences, double below, int min_words) {
    int words = 0, unsure = 0;
    for (const auto& token : text::tokenize(text)) {
        if (token.kind != text::TokenKind::word && token.kind != text::TokenKind::number) continue;
        const double confidence = confidence_of(&confidences, token.begin, token.end);
        if (confidence < 0.0) continue;
        ++words;
        if (confidence < below) ++unsure;
    }
    return words == 0 || words < min_words ? -1.0 : static_cast<double>(unsure) / words;
}

void mark_quiet(const std::vector<Proposal>& proposals, const std::vector<bool>& from_rewrite, const DecisionModel& model,
                std::vector<DecisionFeatures>& features) {
    std::vector<std::size_t> evidence;  // where cheap readings begin, sorted
    for (std::size_t i = 0; i < proposals.size(); ++i)
        if (proposals[i].kind == ProposalKind::non_word && !from_rewrite[i] &&
            proposals[i].channel_cost <= model.quiet_evidence_cost)
            evidence.push_back(proposals[i].begin);
    std::sort(evidence.begin(), evidence.end());
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        const std::size_t begin = proposals[i].begin;
        const std::size_t from = begin > model.quiet_window ? begin - model.quiet_window : 0;
        const auto first = std::lower_bound(evidence.begin(), evidence.end(), from);
        features[i].quiet = first == evidence.end() || *first > begin + model.quiet_window;
    }
}

// The candidate log line: the text's size, language and suspect share, then per candidate
// [begin, end, original, replacement, source, LM gain, channel cost, log prior of the
// replacement, log frequency of the original, Hunspell accepts the original, capitalised,
// first-pass score, final score (gain - channel), decision margin (log-odds - threshold), the
// OCR's confidence in the original (-1: none), quiet (DecisionFeatures::quiet)].
// Candidates skipped without the LM are left out.
std::string candidate_log_line(std::string_view input, const std::string& language, const TextFacts& facts,
                               const std::vector<Scored>& scored) {
    const LanguageResources* resources = facts.resources;
    const double suspects = facts.suspect_share;
    nlohmann::json line = {{"bytes", input.size()}, {"lang", language}, {"suspects", suspects},
                           {"c", nlohmann::json::array()}};
    if (facts.unsure_share >= 0.0) line["unsure"] = facts.unsure_share;
    for (const auto& item : scored) {
        if (!item.scored) continue;
        const Proposal& p = item.proposal;
        const DecisionFeatures f = features_of(p, input, resources, false, facts);
        line["c"].push_back({p.begin, p.end, input.substr(p.begin, p.end - p.begin), p.replacement, item.source,
                             item.score + p.channel_cost, p.channel_cost, p.log_prior, f.original_log_frequency,
                             f.hunspell_accepts_original, p.capitalised, item.first_score, item.score, item.value,
                             f.ocr_confidence, item.quiet});
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<Scored> score_proposals(std::string_view input, const std::vector<Proposal>& proposals,
                                    const std::vector<bool>& from_rewrite, const TextFacts& facts,
                                    llm::Context& context, const DecisionModel& model) {
    std::vector<Scored> scored;
    std::vector<DecisionFeatures> features;
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        scored.push_back({proposals[i], std::string(from_rewrite[i] ? "rewrite" : source_of(proposals[i]))});
        features.push_back(features_of(proposals[i], input, facts.resources, from_rewrite[i], facts));
    }
    mark_quiet(proposals, from_rewrite, model, features);
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        scored[i].scored = model.worth_scoring(features[i]);
        scored[i].quiet = features[i].quiet;
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

std::vector<Scored> score_without_model(const std::vector<Proposal>& proposals, double fast_margin) {
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
        if (members[0]->channel_cost <= kFastMaxChannelCost)
            scored.push_back({*members[0], "lexical", first - second, first - second - fast_margin, 0.0, true});
    }
    return scored;
}

}  // namespace ocrfix::correct

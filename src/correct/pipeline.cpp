#include "correct/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "correct/lexical_proposer.h"
#include "correct/rewrite_proposer.h"
#include "correct/verifier.h"
#include "lexicon/confusion_model.h"
#include "ocrfix/error.h"
#include "text/normalize.h"

namespace ocrfix::correct {

namespace {

// OCRFIX_STATS=1 prints proposal counts and every scored candidate on stderr (docs/QUALITY.md).
const bool kPrintStats = std::getenv("OCRFIX_STATS") != nullptr;

struct Scored {
    Proposal proposal;
    std::string source;
    double score = 0.0;   // the decision value
    double needed = 0.0;  // the threshold it must exceed
};

double threshold_for(const Proposal& proposal, const Thresholds& t, bool from_rewrite) {
    double base = from_rewrite ? t.rewrite : t.non_word;
    switch (proposal.kind) {
        case ProposalKind::real_word: base = std::max(base, t.real_word); break;
        case ProposalKind::split:
        case ProposalKind::merge: base = std::max(base, t.split_merge); break;
        default: break;
    }
    return base + (proposal.capitalised ? t.capitalised : 0.0);
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

// Accepts the best candidate of each slot that clears its threshold, then drops overlaps,
// stronger edits first.
std::vector<Edit> decide(std::vector<Scored> scored) {
    std::map<std::pair<std::size_t, std::size_t>, Scored> best;
    for (auto& item : scored) {
        if (item.score <= item.needed) continue;
        const auto key = std::make_pair(item.proposal.begin, item.proposal.end);
        auto found = best.find(key);
        if (found == best.end() || item.score - item.needed > found->second.score - found->second.needed)
            best[key] = std::move(item);
    }
    std::vector<Scored> winners;
    for (auto& [key, item] : best) winners.push_back(std::move(item));
    std::sort(winners.begin(), winners.end(),
              [](const Scored& a, const Scored& b) { return a.score - a.needed > b.score - b.needed; });
    std::vector<Edit> edits;
    for (auto& item : winners) {
        const bool overlaps = std::any_of(edits.begin(), edits.end(), [&](const Edit& e) {
            return item.proposal.begin < e.end && e.begin < item.proposal.end;
        });
        if (!overlaps)
            edits.push_back({item.proposal.begin, item.proposal.end, item.proposal.replacement, item.score, item.source});
    }
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    return edits;
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
    if (resources) {
        proposals = LexicalProposer(*resources).propose(input);
        from_rewrite.assign(proposals.size(), false);
    }
    const bool use_model = options.tier != Tier::fast && context != nullptr;
    if (kPrintStats) {
        std::set<std::pair<std::size_t, std::size_t>> slots;
        for (const auto& p : proposals) slots.insert({p.begin, p.end});
        std::fprintf(stderr, "stats: bytes=%zu proposals=%zu slots=%zu lang=%s\n", input.size(), proposals.size(),
                     slots.size(), language.c_str());
    }
    if (options.tier == Tier::accurate && context) {
        for (auto& proposal : rewrite_proposals(input, *context)) {
            proposals.push_back(std::move(proposal));
            from_rewrite.push_back(true);
        }
    }
    std::vector<Scored> scored;
    if (use_model) {
        const double language_margin = language == "en" ? 0.0 : options.thresholds.other_language;
        // Scores a batch of proposals over `text` (offsets into it); `needed` is the
        // threshold of each proposal's kind.
        auto verify = [&](std::string_view text, const std::vector<Proposal>& batch, const std::vector<bool>& rewrite) {
            std::vector<Candidate> candidates;
            for (const auto& p : batch) candidates.push_back({p.begin, p.end, p.replacement});
            const auto gains = LmVerifier(*context).score(text, candidates);
            std::vector<Scored> out;
            for (std::size_t i = 0; i < batch.size(); ++i)
                out.push_back({batch[i], rewrite[i] ? "rewrite" : to_string(batch[i].kind),
                               gains[i] - batch[i].channel_cost,
                               threshold_for(batch[i], options.thresholds, rewrite[i]) + language_margin});
            return out;
        };
        scored = verify(input, proposals, from_rewrite);
        // A slot whose other readings the model rejects outright has one plausible fix.
        std::map<std::pair<std::size_t, std::size_t>, int> plausible;
        for (const auto& item : scored)
            if (item.score > 0.0) ++plausible[{item.proposal.begin, item.proposal.end}];
        for (auto& item : scored)
            if (plausible[{item.proposal.begin, item.proposal.end}] == 1) item.needed -= options.thresholds.sole_candidate;
        // Later passes: errors hide each other ("a smple txt"), so candidates that came
        // close are scored again in the text with the accepted edits applied, until
        // nothing changes (at most kPasses).
        constexpr int kPasses = 3;
        for (int pass = 1; pass < kPasses; ++pass) {
            const std::vector<Edit> accepted = decide(scored);
            if (accepted.empty()) break;
            std::vector<std::size_t> retry;
            for (std::size_t i = 0; i < scored.size(); ++i) {
                const auto& p = scored[i].proposal;
                const bool overlaps = std::any_of(accepted.begin(), accepted.end(),
                                                  [&](const Edit& e) { return p.begin < e.end && e.begin < p.end; });
                if (!overlaps && scored[i].score > 0.0 && scored[i].score <= scored[i].needed) retry.push_back(i);
            }
            if (retry.empty()) break;
            const std::string corrected = apply_edits(input, accepted);
            auto shift = [&](std::size_t offset) {  // input offset -> corrected-text offset
                std::ptrdiff_t delta = 0;
                for (const auto& e : accepted)
                    if (e.end <= offset)
                        delta += static_cast<std::ptrdiff_t>(e.replacement.size()) -
                                 static_cast<std::ptrdiff_t>(e.end - e.begin);
                return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(offset) + delta);
            };
            std::vector<Proposal> shifted;
            std::vector<bool> shifted_rewrite;
            for (const std::size_t i : retry) {
                Proposal p = scored[i].proposal;
                p.begin = shift(p.begin), p.end = shift(p.end);
                shifted.push_back(std::move(p));
                shifted_rewrite.push_back(scored[i].source == "rewrite");
            }
            const auto rescored = verify(corrected, shifted, shifted_rewrite);
            bool changed = false;
            for (std::size_t k = 0; k < retry.size(); ++k) {
                Scored& item = scored[retry[k]];
                changed = changed || (rescored[k].score > item.needed) != (item.score > item.needed);
                item.score = rescored[k].score;
            }
            if (!changed) break;
        }
    } else if (resources) {
        // No neural model: the lexicon's prior and the channel decide, and only for
        // non-words with one clear winner.
        std::map<std::pair<std::size_t, std::size_t>, std::vector<const Proposal*>> slots;
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
                scored.push_back({*members[0], "lexical", first - second, options.thresholds.fast_margin});
        }
    }
    if (kPrintStats)
        for (const auto& item : scored)
            std::fprintf(stderr, "candidate %zu-%zu '%s' -> '%s' %s score %.2f needed %.2f channel %.2f\n",
                         item.proposal.begin, item.proposal.end,
                         std::string(input.substr(item.proposal.begin, item.proposal.end - item.proposal.begin)).c_str(),
                         item.proposal.replacement.c_str(), item.source.c_str(), item.score, item.needed,
                         item.proposal.channel_cost);
    result.edits = decide(std::move(scored));
    result.text = apply_edits(input, result.edits);
    return result;
}

}  // namespace ocrfix::correct

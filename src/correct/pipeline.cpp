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
    lexicon::ConfusionModel channel;
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
    if (std::getenv("OCRFIX_STATS")) {
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
        std::vector<Candidate> candidates;
        for (const auto& p : proposals) candidates.push_back({p.begin, p.end, p.replacement});
        const auto gains = LmVerifier(*context).score(input, candidates);
        for (std::size_t i = 0; i < proposals.size(); ++i) {
            const double needed = threshold_for(proposals[i], options.thresholds, from_rewrite[i]);
            scored.push_back({proposals[i], from_rewrite[i] ? "rewrite" : to_string(proposals[i].kind),
                              gains[i] - proposals[i].channel_cost, needed});
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
    result.edits = decide(std::move(scored));
    result.text = apply_edits(input, result.edits);
    return result;
}

}  // namespace ocrfix::correct

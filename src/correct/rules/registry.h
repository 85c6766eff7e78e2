// The rule registry: every context rule, listed once (registry.cpp), and every proposal kind
// with its name and acceptance bar. The kind names (to_string), judged_by_gain_alone, the
// bars of DecisionModel::gain_alone_bar and the rule catalogue in docs/QUALITY.md all come
// from here.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "correct/proposal.h"
#include "correct/rules/rule.h"

namespace ocrfix::correct {

struct KindInfo {
    ProposalKind kind;
    std::string_view name;  // the `source` of the edits of its kind that no rule made
    // The bar in nats that the LM gain alone must clear; nullopt: the fitted decision judges
    // the kind (DecisionModel::log_odds).
    std::optional<double> gain_alone_bar;
};

// Every proposal kind, in the enum's order.
std::span<const KindInfo> proposal_kinds();
const KindInfo& kind_info(ProposalKind kind);

// Every context rule, in the order the proposer runs them within a stage.
std::span<const Rule* const> rules();
// nullptr when no rule has that name.
const Rule* find_rule(std::string_view name);

// The languages (with a facts file) a rule runs for, comma-separated.
std::string rule_languages(const Rule& rule);

// The rule catalogue as Markdown: name, languages, kind, bar and examples of every rule.
std::string rule_catalogue_markdown();

}  // namespace ocrfix::correct

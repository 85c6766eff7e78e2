#include "correct/rules/registry.h"

#include <cstdio>
#include <stdexcept>

namespace ocrfix::correct {

// The rules, in the order they run within their stage (the order of their proposals).
// Adding a rule: its file in this folder, and one line here.
#define OCRFIX_RULES(X)     \
    X(stray_mark)           \
    X(sign_for_letter)      \
    X(letter_for_mark)      \
    X(french_il)            \
    X(attached_mark)        \
    X(small_i)              \
    X(small_initial_verb)   \
    X(title)                \
    X(lone_letter_merge)

#define OCRFIX_DECLARE_RULE(rule) const Rule& rule##_rule();
OCRFIX_RULES(OCRFIX_DECLARE_RULE)
#undef OCRFIX_DECLARE_RULE

namespace {

// Judged by the LM gain alone, not by the fitted model, where a bar is given: the fitted
// model's features (frequencies, channel) describe misread words, not case or marks.
constexpr KindInfo kKinds[] = {
    {ProposalKind::non_word, "lexical", std::nullopt},
    {ProposalKind::real_word, "real-word", std::nullopt},
    {ProposalKind::split, "split", std::nullopt},
    {ProposalKind::merge, "merge", std::nullopt},
    {ProposalKind::join, "hyphen-join", std::nullopt},
    {ProposalKind::garbled, "garbled", std::nullopt},
    // A small i read as a capital is fixed when the LM gain clears 4 nats. In the full dev
    // run of 6ca5e2a, each applied alone, 119 such edits helped and 20 hurt (net 99 raw
    // edits); a bar of 3 let in more of both (docs/BENCHMARKS.md).
    {ProposalKind::small_i, "small-i", 4.0},
    // A stray mark between two words is dropped when the LM gain of the text without it
    // clears 2 nats. Replayed on a full dev run's candidates, bars from 0 to 6 moved every
    // figure by at most 0.5 points; which marks are proposed at all matters more (the
    // stray-mark rule).
    {ProposalKind::stray_mark, "stray-mark", 2.0},
    // A one-letter word read as a sign (`1` for I, `&` for a) is fixed when the LM gain
    // clears 4 nats.
    {ProposalKind::sign_for_letter, "sign-for-letter", 4.0},
    // A mark read as a letter or digit (French `!` as `1`): 3 nats. The small model is unsure
    // of French: over the French dev pairs the right readings scored 1.5 to 14 nats (22 of 28
    // above 3), the one amount among the candidates (`sur 1 G pouces`) -4.7; but a number
    // after a word that numbers things scored up to 2.7 (`en classe 1 Les`, `le chapitre I⏎Le`).
    {ProposalKind::letter_for_mark, "letter-for-mark", 3.0},
    // A title before a name read one letter off: 4 nats. The fitted model, which knows short
    // words mostly as misreadings of other short words, rejected these at gains of 7 to 11 nats.
    {ProposalKind::title, "title", 4.0},
    {ProposalKind::model, "model", std::nullopt},
};



std::string format_bar(const KindInfo& kind) {
    if (!kind.gain_alone_bar) return "fitted";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g nats", *kind.gain_alone_bar);
    return buffer;
}

}  // namespace

std::span<const KindInfo> proposal_kinds() { return kKinds; }

const KindInfo& kind_info(ProposalKind kind) {
    for (const KindInfo& info : kKinds)
        if (info.kind == kind) return info;
    throw std::logic_error("a proposal kind missing from the registry");
}

std::span<const Rule* const> rules() {
#define OCRFIX_LIST_RULE(rule) &rule##_rule(),
    static const Rule* const list[] = {OCRFIX_RULES(OCRFIX_LIST_RULE)};
#undef OCRFIX_LIST_RULE
    return list;
}

const Rule* find_rule(std::string_view name) {
    for (const Rule* rule : rules())
        if (rule->name == name) return rule;
    return nullptr;
}

std::string rule_languages(const Rule& rule) {
    std::string languages;
    for (const std::string& language : languages_with_facts())
        if (rule.runs_for(language_facts(language))) languages += (languages.empty() ? "" : ", ") + language;
    return languages;
}

std::string rule_catalogue_markdown() {
    std::string out =
        "| rule | languages | kind | bar | what it reads |\n"
        "|---|---|---|---|---|\n";
    for (const Rule* rule : rules()) {
        const KindInfo& kind = kind_info(rule->kind);
        out += "| `" + std::string(rule->name) + "` | " + rule_languages(*rule) + " | " + std::string(kind.name) + " | " +
               format_bar(kind) + " | " + std::string(rule->summary) + " |\n";
    }
    out += "\nExamples (they are also the rules' tests, tests/model/rule_examples_test.cpp):\n\n";
    out += "| rule | language | text | span | reading |\n|---|---|---|---|---|\n";
    for (const Rule* rule : rules())
        for (const RuleExample& example : rule->examples) {
            out.append("| `").append(rule->name).append("` | ").append(example.language).append(" | `");
            out.append(example.text).append("` | `").append(example.span).append("` | ");
            if (example.reading.empty()) out.append("no reading");
            else out.append("`").append(example.reading).append("`");
            out.append(" |\n");
        }
    return out;
}

bool judged_by_gain_alone(ProposalKind kind) { return kind_info(kind).gain_alone_bar.has_value(); }

const char* to_string(ProposalKind kind) { return kind_info(kind).name.data(); }

std::string_view source_of(const Proposal& proposal) {
    return proposal.source.empty() ? std::string_view(to_string(proposal.kind)) : proposal.source;
}

}  // namespace ocrfix::correct

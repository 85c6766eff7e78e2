// A context rule: one small unit that reads a token in its context and proposes readings of
// a kind (`was In the` -> `was in the`). Each rule lives in its own file in this folder and
// is listed once in registry.cpp; its examples are also its tests (tests/model/rule_examples_test.cpp).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "correct/language_facts.h"
#include "correct/lexical_params.h"
#include "correct/proposal.h"
#include "correct/token_context.h"
#include "lexicon/lexicon.h"
#include "text/normalize.h"

namespace ocrfix::correct {

// A text the rule reads, the span it proposes for (its first occurrence), and the reading
// expected there; an empty reading: the rule proposes nothing for that span.
struct RuleExample {
    std::string_view language;
    std::string_view text;
    std::string_view span;
    std::string_view reading;
};

// When in the proposer's walk over the tokens a rule runs.
enum class RuleStage {
    token,     // every token, before a word's own readings
    word,      // a word (not a piece of one broken at a line end), after its readings
    word_end,  // a word, after the readings of the units it starts (`Mis«`, `for.une`)
};

// What a rule sees: the text, its tokens, the one it reads, and the language.
struct RuleInput {
    std::string_view text;
    const Tokens& tokens;
    std::size_t i;  // the token read
    const lexicon::Lexicon& lexicon;
    const LanguageFacts& facts;
    const LexicalParams& params;
    const std::vector<Proposal>& made;  // the proposals made so far in this text
    // made[recent..] are those made at the last kRecentTokens tokens, this one included: what
    // a rule that looks back should read, so that a text costs time linear in its length.
    std::size_t recent = 0;
    static constexpr std::size_t kRecentTokens = 16;

    std::string_view view(std::size_t k) const { return tokens[k].view(text); }
};

// The proposal that reads token `in.i` as `reading` (a word the lexicon may know): what most
// rules make. The channel cost is 0: these kinds are judged by the LM gain alone.
inline Proposal token_reading(const RuleInput& in, std::string_view reading, ProposalKind kind, std::string_view rule) {
    const auto& token = in.tokens[in.i];
    return {token.begin, token.end, std::string(reading), kind, 0.0,
            in.lexicon.log_frequency(text::fold_for_lookup(reading)), false, rule};
}

struct Rule {
    std::string_view name;     // also the `source` its proposals carry
    std::string_view summary;  // one line, with an example
    ProposalKind kind;         // its acceptance bar is its kind's (registry.h, kind_info)
    RuleStage stage;
    // Whether the rule runs for a language: where the facts it reads exist.
    bool (*runs_for)(const LanguageFacts& facts);
    void (*propose)(const RuleInput& input, std::vector<Proposal>& out);
    std::span<const RuleExample> examples;
};

}  // namespace ocrfix::correct

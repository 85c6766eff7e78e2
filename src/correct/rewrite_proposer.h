// The LLM-rewrite proposer: an instruct model rewrites a chunk, and the rewrite is aligned
// to the input word by word and cut into candidate edits. Nothing here is trusted; every
// candidate still goes through the verifier.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "correct/proposal.h"
#include "correct/verifier.h"
#include "llm/context.h"

namespace ocrfix::correct {

// What the model is asked to rewrite `chunk`: the chat prompt, the draft (the chunk's own
// tokens: a rewrite mostly copies them) and the most tokens the rewrite may take.
struct RewriteRequest {
    std::vector<llm::Token> prompt;
    std::vector<llm::Token> draft;
    int budget = 0;
};
RewriteRequest rewrite_request(const llm::Model& model, std::string_view chunk);

// The model's rewrite of `chunk`: greedy, so deterministic. Decoded token by token
// (generate_greedy): copy-speculative decoding (generate_copying, with rewrite_request's
// draft) changed 16 of 30 long rewrites of dev OCR lines after a near tie and was no faster on
// them (docs/BENCHMARKS.md, "Speed"), so the accurate tier does not use it yet.
std::string rewrite_chunk(llm::Context& context, std::string_view chunk);

// Word-level alignment of `rewrite` against `chunk`: each input word the rewrite replaces
// by one other word becomes a candidate (offsets relative to `chunk`). Insertions and
// deletions are dropped: ocrfix never adds or removes text on the model's say-so.
std::vector<Candidate> candidates_from_rewrite(std::string_view chunk, std::string_view rewrite);

// The rewrite candidates of every line of `input` as proposals with a channel cost, so that
// they compete with the lexicon's on equal terms; paraphrases (channel over 8 nats) dropped.
std::vector<Proposal> rewrite_proposals(std::string_view input, llm::Context& context);

}  // namespace ocrfix::correct

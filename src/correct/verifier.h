// The LM verifier: does a candidate edit make its context more probable under the model?
//
// The text is cut into chunks of a few hundred tokens. Each chunk is decoded once (its
// tokens' log-probs give the original's score), and every candidate is then scored as a
// continuation of the chunk's cached prefix in its own KV-cache sequence, many candidates
// per llama_decode. A candidate's gain is log p(candidate + right context | prefix) -
// log p(original + right context | prefix).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "llm/context.h"

namespace ocrfix::correct {

// One way to fill the slot [begin, end) of a text. `begin` and `end` sit on token
// boundaries of text::tokenize (a word's first byte, a word's last byte + 1).
struct Candidate {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string replacement;
};

class LmVerifier {
public:
    explicit LmVerifier(llm::Context& context) : context_(context) {}

    // For each candidate, the log-prob gain in nats (positive: the model prefers the edit).
    std::vector<double> score(std::string_view text, const std::vector<Candidate>& candidates);

private:
    llm::Context& context_;
};

}  // namespace ocrfix::correct

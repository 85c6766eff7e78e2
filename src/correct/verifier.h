// The LM verifier: does a candidate edit make its context more probable under the model?
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "llm/context.h"

namespace ocrfix::correct {

// One way to fill the slot [begin, end) of a text: the original bytes or a replacement.
struct Candidate {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string replacement;
};

class LmVerifier {
public:
    explicit LmVerifier(llm::Context& context) : context_(context) {}

    // For each candidate over `text`, log p(text with the candidate) - log p(text), in nats,
    // measured over a window of words around it. Candidates sharing a slot share the
    // prefix computation. Positive means the model prefers the edit.
    std::vector<double> score(std::string_view text, const std::vector<Candidate>& candidates);

private:
    llm::Context& context_;
};

}  // namespace ocrfix::correct

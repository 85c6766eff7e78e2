// The decide stage: which scored candidates become edits. A pure function of the scores:
// the best candidate of each slot whose margin is positive, overlaps settled in favour of
// the stronger; then the convention edits (conventions.h) that no accepted reading rules out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "correct/conventions.h"
#include "correct/proposal.h"
#include "ocrfix/edit.h"

namespace ocrfix::correct {

struct Scored {
    Proposal proposal;
    std::string source;
    double score = 0.0;        // LM log-prob gain - channel cost, nats (0 when not scored)
    double value = 0.0;        // the decision margin: log-odds - threshold; > 0 is applied
    double first_score = 0.0;  // `score` in the first pass
    bool scored = false;       // false: skipped, it could not pass whatever the LM said
    bool quiet = false;        // DecisionFeatures::quiet, for the candidate log
};

using Slot = std::pair<std::size_t, std::size_t>;  // [begin, end) bytes of the input

// Accepts the best candidate of each slot whose margin + `slack` is positive, then drops
// overlaps, stronger edits first. Edits come sorted by position.
std::vector<Edit> decide(std::vector<Scored> scored, double slack = 0.0);

// decide(), then the convention edits that overlap no accepted edit (and, where they yield to
// neighbours, touch none): a reading of the same text wins over a convention.
std::vector<Edit> decide(std::vector<Scored> scored, const std::vector<ConventionEdit>& conventions);

}  // namespace ocrfix::correct

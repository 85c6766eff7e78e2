#include "correct/decide.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ocrfix::correct {

namespace {

bool overlaps_any(const std::vector<Edit>& edits, std::size_t begin, std::size_t end) {
    return std::any_of(edits.begin(), edits.end(), [&](const Edit& e) { return begin < e.end && e.begin < end; });
}

// An insertion at the start of a replaced slot goes first, or apply_edits would see it
// begin before the end of the replacement.
bool by_position(const Edit& a, const Edit& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); }

}  // namespace

std::vector<Edit> decide(std::vector<Scored> scored, double slack) {
    std::map<Slot, Scored> best;
    for (auto& item : scored) {
        if (!(item.value + slack > 0.0)) continue;  // a NaN margin is not positive either
        const Slot key{item.proposal.begin, item.proposal.end};
        auto found = best.find(key);
        if (found == best.end() || item.value > found->second.value) best[key] = std::move(item);
    }
    std::vector<Scored> winners;
    for (auto& [key, item] : best) winners.push_back(std::move(item));
    std::sort(winners.begin(), winners.end(), [](const Scored& a, const Scored& b) { return a.value > b.value; });
    std::vector<Edit> edits;
    for (auto& item : winners) {
        if (!overlaps_any(edits, item.proposal.begin, item.proposal.end))
            edits.push_back({item.proposal.begin, item.proposal.end, item.proposal.replacement, item.value, item.source});
    }
    std::sort(edits.begin(), edits.end(), by_position);
    return edits;
}

std::vector<Edit> decide(std::vector<Scored> scored, const std::vector<ConventionEdit>& conventions) {
    const std::vector<Edit> readings = decide(std::move(scored));
    std::vector<Edit> edits = readings;
    for (const auto& convention : conventions) {
        const Edit& c = convention.edit;
        const bool touches_a_reading = std::any_of(readings.begin(), readings.end(), [&](const Edit& e) {
            return e.begin <= c.end && c.begin <= e.end;
        });
        if (overlaps_any(edits, c.begin, c.end) || (convention.yields_to_neighbours && touches_a_reading)) continue;
        edits.push_back(c);
    }
    std::sort(edits.begin(), edits.end(), by_position);
    return edits;
}

}  // namespace ocrfix::correct

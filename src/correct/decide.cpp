#include "correct/decide.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

namespace ocrfix::correct {

namespace {

// The spans of the edits accepted so far, which overlap one another nowhere: whether a new
// span [begin, end) overlaps one (begin < e.end && e.begin < end) is a look at its
// neighbours, not a scan of them all (a megabyte of OCR has a hundred thousand edits).
class AcceptedSpans {
public:
    bool overlaps(std::size_t begin, std::size_t end) const {
        // Of the spans with text, only the last to begin before `end` can reach past `begin`:
        // they are disjoint, so their ends grow with their beginnings.
        if (auto after = replaced_.lower_bound(end); after != replaced_.begin() && std::prev(after)->second > begin)
            return true;
        // An insertion at p overlaps [begin, end) when p lies strictly inside it.
        const auto inserted = insertions_.upper_bound(begin);
        return inserted != insertions_.end() && *inserted < end;
    }
    void add(std::size_t begin, std::size_t end) {
        if (begin == end) insertions_.insert(begin);
        else replaced_.emplace(begin, end);
    }

private:
    std::map<std::size_t, std::size_t> replaced_;  // begin -> end
    std::set<std::size_t> insertions_;
};

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
    AcceptedSpans accepted;
    for (auto& item : winners) {
        if (accepted.overlaps(item.proposal.begin, item.proposal.end)) continue;
        accepted.add(item.proposal.begin, item.proposal.end);
        edits.push_back({item.proposal.begin, item.proposal.end, item.proposal.replacement, item.value, item.source});
    }
    std::sort(edits.begin(), edits.end(), by_position);
    return edits;
}

std::vector<Edit> decide(std::vector<Scored> scored, const std::vector<ConventionEdit>& conventions) {
    const std::vector<Edit> readings = decide(std::move(scored));
    std::vector<Edit> edits = readings;
    AcceptedSpans accepted;
    for (const Edit& e : readings) accepted.add(e.begin, e.end);
    for (const auto& convention : conventions) {
        const Edit& c = convention.edit;
        // The readings are in text order and disjoint, so their ends grow too: the first that
        // ends at or after c's start is the only one that can touch c.
        const auto near = std::lower_bound(readings.begin(), readings.end(), c.begin,
                                           [](const Edit& e, std::size_t at) { return e.end < at; });
        const bool touches_a_reading = near != readings.end() && near->begin <= c.end;
        if (accepted.overlaps(c.begin, c.end) || (convention.yields_to_neighbours && touches_a_reading)) continue;
        accepted.add(c.begin, c.end);
        edits.push_back(c);
    }
    std::sort(edits.begin(), edits.end(), by_position);
    return edits;
}

}  // namespace ocrfix::correct

#include "lexicon/confusion_model.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "lexicon/fnv.h"
#include "text/normalize.h"

namespace ocrfix::lexicon {

const ConfusionModel& ConfusionModel::builtin() {
    static const ConfusionModel model;
    return model;
}

ConfusionModel::ConfusionModel() {
    // OCR reading -> true text, from the confusion tables of the development data
    // (../shared/docs/ERRORS.md §4) and the classic glyph-shape pairs.
    confusions_ = {
        {U"rn", U"m", 1.0},  {U"m", U"rn", 1.2},  {U"in", U"m", 1.3},  {U"ni", U"m", 1.3},  {U"m", U"in", 1.3},
        {U"iu", U"m", 1.5},  {U"cl", U"d", 1.0},  {U"d", U"cl", 1.3},  {U"d", U"il", 1.3},  {U"li", U"h", 1.0},
        {U"h", U"li", 1.3},  {U"lı", U"h", 1.2},  {U"u", U"ll", 1.0},  {U"ll", U"u", 1.5},  {U"ii", U"u", 1.2},
        {U"ii", U"n", 1.5},  {U"iv", U"w", 1.2},  {U"vv", U"w", 1.0},  {U"w", U"vv", 1.5},  {U"rr", U"n", 1.5},
        {U"rr", U"u", 1.5},  {U"ri", U"n", 1.6},  {U"fi", U"h", 1.8},  {U"tl", U"d", 1.8},  {U"lt", U"h", 1.8},
        {U"o", U"e", 1.0},   {U"c", U"e", 1.0},   {U"e", U"c", 1.4},   {U"e", U"o", 1.6},   {U"o", U"c", 1.6},
        {U"u", U"n", 1.0},   {U"n", U"u", 1.0},   {U"n", U"a", 1.6},   {U"u", U"a", 1.6},   {U"a", U"e", 1.8},
        {U"a", U"s", 1.6},   {U"i", U"r", 1.5},   {U"l", U"i", 1.2},   {U"i", U"l", 1.2},   {U"l", U"t", 1.3},
        {U"t", U"l", 1.5},   {U"i", U"t", 1.8},   {U"t", U"i", 1.8},   {U"t", U"f", 1.6},   {U"f", U"t", 1.6},
        {U"b", U"h", 1.0},   {U"h", U"b", 1.4},   {U"b", U"d", 1.6},   {U"v", U"y", 1.5},   {U"j", U"y", 1.6},
        {U"f", U"s", 1.0},   {U"s", U"f", 1.6},   {U"ſ", U"s", 0.2},   {U"k", U"t", 1.8},   {U"r", U"e", 1.8},
        {U"e", U"s", 2.0},   {U"i", U"a", 2.0},   {U"1", U"l", 1.0},   {U"l", U"1", 1.5},   {U"1", U"i", 1.2},
        {U"0", U"o", 1.0},   {U"o", U"0", 1.5},   {U"5", U"s", 1.5},   {U"3", U"s", 1.5},   {U"8", U"s", 1.8},   {U"»", U"s", 1.2},   {U"«", U"s", 1.2},
        {U"»", U"n", 1.8},   {U"«", U"e", 1.8},   {U"ü", U"u", 1.4},   {U"ä", U"a", 1.4},   {U"ö", U"o", 1.4},
        {U"u", U"ü", 1.6},   {U"a", U"ä", 1.6},   {U"o", U"ö", 1.6},   {U"é", U"e", 1.4},   {U"e", U"é", 1.5},
        {U"è", U"e", 1.5},   {U"è", U"é", 1.5},   {U"a", U"à", 1.8},   {U"y", U"v", 1.6},   {U"c", U"o", 1.8},
        {U"g", U"q", 1.8},   {U"q", U"g", 1.8},   {U"x", U"z", 2.0},   {U"ſ", U"f", 1.5},   {U"f", U"ſ", 1.5},
    };
    // Confusions estimated from aligned OCR/ground-truth pairs (scripts/learn_confusions.py)
    // add the misreadings the glyph pairs above miss (`bo` -> `he`, `ii` -> `h`, `l` -> `k`);
    // where both tables hold a pair, the hand-set cost stays. None is cheaper than the
    // cheapest hand-set confusion.
    static const Confusion learned[] = {
#include "lexicon/learned_confusions.inc"
    };
    const std::size_t hand_set = confusions_.size();
    for (const Confusion& confusion : learned) {
        const auto same = [&](const Confusion& c) {
            return c.observed == confusion.observed && c.intended == confusion.intended;
        };
        if (std::none_of(confusions_.begin(), confusions_.begin() + static_cast<std::ptrdiff_t>(hand_set), same))
            confusions_.push_back({confusion.observed, confusion.intended, std::max(confusion.cost, kLearnedFloor)});
    }
    by_first_char_.resize(64);
    by_last_intended_.resize(64);
    intend_several_.resize(64);
    for (std::size_t i = 0; i < confusions_.size(); ++i) {
        by_first_char_[bucket(confusions_[i].observed[0])].push_back(i);
        longest_intended_ = std::max(longest_intended_, confusions_[i].intended.size());
        if (confusions_[i].intended.size() >= 2) intend_several_[bucket(confusions_[i].intended[0])].push_back(i);
        if (confusions_[i].intended.empty()) intend_nothing_.push_back(i);
        else by_last_intended_[bucket(confusions_[i].intended.back())].push_back(i);
    }
}

std::vector<std::u32string> ConfusionModel::undo(std::u32string_view observed, std::size_t limit,
                                                 double max_single_cost) const {
    // Sites where a confusion whose two sides differ in length, or span two characters
    // each, matches the observed text.
    struct Site {
        std::size_t at;
        const Confusion* confusion;
    };
    std::vector<Site> sites;
    for (std::size_t i = 0; i < observed.size(); ++i)
        for (const std::size_t index : by_first_char_[bucket(observed[i])]) {
            const Confusion& c = confusions_[index];
            if (c.observed.size() < 2 && c.intended.size() < 2 && c.cost > max_single_cost) continue;
            if (observed.compare(i, c.observed.size(), c.observed) == 0) sites.push_back({i, &c});
        }
    // Every single and every pair of non-overlapping sites, the likeliest (cheapest) first:
    // a long word has dozens of sites, and `limit` must cut the unlikely combinations, not
    // those that start late in the word (`indopendonoo` needs its 4th and 9th letters undone).
    struct Undo {
        double cost;
        std::size_t first, second;  // indices into sites; second == first for a single site
    };
    std::vector<Undo> undos;
    for (std::size_t a = 0; a < sites.size(); ++a) {
        undos.push_back({sites[a].confusion->cost, a, a});
        for (std::size_t b = a + 1; b < sites.size(); ++b)
            if (sites[b].at >= sites[a].at + sites[a].confusion->observed.size())
                undos.push_back({sites[a].confusion->cost + sites[b].confusion->cost, a, b});
    }
    std::stable_sort(undos.begin(), undos.end(), [](const Undo& x, const Undo& y) { return x.cost < y.cost; });
    auto undo = [](std::u32string text, const Site& site, std::ptrdiff_t shift) {
        return text.replace(static_cast<std::size_t>(static_cast<std::ptrdiff_t>(site.at) + shift),
                            site.confusion->observed.size(), site.confusion->intended);
    };
    std::vector<std::u32string> variants;
    // Hashes of the variants kept: a repeat is found by hash, not by comparing each new
    // variant with all before it (a long word has up to `limit` of them).
    std::vector<std::uint64_t> hashes;
    for (const Undo& u : undos) {
        if (variants.size() >= limit) break;
        std::u32string variant = undo(std::u32string(observed), sites[u.first], 0);
        if (u.second != u.first) {
            // The second site lies after the first, whose rewrite moved it.
            const std::ptrdiff_t shift = static_cast<std::ptrdiff_t>(sites[u.first].confusion->intended.size()) -
                                         static_cast<std::ptrdiff_t>(sites[u.first].confusion->observed.size());
            variant = undo(std::move(variant), sites[u.second], shift);
        }
        if (variant == observed) continue;
        const std::uint64_t h = fnv1a(variant);
        bool repeat = false;
        for (std::size_t k = 0; k < hashes.size() && !repeat; ++k) repeat = hashes[k] == h && variants[k] == variant;
        if (repeat) continue;
        hashes.push_back(h);
        variants.push_back(std::move(variant));
    }
    return variants;
}

bool ConfusionModel::some_reading_within(std::u32string_view observed, double budget,
                                         const std::function<bool(std::string_view)>& accept,
                                         std::size_t max_readings) const {
    // Left to right: at each position the observed character is kept, or a confusion that
    // matches there, within what is left of the budget, is undone. The reading grows and
    // shrinks in one buffer, already in UTF-8: a long word has hundreds of readings.
    struct Walk {
        const ConfusionModel& model;
        std::u32string_view observed;
        const std::function<bool(std::string_view)>& accept;
        std::size_t max_readings;
        std::string reading;
        std::size_t readings = 0;
        bool found = false;

        void from(std::size_t at, double left) {
            if (at == observed.size()) {
                found = ++readings > max_readings || accept(reading);
                return;
            }
            const std::size_t kept = reading.size();
            text::append_utf8(reading, observed[at]);
            from(at + 1, left);
            reading.resize(kept);
            for (const std::size_t index : model.by_first_char_[bucket(observed[at])]) {
                if (found) return;
                const Confusion& c = model.confusions_[index];
                if (c.cost > left || observed.compare(at, c.observed.size(), c.observed) != 0) continue;
                for (const char32_t i : c.intended) text::append_utf8(reading, i);
                from(at + c.observed.size(), left - c.cost);
                reading.resize(kept);
            }
        }
    };
    Walk walk{*this, observed, accept, max_readings, {}, 0, false};
    walk.from(0, budget);
    return walk.found;
}

double ConfusionModel::cost(std::u32string_view observed, std::u32string_view intended) const {
    // The table Columns grows, filled at once: the confusions that match the observed word
    // are found once per word, not once per cell. The lexical proposer weighs a few dozen
    // candidates per word, one after another, with this.
    const std::size_t n = observed.size(), m = intended.size();
    thread_local std::vector<double> table;
    // The confusions whose observed side matches, by where it ends, with what the cell
    // loop reads of each (most intend one character: compared as such).
    struct Match {
        std::size_t end, observed, intended;  // end in `observed`; the sides' lengths
        char32_t last;                        // the intended side's last character
        double cost;
        const Confusion* confusion;
    };
    // Kept for the next call: a word's readings are weighed one after another. With them,
    // for each intended character met so far, the matches that can end a column of it:
    // their intended side ends with it, or is empty (still sorted by their end).
    thread_local std::vector<Match> matches;
    thread_local std::vector<std::pair<char32_t, std::vector<const Match*>>> relevant_to;
    thread_local std::u32string matched;
    thread_local const ConfusionModel* matched_by = nullptr;
    if (matched_by != this || matched != observed) {
        matches.clear();
        for (std::size_t start = 0; start < n; ++start)
            for (const std::size_t index : by_first_char_[bucket(observed[start])]) {
                const Confusion& c = confusions_[index];
                if (observed.compare(start, c.observed.size(), c.observed) == 0)
                    matches.push_back({start + c.observed.size(), c.observed.size(), c.intended.size(),
                                       c.intended.empty() ? U'\0' : c.intended.back(), c.cost, &c});
            }
        std::sort(matches.begin(), matches.end(), [](const Match& x, const Match& y) { return x.end < y.end; });
        matched.assign(observed);
        matched_by = this;
        relevant_to.clear();
    }
    // Every cell is written before it is read (column 0 first, then each column in order).
    table.resize((m + 1) * (n + 1));
    auto cell = [&](std::size_t j, std::size_t i) -> double& { return table[j * (n + 1) + i]; };
    // Column 0 as Columns makes it: nothing intended, every observed character an insertion.
    cell(0, 0) = 0.0;
    for (std::size_t i = 1; i <= n; ++i) cell(0, i) = cell(0, i - 1) + kInsertion;
    for (const std::size_t index : intend_nothing_) {
        const Confusion& c = confusions_[index];
        for (std::size_t i = c.observed.size(); i <= n; ++i)
            if (observed.compare(i - c.observed.size(), c.observed.size(), c.observed) == 0)
                cell(0, i) = std::min(cell(0, i), cell(0, i - c.observed.size()) + c.cost);
    }
    for (std::size_t j = 1; j <= m; ++j) {
        const char32_t wanted = intended[j - 1];
        auto known = std::find_if(relevant_to.begin(), relevant_to.end(), [&](const auto& r) { return r.first == wanted; });
        if (known == relevant_to.end()) {
            std::vector<const Match*> list;
            for (const Match& match : matches)
                if (match.intended == 0 || match.last == wanted) list.push_back(&match);
            relevant_to.emplace_back(wanted, std::move(list));
            known = relevant_to.end() - 1;
        }
        const std::vector<const Match*>& relevant = known->second;
        std::size_t next = 0;  // into relevant
        for (std::size_t i = 0; i <= n; ++i) {
            double best = cell(j - 1, i) + kDeletion;
            if (i > 0) {
                best = std::min(best, cell(j - 1, i - 1) + (observed[i - 1] == wanted ? 0.0 : kSubstitution));
                best = std::min(best, cell(j, i - 1) + kInsertion);
            }
            while (next < relevant.size() && relevant[next]->end < i) ++next;
            for (std::size_t k = next; k < relevant.size() && relevant[k]->end == i; ++k) {
                const Match& match = *relevant[k];
                const std::size_t a = match.observed, b = match.intended;
                if (b == 0) {
                    best = std::min(best, cell(j, i - a) + match.cost);
                    continue;
                }
                if (b > 1 && (b > j || intended.compare(j - b, b, match.confusion->intended) != 0)) continue;
                best = std::min(best, cell(j - b, i - a) + match.cost);
            }
            cell(j, i) = best;
        }
    }
    return cell(m, n);
}

double ConfusionModel::prefix_cost(std::u32string_view observed, std::u32string_view intended_prefix) const {
    Columns columns(*this, std::u32string(observed));
    for (const char32_t c : intended_prefix) columns.push(c);
    return columns.prefix_cost();
}

ConfusionModel::Columns::Columns(const ConfusionModel& model, std::u32string observed)
    : model_(model), observed_(std::move(observed)), ends_(observed_.size() + 1) {
    const std::size_t n = observed_.size();
    // The confusions whose observed side matches, by where it ends: found once per word, so
    // that push() tries only those at each cell, not every confusion of the character's bucket.
    for (std::size_t start = 0; start < n; ++start)
        for (const std::size_t index : model_.by_first_char_[bucket(observed_[start])]) {
            const Confusion& c = model_.confusions_[index];
            if (observed_.compare(start, c.observed.size(), c.observed) == 0) ends_[start + c.observed.size()].push_back(&c);
        }
    // Column 0: nothing intended, so every observed character is an insertion.
    cells_.assign(n + 1, 0.0);
    for (std::size_t i = 1; i <= n; ++i) {
        cells_[i] = cells_[i - 1] + kInsertion;
        for (const Confusion* c : ends_[i])
            if (c->intended.empty()) cells_[i] = std::min(cells_[i], cells_[i - c->observed.size()] + c->cost);
    }
    minima_.push_back(*std::min_element(cells_.begin(), cells_.end()));
}

void ConfusionModel::Columns::push(char32_t intended) {
    intended_.push_back(intended);
    const std::size_t n = observed_.size(), j = intended_.size(), stride = n + 1;
    cells_.resize((j + 1) * stride);
    const double* previous = &cells_[(j - 1) * stride];
    double* column = &cells_[j * stride];
    double least = std::numeric_limits<double>::infinity();
    // The same steps as cost(), in increasing i so that insertions see their cell's left
    // neighbour done.
    for (std::size_t i = 0; i <= n; ++i) {
        double best = previous[i] + kDeletion;
        if (i > 0) {
            best = std::min(best, previous[i - 1] + (observed_[i - 1] == intended ? 0.0 : kSubstitution));
            best = std::min(best, column[i - 1] + kInsertion);
        }
        for (const Confusion* c : ends_[i]) {
            const std::size_t a = c->observed.size(), b = c->intended.size();
            if (b == 0) {
                best = std::min(best, column[i - a] + c->cost);
                continue;
            }
            if (c->intended.back() != intended || b > j || (b > 1 && intended_.compare(j - b, b, c->intended) != 0)) continue;
            best = std::min(best, cells_[(j - b) * stride + i - a] + c->cost);
        }
        column[i] = best;
        least = std::min(least, best);
    }
    minima_.push_back(least);
}

double ConfusionModel::Columns::bound() const {
    // A path through the table crosses column j, or a confusion that intends several
    // characters starts before j and ends after it: then the path left column j - k with the
    // confusion's first k intended characters (the last k pushed) still to read.
    double least = minima_.back();
    const std::size_t j = intended_.size();
    for (std::size_t k = 1; k <= j && k < model_.longest_intended_; ++k)
        for (const std::size_t index : model_.intend_several_[bucket(intended_[j - k])]) {
            const Confusion& c = model_.confusions_[index];
            if (k < c.intended.size() && intended_.compare(j - k, k, c.intended, 0, k) == 0)
                least = std::min(least, minima_[j - k] + c.cost);
        }
    return least;
}

void ConfusionModel::Columns::pop() {
    intended_.pop_back();
    minima_.pop_back();
    cells_.resize((intended_.size() + 1) * (observed_.size() + 1));
}

}  // namespace ocrfix::lexicon

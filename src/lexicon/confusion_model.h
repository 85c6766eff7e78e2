// The OCR channel: how likely an OCR engine is to print `observed` where the page said
// `intended`. A weighted edit distance in which the typical OCR confusions (rn->m, li->h,
// U->ll, c->e, ſ->s, 0<->o, 1<->l, ...) cost much less than arbitrary edits, and a
// multi-character confusion counts as one step.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ocrfix::lexicon {

class ConfusionModel {
    struct Confusion;  // one entry of the table, below

public:
    // The built-in table, with costs in nats (-log probability of the confusion). Immutable
    // and shared: every proposer uses this one instance.
    static const ConfusionModel& builtin();

    // Cost in nats of reading folded `intended` as folded `observed`; 0 when equal.
    double cost(std::u32string_view observed, std::u32string_view intended) const;
    // The least cost of reading `intended_prefix`, the start of a word, as some start of
    // `observed`: a lower bound on cost(observed, w) for every word w that begins so, up to
    // a confusion that straddles the prefix's end. Prunes a search that builds words letter
    // by letter.
    double prefix_cost(std::u32string_view observed, std::u32string_view intended_prefix) const;

    // Readings of `observed` with one or two of its multi-character confusions undone
    // (`tlie` -> `the`, `rnodern` -> `modern`, `rnodem`): the plain edit distance counts
    // each such confusion as two or three edits, so a lexicon lookup within two edits
    // misses words that hold two of them, or one and a plain slip. Each variant is new
    // and differs from `observed`; at most `limit` of them.
    std::vector<std::u32string> undo_multi_character(std::u32string_view observed, std::size_t limit = 64) const {
        return undo(observed, limit, 0.0);
    }
    // The same over the multi-character confusions and the one-letter ones that cost at
    // most `max_single_cost` (`dosortlon` -> `desortlon`, `desertlon`).
    std::vector<std::u32string> undo(std::u32string_view observed, std::size_t limit, double max_single_cost) const;

    // Whether `accept` holds for some reading of `observed` within `budget` nats made of
    // confusions alone: `observed` with non-overlapping confusions undone, at most `budget`
    // in all (the word itself, undone nowhere, included), given to `accept` in UTF-8. Where
    // every plain edit costs more than `budget`, these are all the words w with
    // cost(observed, w) <= budget. Also true when there are more than `max_readings` such
    // readings (the caller must then look the slow way), so that words full of cheap
    // confusions cannot make it slow.
    bool some_reading_within(std::u32string_view observed, double budget,
                             const std::function<bool(std::string_view)>& accept,
                             std::size_t max_readings = 4096) const;

    // The channel table for one observed word, grown one intended character at a time: what
    // a search that builds words letter by letter (a trie walk) needs, without recomputing
    // the table for every word. cost() and prefix_cost() of the characters pushed so far.
    class Columns {
    public:
        Columns(const ConfusionModel& model, std::u32string observed);
        void push(char32_t intended);
        void pop();
        std::size_t size() const { return intended_.size(); }      // characters pushed
        double cost() const { return cells_.back(); }                 // == model.cost(observed, pushed)
        double prefix_cost() const { return minima_.back(); }         // == model.prefix_cost(observed, pushed)
        // A lower bound on cost() after any further pushes, a confusion that straddles the
        // pushed letters' end included (`u` -> `ll` after `l` alone): a walk that prunes on
        // it misses no word within its budget.
        double bound() const;
        const std::u32string& observed() const { return observed_; }

    private:
        const ConfusionModel& model_;
        std::u32string observed_;
        std::u32string intended_;
        // The confusions whose observed side ends at observed[i], by i.
        std::vector<std::vector<const Confusion*>> ends_;
        // cells_[j * (observed.size() + 1) + i]: intended[0, j) read as observed[0, i);
        // minima_[j]: the least of column j.
        std::vector<double> cells_;
        std::vector<double> minima_;
    };

    static constexpr double kSubstitution = 3.5;  // an arbitrary letter for another
    static constexpr double kInsertion = 3.5;     // an extra character in the OCR
    static constexpr double kDeletion = 3.0;      // a character the OCR lost (faint print)
    static constexpr double kLearnedFloor = 1.0;  // the cheapest a learned confusion may be

private:
    ConfusionModel();
    struct Confusion {
        std::u32string observed;
        std::u32string intended;
        double cost;
    };
    std::vector<Confusion> confusions_;
    // Indices into confusions_ by the first observed character, or by the first intended
    // one for confusions that observe nothing; keeps the DP's inner loop short.
    std::vector<std::vector<std::size_t>> by_first_char_;
    // Indices into confusions_ by the last intended character; those that intend nothing apart.
    std::vector<std::vector<std::size_t>> by_last_intended_;
    std::vector<std::size_t> intend_nothing_;
    // The confusions that intend two or more characters (`u` -> `ll`, `m` -> `rn`), by the
    // first intended character.
    std::vector<std::vector<std::size_t>> intend_several_;
    std::size_t longest_intended_ = 0;  // characters
    static std::size_t bucket(char32_t c) { return c % 64; }
};

}  // namespace ocrfix::lexicon

// Candidate lookup by symmetric deletes (the SymSpell method): every lexicon word's prefix
// is indexed under all its deletions up to `max_distance`, so a query finds every word
// within that many edits by looking up its own deletions; no alphabet-wide enumeration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon/lexicon.h"

namespace ocrfix::lexicon {

struct Suggestion {
    std::uint32_t word_id;  // index into Lexicon::words()
    int distance;           // Damerau-Levenshtein distance over code points
};

class SymSpellIndex {
public:
    // Indexes the lexicon's words of at most `max_length` code points.
    explicit SymSpellIndex(const Lexicon& lexicon, int max_distance = 2, int prefix_length = 7, int max_length = 24);

    // Words within `max_distance` edits of the folded `query` (the query itself excluded).
    std::vector<Suggestion> lookup(std::u32string_view query, int max_distance) const;

    std::size_t entry_count() const { return entries_.size(); }

private:
    struct Entry {
        std::uint64_t hash;
        std::uint32_t word_id;
        bool operator<(const Entry& other) const { return hash < other.hash || (hash == other.hash && word_id < other.word_id); }
    };
    const Lexicon& lexicon_;
    std::vector<std::u32string> words_;  // code points of each indexed word (empty when not indexed)
    std::vector<Entry> entries_;            // sorted by hash
    std::vector<std::uint32_t> directory_;  // first entry of each bucket of hashes (top bits)
    int bucket_shift_ = 63;
    int max_distance_;
    int prefix_length_;
};

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
int damerau_distance(std::u32string_view a, std::u32string_view b, int limit);

}  // namespace ocrfix::lexicon

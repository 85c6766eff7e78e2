// Candidate lookup by symmetric deletes (the SymSpell method): every lexicon word's prefix
// is indexed under all its deletions up to `max_distance`, so a query finds every word
// within that many edits by looking up its own deletions; no alphabet-wide enumeration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
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
    // The shape of the index open() keeps: deletions within two edits of each word's first
    // seven code points, words of up to 24 code points.
    static constexpr int kMaxDistance = 2, kPrefixLength = 7, kMaxLength = 24;
    // Indexes the lexicon's words of at most `max_length` code points, in memory.
    explicit SymSpellIndex(const Lexicon& lexicon, int max_distance = kMaxDistance, int prefix_length = kPrefixLength,
                           int max_length = kMaxLength);
    // The same index, mapped from `cache_dir` where an earlier process wrote it for this
    // lexicon (same words in the same order), else built and written there for the next
    // one. Building takes about 0.35 s for English, mapping a few milliseconds. A file
    // that is not a whole index for this lexicon is ignored and replaced; when the
    // directory cannot be written, the index lives in memory only.
    static std::unique_ptr<SymSpellIndex> open(const Lexicon& lexicon, const std::filesystem::path& cache_dir);
    ~SymSpellIndex();
    SymSpellIndex(const SymSpellIndex&) = delete;
    SymSpellIndex& operator=(const SymSpellIndex&) = delete;

    // Words within `max_distance` edits of the folded `query` (the query itself excluded).
    std::vector<Suggestion> lookup(std::u32string_view query, int max_distance) const;

    // The code points of the word with index `id` in Lexicon::words(); empty when the index
    // left it out (longer than it indexes) or has no such word.
    std::u32string_view code_points(std::uint32_t id) const { return id + 1 < offsets_.size() ? word(id) : std::u32string_view(); }

    std::size_t entry_count() const { return entries_.size(); }
    // Whether the index was mapped from a file written earlier.
    bool mapped() const { return mapping_ != nullptr; }

private:
    // One deletion of one word: the 32 bits of the deletion's hash below the bucket's bits
    // (a bucket and 32 more bits tell hashes apart; a rare false match only adds a word that
    // the distance check then weighs), and the word's id with its length in code points in
    // the low 8 bits: most entries are ruled out by the length alone.
    struct Entry {
        std::uint32_t fingerprint;
        std::uint32_t word;
    };
    struct Mapping;
    struct Unfilled {};
    SymSpellIndex(Unfilled, const Lexicon& lexicon, int max_distance, int prefix_length);
    void build(int max_length);
    bool write(const std::filesystem::path& path, std::uint64_t key) const;
    static std::unique_ptr<SymSpellIndex> map(const Lexicon& lexicon, const std::filesystem::path& path, std::uint64_t key);
    std::u32string_view word(std::uint32_t id) const;

    const Lexicon& lexicon_;
    int max_distance_;
    int prefix_length_;
    int bucket_bits_ = 1;
    std::size_t longest_bucket_ = 0;  // entries in the fullest bucket
    // Views of the index: over the vectors below, or over a mapped file.
    std::span<const Entry> entries_;           // sorted by hash, then word
    std::span<const std::uint32_t> directory_;  // first entry of each bucket of hashes (top bits), and the end
    std::span<const std::uint32_t> offsets_;    // each word's first code point in points_, and the end
    std::span<const char32_t> points_;          // the code points of the indexed words, one after another
    // Each word's letters as bits (code point mod 32): an edit flips at most two, so a word
    // whose bits differ from the query's in more than twice the distance is not weighed.
    std::span<const std::uint32_t> signatures_;
    std::vector<Entry> own_entries_;
    std::vector<std::uint32_t> own_directory_, own_offsets_, own_signatures_;
    std::u32string own_points_;
    std::unique_ptr<Mapping> mapping_;
};

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions);
// limit + 1 when over `limit`.
int damerau_distance(std::u32string_view a, std::u32string_view b, int limit);

// The same distance from one query to many words: the query's bit masks are made once and
// each word costs one pass of a few word operations per code point (Hyyrö's bit-parallel
// OSA), for queries up to 64 code points; longer ones take damerau_distance. A lookup
// compares its query with up to a few hundred words.
class QueryDistance {
public:
    explicit QueryDistance(std::u32string_view query);
    int to(std::u32string_view word, int limit) const;

private:
    std::uint64_t mask_of(char32_t c) const;
    std::u32string_view query_;
    std::uint64_t small_[256] = {};  // masks of code points below 256
    // Masks of the query's other code points (at most 64 distinct).
    char32_t other_points_[64] = {};
    std::uint64_t other_masks_[64] = {};
    int others_ = 0;
};

}  // namespace ocrfix::lexicon

#include "lexicon/symspell_index.h"

#include <algorithm>

#include "text/normalize.h"

namespace ocrfix::lexicon {

namespace {

std::uint64_t hash_of(std::u32string_view s) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over code points
    for (const char32_t c : s) {
        h ^= static_cast<std::uint64_t>(c);
        h *= 1099511628211ull;
    }
    return h ^ (s.size() << 56);
}

// Hashes of `word` and of every string made from it by deleting up to `distance` code
// points (each set of positions once), appended to `out` unsorted. `word` is restored.
void add_delete_hashes(std::u32string& word, std::size_t from, int distance, std::vector<std::uint64_t>& out) {
    out.push_back(hash_of(word));
    if (distance == 0) return;
    for (std::size_t i = from; i < word.size(); ++i) {
        const char32_t removed = word[i];
        word.erase(i, 1);
        add_delete_hashes(word, i, distance - 1, out);
        word.insert(i, 1, removed);
    }
}

// The distinct hashes of the deletions of `prefix`, sorted.
void delete_hashes(std::u32string_view prefix, int distance, std::vector<std::uint64_t>& out) {
    out.clear();
    std::u32string word(prefix);
    add_delete_hashes(word, 0, distance, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

int damerau_distance(std::u32string_view a, std::u32string_view b, int limit) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    // Three rows of the table; on the stack for words of ordinary length (this runs for
    // every candidate the index returns).
    constexpr int kStackColumns = 64;
    int stack_rows[3][kStackColumns];
    std::vector<int> heap_rows;
    int* rows[3];
    if (m + 1 <= kStackColumns) {
        for (int r = 0; r < 3; ++r) rows[r] = stack_rows[r];
    } else {
        heap_rows.resize(3 * static_cast<std::size_t>(m + 1));
        for (int r = 0; r < 3; ++r) rows[r] = heap_rows.data() + r * (m + 1);
    }
    int* previous2 = rows[0];
    int* previous = rows[1];
    int* current = rows[2];
    for (int j = 0; j <= m; ++j) previous[j] = j;
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int row_min = current[0];
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], previous2[j - 2] + 1);
            row_min = std::min(row_min, current[j]);
        }
        if (row_min > limit) return limit + 1;
        int* oldest = previous2;
        previous2 = previous;
        previous = current;
        current = oldest;
    }
    return previous[m];
}

SymSpellIndex::SymSpellIndex(const Lexicon& lexicon, int max_distance, int prefix_length, int max_length)
    : lexicon_(lexicon), max_distance_(max_distance), prefix_length_(prefix_length) {
    const auto& words = lexicon.words();
    words_.resize(words.size());
    std::vector<std::uint64_t> hashes;
    for (std::size_t id = 0; id < words.size(); ++id) {
        std::u32string word = text::to_code_points(words[id]);
        if (word.empty() || static_cast<int>(word.size()) > max_length) continue;
        delete_hashes(std::u32string_view(word).substr(0, static_cast<std::size_t>(prefix_length_)), max_distance_, hashes);
        for (const std::uint64_t h : hashes) entries_.push_back({h, static_cast<std::uint32_t>(id)});
        words_[id] = std::move(word);
    }
    std::sort(entries_.begin(), entries_.end());
    // The directory: bucket b (the hash's top bits) holds entries [directory_[b],
    // directory_[b + 1]), about kEntriesPerBucket of them.
    constexpr std::size_t kEntriesPerBucket = 8;
    int bits = 1;
    while (bits < 40 && (std::size_t{1} << bits) * kEntriesPerBucket < entries_.size()) ++bits;
    bucket_shift_ = 64 - bits;
    directory_.assign((std::size_t{1} << bits) + 1, 0);
    std::size_t at = 0;
    for (std::size_t bucket = 0; bucket + 1 < directory_.size(); ++bucket) {
        directory_[bucket] = static_cast<std::uint32_t>(at);
        while (at < entries_.size() && (entries_[at].hash >> bucket_shift_) == bucket) ++at;
    }
    directory_.back() = static_cast<std::uint32_t>(entries_.size());
}

std::vector<Suggestion> SymSpellIndex::lookup(std::u32string_view query, int max_distance) const {
    max_distance = std::min(max_distance, max_distance_);
    std::vector<std::uint64_t> hashes;
    delete_hashes(query.substr(0, static_cast<std::size_t>(prefix_length_)), max_distance, hashes);
    std::vector<std::uint32_t> seen;
    for (const std::uint64_t h : hashes) {
        const std::size_t bucket = h >> bucket_shift_;
        for (std::size_t i = directory_[bucket]; i < directory_[bucket + 1] && entries_[i].hash <= h; ++i)
            if (entries_[i].hash == h) seen.push_back(entries_[i].word_id);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    std::vector<Suggestion> suggestions;
    for (const std::uint32_t id : seen) {
        const std::u32string& word = words_[id];
        if (word == query) continue;
        const int distance = damerau_distance(query, word, max_distance);
        if (distance <= max_distance) suggestions.push_back({id, distance});
    }
    return suggestions;
}

}  // namespace ocrfix::lexicon

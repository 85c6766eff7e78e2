#include "lexicon/symspell_index.h"

#include <algorithm>
#include <unordered_set>

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

void collect_deletes(std::u32string word, int distance, std::unordered_set<std::u32string>& out) {
    if (!out.insert(word).second || distance == 0 || word.empty()) return;
    for (std::size_t i = 0; i < word.size(); ++i) {
        std::u32string shorter = word;
        shorter.erase(i, 1);
        collect_deletes(std::move(shorter), distance - 1, out);
    }
}

}  // namespace

int damerau_distance(std::u32string_view a, std::u32string_view b, int limit) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    std::vector<int> previous2(m + 1), previous(m + 1), current(m + 1);
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
        std::swap(previous2, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

SymSpellIndex::SymSpellIndex(const Lexicon& lexicon, int max_distance, int prefix_length, int max_length)
    : lexicon_(lexicon), max_distance_(max_distance), prefix_length_(prefix_length) {
    const auto& words = lexicon.words();
    words_.resize(words.size());
    std::unordered_set<std::u32string> deletes;
    for (std::size_t id = 0; id < words.size(); ++id) {
        std::u32string word = text::to_code_points(words[id]);
        if (word.empty() || static_cast<int>(word.size()) > max_length) continue;
        deletes.clear();
        collect_deletes(word.substr(0, static_cast<std::size_t>(prefix_length_)), max_distance_, deletes);
        for (const auto& variant : deletes) entries_.push_back({hash_of(variant), static_cast<std::uint32_t>(id)});
        words_[id] = std::move(word);
    }
    std::sort(entries_.begin(), entries_.end());
}

std::vector<Suggestion> SymSpellIndex::lookup(std::u32string_view query, int max_distance) const {
    max_distance = std::min(max_distance, max_distance_);
    std::unordered_set<std::u32string> deletes;
    collect_deletes(std::u32string(query.substr(0, static_cast<std::size_t>(prefix_length_))), max_distance, deletes);
    std::vector<std::uint32_t> seen;
    std::vector<Suggestion> suggestions;
    for (const auto& variant : deletes) {
        const std::uint64_t h = hash_of(variant);
        auto it = std::lower_bound(entries_.begin(), entries_.end(), Entry{h, 0});
        for (; it != entries_.end() && it->hash == h; ++it) seen.push_back(it->word_id);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const std::uint32_t id : seen) {
        const std::u32string& word = words_[id];
        if (word == query) continue;
        const int distance = damerau_distance(query, word, max_distance);
        if (distance <= max_distance) suggestions.push_back({id, distance});
    }
    return suggestions;
}

}  // namespace ocrfix::lexicon

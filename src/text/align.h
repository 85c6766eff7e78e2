// Levenshtein distance and alignment with backtrace, over any sequence (code points,
// words). Unit costs; ties prefer substitution, then deletion, so that an aligned pair of
// words stays a pair.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ocrfix::text {

enum class AlignOp : std::uint8_t { match, substitute, insert, remove };

// One step of an alignment of `a` to `b`: `remove` consumes a[a_index], `insert` consumes
// b[b_index], `match` and `substitute` consume both.
struct AlignStep {
    AlignOp op;
    std::size_t a_index;
    std::size_t b_index;
};

template <class Sequence>
std::size_t levenshtein(const Sequence& a, const Sequence& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

template <class Sequence>
std::vector<AlignStep> align(const Sequence& a, const Sequence& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::uint32_t> cost((n + 1) * (m + 1));
    auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
    for (std::size_t i = 0; i <= n; ++i) cost[at(i, 0)] = static_cast<std::uint32_t>(i);
    for (std::size_t j = 0; j <= m; ++j) cost[at(0, j)] = static_cast<std::uint32_t>(j);
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j)
            cost[at(i, j)] = std::min({cost[at(i - 1, j)] + 1, cost[at(i, j - 1)] + 1,
                                       cost[at(i - 1, j - 1)] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
    std::vector<AlignStep> steps;
    std::size_t i = n, j = m;
    while (i > 0 || j > 0) {
        if (i > 0 && j > 0) {
            const bool same = a[i - 1] == b[j - 1];
            if (cost[at(i, j)] == cost[at(i - 1, j - 1)] + (same ? 0u : 1u)) {
                steps.push_back({same ? AlignOp::match : AlignOp::substitute, i - 1, j - 1});
                --i, --j;
                continue;
            }
        }
        if (i > 0 && cost[at(i, j)] == cost[at(i - 1, j)] + 1) {
            steps.push_back({AlignOp::remove, i - 1, j});
            --i;
        } else {
            steps.push_back({AlignOp::insert, i, j - 1});
            --j;
        }
    }
    std::reverse(steps.begin(), steps.end());
    return steps;
}

}  // namespace ocrfix::text

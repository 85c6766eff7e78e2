#include "lexicon/lexicon_trie.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "text/normalize.h"

namespace ocrfix::lexicon {

LexiconTrie::LexiconTrie(const Lexicon& lexicon) {
    const std::vector<std::string>& words = lexicon.words();
    std::vector<std::u32string> points(words.size());
    for (std::size_t id = 0; id < words.size(); ++id) points[id] = text::to_code_points(words[id]);
    std::vector<std::uint32_t> order(words.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return points[a] < points[b]; });
    // Breadth first: each node stands for the sorted words [lo, hi) that share its prefix of
    // `depth` letters; a word of that length comes first among them and ends at the node.
    struct Pending {
        std::uint32_t node, lo, hi, depth;
    };
    nodes_.push_back({U'\0', 0, 0, kNoWord});
    std::vector<Pending> queue{{0, 0, static_cast<std::uint32_t>(order.size()), 0}};
    for (std::size_t next = 0; next < queue.size(); ++next) {
        const Pending here = queue[next];
        std::uint32_t lo = here.lo;
        if (lo < here.hi && points[order[lo]].size() == here.depth) nodes_[here.node].word = order[lo++];
        // Repeats of a word (none in a word list, but cheap to allow) end at the same node.
        while (lo < here.hi && points[order[lo]].size() == here.depth) ++lo;
        nodes_[here.node].first_child = static_cast<std::uint32_t>(nodes_.size());
        while (lo < here.hi) {
            const char32_t letter = points[order[lo]][here.depth];
            std::uint32_t hi = lo;
            while (hi < here.hi && points[order[hi]][here.depth] == letter) ++hi;
            nodes_.push_back({letter, 0, 0, kNoWord});
            queue.push_back({static_cast<std::uint32_t>(nodes_.size() - 1), lo, hi, here.depth + 1});
            ++nodes_[here.node].children;
            lo = hi;
        }
    }
    nodes_.shrink_to_fit();
}

bool LexiconTrie::within(const ConfusionModel& model, std::u32string_view observed, double budget,
                         std::vector<Reading>& out, std::size_t max_steps) const {
    ConfusionModel::Columns columns(model, std::u32string(observed));
    // Depth first, one frame per letter pushed: the node and which of its children is next.
    struct Frame {
        std::uint32_t node, child;
    };
    std::vector<Frame> stack{{0, 0}};
    std::size_t steps = 0;
    while (!stack.empty()) {
        Frame& top = stack.back();
        const Node& node = nodes_[top.node];
        if (top.child == node.children) {
            stack.pop_back();
            if (!stack.empty()) columns.pop();
            continue;
        }
        const std::uint32_t child = node.first_child + top.child++;
        if (++steps > max_steps) return false;
        columns.push(nodes_[child].letter);
        if (columns.bound() > budget) {
            columns.pop();
            continue;
        }
        if (nodes_[child].word != kNoWord && columns.cost() <= budget) out.push_back({nodes_[child].word, columns.cost()});
        stack.push_back({child, 0});
    }
    return true;
}

}  // namespace ocrfix::lexicon

// Context::beam_search: hypotheses grown token by token after roots of a decoded stream.
// Each hypothesis lives in a KV sequence of its own, copied from its parent's (cells are
// shared, not recomputed), so a step decodes one token per hypothesis.
#include <llama.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "llm/batch.h"
#include "llm/context.h"
#include "ocrfix/error.h"

namespace ocrfix::llm {

namespace {

// log sum over the tokens in `mask` of softmax(row), given the row's log normaliser.
double log_mass(const float* row, const std::vector<char>& mask, double norm) {
    double sum = 0.0;
    const int size = static_cast<int>(mask.size());
    for (int i = 0; i < size; ++i)
        if (mask[static_cast<std::size_t>(i)]) sum += std::exp(static_cast<double>(row[i]) - norm);
    return sum > 0.0 ? std::log(sum) : -1e9;
}

// A hypothesis on its way: where its KV cells are, and what the caller made of it.
struct Live {
    Hypothesis hypothesis;
    Verdict verdict;
    int parent_lane = 0;  // 0: the stream (the hypothesis has one token)
};

}  // namespace

std::vector<Hypothesis> Context::beam_search(const std::vector<Token>& stream, const std::vector<int>& roots,
                                             const BeamParams& params,
                                             const std::function<std::vector<Extension>(const Hypothesis&)>& extensions,
                                             const std::function<Verdict(const Hypothesis&)>& judge) {
    std::vector<Hypothesis> complete;
    const int count = static_cast<int>(stream.size());
    if (roots.empty() || count == 0) return complete;
    // Two banks of lanes: a step's hypotheses in one, their children in the other.
    const int bank = (params_.sequences - 1) / 2;
    if (bank < std::max(1, params.width))
        throw Error(ErrorCategory::invalid_argument, "a beam search of width " + std::to_string(params.width) +
                                                         " needs a context of at least " +
                                                         std::to_string(2 * params.width + 1) + " sequences");
    if (count + params_.batch_size > params_.context_size)
        throw Error(ErrorCategory::runtime, "a search stream of " + std::to_string(count) +
                                                " tokens does not fit the context; raise context_size");
    const int vocab = model_->vocab_size();
    const bool use_ends = params.ends && static_cast<int>(params.ends->size()) == vocab;

    // The children of `parent` (logits `row`) that go on, best ranked first, at most `top`.
    auto children_of = [&](const Hypothesis& parent, const float* row, double norm) {
        std::vector<Live> children;
        if (static_cast<int>(parent.tokens.size()) >= params.depth) return children;
        for (const Extension& extension : extensions(parent)) {
            if (extension.token < 0 || extension.token >= vocab) continue;
            Live child{parent, {}, 0};
            child.hypothesis.tokens.push_back(extension.token);
            child.hypothesis.log_prob += row[extension.token] - norm;
            child.hypothesis.penalty = extension.penalty;
            children.push_back(std::move(child));
        }
        const std::size_t top = std::min(children.size(), static_cast<std::size_t>(std::max(0, params.top)));
        std::partial_sort(children.begin(), children.begin() + static_cast<std::ptrdiff_t>(top), children.end(),
                          [](const Live& a, const Live& b) { return a.hypothesis.rank() > b.hypothesis.rank(); });
        children.resize(top);
        std::vector<Live> kept;
        for (auto& child : children) {
            child.verdict = judge(child.hypothesis);
            const bool grows = child.verdict.extend && static_cast<int>(child.hypothesis.tokens.size()) < params.depth;
            if (grows || child.verdict.complete) kept.push_back(std::move(child));
        }
        return kept;
    };
    // Keeps the `width` best of each root's hypotheses.
    auto prune = [&](std::vector<Live> grown) {
        std::stable_sort(grown.begin(), grown.end(), [](const Live& a, const Live& b) {
            return a.hypothesis.root != b.hypothesis.root ? a.hypothesis.root < b.hypothesis.root
                                                          : a.hypothesis.rank() > b.hypothesis.rank();
        });
        std::vector<Live> kept;
        std::size_t run = 0;
        for (std::size_t i = 0; i < grown.size(); ++i) {
            run = i > 0 && grown[i].hypothesis.root == grown[i - 1].hypothesis.root ? run + 1 : 0;
            if (static_cast<int>(run) < params.width) kept.push_back(std::move(grown[i]));
        }
        return kept;
    };

    // Step one: the stream's own logits at the row before each root.
    std::multimap<int, std::size_t> roots_at_row;
    for (std::size_t r = 0; r < roots.size(); ++r)
        if (roots[r] >= 1 && roots[r] <= count) roots_at_row.emplace(roots[r] - 1, r);
    clear();
    std::vector<Live> first;
    for (int start = 0; start < count; start += params_.batch_size) {
        const int chunk = std::min(params_.batch_size, count - start);
        Batch batch(chunk);
        for (int i = 0; i < chunk; ++i) batch.add(stream[start + i], start + i, 0, roots_at_row.count(start + i) > 0);
        submit(batch);
        for (int i = 0; i < chunk; ++i) {
            const auto [from, to] = roots_at_row.equal_range(start + i);
            if (from == to) continue;
            const float* row = logits(i);
            const double norm = log_sum_exp(row, vocab);
            for (auto it = from; it != to; ++it)
                for (auto& child : children_of(Hypothesis{it->second, {}, 0.0, 0.0}, row, norm))
                    first.push_back(std::move(child));
        }
    }
    first = prune(std::move(first));

    // Later steps, a group of roots at a time so that a step's hypotheses fit one bank.
    llama_memory_t memory = llama_get_memory(context_);
    const std::size_t roots_per_group = static_cast<std::size_t>(std::max(1, bank / std::max(1, params.width)));
    for (std::size_t begin = 0; begin < first.size();) {
        std::size_t end = begin, group_roots = 0;
        for (; end < first.size(); ++end) {
            const bool new_root = end == begin || first[end].hypothesis.root != first[end - 1].hypothesis.root;
            if (new_root && group_roots == roots_per_group) break;
            if (new_root) ++group_roots;
        }
        std::vector<Live> frontier(std::make_move_iterator(first.begin() + static_cast<std::ptrdiff_t>(begin)),
                                   std::make_move_iterator(first.begin() + static_cast<std::ptrdiff_t>(end)));
        begin = end;
        int lane_base = 1;  // this step's bank: lanes [lane_base, lane_base + bank)
        while (!frontier.empty()) {
            Batch batch(static_cast<int>(frontier.size()), params_.sequences);
            for (std::size_t k = 0; k < frontier.size(); ++k) {
                const Hypothesis& h = frontier[k].hypothesis;
                const int lane = lane_base + static_cast<int>(k);
                const int prefix = roots[h.root];
                if (frontier[k].parent_lane == 0) llama_memory_seq_cp(memory, 0, lane, 0, prefix);
                else llama_memory_seq_cp(memory, frontier[k].parent_lane, lane, -1, -1);
                batch.add(h.tokens.back(), prefix + static_cast<int>(h.tokens.size()) - 1, lane, true);
            }
            submit(batch);
            // The parents' lanes are done with once their children are decoded.
            const int other = lane_base == 1 ? 1 + bank : 1;
            for (int lane = other; lane < other + bank; ++lane) llama_memory_seq_rm(memory, lane, -1, -1);
            std::vector<Live> grown;
            for (std::size_t k = 0; k < frontier.size(); ++k) {
                const float* row = logits(static_cast<int>(k));
                const double norm = log_sum_exp(row, vocab);
                const Live& live = frontier[k];
                if (live.verdict.complete) {
                    Hypothesis done = live.hypothesis;
                    if (use_ends) done.log_prob += log_mass(row, *params.ends, norm);
                    complete.push_back(std::move(done));
                }
                if (!live.verdict.extend) continue;
                for (auto& child : children_of(live.hypothesis, row, norm)) {
                    child.parent_lane = lane_base + static_cast<int>(k);
                    grown.push_back(std::move(child));
                }
            }
            frontier = prune(std::move(grown));
            lane_base = other;
        }
        for (int lane = 1; lane < 1 + 2 * bank; ++lane) llama_memory_seq_rm(memory, lane, -1, -1);
    }
    return complete;
}

}  // namespace ocrfix::llm

// lexicon::LexiconTrie: a lexicon's words as a trie of code points, walked under the OCR
// channel. Where the SymSpell index finds the words within two plain edits of a word, the
// walk finds every word the channel reads it as within a cost budget, however many cheap
// misreadings that takes (`dofoudeiit` -> `defendant`: o->e twice, u->n, ii->a, 7.3 nats).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lexicon/confusion_model.h"
#include "lexicon/lexicon.h"

namespace ocrfix::lexicon {

class LexiconTrie {
public:
    // The lexicon's words (folded, as Lexicon::words() holds them). A few tens of
    // milliseconds for 100,000 words; about 16 bytes a node.
    explicit LexiconTrie(const Lexicon& lexicon);

    struct Reading {
        std::uint32_t word_id;  // into Lexicon::words()
        double cost;            // ConfusionModel::cost(observed, the word)
    };
    // Appends to `out` every word w with model.cost(observed, w) <= budget, in trie order.
    // The walk prunes a branch as soon as its prefix costs more than the budget
    // (ConfusionModel::Columns::bound), and stops after `max_steps` letters pushed:
    // false then, with the words found so far (a word full of cheap confusions can open
    // many branches).
    bool within(const ConfusionModel& model, std::u32string_view observed, double budget,
                std::vector<Reading>& out, std::size_t max_steps) const;

    std::size_t nodes() const { return nodes_.size(); }

private:
    struct Node {
        char32_t letter;
        std::uint32_t first_child;   // children are nodes_[first_child, first_child + children)
        std::uint32_t children;
        std::uint32_t word;          // word id ending here, or kNoWord
    };
    static constexpr std::uint32_t kNoWord = 0xffffffffu;
    std::vector<Node> nodes_;  // nodes_[0] is the root; breadth first
};

}  // namespace ocrfix::lexicon

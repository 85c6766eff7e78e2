// The tuned numbers of the lexical proposer and its context rules, each with how it was
// chosen (a few small word-length limits still sit beside the code they shape). The figures come from runs on the development set
// (../shared/data/ocr-pairs/dev): `ocrfix eval` runs, and replays of their candidate logs
// (docs/QUALITY.md, docs/BENCHMARKS.md). The acceptance bars of the rules the LM gain alone
// judges sit with their kinds in the rule registry (rules/registry.cpp).
#pragma once

#include <cstddef>

namespace ocrfix::correct {

// Real-word twins: readings of a word the lexicon lists (`tho` -> `the`). A twin must be
// common (Zipf >= 4.5, LexicalParams::real_word_max_centibels), far more frequent than the
// word, and a cheap misreading of it.
struct RealWordTwins {
    std::size_t max_length;   // letters of the listed word
    int min_ratio_centibels;  // the twin is 10^(this/100) times as frequent as the word, or more
    double max_channel_cost;
};

struct LexicalParams {
    double max_channel_cost = 6.0;  // nats; beyond this a candidate is a guess, not a reading
    int real_word_max_centibels = 450;
    // Wide (LanguageFacts::wide_real_word_twins, English): up to 7 letters, 3.2x, 2.5 nats
    // (`hero` -> `here`, `milo` -> `mile`, `groat` -> `great`). Narrow (French, German): short
    // words, 30x, 2 nats. On the dev set the wider rule gained in every English source with
    // no more records harmed; in French and German it gained at most 0.1 points and harmed
    // 10 more records (`font` -> `sont`, `feinen` -> `seinen`: f/long-s).
    RealWordTwins wide_twins{7, 50, 2.5};
    RealWordTwins narrow_twins{4, 150, 2.0};
    int split_part_max_centibels = 550;  // each half of a split must be a common word
    int joined_max_centibels = 600;      // a joined or recased reading must be this common (Zipf 3)
    // Channel costs of readings that are no misread letters, in nats: a split of a run-together
    // pair, a merge of a word broken by a space, a join of one broken by a mid-line hyphen.
    double split_cost = 2.0;
    double merge_cost = 1.5;
    double join_cost = 1.0;
    // Rank by frequency and plain distance first; the weighted channel is costlier, so it
    // sees only the likeliest `shortlist`.
    std::size_t shortlist = 40;
    double shortlist_distance_weight = 2.0;  // nats of log frequency an edit of distance costs
    std::size_t max_word_length = 24;        // code points; longer words get no readings
    // The deeper lookup for garbled words (word_readings.cpp): a word of at least
    // `deep_min_length` letters whose cheapest reading costs more than
    // `deep_when_cheapest_above` nats gets every lexicon word within a channel budget
    // (lexicon::LexiconTrie::within): those within max_channel_cost as any reading, and the
    // `garbled_readings` likeliest of those beyond it, up to `garbled_cost_per_letter` nats a
    // letter and `garbled_max_cost` in all, as ProposalKind::garbled (judged by the decision
    // with terms of their own, DecisionModel::garbled). At most `deep_max_steps` letters are
    // pushed on the walk. Budgets from the words garbled by three or more edits that a full
    // dev run left (bench/results/9030a4a.json): of 642 English ones of five letters or
    // more, 267 are within min(12, 1.2 per letter) of their ground truth's word, 166 within
    // min(10, 1 per letter), 122 within min(8, 1 per letter); the walk took 10.8, 6.5 and
    // 4.1 ms a word (German at the first budget 23 ms) on an AMD EPYC core.
    std::size_t deep_min_length = 5;
    double deep_when_cheapest_above = 2.5;
    double garbled_cost_per_letter = 1.2;
    double garbled_max_cost = 12.0;
    std::size_t garbled_readings = 3;
    std::size_t deep_max_steps = 200000;
    // A text in early modern spelling: at least `old_spelling_min_words` of its words, and
    // `old_spelling_min_percent` % of them, are a common word with a final e added (`worke`:
    // the stem within Zipf 4, `old_final_e_stem_max_centibels`). On the English dev pairs such
    // texts had 4 to 17 of these words, the others none to 2.
    int old_spelling_min_words = 3;
    int old_spelling_min_percent = 1;
    int old_final_e_stem_max_centibels = 500;
    // The title rule: the word read off a title is no common word (Zipf below 5: not `My`, `De`).
    int title_lookalike_max_centibels = 400;
    // Stray marks: at most this many marks standing alone between two words.
    std::size_t max_stray_marks = 3;
    // Lone-letter merges: at most this many pieces joined (`n a h m` -> `nahm`).
    std::size_t max_merged_pieces = 4;
    // A quote is quoting, not a speck, when another quote opens or closes a word within this
    // many bytes on its line.
    std::size_t quote_reach = 40;
};

// The parameters the proposer runs with.
inline const LexicalParams& lexical_params() {
    static const LexicalParams params;
    return params;
}

}  // namespace ocrfix::correct

// lexicon::Lexicon: the words of one language with their frequencies (wordfreq), plus a
// Hunspell dictionary for validity. Immutable after loading; safe to share across threads
// (Hunspell, which is not, is called under a lock).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ocrfix::lexicon {

class Lexicon {
public:
    // Loads <lexicon_dir>/<language>.tsv (word TAB centibels) and, when present,
    // /usr/share/hunspell/<dictionary>.{aff,dic}. Throws ocrfix::Error(model_not_found)
    // when the word list is missing, saying how to install it.
    static std::shared_ptr<const Lexicon> load(const std::string& language,
                                               const std::filesystem::path& lexicon_dir);
    ~Lexicon();

    const std::string& language() const { return language_; }

    // Frequency of a folded word (text::fold_for_lookup) in centibels below 1: smaller is
    // more frequent (100 = 1 in 10). nullopt when the word is not in the list.
    std::optional<int> centibels(std::string_view folded) const;
    // Index of a folded word in words(); nullopt when the word is not in the list.
    std::optional<std::uint32_t> id_of(std::string_view folded) const;
    // Natural-log probability of the word; a floor for unknown words.
    double log_frequency(std::string_view folded) const;
    // The same for the word with index `id` in words(), with no hash lookup.
    int centibels_of(std::uint32_t id) const { return centibels_[id]; }
    double log_frequency_of(std::uint32_t id) const { return -(centibels_[id] / 100.0) * kLn10; }

    // True when Hunspell accepts the word, or the word list has it at least as often as
    // once in 300,000 words. Web-scale lists also hold OCR debris ("tbe", "ths") in their
    // tail, so a rare listed word is not evidence that a word is right.
    bool is_known(std::string_view word) const;
    static constexpr int kKnownMaxCentibels = 550;
    bool hunspell_accepts(std::string_view word) const;

    // Words in frequency order (most frequent first), folded.
    const std::vector<std::string>& words() const { return words_; }

    static constexpr double kUnknownLogFrequency = -20.0;
    static constexpr double kLn10 = 2.302585092994045684;

private:
    Lexicon() = default;
    struct Hunspell;
    std::string language_;
    std::vector<std::string> words_;
    // Word ids by hash, open addressing with linear probing (kNoWord where empty): one or two
    // cache lines per lookup, and a quarter of the memory of a node-based map.
    std::vector<std::uint32_t> slots_;
    static constexpr std::uint32_t kNoWord = 0xffffffffu;
    std::vector<int> centibels_;  // by word id
    std::unique_ptr<Hunspell> hunspell_;
};

// Where ocrfix_setup.py installs the lexicons: <ocrfix home>/lexicons/wordfreq-3.1.1.
std::filesystem::path default_lexicon_dir();
// Languages with a lexicon in `dir`.
std::vector<std::string> available_languages(const std::filesystem::path& dir);

}  // namespace ocrfix::lexicon

// Per-language data the proposers need (lexicon + candidate index), loaded on first use
// and shared by every Engine and thread of the process.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "correct/proposal.h"
#include "lexicon/lexicon.h"
#include "lexicon/lexicon_trie.h"
#include "lexicon/symspell_index.h"

namespace ocrfix::correct {

// The lexical proposer's readings of words as written, kept for the next time the word
// comes: OCR repeats its misreadings, and the readings of a garbled word take up to a few
// milliseconds to find (docs/BENCHMARKS.md, "Proposer speed"). Thread-safe; when full it
// starts again empty.
class ReadingCache {
public:
    std::optional<std::vector<Proposal>> find(const std::string& key) const;
    void store(std::string key, std::vector<Proposal> readings) const;

private:
    static constexpr std::size_t kCapacity = std::size_t{1} << 16;  // words, a few MiB
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, std::vector<Proposal>> readings_;
};

struct LanguageResources {
    std::shared_ptr<const lexicon::Lexicon> lexicon;
    std::unique_ptr<lexicon::SymSpellIndex> index;
    ReadingCache readings;
    // The lexicon as a trie, for the channel walk of garbled words (word_readings.cpp). Built
    // on first use, once (0.05 to 0.2 s, 3 to 8 MiB): a text without garbled words needs none.
    const lexicon::LexiconTrie& trie() const;

private:
    mutable std::once_flag trie_built_;
    mutable std::unique_ptr<const lexicon::LexiconTrie> trie_;
};

class LanguageLibrary {
public:
    explicit LanguageLibrary(std::filesystem::path lexicon_dir);
    // The process-wide library over the installed lexicons.
    static std::shared_ptr<LanguageLibrary> shared();

    std::vector<std::string> languages() const { return languages_; }
    // nullptr when there is no lexicon for `language`. Thread-safe.
    const LanguageResources* get(const std::string& language);
    // Only the word list (no candidate index); nullptr when there is none.
    std::shared_ptr<const lexicon::Lexicon> lexicon(const std::string& language);

    // The language of `text` among those with a lexicon, or "" when none fits (another
    // language or script): the share of its common words each lexicon knows decides.
    std::string detect(std::string_view text);

private:
    LanguageResources* load_locked(const std::string& language);
    std::filesystem::path dir_;
    std::vector<std::string> languages_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::unique_ptr<LanguageResources>> loaded_;
};

}  // namespace ocrfix::correct

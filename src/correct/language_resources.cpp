#include "correct/language_resources.h"

#include <algorithm>

#include "store/model_store.h"
#include "text/normalize.h"
#include "text/tokens.h"

namespace ocrfix::correct {

std::optional<std::vector<Proposal>> ReadingCache::find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    const auto found = readings_.find(key);
    if (found == readings_.end()) return std::nullopt;
    return found->second;
}

void ReadingCache::store(std::string key, std::vector<Proposal> readings) const {
    std::lock_guard lock(mutex_);
    if (readings_.size() >= kCapacity) readings_.clear();
    readings_.insert_or_assign(std::move(key), std::move(readings));
}

const lexicon::LexiconTrie& LanguageResources::trie() const {
    std::call_once(trie_built_, [&] { trie_ = std::make_unique<const lexicon::LexiconTrie>(*lexicon); });
    return *trie_;
}

LanguageLibrary::LanguageLibrary(std::filesystem::path lexicon_dir)
    : dir_(std::move(lexicon_dir)), languages_(lexicon::available_languages(dir_)) {}

std::shared_ptr<LanguageLibrary> LanguageLibrary::shared() {
    static std::mutex mutex;
    static std::weak_ptr<LanguageLibrary> instance;
    std::lock_guard lock(mutex);
    auto library = instance.lock();
    if (!library) {
        library = std::make_shared<LanguageLibrary>(lexicon::default_lexicon_dir());
        instance = library;
    }
    return library;
}

LanguageResources* LanguageLibrary::load_locked(const std::string& language) {
    if (auto found = loaded_.find(language); found != loaded_.end()) return found->second.get();
    if (std::find(languages_.begin(), languages_.end(), language) == languages_.end()) return nullptr;
    auto resources = std::make_unique<LanguageResources>();
    resources->lexicon = lexicon::Lexicon::load(language, dir_);
    return loaded_.emplace(language, std::move(resources)).first->second.get();
}

const LanguageResources* LanguageLibrary::get(const std::string& language) {
    std::lock_guard lock(mutex_);
    LanguageResources* resources = load_locked(language);
    // The candidate index takes a second to build: only languages that are corrected get one.
    if (resources && !resources->index)
        resources->index = lexicon::SymSpellIndex::open(*resources->lexicon, store::ocrfix_home() / "derived");
    return resources;
}

std::shared_ptr<const lexicon::Lexicon> LanguageLibrary::lexicon(const std::string& language) {
    std::lock_guard lock(mutex_);
    LanguageResources* resources = load_locked(language);
    return resources ? resources->lexicon : nullptr;
}

std::string LanguageLibrary::detect(std::string_view text) {
    std::vector<std::string> words;
    for (const auto& token : text::tokenize(text)) {
        if (token.kind != text::TokenKind::word) continue;
        words.push_back(text::fold_for_lookup(token.view(text)));
        if (words.size() >= 400) break;
    }
    if (words.empty()) return "";
    std::string best;
    double best_score = 0.0;
    for (const auto& language : languages_) {
        const auto words_of_language = lexicon(language);
        double score = 0.0;
        for (const auto& word : words) {
            const auto cb = words_of_language->centibels(word);
            // Common words weigh most: they are what tells languages apart.
            if (cb) score += *cb <= 350 ? 1.0 : *cb <= 500 ? 0.5 : 0.2;
        }
        score /= static_cast<double>(words.size());
        if (score > best_score) best_score = score, best = language;
    }
    return best_score >= 0.3 ? best : "";
}

}  // namespace ocrfix::correct

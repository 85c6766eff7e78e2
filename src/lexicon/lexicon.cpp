#include "lexicon/lexicon.h"

#include <hunspell/hunspell.hxx>

#include <cmath>
#include <fstream>
#include <mutex>

#include "lexicon/fnv.h"
#include "ocrfix/error.h"
#include "store/model_store.h"
#include "text/normalize.h"

namespace ocrfix::lexicon {

namespace fs = std::filesystem;

// A Hunspell object keeps the state of a check in its members (AffixMgr's pfx, sfxappnd, ...),
// so two threads checking with one object race; the lexicon is shared by every Engine.
struct Lexicon::Hunspell {
    std::unique_ptr<::Hunspell> checker;
    std::mutex mutex;
    // Its answers, for the words asked about again (names, a page's recurring misreadings,
    // the same candidate for many words): a check takes microseconds. Emptied when full.
    std::unordered_map<std::string, bool> answers;
    static constexpr std::size_t kMaxAnswers = std::size_t{1} << 16;
};

namespace {

// Hunspell dictionary names per language, as Debian's hunspell-* packages install them.
std::string hunspell_name(const std::string& language) {
    if (language == "en") return "en_US";
    if (language == "fr") return "fr_FR";
    if (language == "de") return "de_DE";
    return language;
}

// FNV-1a with a final mix: the table's index is the low bits.
std::size_t word_hash(std::string_view word) {
    std::uint64_t h = fnv1a(word);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return static_cast<std::size_t>(h);
}

}  // namespace

fs::path default_lexicon_dir() { return store::ocrfix_home() / "lexicons" / "wordfreq-3.1.1"; }

std::vector<std::string> available_languages(const fs::path& dir) {
    std::vector<std::string> languages;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".tsv") languages.push_back(entry.path().stem().string());
    std::sort(languages.begin(), languages.end());
    return languages;
}

std::shared_ptr<const Lexicon> Lexicon::load(const std::string& language, const fs::path& lexicon_dir) {
    const fs::path path = lexicon_dir / (language + ".tsv");
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCategory::model_not_found,
                    "the " + language + " lexicon is not installed (" + path.string() +
                        "). Install the lexicons with `python3 scripts/ocrfix_setup.py lexicons` (or `make models`).");
    std::shared_ptr<Lexicon> lexicon(new Lexicon());
    lexicon->language_ = language;
    std::string line;
    std::vector<int> frequencies;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        lexicon->words_.push_back(line.substr(0, tab));
        frequencies.push_back(std::atoi(line.c_str() + tab + 1));
    }
    // At most half the slots full. A word listed twice keeps its first (most frequent) id,
    // and its later ids that id's frequency: whichever id a lookup returns, it reads the same.
    std::size_t slots = 16;
    while (slots < 2 * lexicon->words_.size()) slots *= 2;
    lexicon->slots_.assign(slots, kNoWord);
    for (std::size_t i = 0; i < lexicon->words_.size(); ++i) {
        for (std::size_t at = word_hash(lexicon->words_[i]) & (slots - 1);; at = (at + 1) & (slots - 1)) {
            const std::uint32_t id = lexicon->slots_[at];
            if (id == kNoWord) {
                lexicon->slots_[at] = static_cast<std::uint32_t>(i);
                break;
            }
            if (lexicon->words_[id] == lexicon->words_[i]) {
                frequencies[i] = frequencies[id];
                break;
            }
        }
    }
    lexicon->centibels_ = std::move(frequencies);
    const std::string base = "/usr/share/hunspell/" + hunspell_name(language);
    if (fs::exists(base + ".aff") && fs::exists(base + ".dic")) {
        lexicon->hunspell_ = std::make_unique<Hunspell>();
        lexicon->hunspell_->checker = std::make_unique<::Hunspell>((base + ".aff").c_str(), (base + ".dic").c_str());
    }
    return lexicon;
}

Lexicon::~Lexicon() = default;

std::optional<std::uint32_t> Lexicon::id_of(std::string_view folded) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = word_hash(folded) & mask;; at = (at + 1) & mask) {
        const std::uint32_t id = slots_[at];
        if (id == kNoWord) return std::nullopt;
        if (words_[id] == folded) return id;
    }
}

std::optional<int> Lexicon::centibels(std::string_view folded) const {
    const auto id = id_of(folded);
    if (!id) return std::nullopt;
    return centibels_[*id];
}

double Lexicon::log_frequency(std::string_view folded) const {
    const auto cb = centibels(folded);
    return cb ? -(*cb / 100.0) * kLn10 : kUnknownLogFrequency;
}

bool Lexicon::hunspell_accepts(std::string_view word) const {
    if (!hunspell_) return false;
    std::lock_guard lock(hunspell_->mutex);
    std::string key(word);
    if (const auto found = hunspell_->answers.find(key); found != hunspell_->answers.end()) return found->second;
    const bool accepted = hunspell_->checker->spell(key);
    if (hunspell_->answers.size() >= Hunspell::kMaxAnswers) hunspell_->answers.clear();
    hunspell_->answers.emplace(std::move(key), accepted);
    return accepted;
}

bool Lexicon::is_known(std::string_view word) const {
    const auto cb = centibels(text::fold_for_lookup(word));
    return (cb && *cb <= kKnownMaxCentibels) || hunspell_accepts(word);
}

}  // namespace ocrfix::lexicon

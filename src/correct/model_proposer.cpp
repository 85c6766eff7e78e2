#include "correct/model_proposer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "correct/lexical_proposer.h"
#include "lexicon/confusion_model.h"
#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {

using ConfusionModelColumns = lexicon::ConfusionModel::Columns;

bool is_apostrophe(char32_t c) { return c == U'\'' || c == U'\u2019'; }

// Letters with inner apostrophes only: what a word of the text is made of.
bool is_word_shape(std::u32string_view points) {
    if (points.empty() || !text::is_letter(points.front()) || !text::is_letter(points.back())) return false;
    return std::all_of(points.begin(), points.end(), [](char32_t c) { return text::is_letter(c) || is_apostrophe(c); });
}

// The model's vocabulary as a trie of folded pieces: the tokens that open a word after a
// space (` gov`), and those that go on inside one (`ern`). Walking it under the channel
// finds every token a word may grow by, not only the few the model likes best.
class VocabularyTrie {
public:
    explicit VocabularyTrie(const llm::Model& model) {
        nodes_.resize(2);  // 0: after a space, 1: inside a word
        word_ends_.assign(static_cast<std::size_t>(model.vocab_size()), 0);
        for (llm::Token token = 0; token < model.vocab_size(); ++token) {
            const std::string piece = model.token_piece(token);
            // A token that opens with white space or a mark (not an apostrophe or a hyphen,
            // which go on inside a word) ends the word before it.
            if (!piece.empty() && !text::find_invalid_utf8(piece)) {
                std::size_t at = 0;
                const char32_t c = text::next_code_point(piece, at);
                word_ends_[static_cast<std::size_t>(token)] = !text::is_letter(c) && !text::is_digit(c) && !is_apostrophe(c) && c != U'-';
            }
            const bool opens = !piece.empty() && piece.front() == ' ';
            const std::string_view body = std::string_view(piece).substr(opens ? 1 : 0);
            if (body.empty() || text::find_invalid_utf8(body)) continue;
            const std::u32string points = text::to_code_points(body);
            if (!text::is_letter(points.front()) ||
                !std::all_of(points.begin(), points.end(), [](char32_t c) { return text::is_letter(c) || is_apostrophe(c); }))
                continue;
            std::size_t node = opens ? 0 : 1;
            
            for (const char32_t c : text::to_code_points(text::fold_for_lookup(body))) node = child(node, c);
            nodes_[node].tokens.push_back(token);
        }
    }

    // The tokens that end a word (BeamParams::ends).
    const std::vector<char>& word_ends() const { return word_ends_; }

    // Every token that may follow `columns` (the word so far, pushed) with the prefix cost of
    // the word it makes within `bound`; the word grows to at most `max_size` letters.
    void walk(bool opens, ConfusionModelColumns& columns, double bound, std::size_t max_size,
              std::vector<llm::Extension>& out) const {
        walk_from(opens ? 0 : 1, columns, bound, max_size, out);
    }

private:
    struct Node {
        std::vector<std::pair<char32_t, std::size_t>> children;
        std::vector<llm::Token> tokens;
    };
    std::size_t child(std::size_t node, char32_t c) {
        for (const auto& [letter, next] : nodes_[node].children)
            if (letter == c) return next;
        nodes_.emplace_back();
        nodes_[node].children.emplace_back(c, nodes_.size() - 1);
        return nodes_.size() - 1;
    }
    void walk_from(std::size_t node, ConfusionModelColumns& columns, double bound, std::size_t max_size,
                   std::vector<llm::Extension>& out) const {
        for (const auto& [letter, next] : nodes_[node].children) {
            if (columns.size() >= max_size) return;
            columns.push(letter);
            const double cost = columns.prefix_cost();
            if (cost <= bound) {
                for (const llm::Token token : nodes_[next].tokens) out.push_back({token, cost});
                walk_from(next, columns, bound, max_size, out);
            }
            columns.pop();
        }
    }
    std::vector<Node> nodes_;
    std::vector<char> word_ends_;  // by token: BeamParams::ends
};

// One trie per model file, built on first use (a few hundred milliseconds) and kept.
std::shared_ptr<const VocabularyTrie> trie_of(const llm::Model& model) {
    static std::mutex mutex;
    static std::unordered_map<std::string, std::shared_ptr<const VocabularyTrie>> tries;
    const std::string key = model.path() + "|" + std::to_string(model.vocab_size());
    std::lock_guard lock(mutex);
    auto& trie = tries[key];
    if (!trie) trie = std::make_shared<const VocabularyTrie>(model);
    return trie;
}

// A word of the text that gets model readings, and where its search starts.
struct Suspect {
    std::size_t begin = 0, end = 0;  // bytes of the word
    std::u32string observed;         // folded, as the channel compares it
    bool lead_space = false;         // the model's tokens for it start with a space
};

// Words the lexicon does not know, of at least `min_letters` letters, not a piece of a word
// hyphenated across a line end (their hyphen follows the line-end convention).
std::vector<Suspect> find_suspects(std::string_view text, const lexicon::Lexicon& lexicon, int min_letters,
                                   const std::vector<std::size_t>& skip) {
    std::vector<Suspect> suspects;
    const auto tokens = text::tokenize(text);
    auto is_mark = [&](std::size_t i, std::string_view mark) {
        return i < tokens.size() && tokens[i].kind == text::TokenKind::punctuation && tokens[i].view(text) == mark;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (token.kind != text::TokenKind::word) continue;
        const std::string_view word = token.view(text);
        const std::u32string points = text::to_code_points(word);
        if (static_cast<int>(points.size()) < min_letters || !is_word_shape(points)) continue;
        // `foun-` before a line end, and `dation` after one.
        if (is_mark(i + 1, "-") && i + 2 < tokens.size() && tokens[i + 2].kind == text::TokenKind::newline) continue;
        if (i >= 2 && tokens[i - 1].kind == text::TokenKind::newline && is_mark(i - 2, "-")) continue;
        // After a mark (`-word`, `'word`, `Cap*am`): often a piece of a word the mark cut.
        if (i >= 1 && tokens[i - 1].kind == text::TokenKind::punctuation) continue;
        if (i + 1 < tokens.size() && tokens[i + 1].kind == text::TokenKind::word) continue;
        if (std::binary_search(skip.begin(), skip.end(), token.begin) || lexicon.is_known(word)) continue;
        Suspect suspect;
        suspect.begin = token.begin;
        suspect.end = token.end;
        suspect.observed = text::to_code_points(text::fold_for_lookup(word));
        suspect.lead_space = i >= 1 && tokens[i - 1].kind == text::TokenKind::space;
        suspects.push_back(std::move(suspect));
    }
    return suspects;
}

// Byte offset where the white space before `offset` on its line starts (spaces and tabs only).
std::size_t before_spaces(std::string_view text, std::size_t offset) {
    while (offset > 0 && (text[offset - 1] == ' ' || text[offset - 1] == '\t')) --offset;
    return offset;
}

// Searches the words of one stream and turns what the search finds into proposals.
class StreamSearch {
public:
    StreamSearch(std::string_view text, llm::Context& context, const ModelReadingParams& params,
                 const lexicon::Lexicon& lexicon, std::vector<Proposal>& out)
        : text_(text), context_(context), model_(context.model()), params_(params), lexicon_(lexicon), out_(out),
          trie_(trie_of(context.model())) {
        beam_.width = params.beam_width;
        beam_.depth = params.beam_depth;
        beam_.top = params.beam_top;
        beam_.ends = &trie_->word_ends();
        start_ = model_.tokenize("", true);
        if (start_.empty()) start_ = model_.tokenize("\n", false);
        separator_ = model_.tokenize("\n", false);
        stream_ = start_;
    }

    void add(const Suspect& suspect) {
        const std::size_t prefix_end = suspect.lead_space ? before_spaces(text_, suspect.begin) : suspect.begin;
        // Continue the stream's text when this word's window reaches back into it.
        const std::size_t reach = prefix_end >= kBytesPerToken * params_.left_tokens
                                      ? prefix_end - kBytesPerToken * params_.left_tokens : 0;
        std::vector<llm::Token> piece;
        const bool continues = !suspects_.empty() && covered_ <= prefix_end && reach <= covered_;
        if (continues) {
            piece = model_.tokenize(text_.substr(covered_, prefix_end - covered_), false);
        } else {
            std::size_t window = reach;
            while (window > 0 && window < prefix_end && !text::is_space(static_cast<unsigned char>(text_[window - 1])))
                ++window;  // start at a word's first byte
            piece = model_.tokenize(text_.substr(window, prefix_end - window), false);
            if (static_cast<int>(piece.size()) > params_.left_tokens)
                piece.erase(piece.begin(), piece.end() - params_.left_tokens);
        }
        if (static_cast<int>(stream_.size() + piece.size() + separator_.size()) > params_.stream_tokens) flush();
        if (!continues && stream_.size() > start_.size()) stream_.insert(stream_.end(), separator_.begin(), separator_.end());
        stream_.insert(stream_.end(), piece.begin(), piece.end());
        roots_.push_back(static_cast<int>(stream_.size()));
        suspects_.push_back(suspect);
        covered_ = prefix_end;
    }

    void flush() {
        if (suspects_.empty()) return;
        std::map<std::size_t, std::map<std::string, double>> found;  // suspect -> folded reading -> log-prob
        const auto complete = context_.beam_search(
            stream_, roots_, beam_, [&](const llm::Hypothesis& h) { return extensions(h); },
            [&](const llm::Hypothesis& h) { return judge(h); });
        for (const auto& h : complete) {
            const std::string reading = text::fold_for_lookup(word_of(h).second);
            const auto [at, first] = found[h.root].try_emplace(reading, h.log_prob);
            if (!first) at->second = std::max(at->second, h.log_prob);
        }
        for (const auto& [root, readings] : found) emit(suspects_[root], readings);
        stream_ = start_;
        roots_.clear();
        suspects_.clear();
    }

private:
    static constexpr std::size_t kBytesPerToken = 4;  // about, for choosing a window's start
    // A reading is at most this many letters longer than what was read (OCR loses letters,
    // seldom many).
    static constexpr std::size_t kMaxAddedLetters = 3;
    static std::size_t max_size(const Suspect& suspect) { return suspect.observed.size() + kMaxAddedLetters; }

    // The hypothesis as text after its lead space; false when its lead is not the word's.
    std::pair<bool, std::string> word_of(const llm::Hypothesis& h) const {
        std::string pieces;
        for (const llm::Token token : h.tokens) pieces += model_.token_piece(token);
        const bool lead = suspects_[h.root].lead_space;
        if (lead != (!pieces.empty() && pieces.front() == ' ')) return {false, {}};
        return {true, pieces.substr(lead ? 1 : 0)};
    }

    // The tokens the word so far may grow by within the channel bound.
    std::vector<llm::Extension> extensions(const llm::Hypothesis& h) const {
        std::vector<llm::Extension> out;
        const Suspect& suspect = suspects_[h.root];
        ConfusionModelColumns columns(lexicon::ConfusionModel::builtin(), suspect.observed);
        if (!h.tokens.empty()) {
            const auto [shaped, word] = word_of(h);
            if (!shaped || text::find_invalid_utf8(word)) return out;
            for (const char32_t c : text::to_code_points(text::fold_for_lookup(word))) columns.push(c);
        }
        const bool opens = h.tokens.empty() && suspect.lead_space;
        trie_->walk(opens, columns, params_.channel_bound, max_size(suspect), out);
        return out;
    }

    llm::Verdict judge(const llm::Hypothesis& h) const {
        const auto [shaped, word] = word_of(h);
        if (!shaped) return {};
        if (word.empty()) return {.extend = true};
        // A token may end inside a character; such a word is grown, not judged.
        std::string whole = word;
        bool cut = false;
        if (const auto bad = text::find_invalid_utf8(whole)) {
            if (whole.size() - *bad > 3) return {};
            whole.resize(*bad);
            cut = true;
        }
        const std::u32string points = text::to_code_points(whole);
        if (!points.empty() && (!text::is_letter(points.front()) ||
                                !std::all_of(points.begin(), points.end(),
                                             [](char32_t c) { return text::is_letter(c) || is_apostrophe(c); })))
            return {};
        const Suspect& suspect = suspects_[h.root];
        const std::u32string folded = text::to_code_points(text::fold_for_lookup(whole));
        const auto& channel = lexicon::ConfusionModel::builtin();
        if (channel.prefix_cost(suspect.observed, folded) > params_.channel_bound) return {};
        llm::Verdict verdict;
        verdict.extend = folded.size() < max_size(suspect);
        verdict.complete = !cut && !points.empty() && folded != suspect.observed &&
                           channel.cost(suspect.observed, folded) <= params_.channel_bound;
        return verdict;
    }

    void emit(const Suspect& suspect, const std::map<std::string, double>& readings) {
        const std::string_view original = text_.substr(suspect.begin, suspect.end - suspect.begin);
        std::vector<std::pair<double, std::string>> ranked;
        for (const auto& [folded, log_prob] : readings) ranked.emplace_back(log_prob, folded);
        std::sort(ranked.begin(), ranked.end(), std::greater<>());
        int kept = 0;
        for (const auto& [log_prob, folded] : ranked) {
            if (kept >= params_.readings_per_word || log_prob < params_.min_log_prob ||
                log_prob < ranked.front().first - params_.max_behind_best)
                break;
            if (text::count_code_points(folded) < 2) continue;
            const std::string replacement = restore_case(original, folded);
            if (!model_reading_allowed(original, replacement, params_.channel_bound)) continue;
            Proposal p;
            p.begin = suspect.begin;
            p.end = suspect.end;
            p.replacement = replacement;
            p.kind = ProposalKind::model;
            p.channel_cost = lexicon::ConfusionModel::builtin().cost(suspect.observed, text::to_code_points(folded));
            p.log_prior = lexicon_.log_frequency(folded);
            const std::u32string points = text::to_code_points(original);
            p.capitalised = !points.empty() && text::is_upper(points.front());
            out_.push_back(std::move(p));
            ++kept;
        }
    }

    std::string_view text_;
    llm::Context& context_;
    const llm::Model& model_;
    const ModelReadingParams& params_;
    const lexicon::Lexicon& lexicon_;
    std::vector<Proposal>& out_;
    std::vector<llm::Token> start_, separator_, stream_;
    std::vector<int> roots_;
    std::vector<Suspect> suspects_;
    std::size_t covered_ = 0;  // the stream holds the text up to this byte
    std::shared_ptr<const VocabularyTrie> trie_;
    llm::BeamParams beam_;
};

}  // namespace

bool model_reading_allowed(std::string_view observed, std::string_view reading, double bound) {
    const std::u32string points = text::to_code_points(reading);
    if (!is_word_shape(points)) return false;
    const std::u32string a = text::to_code_points(text::fold_for_lookup(observed));
    const std::u32string b = text::to_code_points(text::fold_for_lookup(reading));
    return a != b && lexicon::ConfusionModel::builtin().cost(a, b) <= bound;
}

std::vector<Proposal> propose_model_readings(std::string_view text, const lexicon::Lexicon& lexicon,
                                             llm::Context& context, const std::vector<std::size_t>& skip,
                                             const ModelReadingParams& params) {
    std::vector<Proposal> out;
    StreamSearch search(text, context, params, lexicon, out);
    std::vector<std::size_t> sorted_skip = skip;
    std::sort(sorted_skip.begin(), sorted_skip.end());
    for (const auto& suspect : find_suspects(text, lexicon, params.min_letters, sorted_skip)) search.add(suspect);
    search.flush();
    return out;
}

}  // namespace ocrfix::correct

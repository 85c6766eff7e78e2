#include "correct/verifier.h"

#include <algorithm>
#include <map>

#include "text/normalize.h"
#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

constexpr int kRightWords = 1;    // context after the slot, scored with it
constexpr int kLeftTokens = 8;    // context before the slot
constexpr int kChunkTokens = 256; // tokens per decoded stream

// A piece of text with its model tokens: one text token plus the white space before it,
// because the model's tokenizer attaches a leading space to the word that follows it.
struct Segment {
    std::size_t begin = 0;       // first byte, white space included
    std::size_t word_begin = 0;  // first byte after the white space
    std::size_t end = 0;
    bool is_word = false;
    std::vector<llm::Token> tokens;
};

std::vector<Segment> segment(std::string_view text, const llm::Model& model) {
    std::vector<Segment> segments;
    std::size_t pending = 0;
    bool has_pending = false;
    for (const auto& token : text::tokenize(text)) {
        if (token.kind == text::TokenKind::space) {
            if (!has_pending) pending = token.begin, has_pending = true;
            continue;
        }
        Segment s;
        s.begin = has_pending ? pending : token.begin;
        s.word_begin = token.begin;
        s.end = token.end;
        s.is_word = token.kind == text::TokenKind::word || token.kind == text::TokenKind::number;
        s.tokens = model.tokenize(text.substr(s.begin, s.end - s.begin), false);
        segments.push_back(std::move(s));
        has_pending = false;
    }
    return segments;
}

}  // namespace

std::vector<double> LmVerifier::score(std::string_view text, const std::vector<Candidate>& candidates) {
    std::vector<double> result(candidates.size(), 0.0);
    if (candidates.empty()) return result;
    const llm::Model& model = context_.model();
    const std::vector<Segment> segments = segment(text, model);
    // Slot -> the segments it covers.
    std::map<std::size_t, std::size_t> segment_at_word;  // word_begin -> index
    std::map<std::size_t, std::size_t> segment_ending;   // end -> index
    for (std::size_t i = 0; i < segments.size(); ++i) {
        segment_at_word[segments[i].word_begin] = i;
        segment_ending[segments[i].end] = i;
    }
    struct Job {
        std::size_t candidate;
        std::size_t first, last;  // segments [first, last] are replaced
    };
    std::vector<Job> jobs;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const auto first = segment_at_word.find(candidates[c].begin);
        const auto last = segment_ending.find(candidates[c].end);
        if (first == segment_at_word.end() || last == segment_ending.end() || last->second < first->second) continue;
        jobs.push_back({c, first->second, last->second});
    }
    std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.first < b.first; });

    // The chunk's token stream starts with BOS (or a line break) so that the first word
    // has something to be predicted from.
    const auto start_tokens = [&] {
        auto bos = model.tokenize("", true);
        return bos.empty() ? model.tokenize("\n", false) : bos;
    }();

    const std::vector<llm::Token> separator = model.tokenize("\n", false);
    // Segments [first, end) around a job: kLeftTokens of context before, the slot, and
    // kRightWords words after. Only these windows are decoded, not the whole text: on
    // typical OCR most words need no verdict.
    auto window_of = [&](const Job& job) {
        std::size_t first = job.first;
        int left = 0;
        while (first > 0 && left + static_cast<int>(segments[first - 1].tokens.size()) <= kLeftTokens)
            left += static_cast<int>(segments[--first].tokens.size());
        std::size_t end = job.last + 1;
        for (int words = 0; end < segments.size() && words < kRightWords; ++end)
            if (segments[end].is_word) ++words;
        return std::make_pair(first, end);
    };
    auto folded_word = [&](std::size_t first, std::size_t last) {
        return text::fold_for_lookup(text.substr(segments[first].word_begin, segments[last].end - segments[first].word_begin));
    };
    // Jobs in text order. A job whose word its stream already holds at another place waits
    // for a later stream (`deferred`): the model copies what it has seen, so an earlier
    // occurrence of the original would argue for it. In one land sale, the third `acies`
    // scored `acres` 6.6 nats below it with its two predecessors in the stream, 8.8 above
    // without them.
    std::vector<std::size_t> pending(jobs.size()), deferred;
    for (std::size_t k = 0; k < jobs.size(); ++k) pending[k] = k;
    std::size_t job_index = 0;
    while (job_index < pending.size() || !deferred.empty()) {
        if (job_index == pending.size()) {
            pending = std::move(deferred);
            deferred.clear();
            job_index = 0;
        }
        // One stream: the windows of consecutive jobs, merged where they touch, joined by
        // line breaks where they do not, up to kChunkTokens.
        std::vector<llm::Token> tokens = start_tokens;
        std::vector<int> segment_position(segments.size() + 1, -1);
        std::size_t stream_end = 0;  // first segment not yet in the stream
        std::vector<llm::Continuation> continuations;
        std::vector<std::size_t> owners;
        std::map<std::string, std::vector<std::size_t>> words_in_stream;  // folded word -> its segments
        while (job_index < pending.size()) {
            const Job& job = jobs[pending[job_index]];
            if (const auto seen = words_in_stream.find(folded_word(job.first, job.last)); seen != words_in_stream.end() &&
                std::any_of(seen->second.begin(), seen->second.end(), [&](std::size_t s) { return s < job.first || s > job.last; })) {
                deferred.push_back(pending[job_index++]);
                continue;
            }
            auto [first, end] = window_of(job);
            const bool touches = !owners.empty() && first <= stream_end;
            first = std::max(first, touches ? stream_end : first);
            int added = 0;
            for (std::size_t s = first; s < end; ++s) added += static_cast<int>(segments[s].tokens.size());
            if (!owners.empty() && static_cast<int>(tokens.size()) + added > kChunkTokens) break;
            if (!owners.empty() && !touches) tokens.insert(tokens.end(), separator.begin(), separator.end());
            for (std::size_t s = first; s < end; ++s) {
                if (segments[s].is_word) words_in_stream[folded_word(s, s)].push_back(s);
                segment_position[s] = static_cast<int>(tokens.size());
                tokens.insert(tokens.end(), segments[s].tokens.begin(), segments[s].tokens.end());
            }
            if (end > stream_end) {
                stream_end = end;
                segment_position[end] = static_cast<int>(tokens.size());
            }
            std::size_t right_end = job.last + 1;
            for (int words = 0; right_end < segments.size() && words < kRightWords; ++right_end)
                if (segments[right_end].is_word) ++words;
            const Candidate& candidate = candidates[job.candidate];
            const Segment& head = segments[job.first];
            llm::Continuation continuation;
            continuation.prefix_length = segment_position[job.first];
            continuation.tokens = model.tokenize(
                std::string(text.substr(head.begin, head.word_begin - head.begin)) + candidate.replacement, false);
            for (std::size_t s = job.last + 1; s < right_end; ++s)
                continuation.tokens.insert(continuation.tokens.end(), segments[s].tokens.begin(), segments[s].tokens.end());
            continuation.original_begin = segment_position[job.first];
            continuation.original_end = right_end < segment_position.size() && segment_position[right_end] >= 0
                                            ? segment_position[right_end] : static_cast<int>(tokens.size());
            continuations.push_back(std::move(continuation));
            owners.push_back(job.candidate);
            ++job_index;
        }
        const auto scores = context_.score_alternatives(tokens, continuations);
        for (std::size_t k = 0; k < owners.size(); ++k) result[owners[k]] = scores[k];
    }
    return result;
}

}  // namespace ocrfix::correct

#include "correct/verifier.h"

#include <algorithm>
#include <map>

#include "text/tokens.h"

namespace ocrfix::correct {

namespace {

constexpr int kRightWords = 2;         // context after the slot, scored with it
constexpr int kChunkTokens = 192;      // new tokens per chunk
constexpr int kOverlapTokens = 48;     // left context carried into the next chunk

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

    std::size_t job_index = 0;
    std::size_t chunk_first = 0;  // first segment whose slots this chunk scores
    while (job_index < jobs.size()) {
        chunk_first = std::max(chunk_first, jobs[job_index].first);
        // Left context: whole segments before chunk_first, up to kOverlapTokens.
        std::size_t context_first = chunk_first;
        int context_tokens = 0;
        while (context_first > 0 &&
               context_tokens + static_cast<int>(segments[context_first - 1].tokens.size()) <= kOverlapTokens) {
            --context_first;
            context_tokens += static_cast<int>(segments[context_first].tokens.size());
        }
        // New segments up to kChunkTokens, then right context for the last slots.
        std::size_t chunk_end = chunk_first;
        int new_tokens = 0;
        while (chunk_end < segments.size() &&
               (chunk_end == chunk_first || new_tokens + static_cast<int>(segments[chunk_end].tokens.size()) <= kChunkTokens)) {
            new_tokens += static_cast<int>(segments[chunk_end].tokens.size());
            ++chunk_end;
        }
        std::size_t decode_end = chunk_end;
        for (int words = 0; decode_end < segments.size() && words <= kRightWords; ++decode_end)
            if (segments[decode_end].is_word) ++words;
        std::vector<llm::Token> tokens = start_tokens;
        std::vector<int> segment_position(segments.size() + 1, -1);  // token index where a segment starts
        for (std::size_t s = context_first; s < decode_end; ++s) {
            segment_position[s] = static_cast<int>(tokens.size());
            tokens.insert(tokens.end(), segments[s].tokens.begin(), segments[s].tokens.end());
        }
        segment_position[decode_end] = static_cast<int>(tokens.size());

        std::vector<llm::Continuation> continuations;
        std::vector<double> original_scores;
        std::vector<std::size_t> owners;
        for (; job_index < jobs.size() && jobs[job_index].first < chunk_end; ++job_index) {
            const Job& job = jobs[job_index];
            // Right context: the next kRightWords words after the slot, within what was decoded.
            std::size_t right_end = job.last + 1;
            for (int words = 0; right_end < decode_end && words < kRightWords; ++right_end)
                if (segments[right_end].is_word) ++words;
            if (right_end > decode_end || job.last >= decode_end) continue;
            const Candidate& candidate = candidates[job.candidate];
            const Segment& first = segments[job.first];
            const std::string replaced = std::string(text.substr(first.begin, first.word_begin - first.begin)) +
                                         candidate.replacement;
            llm::Continuation continuation;
            continuation.prefix_length = segment_position[job.first];
            continuation.tokens = model.tokenize(replaced, false);
            for (std::size_t s = job.last + 1; s < right_end; ++s)
                continuation.tokens.insert(continuation.tokens.end(), segments[s].tokens.begin(), segments[s].tokens.end());
            continuation.original_begin = segment_position[job.first];
            continuation.original_end = segment_position[right_end];
            continuations.push_back(std::move(continuation));
            owners.push_back(job.candidate);
        }
        const auto scores = context_.score_alternatives(tokens, continuations);
        for (std::size_t k = 0; k < owners.size(); ++k) result[owners[k]] = scores[k];
        chunk_first = chunk_end;
    }
    return result;
}

}  // namespace ocrfix::correct

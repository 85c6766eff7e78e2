#include "llm/context.h"

#include <llama.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <thread>

#include "llm/batch.h"
#include "llm/machine_limits.h"
#include "ocrfix/error.h"

namespace ocrfix::llm {

namespace {

// 0 = one thread per usable physical core: more threads than cores slow llama.cpp down.
int default_threads(int requested) { return requested > 0 ? requested : usable_cores(); }

}  // namespace

namespace {

// e^x for x <= 0, within 4e-6 of it (relative); below -87 it gives e^-87. Plain float
// arithmetic, so that the loops below vectorise without -ffast-math.
inline float exp_nonpositive(float x) {
    x = x < -87.0f ? -87.0f : x;
    const float t = x * 1.44269504088896341f;          // x / ln 2
    const float n = (t + 12582912.0f) - 12582912.0f;  // rounded to an integer (1.5 * 2^23)
    const float y = (t - n) * 0.693147180559945309f;   // in [-ln 2 / 2, ln 2 / 2]
    float p = 1.0f / 720.0f;                           // e^y by its Taylor series
    p = p * y + 1.0f / 120.0f;
    p = p * y + 1.0f / 24.0f;
    p = p * y + 1.0f / 6.0f;
    p = p * y + 0.5f;
    p = p * y + 1.0f;
    p = p * y + 1.0f;
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;  // 2^n
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

}  // namespace

// Called for every scored token over the whole vocabulary (49k entries for SmolLM2): the
// lanes let the compiler vectorise it, and the clones pick the widest vectors the CPU has.
// About nine times faster than std::exp in a loop, and closer to the exact sum
// (build/bench/log_sum_exp).
// Not under ThreadSanitizer: the loader runs the clones' resolver, instrumented, before TSan
// has started, and the program dies before main (gcc says __SANITIZE_THREAD__, clang
// __has_feature).
#if defined(__SANITIZE_THREAD__)
#define OCRFIX_THREAD_SANITIZER
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OCRFIX_THREAD_SANITIZER
#endif
#endif
#if defined(OCRFIX_THREAD_SANITIZER)
#define OCRFIX_VECTOR_CLONES
#elif defined(__x86_64__) && defined(__ELF__) && defined(__GLIBC__)
#define OCRFIX_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define OCRFIX_VECTOR_CLONES
#endif
OCRFIX_VECTOR_CLONES
double log_sum_exp(const float* logits, int size) {
    constexpr int kLanes = 16;
    const int whole = size - size % kLanes;
    float lane_max[kLanes];
    for (int k = 0; k < kLanes; ++k) lane_max[k] = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < whole; i += kLanes)
        for (int k = 0; k < kLanes; ++k) lane_max[k] = logits[i + k] > lane_max[k] ? logits[i + k] : lane_max[k];
    float max_logit = -std::numeric_limits<float>::infinity();
    for (int k = 0; k < kLanes; ++k) max_logit = std::max(max_logit, lane_max[k]);
    for (int i = whole; i < size; ++i) max_logit = std::max(max_logit, logits[i]);
    float lane_sum[kLanes] = {};
    for (int i = 0; i < whole; i += kLanes)
        for (int k = 0; k < kLanes; ++k) lane_sum[k] += exp_nonpositive(logits[i + k] - max_logit);
    double sum = 0.0;
    for (int k = 0; k < kLanes; ++k) sum += lane_sum[k];
    for (int i = whole; i < size; ++i) sum += exp_nonpositive(logits[i] - max_logit);
    return static_cast<double>(max_logit) + std::log(sum);
}

double log_softmax_at(const float* logits, int size, Token token) {
    return static_cast<double>(logits[token]) - log_sum_exp(logits, size);
}

Context::Context(std::shared_ptr<const Model> model, const ContextParams& params)
    : model_(std::move(model)), params_(params) {
    llama_context_params context_params = llama_context_default_params();
    context_params.n_ctx = static_cast<uint32_t>(params.context_size);
    context_params.n_batch = static_cast<uint32_t>(params.batch_size);
    context_params.n_ubatch = static_cast<uint32_t>(params.batch_size);
    context_params.n_seq_max = static_cast<uint32_t>(std::max(1, params.sequences));
    context_params.n_threads = default_threads(params.threads);
    context_params.n_threads_batch = context_params.n_threads;
    context_params.no_perf = true;
    context_params.kv_unified = true;
    context_ = llama_init_from_model(model_->raw(), context_params);
    if (!context_)
        throw Error(ErrorCategory::runtime,
                    "llama.cpp could not create an inference context of " +
                        std::to_string(params.context_size) + " tokens (" + take_last_llama_error() +
                        "); lower context_size or free memory.");
    llama_set_abort_callback(context_, &Context::abort_requested, this);
}

bool Context::abort_requested(void* self) { return static_cast<Context*>(self)->stop_requested(); }

void Context::submit(Batch& batch) {
    if (stop_requested()) throw Error(ErrorCategory::runtime, kStoppedMessage);
    const int status = llama_decode(context_, batch.batch);
    if (status == 2) throw Error(ErrorCategory::runtime, kStoppedMessage);  // the abort callback
    if (status != 0)
        throw Error(ErrorCategory::runtime, "llama_decode failed with status " + std::to_string(status) + " (" +
                                                take_last_llama_error() + ")");
}

Context::~Context() { llama_free(context_); }

int Context::size() const { return params_.context_size; }

// The cells only: zeroing the data too wrote the whole KV buffer (90 MiB at 4,096 tokens)
// before every scoring call, a tenth of a short string's time. Cells no sequence holds are
// masked out of attention, so what they keep from earlier calls counts for nothing.
void Context::clear() { llama_memory_clear(llama_get_memory(context_), false); }

void Context::decode(const Token* tokens, int count, int start, int seq, bool all_logits) {
    Batch batch(count);
    for (int i = 0; i < count; ++i) batch.add(tokens[i], start + i, seq, all_logits || i == count - 1);
    submit(batch);
}

const float* Context::logits(int batch_index) const { return llama_get_logits_ith(context_, batch_index); }

std::vector<float> Context::token_logprobs(const std::vector<Token>& tokens) {
    const int count = static_cast<int>(tokens.size());
    if (count > params_.context_size)
        throw Error(ErrorCategory::runtime, "text of " + std::to_string(count) +
                                                " tokens does not fit the context of " +
                                                std::to_string(params_.context_size) + " tokens");
    std::vector<float> result(tokens.size(), 0.0f);
    clear();
    const int vocab = model_->vocab_size();
    for (int start = 0; start < count; start += params_.batch_size) {
        const int chunk = std::min(params_.batch_size, count - start);
        decode(tokens.data() + start, chunk, start, 0, /*all_logits=*/true);
        for (int i = 0; i < chunk; ++i) {
            const int next = start + i + 1;
            if (next < count) result[next] = static_cast<float>(log_softmax_at(logits(i), vocab, tokens[next]));
        }
    }
    return result;
}

std::vector<double> Context::score_alternatives(const std::vector<Token>& stream,
                                               const std::vector<Continuation>& alternatives) {
    std::vector<double> result(alternatives.size(), 0.0);
    const int count = static_cast<int>(stream.size());
    if (alternatives.empty() || count == 0) return result;
    if (count + params_.batch_size > params_.context_size)
        throw Error(ErrorCategory::runtime, "a scoring chunk of " + std::to_string(count) +
                                                " tokens does not fit the context; raise context_size");
    if (params_.sequences < 2)
        throw Error(ErrorCategory::invalid_argument,
                    "scoring alternatives needs a context of at least 2 sequences (ContextParams::sequences)");
    const int vocab = model_->vocab_size();
    // Rows of the stream's logits that predict an alternative's first token.
    std::multimap<int, std::size_t> first_token_rows;
    for (std::size_t a = 0; a < alternatives.size(); ++a)
        if (!alternatives[a].tokens.empty()) first_token_rows.emplace(alternatives[a].prefix_length - 1, a);
    // Only rows that predict a scored token need logits (the vocabulary projection is a
    // fifth of the model's work per token).
    std::vector<char> needed(stream.size(), 0);
    for (const auto& alternative : alternatives) {
        if (alternative.prefix_length > 0) needed[alternative.prefix_length - 1] = 1;
        for (int i = std::max(1, alternative.original_begin); i < alternative.original_end; ++i) needed[i - 1] = 1;
    }
    std::vector<double> stream_logprob(stream.size(), 0.0);
    // Reads the stream's logits for rows [start, start + chunk), at batch offset 0.
    auto read_stream_rows = [&](int start, int chunk) {
        for (int i = 0; i < chunk; ++i) {
            const int row = start + i;
            if (!needed[row]) continue;
            const float* row_logits = logits(i);  // indexed by batch position
            const double norm = log_sum_exp(row_logits, vocab);
            if (row + 1 < count) stream_logprob[row + 1] = row_logits[stream[row + 1]] - norm;
            const auto [first, last] = first_token_rows.equal_range(row);
            for (auto it = first; it != last; ++it) result[it->second] = row_logits[alternatives[it->second].tokens[0]] - norm;
        }
    };
    // Alternatives are scored in rounds, each in sequences 1..lanes of one batch: a
    // sequence holds its alternative's prefix (cells shared with sequence 0, the stream's)
    // and the alternative's own tokens.
    const int lanes = params_.sequences - 1;
    std::size_t next = 0;
    // Takes alternatives from `next` on while they fit a batch that already holds `used`
    // tokens; returns them with the batch offset each will start at.
    auto pack = [&](int used) {
        std::vector<std::pair<std::size_t, int>> packed;
        while (next < alternatives.size() && static_cast<int>(packed.size()) < lanes) {
            const int size = static_cast<int>(alternatives[next].tokens.size());
            if (size > params_.batch_size) { ++next; continue; }  // cannot happen for words; skip rather than fail
            if (used + size > params_.batch_size) break;
            packed.emplace_back(next++, used);
            used += size;
        }
        return packed;
    };
    auto add_alternatives = [&](Batch& batch, const std::vector<std::pair<std::size_t, int>>& packed) {
        for (std::size_t lane = 0; lane < packed.size(); ++lane) {
            const auto& alternative = alternatives[packed[lane].first];
            const int size = static_cast<int>(alternative.tokens.size());
            for (int k = 0; k < size; ++k)
                batch.add(alternative.tokens[k], alternative.prefix_length + k, static_cast<int>(lane) + 1, k + 1 < size);
        }
    };
    auto read_alternatives = [&](const std::vector<std::pair<std::size_t, int>>& packed) {
        for (const auto& [a, offset] : packed) {
            const auto& tokens = alternatives[a].tokens;
            for (std::size_t k = 1; k < tokens.size(); ++k) {
                const float* row_logits = logits(offset + static_cast<int>(k) - 1);
                result[a] += row_logits[tokens[k]] - log_sum_exp(row_logits, vocab);
            }
        }
    };
    llama_memory_t memory = llama_get_memory(context_);
    auto release_lanes = [&](std::size_t used_lanes) {
        for (std::size_t seq = 1; seq <= used_lanes; ++seq) llama_memory_seq_rm(memory, static_cast<int>(seq), -1, -1);
    };
    clear();
    if (count <= params_.batch_size) {
        // The stream and the first round share one llama_decode: each stream token also
        // belongs to the sequences of the alternatives it is a prefix of: one decode fewer
        // per stream (docs/BENCHMARKS.md, "Verifier speed").
        const auto packed = pack(count);
        Batch batch(params_.batch_size, params_.sequences);
        for (int i = 0; i < count; ++i) {
            batch.add(stream[i], i, 0, needed[i] != 0);
            for (std::size_t lane = 0; lane < packed.size(); ++lane)
                if (i < alternatives[packed[lane].first].prefix_length) batch.add_sequence(static_cast<int>(lane) + 1);
        }
        add_alternatives(batch, packed);
        submit(batch);
        read_stream_rows(0, count);
        read_alternatives(packed);
        release_lanes(packed.size());
    } else {
        for (int start = 0; start < count; start += params_.batch_size) {
            const int chunk = std::min(params_.batch_size, count - start);
            Batch batch(chunk);
            for (int i = 0; i < chunk; ++i) batch.add(stream[start + i], start + i, 0, needed[start + i] != 0);
            submit(batch);
            read_stream_rows(start, chunk);
        }
    }
    while (next < alternatives.size()) {
        const auto packed = pack(0);
        Batch batch(params_.batch_size);
        for (std::size_t lane = 0; lane < packed.size(); ++lane)  // lanes are empty: released after each round
            llama_memory_seq_cp(memory, 0, static_cast<int>(lane) + 1, 0, alternatives[packed[lane].first].prefix_length);
        add_alternatives(batch, packed);
        if (batch.batch.n_tokens > 0) {
            submit(batch);
            read_alternatives(packed);
        }
        release_lanes(packed.size());
    }
    for (std::size_t a = 0; a < alternatives.size(); ++a)
        for (int i = alternatives[a].original_begin; i < alternatives[a].original_end; ++i) result[a] -= stream_logprob[i];
    return result;
}

namespace {

// Where the draft goes on after `output`: the draft position just after the longest match
// (up to 4 tokens) of the output's last tokens, the nearest at or after `cursor` preferred
// (the copy moves forward through the draft), else the nearest before it. -1: no match.
int draft_position(const std::vector<Token>& draft, const std::vector<Token>& output, int cursor) {
    constexpr int kLongest = 4;
    const int out_size = static_cast<int>(output.size());
    const int size = static_cast<int>(draft.size());
    for (int length = std::min(kLongest, out_size); length >= 1; --length) {
        auto matches_at = [&](int end) {  // draft[end - length, end) == the output's last `length`
            for (int k = 0; k < length; ++k)
                if (draft[end - length + k] != output[out_size - length + k]) return false;
            return true;
        };
        for (int end = std::max(length, cursor); end <= size; ++end)
            if (matches_at(end)) return end;
        for (int end = std::min(size, cursor) - 1; end >= length; --end)
            if (matches_at(end)) return end;
    }
    return -1;
}

int arg_max(const float* row, int size) { return static_cast<int>(std::max_element(row, row + size) - row); }

}  // namespace

std::vector<Token> Context::generate_copying(const std::vector<Token>& prompt, const std::vector<Token>& draft,
                                             int max_tokens, int lookahead, CopyStats* stats) {
    const int prompt_size = static_cast<int>(prompt.size());
    if (prompt_size == 0) return {};
    if (prompt_size + max_tokens + lookahead > params_.context_size)
        max_tokens = std::max(0, params_.context_size - prompt_size - lookahead);
    lookahead = std::max(0, std::min(lookahead, params_.batch_size - 1));
    clear();
    for (int start = 0; start < prompt_size; start += params_.batch_size) {
        const int chunk = std::min(params_.batch_size, prompt_size - start);
        decode(prompt.data() + start, chunk, start, 0, false);
    }
    const int vocab = model_->vocab_size();
    llama_memory_t memory = llama_get_memory(context_);
    std::vector<Token> output;
    Token next = static_cast<Token>(arg_max(logits(-1), vocab));
    int position = prompt_size;  // of `next`
    int cursor = 0;              // in the draft: where the copy has got to
    // Guesses grow while the model keeps them all and shrink when it keeps none: on a CPU each
    // token checked costs compute, so a draft the output has left should not be checked at length.
    int guess_length = std::min(lookahead, 4);
    while (static_cast<int>(output.size()) < max_tokens && !model_->is_end_of_generation(next)) {
        output.push_back(next);
        if (static_cast<int>(output.size()) == max_tokens) break;
        // `next` and the draft's guess at what follows it, in one decode.
        std::vector<Token> guess;
        if (const int at = draft_position(draft, output, cursor); at >= 0) {
            const int room = std::min(guess_length, max_tokens - static_cast<int>(output.size()));
            guess.assign(draft.begin() + at, draft.begin() + std::min<int>(at + room, static_cast<int>(draft.size())));
            cursor = at;
        }
        Batch batch(1 + static_cast<int>(guess.size()));
        batch.add(next, position, 0, true);
        for (std::size_t k = 0; k < guess.size(); ++k) batch.add(guess[k], position + 1 + static_cast<int>(k), 0, true);
        submit(batch);
        if (stats) ++stats->decodes, stats->drafted += static_cast<int>(guess.size());
        // Row k predicts the token after batch token k: keep guesses while they are its arg-max.
        int kept = 0;
        next = static_cast<Token>(arg_max(logits(0), vocab));
        while (kept < static_cast<int>(guess.size()) && next == guess[kept] && !model_->is_end_of_generation(next) &&
               static_cast<int>(output.size()) < max_tokens) {
            output.push_back(next);
            ++kept;
            next = static_cast<Token>(arg_max(logits(kept), vocab));
        }
        if (stats) stats->accepted += kept;
        if (!guess.empty())
            guess_length = kept == static_cast<int>(guess.size()) ? std::min(lookahead, guess_length * 2)
                                                                  : std::max(1, std::min(guess_length, kept + 1));
        cursor += kept;
        position += 1 + kept;
        // The cells of the guesses not kept go; `next` is decoded in the next round.
        if (kept < static_cast<int>(guess.size())) llama_memory_seq_rm(memory, 0, position, -1);
    }
    return output;
}

std::vector<Token> Context::generate_greedy(const std::vector<Token>& prompt, int max_tokens) {
    const int prompt_size = static_cast<int>(prompt.size());
    if (prompt_size == 0) return {};
    if (prompt_size + max_tokens > params_.context_size)
        max_tokens = std::max(0, params_.context_size - prompt_size);
    clear();
    for (int start = 0; start < prompt_size; start += params_.batch_size) {
        const int chunk = std::min(params_.batch_size, prompt_size - start);
        decode(prompt.data() + start, chunk, start, 0, false);
    }
    const int vocab = model_->vocab_size();
    std::vector<Token> output;
    for (int step = 0; step < max_tokens; ++step) {
        const float* row = logits(-1);
        const Token next = static_cast<Token>(std::max_element(row, row + vocab) - row);
        if (model_->is_end_of_generation(next)) break;
        output.push_back(next);
        decode(&next, 1, prompt_size + step, 0, true);
    }
    return output;
}

}  // namespace ocrfix::llm

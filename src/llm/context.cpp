#include "llm/context.h"

#include <llama.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "ocrfix/error.h"

namespace ocrfix::llm {

namespace {

int default_threads(int requested) {
    if (requested > 0) return requested;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? static_cast<int>(cores) : 4;
}

struct Batch {
    explicit Batch(int capacity) : batch(llama_batch_init(capacity, 0, 1)) {}
    ~Batch() { llama_batch_free(batch); }
    void add(Token token, int pos, int seq, bool want_logits) {
        const int i = batch.n_tokens++;
        batch.token[i] = token;
        batch.pos[i] = pos;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = seq;
        batch.logits[i] = want_logits;
    }
    llama_batch batch;
};

}  // namespace

double log_softmax_at(const float* logits, int size, Token token) {
    const float max_logit = *std::max_element(logits, logits + size);
    double sum = 0.0;
    for (int i = 0; i < size; ++i) sum += std::exp(static_cast<double>(logits[i] - max_logit));
    return static_cast<double>(logits[token] - max_logit) - std::log(sum);
}

Context::Context(std::shared_ptr<const Model> model, const ContextParams& params)
    : model_(std::move(model)), params_(params) {
    llama_context_params context_params = llama_context_default_params();
    context_params.n_ctx = static_cast<uint32_t>(params.context_size * std::max(1, params.sequences));
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
}

Context::~Context() { llama_free(context_); }

int Context::size() const { return params_.context_size; }

void Context::clear() { llama_memory_clear(llama_get_memory(context_), true); }

void Context::decode(const Token* tokens, int count, int start, int seq, bool all_logits) {
    Batch batch(count);
    for (int i = 0; i < count; ++i) batch.add(tokens[i], start + i, seq, all_logits || i == count - 1);
    if (const int status = llama_decode(context_, batch.batch); status != 0)
        throw Error(ErrorCategory::runtime, "llama_decode failed with status " + std::to_string(status) +
                                                " (" + take_last_llama_error() + ")");
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

std::vector<double> Context::continuation_logprobs(const std::vector<Token>& prefix,
                                                   const std::vector<std::vector<Token>>& continuations) {
    std::vector<double> result(continuations.size(), 0.0);
    if (prefix.empty()) throw Error(ErrorCategory::runtime, "continuation_logprobs needs a non-empty prefix");
    const int vocab = model_->vocab_size();
    const int prefix_size = static_cast<int>(prefix.size());
    clear();
    // The prefix goes into sequence 0 once; its last logits predict every continuation's first token.
    for (int start = 0; start < prefix_size; start += params_.batch_size) {
        const int chunk = std::min(params_.batch_size, prefix_size - start);
        decode(prefix.data() + start, chunk, start, 0, false);
    }
    std::vector<float> last(logits(-1), logits(-1) + vocab);
    llama_memory_t memory = llama_get_memory(context_);
    const int lanes = std::max(1, params_.sequences);
    for (std::size_t first = 0; first < continuations.size(); first += static_cast<std::size_t>(lanes)) {
        const std::size_t end = std::min(continuations.size(), first + static_cast<std::size_t>(lanes));
        int total = 0;
        for (std::size_t c = first; c < end; ++c) {
            const int seq = static_cast<int>(c - first);
            if (seq > 0) {
                llama_memory_seq_rm(memory, seq, -1, -1);
                llama_memory_seq_cp(memory, 0, seq, -1, -1);
            }
            total += static_cast<int>(continuations[c].size());
        }
        if (prefix_size + total > params_.context_size * lanes)
            throw Error(ErrorCategory::runtime, "continuations do not fit the context");
        Batch batch(std::max(1, total));
        std::vector<int> offsets;
        for (std::size_t c = first; c < end; ++c) {
            offsets.push_back(batch.batch.n_tokens);
            const auto& tokens = continuations[c];
            for (std::size_t k = 0; k < tokens.size(); ++k)
                batch.add(tokens[k], prefix_size + static_cast<int>(k), static_cast<int>(c - first), true);
        }
        if (batch.batch.n_tokens > 0) {
            if (const int status = llama_decode(context_, batch.batch); status != 0)
                throw Error(ErrorCategory::runtime, "llama_decode failed with status " + std::to_string(status));
        }
        for (std::size_t c = first; c < end; ++c) {
            const auto& tokens = continuations[c];
            const int offset = offsets[c - first];
            double sum = tokens.empty() ? 0.0 : log_softmax_at(last.data(), vocab, tokens[0]);
            for (std::size_t k = 1; k < tokens.size(); ++k)
                sum += log_softmax_at(logits(offset + static_cast<int>(k) - 1), vocab, tokens[k]);
            result[c] = sum;
        }
        // Drop this round's continuations; sequence 0 keeps only the prefix.
        for (int seq = 0; seq < static_cast<int>(end - first); ++seq)
            llama_memory_seq_rm(memory, seq, prefix_size, -1);
    }
    return result;
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

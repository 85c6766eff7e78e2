// llm::Context: per-thread inference state (KV cache, batch) over a shared llm::Model.
// Not thread-safe: one Context per thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "llm/model.h"

struct llama_context;

namespace ocrfix::llm {

struct Batch;

// The message of the Error(runtime) a stopped call throws (Context::set_should_stop).
inline constexpr const char* kStoppedMessage =
    "the correction was stopped before it finished (RunOptions::should_stop returned true)";

// An alternative to a stretch of a decoded token stream, scored against it.
struct Continuation {
    int prefix_length = 0;          // stream tokens [0, prefix_length) come before it
    std::vector<Token> tokens;      // the alternative, right context included
    int original_begin = 0;         // the stream tokens it stands in for, right context included
    int original_end = 0;
};

// A beam search's partial result: tokens after a root (a prefix of the decoded stream).
struct Hypothesis {
    std::size_t root = 0;       // index into the roots given to Context::beam_search
    std::vector<Token> tokens;
    double log_prob = 0.0;      // log p(tokens | the root's prefix), nats
    double penalty = 0.0;       // the caller's cost of the hypothesis as a whole, nats
    double rank() const { return log_prob - penalty; }
};

// A token a hypothesis may grow by, and the caller's penalty for the result.
struct Extension {
    Token token = 0;
    double penalty = 0.0;
};

// What the caller makes of a hypothesis just extended by one token.
struct Verdict {
    bool extend = false;    // worth growing further
    bool complete = false;  // may end here: a result, once the model agrees that it ends
};

struct BeamParams {
    int width = 3;  // hypotheses kept per root after each step, the best ranked
    int depth = 3;  // tokens per hypothesis, at most
    int top = 16;   // extensions judged per hypothesis, the best ranked first
    // Tokens that end a hypothesis (for words: those that open the next word or a mark).
    // A complete hypothesis's log-prob includes the model's odds of one of them coming next,
    // so a word is not taken for the start of a longer one. By token; null: no such term.
    const std::vector<char>* ends = nullptr;
};

struct ContextParams {
    int context_size = 2048;  // tokens of KV cache, shared by all sequences
    int batch_size = 512;     // tokens submitted to one llama_decode
    int threads = 0;          // 0 = one per usable physical core (machine_limits.h)
    int sequences = 1;        // parallel sequences (for scoring many continuations at once)
};

class Context {
public:
    Context(std::shared_ptr<const Model> model, const ContextParams& params);
    const ContextParams& params() const { return params_; }
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const Model& model() const { return *model_; }
    int size() const;  // context window in tokens

    // Asked before every llama_decode and, on the CPU, between the operations of one (llama.cpp's
    // abort callback, so one long decode stops too): once it returns true, the call in progress
    // throws Error(runtime, kStoppedMessage). It may be called on llama.cpp's threads, so it must
    // be thread-safe and cheap. Empty: never stops. StopHook sets it for the length of a run.
    void set_should_stop(std::function<bool()> should_stop) { should_stop_ = std::move(should_stop); }
    bool stop_requested() const { return should_stop_ && should_stop_(); }

    // log p(tokens[i] | tokens[0..i)) for every i; entry 0 is 0 (nothing predicts it).
    // Throws ocrfix::Error(runtime) when the tokens do not fit the context.
    std::vector<float> token_logprobs(const std::vector<Token>& tokens);

    // Decodes `stream` once, then scores every alternative as a continuation of its
    // prefix (the prefix's KV cache is shared, not recomputed), packing many alternatives
    // into each llama_decode. Returns, for each, log p(alternative | prefix) -
    // log p(stream[original_begin, original_end) | prefix), in nats.
    std::vector<double> score_alternatives(const std::vector<Token>& stream,
                                           const std::vector<Continuation>& alternatives);

    // Decodes `stream` once, then grows hypotheses token by token from each root (a prefix
    // length of the stream, at least 1; an empty hypothesis stands for the root). At every
    // step each hypothesis is offered the tokens `extensions` allows it, the `top` best
    // ranked (log-prob - penalty) are judged, and the `width` best per root go on, each in
    // a KV sequence copied from its parent's (llm/beam_search.cpp). Returns every hypothesis
    // judged complete, its log-prob including the odds that it ends (BeamParams::ends).
    std::vector<Hypothesis> beam_search(const std::vector<Token>& stream, const std::vector<int>& roots,
                                        const BeamParams& params,
                                        const std::function<std::vector<Extension>(const Hypothesis&)>& extensions,
                                        const std::function<Verdict(const Hypothesis&)>& judge);

    // Greedy (arg-max) continuation of `prompt`: deterministic for a given model and build.
    // Stops at an end-of-generation token or after `max_tokens`.
    std::vector<Token> generate_greedy(const std::vector<Token>& prompt, int max_tokens);

    // generate_greedy for output that mostly copies `draft` (a rewrite of the text the
    // prompt holds): where the output's last tokens occur in the draft, the draft tokens that
    // follow them, up to `lookahead`, are checked in the same llama_decode as the next token,
    // and every one that greedy decoding would have chosen is kept at once (copy-speculative
    // decoding). A draft token stays only where it is the arg-max, so the result is
    // generate_greedy's as far as a decode of several tokens gives the same logits as one of a
    // single token. On the CPU it does not quite (other kernels, other sums): after a near tie
    // a long output can part from greedy's (16 of 30 long rewrites, bench/rewrite_speed).
    // `stats`, when given, counts decodes and accepted draft tokens.
    struct CopyStats {
        int decodes = 0;
        int drafted = 0;   // draft tokens checked
        int accepted = 0;  // of them, kept
    };
    std::vector<Token> generate_copying(const std::vector<Token>& prompt, const std::vector<Token>& draft,
                                        int max_tokens, int lookahead = 16, CopyStats* stats = nullptr);

private:
    void clear();
    // llama_decode, or Error(runtime, kStoppedMessage) once stop_requested().
    void submit(Batch& batch);
    static bool abort_requested(void* self);
    // Decodes tokens at positions [start, start + n) of sequence `seq`; requests logits for
    // all of them when `all_logits`, else only for the last.
    void decode(const Token* tokens, int count, int start, int seq, bool all_logits);
    const float* logits(int batch_index) const;

    std::shared_ptr<const Model> model_;
    llama_context* context_ = nullptr;
    ContextParams params_;
    std::function<bool()> should_stop_;
};

// Sets a Context's should_stop for one run and clears it after, however the run ends.
class StopHook {
public:
    StopHook(Context* context, std::function<bool()> should_stop) : context_(context) {
        if (context_) context_->set_should_stop(std::move(should_stop));
    }
    ~StopHook() {
        if (context_) context_->set_should_stop(nullptr);
    }
    StopHook(const StopHook&) = delete;
    StopHook& operator=(const StopHook&) = delete;

private:
    Context* context_;
};

// log sum exp(logits) over a vocabulary of `size` entries.
double log_sum_exp(const float* logits, int size);
// log softmax(logits)[token] over a vocabulary of `size` entries.
double log_softmax_at(const float* logits, int size, Token token);

}  // namespace ocrfix::llm

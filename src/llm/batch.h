// llm::Batch: an owned llama_batch that tokens are added to one by one (llm layer only).
#pragma once

#include <llama.h>

#include "llm/model.h"

namespace ocrfix::llm {

struct Batch {
    explicit Batch(int capacity, int max_sequences = 1) : batch(llama_batch_init(capacity, 0, max_sequences)) {}
    ~Batch() { llama_batch_free(batch); }
    void add(Token token, int pos, int seq, bool want_logits) {
        const int i = batch.n_tokens++;
        batch.token[i] = token;
        batch.pos[i] = pos;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = seq;
        batch.logits[i] = want_logits;
    }
    // Adds sequence `seq` to the last token added (its KV cell is then shared).
    void add_sequence(int seq) {
        const int i = batch.n_tokens - 1;
        batch.seq_id[i][batch.n_seq_id[i]++] = seq;
    }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    llama_batch batch;  // decoded by Context::submit
};

}  // namespace ocrfix::llm

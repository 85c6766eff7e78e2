// Chat prompts for instruct models, through the template stored in the GGUF.
#pragma once

#include <string>
#include <vector>

#include "llm/model.h"

namespace ocrfix::llm {

struct ChatMessage {
    std::string role;  // "system", "user" or "assistant"
    std::string content;
};

// Formats `messages` with the model's chat template (llama.cpp's built-in templates,
// detected from the GGUF's tokenizer.chat_template) and, when `add_assistant`, opens the
// assistant's turn. Falls back to ChatML when the model has no template.
// Throws ocrfix::Error(runtime) if llama.cpp does not know the template.
std::string apply_chat_template(const Model& model, const std::vector<ChatMessage>& messages,
                                bool add_assistant = true);

}  // namespace ocrfix::llm

#include "llm/chat.h"

#include <llama.h>

#include "ocrfix/error.h"

namespace ocrfix::llm {

std::string apply_chat_template(const Model& model, const std::vector<ChatMessage>& messages,
                                bool add_assistant) {
    std::string tmpl = model.chat_template();
    if (tmpl.empty()) tmpl = "chatml";
    std::vector<llama_chat_message> raw;
    std::size_t total = 0;
    for (const auto& message : messages) {
        raw.push_back({message.role.c_str(), message.content.c_str()});
        total += message.role.size() + message.content.size();
    }
    std::string buffer(total * 2 + 256, '\0');
    int32_t size = llama_chat_apply_template(tmpl.c_str(), raw.data(), raw.size(), add_assistant,
                                             buffer.data(), static_cast<int32_t>(buffer.size()));
    if (size > static_cast<int32_t>(buffer.size())) {
        buffer.resize(static_cast<std::size_t>(size));
        size = llama_chat_apply_template(tmpl.c_str(), raw.data(), raw.size(), add_assistant, buffer.data(),
                                         static_cast<int32_t>(buffer.size()));
    }
    if (size < 0)
        throw Error(ErrorCategory::runtime, "the chat template of " + model.path() +
                                                " is not one llama.cpp knows; use a base model with "
                                                "tier=balanced, or another instruct model");
    buffer.resize(static_cast<std::size_t>(size));
    return buffer;
}

}  // namespace ocrfix::llm

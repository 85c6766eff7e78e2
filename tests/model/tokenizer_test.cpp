// Tokenize then detokenize must give the text back exactly, on the real vocabulary.
#include <gtest/gtest.h>

#include "llm/model.h"
#include "model/default_model.h"

TEST(Tokenizer, RoundTripIsLosslessAcrossLanguages) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    const std::vector<std::string> texts = {
        "The Government has announced new rules for the harbour.",
        "Les élèves ont rendu leurs copies à l'instituteur, où qu'il fût.",
        "Die Größe des Schiffes überraschte die Zuschauer; daß es schwamm, auch.",
        "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο 🦊🐕",
        "Emoji 😀👍🏽 and 👩‍👩‍👧 with  double  spaces,\ttabs\nand\r\nline breaks.",
        " leading space and trailing space ",
    };
    for (const auto& text : texts) {
        const auto tokens = model->tokenize(text, /*add_special=*/false);
        ASSERT_FALSE(tokens.empty()) << text;
        EXPECT_EQ(model->detokenize(tokens), text);
        std::string pieces;
        for (const auto token : tokens) pieces += model->token_piece(token);
        EXPECT_EQ(pieces, text);
    }
}

// ocrfix: corrects the errors OCR leaves in text, with local GGUF language models.
//
//     #include <ocrfix/ocrfix.h>
//
//     ocrfix::ModelConfig config;             // the built-in default model, CPU
//     config.gpu_layers = 0;
//     ocrfix::Engine engine(config);
//     ocrfix::CorrectionResult result = engine.run_postprocessor("Ths is a smple txt.");
//     std::cout << result.text << "\n";       // the input plus the accepted edits
//     for (const ocrfix::Edit& edit : result.edits)
//         std::cout << edit.begin << ".." << edit.end << " -> " << edit.replacement << "\n";
//     engine.free_resources();                // or let the Engine go out of scope
//
// Every function reports failure by throwing ocrfix::Error (see error.h), whose message
// says what to do next.
#pragma once

#include "ocrfix/edit.h"
#include "ocrfix/engine.h"
#include "ocrfix/error.h"
#include "ocrfix/model_config.h"
#include "ocrfix/post_processor.h"
#include "ocrfix/settings.h"

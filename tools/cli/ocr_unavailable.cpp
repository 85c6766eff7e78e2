// `ocrfix ocr` in a build made without Tesseract (OCRFIX_OCR=OFF): the command exists and
// says how to get it, rather than being an unknown argument.
#include <CLI/CLI.hpp>

#include "commands.h"
#include "ocr/page_source.h"
#include "ocrfix/error.h"

namespace ocrfix::cli {

void add_ocr_command(CLI::App& app) {
    auto* command = app.add_subcommand("ocr", "Recognise page images and PDFs (not in this build)");
    command->allow_extras();
    command->callback([] {
        throw Error(ErrorCategory::invalid_argument, std::string(ocr::kPageRecognitionUnavailable));
    });
}

}  // namespace ocrfix::cli

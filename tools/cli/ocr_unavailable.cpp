// `ocrfix ocr` in a build made without Tesseract (OCRFIX_OCR=OFF): the command exists and
// says how to get it, rather than being an unknown argument.
#include <CLI/CLI.hpp>

#include "commands.h"
#include "ocrfix/error.h"

namespace ocrfix::cli {

void add_ocr_command(CLI::App& app) {
    auto* command = app.add_subcommand("ocr", "Recognise page images and PDFs (not in this build)");
    command->allow_extras();
    command->callback([] {
        throw Error(ErrorCategory::invalid_argument,
                    "this ocrfix was built without page recognition (OCRFIX_OCR=OFF). Install Tesseract "
                    "and poppler-cpp (`make deps`) and rebuild with -DOCRFIX_OCR=ON, or correct text that "
                    "was recognised elsewhere with `ocrfix correct`.");
    });
}

}  // namespace ocrfix::cli

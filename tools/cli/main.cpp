// The ocrfix command line: parses the arguments, runs one subcommand, and turns failures
// into the documented exit codes (exit_codes.h).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>

#include "commands.h"
#include "eval_command.h"
#include "exit_codes.h"
#include "model_options.h"
#include "ocrfix/ocrfix.h"

int main(int argc, char** argv) {
    using namespace ocrfix::cli;
    CLI::App app{"ocrfix: corrects the errors OCR leaves in text, with a local language model.\n"
                 "Text outside accepted edits is kept byte for byte.",
                 "ocrfix"};
    app.set_version_flag("--version", ocrfix::version_string());
    app.require_subcommand(1);
    app.footer(std::string("Examples:\n"
                           "  ocrfix correct scan.txt                 correct a file, print the result\n"
                           "  echo 'Ths is a smple txt.' | ocrfix correct -\n"
                           "  ocrfix ocr scan.png                     recognise a page image or PDF, correct it\n"
                           "  ocrfix correct -f diff scan.txt         show the edits as a coloured diff\n"
                           "  ocrfix correct --output-dir out/ scans/ many files, resumable, on every core\n"
                           "  ocrfix models list                      the models in the local store\n"
                           "  ocrfix serve --port 8080                HTTP API and web page on 127.0.0.1\n"
                           "  ocrfix COMMAND --help                   options and examples of one command\n\n") +
               kExitCodesHelp);

    int command_exit_code = kOk;  // eval and batches report their result through this, not by throwing
    add_correct_command(app, command_exit_code);
    add_ocr_command(app);
    add_batch_worker_command(app);
    add_models_command(app);
    add_serve_command(app);
    add_eval_command(app, command_exit_code);

    std::vector<std::string> args(argv + 1, argv + argc);
    rewrite_llama_style_flags(args);
    std::reverse(args.begin(), args.end());  // CLI11 consumes the vector from the back
    try {
        app.parse(args);  // runs the chosen subcommand's callback
        // Output that never arrived is a failure, whatever the command (a full disk, /dev/full).
        errno = 0;
        std::cout.flush();
        if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))
            throw ocrfix::Error(ocrfix::ErrorCategory::io,
                                std::string("writing to standard output failed: ") +
                                    std::strerror(errno ? errno : EIO) + "; check free space or the pipe");
        return command_exit_code;
    } catch (const CLI::RuntimeError& error) {
        return error.get_exit_code();
    } catch (const CLI::ParseError& error) {
        return app.exit(error) == 0 ? kOk : kUsage;
    } catch (const ocrfix::Error& error) {
        std::cerr << "ocrfix: error: " << error.what() << "\n";
        return exit_code_for(error.category());
    } catch (const std::bad_alloc&) {
        std::cerr << "ocrfix: error: out of memory: the input needs more than this process may use; split it "
                     "(a layout file into pages, a text into parts) or raise the memory limit. No half-written file was left.\n";
        return kFailure;
    } catch (const std::exception& error) {
        std::cerr << "ocrfix: error: " << error.what() << "\n";
        return kFailure;
    }
    return kOk;
}

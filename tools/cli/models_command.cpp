// `ocrfix models list|pull|path|rm`: the local model store (a Hugging Face hub cache).
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "model_options.h"
#include "ocrfix/ocrfix.h"
#include "progress_bar.h"
#include "store/model_store.h"

namespace ocrfix::cli {

namespace {

// Options that name a model; the rest of the table (threads, tier, ...) means nothing here.
const std::vector<std::string_view> kModelNamingSettings = {
    "hugging_face_repo_id", "hugging_face_quantization", "directory_model_path", "file_model_path"};

struct ModelsArguments {
    std::string repo;  // positional shorthand for --hf-repo
    bool force = false;  // rm: also a model the defaults use
    ModelOptions model;

    ModelConfig config() const {
        ModelConfig config = model.config();
        if (!repo.empty()) config.hugging_face_repo_id = repo;
        return config;
    }
};

void print_list() {
    const auto models = store::list_local();
    if (models.empty()) {
        std::cerr << "no models in " << store::hub_cache_dir().string()
                  << "; run `ocrfix models pull` (needs HF_ENDPOINT reachable) or `make models`\n";
        return;
    }
    const std::string default_repo(store::default_model().repo_id);
    std::size_t repo_width = 4, file_width = 4;
    for (const auto& model : models) {
        repo_width = std::max(repo_width, model.repo_id.size());
        file_width = std::max(file_width, model.filename.size());
    }
    std::printf("%-*s  %-*s  %10s  %s\n", static_cast<int>(repo_width), "REPO", static_cast<int>(file_width), "FILE",
                "SIZE", "ALIAS");
    for (const auto& model : models) {
        const store::BuiltinModel* builtin = store::find_builtin(model.repo_id);
        std::string alias = builtin ? std::string(builtin->alias) : "";
        if (model.repo_id == default_repo) alias += " (default)";
        std::printf("%-*s  %-*s  %10s  %s\n", static_cast<int>(repo_width), model.repo_id.c_str(),
                    static_cast<int>(file_width), model.filename.c_str(), format_bytes(model.size_bytes).c_str(),
                    alias.c_str());
    }
}

void pull(const ModelsArguments& arguments) {
    ModelConfig config = arguments.config();
    config.allow_auto_download = true;
    ProgressBar bar("downloading", 0, ProgressUnit::bytes);
    std::string current_file;
    const auto path = store::pull(config, [&](const store::DownloadProgress& progress) {
        if (progress.filename != current_file) {
            current_file = std::string(progress.filename);
            bar.set_label("downloading " + current_file);
        }
        bar.set_total(progress.bytes_total);
        bar.update(progress.bytes_done);
    });
    bar.finish();
    std::cout << path.string() << "\n";
}

void remove(const ModelsArguments& arguments) {
    if (arguments.repo.empty())
        throw Error(ErrorCategory::invalid_argument,
                    "models rm needs the repo to delete, e.g. `ocrfix models rm ORG/NAME`; "
                    "`ocrfix models list` shows them");
    // The built-in models are what the defaults load (the main model, German's verifier):
    // deleting one breaks `ocrfix correct` or changes its results, so it takes --force.
    if (const store::BuiltinModel* builtin = store::find_builtin(arguments.repo); builtin && !arguments.force)
        throw Error(ErrorCategory::invalid_argument,
                    std::string(builtin->repo_id) + " is the built-in model " + std::string(builtin->alias) +
                        (builtin == &store::default_model() ? ", the default: `ocrfix correct` needs it"
                                                            : ", which the default settings use") +
                        ". Nothing was deleted. Pass --force to delete it anyway; `make models` installs it again.");
    const std::uint64_t freed = store::remove_local(arguments.repo);
    std::cout << "removed " << arguments.repo << " (" << format_bytes(freed) << " freed)\n";
}

}  // namespace

void add_models_command(CLI::App& app) {
    auto* models = app.add_subcommand("models", "List, download, locate and delete models in the local store");
    models->require_subcommand(1);
    models->footer(
        "Models live in a Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else\n"
        "$OCRFIX_HOME/hub (~/.cache/ocrfix/hub). Downloads use HF_ENDPOINT (a hub or a mirror)\n"
        "and HF_TOKEN.\n\n"
        "Examples:\n"
        "  ocrfix models list\n"
        "  ocrfix models pull gemma3-270m\n"
        "  ocrfix models pull ORG/NAME-GGUF --quant q8_0\n"
        "  ocrfix models path                 the file the default model loads from\n"
        "  ocrfix models rm ORG/NAME-GGUF\n"
        "  ocrfix models rm --force gemma3-270m  a built-in model needs --force");

    auto* list = models->add_subcommand("list", "Show every GGUF file in the local store");
    list->callback([] { print_list(); });

    auto add_model_command = [&](const char* name, const char* help, auto run) {
        auto arguments = std::make_shared<ModelsArguments>();
        auto* command = models->add_subcommand(name, help);
        command->add_option("repo", arguments->repo, "Repo id (ORG/NAME) or built-in alias; default: the default model");
        arguments->model.add_to(*command, kModelNamingSettings);
        if (std::string_view(name) == "rm")
            command->add_flag("--force", arguments->force,
                              "Also delete a built-in model (the default, or German's verifier)");
        command->callback([arguments, run] { run(*arguments); });
    };
    add_model_command("pull", "Download a model into the store (a progress bar when stderr is a terminal)", pull);
    add_model_command("path", "Print the GGUF file a model resolves to, without downloading",
                      [](const ModelsArguments& arguments) {
                          std::cout << store::resolve(arguments.config()).string() << "\n";
                      });
    add_model_command("rm", "Delete a repo (every file and snapshot) from the store", remove);
}

}  // namespace ocrfix::cli

// `ocrfix serve`: the HTTP API and the web page, until SIGTERM or Ctrl-C.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "commands.h"
#include "http_server.h"
#include "llm/machine_limits.h"
#include "model_options.h"
#include "ocrfix/ocrfix.h"
#include "shutdown_signal.h"

namespace ocrfix::cli {

namespace {

struct ServeArguments {
    server::ServerOptions server;
    ModelOptions model;
};

void run_serve(const ServeArguments& arguments) {
    server::ServerOptions options = arguments.server;
    if (options.token.empty())
        if (const char* token = std::getenv("OCRFIX_SERVER_TOKEN"); token) options.token = token;

    // The signal thread exists before any other, so every thread (HTTP, workers, llama.cpp)
    // inherits the blocked signals and only it receives them.
    std::mutex mutex;
    server::HttpServer* running = nullptr;
    bool stop_requested = false;
    server::ShutdownSignal signals([&](int signal) {
        std::fprintf(stderr, "ocrfix serve: %s received, finishing the requests in flight\n",
                     signal == SIGINT ? "SIGINT" : "SIGTERM");
        std::lock_guard lock(mutex);
        stop_requested = true;
        if (running) running->shutdown();
    });

    // The workers correct at the same time: each gets its share of the cores, so that busy
    // workers never run more llama.cpp threads than there are cores (which slows all of them).
    ModelConfig config = arguments.model.config();
    if (config.threads == 0) config.threads = std::max(1, llm::usable_cores() / std::max(1, options.workers));
    server::HttpServer server(Engine(config), options);
    const int port = server.bind();
    {
        std::lock_guard lock(mutex);
        if (stop_requested) return;
        running = &server;
    }
    // Scripts and tests read the port from this line (useful with --port 0).
    std::printf("ocrfix serve: listening on http://%s:%d/ (%d worker%s x %d thread%s, queue %d%s)\n",
                options.host.c_str(), port, options.workers, options.workers == 1 ? "" : "s", config.threads,
                config.threads == 1 ? "" : "s", options.queue_size, options.token.empty() ? "" : ", token required");
    std::fflush(stdout);
    server.serve();
    std::lock_guard lock(mutex);
    running = nullptr;
    std::fprintf(stderr, "ocrfix serve: stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& app) {
    auto arguments = std::make_shared<ServeArguments>();
    auto& options = arguments->server;
    auto* command = app.add_subcommand("serve", "Serve the HTTP API and the web page (until SIGTERM or Ctrl-C)");
    command->add_option("--host", options.host, "Address to listen on; 0.0.0.0 exposes the server to the network")
        ->capture_default_str();
    command->add_option("--port", options.port, "Port; 0 picks a free one and prints it")->capture_default_str();
    command->add_option("--workers", options.workers,
                        "Requests corrected in parallel (contexts sharing one model); unless -t is given, "
                        "each gets the physical cores divided by the workers as threads")
        ->capture_default_str();
    command->add_option("--queue", options.queue_size, "Requests that may wait for a worker; more get 429")
        ->capture_default_str();
    command->add_option("--max-body", options.max_body_bytes, "Largest request body in bytes; larger gets 413")
        ->capture_default_str();
    command->add_option("--max-batch", options.max_batch_texts, "Most texts in one batch request")
        ->capture_default_str();
    command->add_option("--timeout", options.timeout_seconds,
                        "Seconds a request may take, queueing included; later gets 504")
        ->capture_default_str();
    command->add_option("--request-read-timeout", options.request_read_timeout_seconds,
                        "Seconds a request may take to arrive whole (head and body, from its first byte); "
                        "slower clients get 408 and are disconnected")
        ->capture_default_str();
    command->add_option("--max-connections", options.max_connections,
                        "Connections served at once (a thread each, idle kept-alive ones included); more wait")
        ->capture_default_str();
    command->add_option("--max-connections-per-client", options.max_connections_per_client,
                        "Connections one client (IPv4 address, IPv6 /64) may hold at once (0: half of --max-connections); more get "
                        "429 and are closed. Behind a reverse proxy every client has the proxy's address: raise it "
                        "to --max-connections there")
        ->capture_default_str();
    command->add_option("--token", options.token,
                        "Require 'Authorization: Bearer TOKEN' on /v1/* and /metrics [env OCRFIX_SERVER_TOKEN]");
    arguments->model.add_to(*command);
    command->footer(
        "Endpoints:\n"
        "  POST /v1/correct   {\"text\": \"...\"} or {\"texts\": [...]}, optional \"tier\" and \"language\";\n"
        "                     answers the corrected text with its edits (see /openapi.json)\n"
        "  GET  /v1/models    the loaded model and the models in the local store\n"
        "  GET  /healthz      200 when serving, 503 while shutting down\n"
        "  GET  /metrics      Prometheus text format\n"
        "  GET  /openapi.json the OpenAPI 3.1 description of this API\n"
        "  GET  /             a web page to try corrections\n\n"
        "SIGTERM or Ctrl-C stops accepting corrections (503), finishes those in flight, gives requests\n"
        "still arriving 2 seconds, closes every other connection (slow and idle ones too), then exits 0;\n"
        "a second signal exits at once.\n\n"
        "Bodies are cut off at --max-body while they arrive, chunked ones too (413); a request to an\n"
        "unknown route (404), with a wrong method (405) or without the token (401) is answered before\n"
        "its body is read, and the connection is closed.\n\n"
        "Examples:\n"
        "  ocrfix serve                                   http://127.0.0.1:8080/\n"
        "  ocrfix serve --port 0 --workers 4 -ngl 99      a free port, four contexts, model on the GPU\n"
        "  OCRFIX_SERVER_TOKEN=secret ocrfix serve --host 0.0.0.0\n"
        "  curl -s localhost:8080/v1/correct -H 'Content-Type: application/json' \\\n"
        "       -d '{\"text\": \"Ths is a smple txt.\"}'\n"
        "  curl -s localhost:8080/v1/correct -H 'Content-Type: text/plain' --data-binary @page.txt");
    command->callback([arguments] { run_serve(*arguments); });
}

}  // namespace ocrfix::cli

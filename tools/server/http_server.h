// The ocrfix HTTP server: POST /v1/correct, GET /v1/models, /healthz, /metrics,
// /openapi.json and the web page at /. One loaded model, several worker contexts.
//
//     ocrfix::server::HttpServer server(ocrfix::Engine(config), options);
//     int port = server.bind();         // throws when the address is taken
//     std::thread stopper([&] { wait_for_sigterm(); server.shutdown(); });
//     server.serve();                   // returns once shutdown() has drained the requests
#pragma once

#include <memory>

#include "ocrfix/engine.h"
#include "server_options.h"

namespace ocrfix::server {

class HttpServer {
public:
    // Takes a loaded engine; the workers share its model. Throws ocrfix::Error(invalid_argument)
    // for options out of range.
    HttpServer(Engine engine, ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds options.host:options.port and returns the port (the chosen one when port is 0).
    // Throws ocrfix::Error(runtime) when the address cannot be bound.
    int bind();
    // Serves until shutdown(); returns after the in-flight requests have been answered and
    // the workers have stopped.
    void serve();
    // Thread-safe and idempotent. New corrections get 503 and /healthz reports "draining";
    // requests in flight finish (up to the request timeout); then the listener closes.
    void shutdown();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ocrfix::server

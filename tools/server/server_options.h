// The knobs of `ocrfix serve` that are not model settings (those come from the settings
// table). Defaults are safe for a laptop: loopback only, small queue, 1 MiB bodies.
#pragma once

#include <cstddef>
#include <string>

namespace ocrfix::server {

struct ServerOptions {
    std::string host = "127.0.0.1";      // 0.0.0.0 exposes the server to the network
    int port = 8080;                     // 0 = any free port (printed at start-up)
    int workers = 2;                     // inference contexts sharing one model's weights
    int queue_size = 8;                  // requests allowed to wait beyond those running
    std::size_t max_body_bytes = 1 << 20;  // larger requests get 413
    std::size_t max_batch_texts = 64;    // texts in one batch request
    double timeout_seconds = 60.0;       // a correction not done by then gets 504
    double request_read_timeout_seconds = 30.0;  // a request's head and body, from its first byte; slower gets 408
    int max_connections = 256;           // connections served at once, a thread each; more wait
    int max_connections_per_client = 0;  // of them, from one client, an IPv4 address or IPv6 /64 (0: half of max_connections); more get 429
    std::string token;                   // when set, /v1/* and /metrics need "Bearer <token>"
};

}  // namespace ocrfix::server

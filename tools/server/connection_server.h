// The connections of the HTTP server: cpp-httplib's Server with its per-connection loop
// replaced, so that no client can hold the server by sending slowly.
//
// cpp-httplib 0.11 bounds each read of a socket, not a request: a client that sends one byte
// every few seconds keeps its thread forever, and its fixed pool of threads is soon taken.
// Here every request must arrive whole (request line, headers and body) within
// `request_read_timeout` of its first byte, or the client gets 408 and the connection closes;
// each connection has a thread of its own, up to `max_connections`, so slow clients do not
// take the threads the other requests need; one client (an IPv4 address or an IPv6 /64,
// client_address.h) holds at most `max_connections_per_client` of them (more get 429 and are
// closed), so that no single client takes them all; and once stop() is called every connection still reading or idle closes at once.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ocrfix::server {

struct ConnectionLimits {
    std::chrono::milliseconds request_read_timeout{30000};  // a request's head and body, from its first byte
    std::chrono::milliseconds idle_timeout{5000};           // a kept-alive connection between requests
    std::chrono::milliseconds write_timeout{10000};         // each write of a response
    std::size_t max_connections = 256;                      // served at once; more wait for a thread
    std::size_t max_connections_per_client = 128;           // of them, from one client (client_key)
};

class ConnectionServer : public httplib::Server {
public:
    // `on_request_timeout` is called (on the connection's thread) for every 408,
    // `on_refused_connection` for every 429 to a client over its share of connections.
    ConnectionServer(ConnectionLimits limits, std::function<void()> on_request_timeout,
                     std::function<void()> on_refused_connection = nullptr);

    // For a handler that answers without reading the request's body (a refusal): the response
    // says "Connection: close" and the connection closes after it, the body unread. Only
    // from a handler or the error handler, on its connection's thread.
    static void close_after_response(httplib::Response& response);

    // Binds host:port (port 0: any free port) and returns the port, or -1. The listen queue is
    // the system's largest (httplib's is 5: a burst of connections would wait for SYN retries).
    int bind(const std::string& host, int port);

    // From now on connections close after the request they are serving.
    void drain() { draining_ = true; }
    // Requests being read or answered now (not idle connections).
    std::size_t active_requests() const { return active_requests_.load(); }

private:
    bool process_and_close_socket(socket_t sock) override;

    const ConnectionLimits limits_;
    const std::function<void()> on_request_timeout_;
    const std::function<void()> on_refused_connection_;
    std::atomic<bool> draining_{false};
    std::atomic<std::size_t> active_requests_{0};
    std::mutex clients_mutex_;
    std::unordered_map<std::string, std::size_t> connections_of_client_;  // by client_key()
};

}  // namespace ocrfix::server

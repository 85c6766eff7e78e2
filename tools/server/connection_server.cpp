#include "connection_server.h"

#include "client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace ocrfix::server {

namespace {

using Clock = std::chrono::steady_clock;

// Waits are cut into slices this long, so that stop() is noticed soon.
constexpr auto kPollSlice = std::chrono::milliseconds(100);

// Waits until `sock` has `events` (POLLIN or POLLOUT), `deadline` passes, or `listener`
// closes (stop()) when one is given. True when the socket is ready.
bool wait_for(int sock, short events, Clock::time_point deadline, const std::atomic<socket_t>* listener) {
    for (;;) {
        if (listener && *listener == INVALID_SOCKET) return false;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return false;
        pollfd fd{sock, events, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(std::min(left, kPollSlice).count()));
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) return false;
    }
}

void address_of(int sock, bool peer, std::string& ip, int& port) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int status = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&address), &length)
                            : ::getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
    if (status != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        port = ntohs(v4.sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        port = ntohs(v6.sin6_port);
    }
    ip = text;
}

// A connection's socket as httplib reads and writes it, with a deadline for the whole of the
// request being read (set by start_request) instead of a timeout per read.
class DeadlineStream : public httplib::Stream {
public:
    DeadlineStream(int sock, const std::atomic<socket_t>& listener, std::chrono::milliseconds write_timeout)
        : sock_(sock), listener_(listener), write_timeout_(write_timeout) {}

    void start_request(Clock::time_point deadline) {
        deadline_ = deadline;
        timed_out_ = false;
    }
    // The request was not read whole by its deadline; nothing more is written (the caller
    // answers 408 itself, rather than httplib answering 400).
    bool timed_out() const { return timed_out_; }
    bool has_buffered_input() const { return begin_ < end_; }

    bool is_readable() const override {
        return has_buffered_input() || wait_for(sock_, POLLIN, deadline_, &listener_);
    }
    bool is_writable() const override {
        return !timed_out_ && wait_for(sock_, POLLOUT, Clock::now() + write_timeout_, &listener_);
    }

    ssize_t read(char* out, size_t size) override {
        if (!has_buffered_input()) {
            if (!wait_for(sock_, POLLIN, deadline_, &listener_)) {
                timed_out_ = listener_ != INVALID_SOCKET;  // else stop() ended the wait
                return -1;
            }
            // httplib reads lines a byte at a time: fill a buffer, not `out`.
            const ssize_t got = recv_some(buffer_.data(), buffer_.size());
            if (got <= 0) return got;
            begin_ = 0;
            end_ = static_cast<std::size_t>(got);
        }
        const std::size_t count = std::min(size, end_ - begin_);
        std::memcpy(out, buffer_.data() + begin_, count);
        begin_ += count;
        return static_cast<ssize_t>(count);
    }

    ssize_t write(const char* data, size_t size) override {
        if (!is_writable()) return -1;
        ssize_t sent;
        do sent = ::send(sock_, data, size, MSG_NOSIGNAL);
        while (sent < 0 && errno == EINTR);
        return sent;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, false, ip, port); }
    socket_t socket() const override { return sock_; }

private:
    ssize_t recv_some(char* out, std::size_t size) {
        ssize_t got;
        do got = ::recv(sock_, out, size, 0);
        while (got < 0 && errno == EINTR);
        return got;
    }

    const int sock_;
    const std::atomic<socket_t>& listener_;
    const std::chrono::milliseconds write_timeout_;
    Clock::time_point deadline_ = Clock::now();
    bool timed_out_ = false;
    std::array<char, 16384> buffer_{};
    std::size_t begin_ = 0, end_ = 0;
};

// One thread per connection, started on demand and kept for the next, at most `max_threads`;
// connections beyond that wait for one to finish.
class ConnectionThreads : public httplib::TaskQueue {
public:
    explicit ConnectionThreads(std::size_t max_threads) : max_threads_(std::max<std::size_t>(1, max_threads)) {}
    ~ConnectionThreads() override { shutdown(); }

    void enqueue(std::function<void()> job) override {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
            if (idle_ < jobs_.size() && threads_.size() < max_threads_) threads_.emplace_back([this] { work(); });
        }
        wake_.notify_one();
    }

    // Runs the connections still waiting (they close at once: the listener is closed), then
    // joins every thread.
    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& thread : threads_)
            if (thread.joinable()) thread.join();
        threads_.clear();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ++idle_;
                wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
                --idle_;
                if (jobs_.empty()) return;  // stopping, nothing left
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            job();
        }
    }

    const std::size_t max_threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

// Set while a connection's thread serves it: where close_after_response() leaves its mark.
thread_local bool* t_close_requested = nullptr;

// An answer written to the socket itself, outside httplib (no request was read whole, or
// none is served): a JSON error, and the connection closes after it. Best effort: a client
// too slow to send may be too slow to read as well.
void send_closing_answer(int sock, std::string_view status_line, std::string_view extra_headers,
                         std::string_view json_body) {
    const std::string response = "HTTP/1.1 " + std::string(status_line) + "\r\nContent-Type: application/json\r\n" +
                                 std::string(extra_headers) + "Content-Length: " + std::to_string(json_body.size()) +
                                 "\r\nConnection: close\r\n\r\n" + std::string(json_body);
    (void)::send(sock, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

void send_request_timeout(int sock) {
    send_closing_answer(
        sock, "408 Request Timeout", "",
        R"({"error":{"code":"request_timeout","message":"the request did not arrive whole within the server's )"
        R"(--request-read-timeout; send it in one go, or ask the operator to raise the limit"}})");
}

void send_too_many_connections(int sock) {
    send_closing_answer(
        sock, "429 Too Many Requests", "Retry-After: 1\r\n",
        R"({"error":{"code":"too_many_connections","message":"this client (IPv4 address, IPv6 /64) holds the server's )"
        R"(--max-connections-per-client already; reuse a kept-alive connection, or close one first"}})");
}

// Closes a connection whose request body was left unread. Closing at once would reset the
// connection and the client could lose the answer; instead the sending side is shut first and
// what the client still sends is read and dropped, for `linger` at most.
void close_leaving_body_unread(int sock, std::chrono::milliseconds linger = std::chrono::seconds(1)) {
    ::shutdown(sock, SHUT_WR);
    constexpr std::size_t kMaxDiscarded = 1 << 20;
    const auto until = Clock::now() + linger;
    std::array<char, 16384> sink;
    std::size_t discarded = 0;
    while (discarded < kMaxDiscarded && wait_for(sock, POLLIN, until, nullptr)) {
        const ssize_t got = ::recv(sock, sink.data(), sink.size(), 0);
        if (got <= 0) break;
        discarded += static_cast<std::size_t>(got);
    }
    ::close(sock);
}

}  // namespace

ConnectionServer::ConnectionServer(ConnectionLimits limits, std::function<void()> on_request_timeout,
                                   std::function<void()> on_refused_connection)
    : limits_(limits), on_request_timeout_(std::move(on_request_timeout)),
      on_refused_connection_(std::move(on_refused_connection)) {
    new_task_queue = [max = limits_.max_connections] { return new ConnectionThreads(max); };
}

int ConnectionServer::bind(const std::string& host, int port) {
    const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
    if (bound > 0) ::listen(svr_sock_, SOMAXCONN);  // a second listen() only resizes the queue
    return bound;
}

void ConnectionServer::close_after_response(httplib::Response& response) {
    response.set_header("Connection", "close");
    if (t_close_requested) *t_close_requested = true;
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
    // One client (an IPv4 address, an IPv6 /64) may hold only its share of the connection
    // threads. The count is taken back however this function ends.
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    if (::getpeername(sock, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) peer.ss_family = AF_UNSPEC;
    const std::string client = client_key(peer);
    bool admitted;
    {
        std::lock_guard lock(clients_mutex_);
        std::size_t& held = connections_of_client_[client];
        admitted = held < limits_.max_connections_per_client;
        if (admitted) ++held;
        else if (held == 0) connections_of_client_.erase(client);
    }
    if (!admitted) {
        send_too_many_connections(sock);
        if (on_refused_connection_) on_refused_connection_();
        // The request the client sent at once is read and dropped, briefly: closed with it
        // unread, the connection would be reset and the 429 lost.
        close_leaving_body_unread(sock, std::chrono::milliseconds(200));
        return false;
    }
    struct Release {
        ConnectionServer& server;
        const std::string& client;
        ~Release() {
            std::lock_guard lock(server.clients_mutex_);
            const auto found = server.connections_of_client_.find(client);
            if (found != server.connections_of_client_.end() && --found->second == 0)
                server.connections_of_client_.erase(found);
        }
    } release{*this, client};
    DeadlineStream stream(sock, svr_sock_, limits_.write_timeout);
    bool close_requested = false;
    t_close_requested = &close_requested;
    bool served = false;
    for (std::size_t count = keep_alive_max_count_; count > 0; --count) {
        // Idle until the next request's first byte (or the client leaves, or stop()).
        if (!stream.has_buffered_input() &&
            !wait_for(sock, POLLIN, Clock::now() + limits_.idle_timeout, &svr_sock_))
            break;
        stream.start_request(Clock::now() + limits_.request_read_timeout);
        const bool last = count == 1 || draining_;
        bool client_closes = false;
        ++active_requests_;
        served = process_request(stream, last, client_closes, nullptr);
        --active_requests_;
        if (stream.timed_out()) {
            send_request_timeout(sock);
            if (on_request_timeout_) on_request_timeout_();
            close_requested = true;  // what the client still sends is not read
            break;
        }
        if (!served || last || client_closes || close_requested) break;
    }
    t_close_requested = nullptr;
    if (close_requested) {
        close_leaving_body_unread(sock);
    } else {
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
    }
    return served;
}

}  // namespace ocrfix::server

// Runs a callback on its own thread when SIGTERM or SIGINT arrives; a second one ends the
// process at once (exit code 130), for a person whose Ctrl-C should not wait for a drain. The signals are
// blocked in every thread and taken with sigwait(), so the callback may lock, allocate and
// join like any other code (a plain signal handler could do none of that).
#pragma once

#include <functional>
#include <thread>

namespace ocrfix::server {

class ShutdownSignal {
public:
    // Construct before starting any other thread: threads inherit the blocked signals.
    explicit ShutdownSignal(std::function<void(int signal)> on_signal);
    // Stops waiting (when no signal came) and joins the thread.
    ~ShutdownSignal();
    ShutdownSignal(const ShutdownSignal&) = delete;
    ShutdownSignal& operator=(const ShutdownSignal&) = delete;

private:
    std::thread waiter_;
    std::thread handler_;  // runs on_signal; started by waiter_, joined by the destructor
};

}  // namespace ocrfix::server

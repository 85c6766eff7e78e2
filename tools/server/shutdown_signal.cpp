#include "shutdown_signal.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>

namespace ocrfix::server {

namespace {

// SIGUSR2 only wakes the waiter when the server ends for another reason.
sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR2);
    return set;
}

}  // namespace

ShutdownSignal::ShutdownSignal(std::function<void(int)> on_signal) {
    const sigset_t set = handled_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    waiter_ = std::thread([this, set, on_signal = std::move(on_signal)] {
        bool first = true;
        for (;;) {
            int signal = 0;
            if (sigwait(&set, &signal) != 0 || signal == SIGUSR2) return;
            if (!first) std::_Exit(130);
            first = false;
            handler_ = std::thread(on_signal, signal);
        }
    });
}

ShutdownSignal::~ShutdownSignal() {
    if (!waiter_.joinable()) return;
    pthread_kill(waiter_.native_handle(), SIGUSR2);
    waiter_.join();
    if (handler_.joinable()) handler_.join();
}

}  // namespace ocrfix::server

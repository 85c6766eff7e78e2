// Counters and a latency histogram for GET /metrics, in the Prometheus text format.
// Thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace ocrfix::server {

// Values read at scrape time from the queue and the server.
struct Gauges {
    std::size_t queue_waiting = 0;
    std::size_t queue_capacity = 0;
    std::size_t workers_busy = 0;
    std::size_t workers = 0;
    std::size_t requests_in_flight = 0;
    bool draining = false;
};

class Metrics {
public:
    explicit Metrics(std::string version_label);

    // `path` is reduced to the known routes, so scanners cannot grow the label set.
    void count_request(std::string_view method, std::string_view path, int status);
    void observe_correction(double seconds, std::size_t texts, std::size_t input_bytes, std::size_t edits);

    std::string render(const Gauges& gauges) const;

private:
    static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                        0.5,   1.0,  2.5,   5.0,  10.0, 30.0};
    std::string version_label_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (route, status)
    std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
    std::uint64_t corrections_ = 0;
    double seconds_sum_ = 0.0;
    std::uint64_t texts_ = 0;
    std::uint64_t input_bytes_ = 0;
    std::uint64_t edits_ = 0;
};

}  // namespace ocrfix::server

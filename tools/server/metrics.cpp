#include "metrics.h"

#include <cstdint>
#include <cstdio>

#include "routes.h"

namespace ocrfix::server {

namespace {

std::string route_label(std::string_view method, std::string_view path) {
    const Route* route = find_route(path);
    return std::string(method) + " " + std::string(route ? route->path : "other");
}

std::string number(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return buffer;
}

// Label values escape backslash, quote and newline, as the text format requires.
std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

Metrics::Metrics(std::string version_label) : version_label_(std::move(version_label)) {}

void Metrics::count_request(std::string_view method, std::string_view path, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route_label(method, path), status}];
}

void Metrics::observe_correction(double seconds, std::size_t texts, std::size_t input_bytes, std::size_t edits) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++bucket_counts_[i];
    ++corrections_;
    seconds_sum_ += seconds;
    texts_ += texts;
    input_bytes_ += input_bytes;
    edits_ += edits;
}

std::string Metrics::render(const Gauges& gauges) const {
    std::lock_guard lock(mutex_);
    std::string out;
    header(out, "ocrfix_build_info", "gauge", "Version of ocrfix and llama.cpp.");
    out += "ocrfix_build_info{version=\"" + escape_label(version_label_) + "\"} 1\n";

    header(out, "ocrfix_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, count] : requests_) {
        const auto space = key.first.find(' ');
        out += "ocrfix_http_requests_total{method=\"" + key.first.substr(0, space) + "\",route=\"" +
               key.first.substr(space + 1) + "\",status=\"" + std::to_string(key.second) + "\"} " +
               std::to_string(count) + "\n";
    }

    header(out, "ocrfix_correction_seconds", "histogram", "Seconds from accepting a correction request to its answer, queueing included.");
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        out += "ocrfix_correction_seconds_bucket{le=\"" + number(kBuckets[i]) + "\"} " +
               std::to_string(bucket_counts_[i]) + "\n";
    out += "ocrfix_correction_seconds_bucket{le=\"+Inf\"} " + std::to_string(corrections_) + "\n";
    out += "ocrfix_correction_seconds_sum " + number(seconds_sum_) + "\n";
    out += "ocrfix_correction_seconds_count " + std::to_string(corrections_) + "\n";

    header(out, "ocrfix_texts_corrected_total", "counter", "Texts corrected (a batch counts each text).");
    out += "ocrfix_texts_corrected_total " + std::to_string(texts_) + "\n";
    header(out, "ocrfix_input_bytes_total", "counter", "Bytes of text corrected.");
    out += "ocrfix_input_bytes_total " + std::to_string(input_bytes_) + "\n";
    header(out, "ocrfix_edits_total", "counter", "Edits accepted.");
    out += "ocrfix_edits_total " + std::to_string(edits_) + "\n";

    header(out, "ocrfix_queue_waiting", "gauge", "Requests waiting for a worker.");
    out += "ocrfix_queue_waiting " + std::to_string(gauges.queue_waiting) + "\n";
    header(out, "ocrfix_queue_capacity", "gauge", "Requests that may wait before new ones get 429.");
    out += "ocrfix_queue_capacity " + std::to_string(gauges.queue_capacity) + "\n";
    header(out, "ocrfix_workers_busy", "gauge", "Workers correcting right now.");
    out += "ocrfix_workers_busy " + std::to_string(gauges.workers_busy) + "\n";
    header(out, "ocrfix_workers", "gauge", "Workers (inference contexts over the shared model).");
    out += "ocrfix_workers " + std::to_string(gauges.workers) + "\n";
    header(out, "ocrfix_requests_in_flight", "gauge", "Correction requests accepted and not yet answered.");
    out += "ocrfix_requests_in_flight " + std::to_string(gauges.requests_in_flight) + "\n";
    header(out, "ocrfix_draining", "gauge", "1 while shutting down: in-flight requests finish, new ones get 503.");
    out += std::string("ocrfix_draining ") + (gauges.draining ? "1" : "0") + "\n";
    return out;
}

}  // namespace ocrfix::server

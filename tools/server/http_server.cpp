#include "http_server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "connection_server.h"
#include "correct_request.h"
#include "correction_queue.h"
#include "json_answer.h"
#include "layout/document.h"
#include "metrics.h"
#include "ocr_request.h"
#include "ocrfix/ocrfix.h"
#include "page_words_json.h"
#include "request_head.h"
#include "result_json.h"
#include "routes.h"
#include "store/model_store.h"
#include "web_assets.h"

namespace ocrfix::server {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// Scripts, styles and requests from this server only; images also from the page's own blob:
// URLs (the page image a user drops); no frames, plugins or form posts.
constexpr const char* kWebPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

ConnectionLimits connection_limits(const ServerOptions& options) {
    ConnectionLimits limits;
    limits.request_read_timeout = std::chrono::milliseconds(static_cast<long>(options.request_read_timeout_seconds * 1000));
    limits.max_connections = static_cast<std::size_t>(options.max_connections);
    limits.max_connections_per_client = static_cast<std::size_t>(
        options.max_connections_per_client > 0 ? options.max_connections_per_client : std::max(1, options.max_connections / 2));
    return limits;
}

// Requests being read when shutdown begins get this long to arrive (they are then answered 503).
constexpr auto kShutdownGrace = std::chrono::seconds(2);

// `invalid_input` is the status of the request's content being unusable: 400 for a text, 422
// for a page image that parsed as the type it claims but cannot be read.
int status_for(ErrorCategory category, int invalid_input = 400) {
    switch (category) {
        case ErrorCategory::invalid_input: return invalid_input;
        case ErrorCategory::invalid_argument: return 400;
        default: return 500;
    }
}

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    std::string model_id;    // what /v1/models and responses call the model
    std::string model_path;
    ModelConfig config;
    CorrectionQueue queue;
    Metrics metrics{version_string()};
    ConnectionServer http{connection_limits(options), [this] { metrics.count_request("-", "-", 408); },
                          [this] { metrics.count_request("-", "-", 429); }};

    std::atomic<bool> draining{false};
    std::atomic<bool> serving{false};
    std::mutex in_flight_mutex;
    std::condition_variable in_flight_changed;
    std::size_t in_flight = 0;

    Impl(Engine engine, ServerOptions server_options)
        : options(std::move(server_options)),
          model_path(engine.model_path()),
          config(engine.config()),
          queue(std::move(engine), options.workers, static_cast<std::size_t>(options.queue_size)) {
        model_id = !config.file_model_path.empty() ? model_path
                   : !config.hugging_face_repo_id.empty() ? config.hugging_face_repo_id
                                                          : std::string(store::default_model().alias);
        install_routes();
    }

    Gauges gauges() {
        std::lock_guard lock(in_flight_mutex);
        return {queue.waiting(), queue.capacity(), queue.busy(), queue.workers(), in_flight, draining.load()};
    }

    void install_routes();
    // Reads the body (never more than --max-body of it), then answers with `handle` (503 instead
    // while the server drains).
    void read_body_then(const httplib::Request& request, httplib::Response& response,
                        const httplib::ContentReader& read_body,
                        void (Impl::*handle)(const httplib::Request&, std::string, httplib::Response&));
    void handle_correct(const httplib::Request& request, std::string body, httplib::Response& response);
    void handle_ocr(const httplib::Request& request, std::string body, httplib::Response& response);
    // Queues `job` and waits for it until its deadline. Answers itself what stops it (429, 503
    // once the queue is closed, 504, the engine's errors, with invalid_input as
    // `invalid_input_status`) and returns std::nullopt then.
    std::optional<std::vector<CorrectionResult>> run_job(const std::shared_ptr<CorrectionJob>& job,
                                                         httplib::Response& response, int invalid_input_status);
    // The "tier", "language", "profile", "model" and "elapsed_ms" of an answer.
    void describe_run(json& body, const RunOptions& options, double seconds) const;
    json models_document() const;
    json openapi_document() const;
};

void HttpServer::Impl::install_routes() {
    http.set_payload_max_length(options.max_body_bytes);
    // Both run before any of the body is read; the first when the client waits for
    // "100 Continue" before sending it.
    http.set_expect_100_continue_handler([this](const httplib::Request& request, httplib::Response& response) {
        return refuse_from_head(request, response, options.max_body_bytes, options.token) ? response.status : 100;
    });
    http.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
        return refuse_from_head(request, response, options.max_body_bytes, options.token) ? httplib::Server::HandlerResponse::Handled
                                                   : httplib::Server::HandlerResponse::Unhandled;
    });

    // Turns the bare statuses httplib produces itself (400, 413, 414, ...) into JSON errors.
    // Such a request was not read whole (one it could not parse, a URI too long): where it
    // ends is a guess, so the connection closes after the answer and nothing after it is read
    // as a request. The handlers' own errors have a body and keep the connection.
    http.set_error_handler([](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return;
        ConnectionServer::close_after_response(response);
        std::string message = "request failed";
        if (response.status == 413) message = kBodyTooLarge;
        send_error(response, response.status, reason_code(response.status), message);
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string message = "internal error";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& exception) {
            message = exception.what();
        } catch (...) {
        }
        send_error(response, 500, "internal_error", message);
    });
    http.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
        metrics.count_request(request.method, request.path, response.status);
    });

    // Routes, methods and the token were checked by refuse_from_head (routes.h).
    http.Post("/v1/correct",
              httplib::Server::HandlerWithContentReader([this](const httplib::Request& request, httplib::Response& response,
                                                               const httplib::ContentReader& read_body) {
                  read_body_then(request, response, read_body, &Impl::handle_correct);
              }));
    http.Post("/v1/ocr",
              httplib::Server::HandlerWithContentReader([this](const httplib::Request& request, httplib::Response& response,
                                                               const httplib::ContentReader& read_body) {
                  read_body_then(request, response, read_body, &Impl::handle_ocr);
              }));
    http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& response) {
        send_json(response, 200, models_document());
    });
    http.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) {
        const Gauges now = gauges();
        send_json(response, now.draining ? 503 : 200,
                  {{"status", now.draining ? "draining" : "ok"},
                   {"model", model_id},
                   {"workers", now.workers},
                   {"workers_busy", now.workers_busy},
                   {"queue_waiting", now.queue_waiting}});
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
        response.set_content(metrics.render(gauges()), "text/plain; version=0.0.4; charset=utf-8");
    });
    http.Get("/openapi.json", [this](const httplib::Request&, httplib::Response& response) {
        send_json(response, 200, openapi_document());
    });
    http.Get(R"(/|/index\.html|/app\.js|/style\.css)", [](const httplib::Request& request, httplib::Response& response) {
        const WebAsset* asset = find_web_asset(request.path == "/" ? "/index.html" : request.path);
        if (!asset) return send_error(response, 404, "not_found", "no such file");
        response.set_header("Cache-Control", "no-cache");
        // The page shows text from requests and dropped files; should any reach the DOM as
        // markup, it still cannot run script, load from elsewhere or send anything away.
        response.set_header("Content-Security-Policy", kWebPagePolicy);
        response.set_header("X-Content-Type-Options", "nosniff");
        response.set_content(std::string(asset->body), std::string(asset->content_type).c_str());
    });
}

// Reads the body as it arrives, never more than --max-body of it (httplib 0.11 applies its own
// limit to declared lengths only, not to chunked bodies).
void HttpServer::Impl::read_body_then(const httplib::Request& request, httplib::Response& response,
                                      const httplib::ContentReader& read_body,
                                      void (Impl::*handle)(const httplib::Request&, std::string, httplib::Response&)) {
    std::string body;
    bool too_large = false;
    const bool read = read_body([&](const char* data, std::size_t size) {
        too_large = body.size() + size > options.max_body_bytes;
        if (!too_large) body.append(data, size);
        return !too_large;
    });
    if (too_large) {
        ConnectionServer::close_after_response(response);
        return send_error(response, 413, "payload_too_large", kBodyTooLarge);
    }
    if (!read) {
        ConnectionServer::close_after_response(response);
        return send_error(response, 400, "invalid_request",
                          "the request body could not be read (broken chunked encoding or compression?)");
    }
    if (draining) {
        response.set_header("Retry-After", "5");
        return send_error(response, 503, "shutting_down", "the server is shutting down; retry on another instance");
    }
    (this->*handle)(request, std::move(body), response);
}

void HttpServer::Impl::handle_correct(const httplib::Request& request, std::string body, httplib::Response& response) {
    CorrectRequest parsed;
    // An hOCR, ALTO or PAGE document as the body: its words are corrected, and it is answered
    // in its own format (as JSON when the client accepts JSON and not XML).
    std::optional<layout::Document> document;
    const std::string content_type = request.get_header_value("Content-Type");
    const char* layout_type = nullptr;
    for (const char* type : {"application/xml", "text/xml", "application/xhtml+xml"})
        if (is_media_type(content_type, type)) layout_type = type;
    if (layout_type) {
        try {
            document = layout::Document::parse(body, "the request body");
        } catch (const Error& error) {
            return send_error(response, 400, "invalid_request", error.what());
        }
        parsed.texts = {document->text()};
    } else {
        try {
            parsed = parse_correct_request(content_type, body, options.max_batch_texts);
        } catch (const ApiError& error) {
            return send_error(response, error.status(), error.code(), error.what());
        }
    }

    auto job = std::make_shared<CorrectionJob>();
    job->texts = std::move(parsed.texts);
    job->options = {parsed.tier, parsed.language, parsed.profile, {}};
    if (document) job->options.confidences = document->byte_confidences();  // its one text's
    const auto started = Clock::now();
    const auto results = run_job(job, response, 400);
    if (!results) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

    std::size_t bytes = 0, edits = 0;
    json results_json = json::array();
    for (std::size_t i = 0; i < results->size(); ++i) {
        bytes += job->texts[i].size();
        edits += (*results)[i].edits.size();
        results_json.push_back(result_to_json(job->texts[i], (*results)[i]));
    }
    metrics.observe_correction(seconds, results->size(), bytes, edits);

    const std::string accept = request.get_header_value("Accept");
    if (document && !(accept.find("json") != std::string::npos && accept.find("xml") == std::string::npos)) {
        const layout::ApplyReport report = document->apply((*results)[0]);
        response.set_header("X-Ocrfix-Edits", std::to_string(report.applied));
        response.set_header("X-Ocrfix-Format", std::string(layout::format_name(document->format())));
        response.status = 200;
        response.set_content(document->serialize(), (std::string(layout_type) + "; charset=utf-8").c_str());
        return;
    }
    if (document) {
        // The words with their boxes, as written back (merged and split words included), for
        // drawing the page: the same "words" as POST /v1/ocr's pages.
        auto& correction = results_json[0];
        correction["input_format"] = layout::format_name(document->format());
        const std::string original = document->text();
        const layout::ApplyReport report = document->apply((*results)[0]);
        correction["edits_not_applied"] = report.not_applied;
        const auto corrected = layout::Document::parse(document->serialize(), "the corrected request body");
        correction["words"] = corrected_words_to_json(
            corrected.words(), layout::edits_of_words(corrected, original, (*results)[0], report.applied_edits));
    }

    json answer = parsed.batch ? json{{"results", std::move(results_json)}} : std::move(results_json[0]);
    describe_run(answer, job->options, seconds);
    send_json(response, 200, answer);
}

void HttpServer::Impl::handle_ocr(const httplib::Request& request, std::string body, httplib::Response& response) {
    OcrRequest parsed;
    auto job = std::make_shared<CorrectionJob>();
    auto pages = std::make_shared<std::vector<ocr::CorrectedPage>>();
    try {
        parsed = parse_ocr_request(request.get_header_value("Content-Type"), request.get_header_value("Accept"),
                                   request.params, config.language);
        make_ocr_job(*job, open_ocr_body(std::move(body), parsed), parsed, pages);
    } catch (const ApiError& error) {
        return send_error(response, error.status(), error.code(), error.what());
    }
    const auto started = Clock::now();
    if (!run_job(job, response, 422)) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

    std::size_t bytes = 0, edits = 0;
    for (const auto& page : *pages) {
        bytes += page.original.size();
        edits += page.result.edits.size();
    }
    metrics.observe_correction(seconds, pages->size(), bytes, edits);

    response.set_header("X-Ocrfix-Format", parsed.format);
    if (parsed.format != "json") {
        response.set_header("X-Ocrfix-Edits", std::to_string(edits));
        response.status = 200;
        const std::string content = parsed.format == "text" ? ocr_pages_to_json(*pages)["text"].get<std::string>()
                                                              : pages->front().document;
        response.set_content(content, ocr_content_type(parsed.format).c_str());
        return;
    }
    json answer = ocr_pages_to_json(*pages);
    answer["ocr_language"] = parsed.ocr_language;
    describe_run(answer, job->options, seconds);
    send_json(response, 200, answer);
}

std::optional<std::vector<CorrectionResult>> HttpServer::Impl::run_job(const std::shared_ptr<CorrectionJob>& job,
                                                                        httplib::Response& response,
                                                                        int invalid_input_status) {
    if (config.tier == "fast" && !job->options.tier.empty() && job->options.tier != "fast") {
        // A conflict with how the server runs, not a fault of it.
        send_error(response, 409, "tier_unavailable",
                   "this server was started with --tier fast and has no language model for tier '" +
                       job->options.tier + "'; ask for tier fast, or start the server with --tier balanced");
        return std::nullopt;
    }
    job->deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(options.timeout_seconds));
    auto future = job->results.get_future();

    {
        std::lock_guard lock(in_flight_mutex);
        ++in_flight;
    }
    // Every path below answers, then lets a waiting shutdown() know one request less is open.
    struct InFlight {
        Impl& self;
        ~InFlight() {
            {
                std::lock_guard lock(self.in_flight_mutex);
                --self.in_flight;
            }
            self.in_flight_changed.notify_all();
        }
    } in_flight_guard{*this};

    switch (queue.submit(job)) {
        case SubmitStatus::accepted: break;
        case SubmitStatus::queue_full:
            response.set_header("Retry-After", "1");
            send_error(response, 429, "queue_full",
                       "every worker is busy and the queue is full; retry after a second or slow down");
            return std::nullopt;
        case SubmitStatus::closed:
            response.set_header("Retry-After", "5");
            send_error(response, 503, "shutting_down", "the server is shutting down; retry on another instance");
            return std::nullopt;
    }

    if (future.wait_until(job->deadline) != std::future_status::ready) {
        job->abandoned = true;
        send_error(response, 504, "timeout",
                   "the correction took longer than the server's timeout; send shorter texts or retry later");
        return std::nullopt;
    }
    try {
        return future.get();
    } catch (const DeadlineExceeded& error) {
        send_error(response, 504, "timeout", error.what());
    } catch (const Error& error) {
        const int status = status_for(error.category(), invalid_input_status);
        send_error(response, status, status == 422 ? "unreadable_page" : to_string(error.category()), error.what());
    }
    return std::nullopt;
}

void HttpServer::Impl::describe_run(json& body, const RunOptions& run, double seconds) const {
    body["tier"] = run.tier.empty() ? config.tier : run.tier;
    body["language"] = run.language.empty() ? config.language : run.language;
    body["profile"] = run.profile.empty() ? config.profile : run.profile;
    body["model"] = model_id;
    body["elapsed_ms"] = seconds * 1000.0;
}

json HttpServer::Impl::models_document() const {
    json local = json::array();
    for (const auto& model : store::list_local())
        local.push_back({{"repo_id", model.repo_id},
                         {"filename", model.filename},
                         {"revision", model.revision},
                         {"size_bytes", model.size_bytes}});
    return {{"loaded",
             {{"id", model_id},
              {"path", model_path},
              {"tier", config.tier},
              {"language", config.language},
              {"workers", queue.workers()}}},
            {"local", std::move(local)}};
}

json HttpServer::Impl::openapi_document() const {
    const WebAsset* asset = find_web_asset("/openapi.json");
    json document = json::parse(asset->body);
    document["info"]["version"] = version_string();
    // Protected operations need the bearer token only when this instance has one.
    for (auto& [path, operations] : document["paths"].items())
        for (auto& [method, operation] : operations.items())
            if (operation.contains("security"))
                operation["security"] = options.token.empty() ? json::array() : json::array({{{"bearer", json::array()}}});
    // The document states the limits this instance really enforces.
    document["info"]["x-limits"] = {{"max_body_bytes", options.max_body_bytes},
                                    {"max_batch_texts", options.max_batch_texts},
                                    {"timeout_seconds", options.timeout_seconds},
                                    {"request_read_timeout_seconds", options.request_read_timeout_seconds},
                                    {"max_connections", options.max_connections},
                                    {"max_connections_per_client", connection_limits(options).max_connections_per_client},
                                    {"workers", queue.workers()},
                                    {"queue_size", queue.capacity()},
                                    {"token_required", !options.token.empty()}};
    return document;
}

HttpServer::HttpServer(Engine engine, ServerOptions options) {
    if (options.workers < 1) throw Error(ErrorCategory::invalid_argument, "--workers must be 1 or more");
    if (options.queue_size < 0) throw Error(ErrorCategory::invalid_argument, "--queue must be 0 or more");
    if (options.max_batch_texts < 1) throw Error(ErrorCategory::invalid_argument, "--max-batch must be 1 or more");
    if (!(options.timeout_seconds > 0)) throw Error(ErrorCategory::invalid_argument, "--timeout must be more than 0 seconds");
    if (!(options.request_read_timeout_seconds >= 0.1))
        throw Error(ErrorCategory::invalid_argument, "--request-read-timeout must be 0.1 seconds or more");
    // Each waiting correction holds its connection, and health checks need one more.
    const int least_connections = options.workers + options.queue_size + 2;
    if (options.max_connections < least_connections)
        throw Error(ErrorCategory::invalid_argument,
                    "--max-connections must be at least --workers + --queue + 2 (" + std::to_string(least_connections) +
                        "), so that health checks get through while every correction slot is taken");
    if (options.max_connections_per_client < 0)
        throw Error(ErrorCategory::invalid_argument, "--max-connections-per-client must be 0 (half of --max-connections) or more");
    impl_ = std::make_unique<Impl>(std::move(engine), std::move(options));
}

HttpServer::~HttpServer() {
    if (impl_) impl_->queue.close();
}

int HttpServer::bind() {
    auto& options = impl_->options;
    const int port = impl_->http.bind(options.host, options.port);
    if (port <= 0)
        throw Error(ErrorCategory::runtime, "cannot listen on " + options.host + ":" + std::to_string(options.port) +
                                                ": the port is taken or the address is not this machine's; "
                                                "choose another --port (0 picks a free one) or --host");
    return port;
}

void HttpServer::serve() {
    impl_->serving = true;
    impl_->http.listen_after_bind();  // returns after stop(), once the HTTP threads have finished
    impl_->queue.close();
}

void HttpServer::shutdown() {
    Impl& impl = *impl_;
    if (impl.draining.exchange(true)) return;
    impl.http.drain();
    {
        // In-flight corrections end by their deadline at the latest.
        std::unique_lock lock(impl.in_flight_mutex);
        impl.in_flight_changed.wait_for(lock, std::chrono::duration<double>(impl.options.timeout_seconds + 1.0),
                                        [&] { return impl.in_flight == 0; });
    }
    // Then requests still arriving get a short grace; stop() closes whatever is left,
    // slow clients and idle kept-alive connections included.
    for (const auto until = Clock::now() + kShutdownGrace; impl.http.active_requests() > 0 && Clock::now() < until;)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // A signal may arrive while serve() is still starting; stop() only works once it runs.
    for (int i = 0; i < 500 && !(impl.serving && impl.http.is_running()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    impl.http.stop();
}

}  // namespace ocrfix::server

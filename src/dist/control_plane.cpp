#include "dist/control_plane.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>

#include "cli/config_decode.h"
#include "cli/scenario_config.h"
#include "dist/token.h"
#include "net/listen_address.h"

namespace strest {
namespace {

constexpr const char* kJson = "application/json";
constexpr size_t kMaxPayload = size_t{1} << 20;  // a scenario with its vars fits well below
// Longest start_after_ms / agent_wait_timeout_ms: a week, far beyond any real wait, small enough
// that deadlines computed from it never overflow.
constexpr int64_t kMaxWaitMs = int64_t{7} * 24 * 3600 * 1000;

std::string json_type_name(const nlohmann::json& value) {
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_float()) return "a number with a fraction";
  if (value.is_number()) return "an integer";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return "null";
}

// A millisecond count: a JSON integer in [minimum, kMaxWaitMs].
Result<std::chrono::milliseconds> read_millis(const nlohmann::json& value, const std::string& key,
                                              int64_t minimum) {
  std::string expected =
      minimum > 0 ? "a positive integer of milliseconds" : "a non-negative integer of milliseconds";
  if (!value.is_number_integer()) {
    return Error{"key '" + key + "' must be " + expected + ", not " + json_type_name(value)};
  }
  if (value.is_number_unsigned() ? value.get<uint64_t>() > static_cast<uint64_t>(kMaxWaitMs)
                                 : value.get<int64_t>() > kMaxWaitMs) {
    return Error{"key '" + key + "' must be at most " + std::to_string(kMaxWaitMs) + " (a week)"};
  }
  int64_t millis = value.get<int64_t>();
  if (millis < minimum) {
    return Error{"key '" + key + "' must be " + expected + ", not " + std::to_string(millis)};
  }
  return std::chrono::milliseconds(millis);
}

void answer(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), kJson);
}

void answer_error(httplib::Response& response, int status, const std::string& message) {
  answer(response, status, nlohmann::json{{"error", message}});
}

nlohmann::json describe(const StartRequest& request) {
  nlohmann::json body{{"started", true}};
  if (request.scenario_name) body["scenario_name"] = *request.scenario_name;
  if (request.scenario) body["inline_scenario"] = true;
  if (request.start_after) body["start_after_ms"] = request.start_after->count();
  if (request.agent_wait_timeout) {
    body["agent_wait_timeout_ms"] = request.agent_wait_timeout->count();
  }
  return body;
}

}  // namespace

Result<StartRequest> parse_start_request(std::string_view body, const std::string& base_dir) {
  StartRequest request;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return request;
  nlohmann::json payload;
  try {
    payload = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return Error{"/start's payload is not valid JSON: " + json_reason(error.what())};
  }
  if (!payload.is_object()) {
    return Error{"/start's payload must be a JSON object, not " + json_type_name(payload)};
  }
  for (const auto& [key, value] : payload.items()) {
    if (key == "scenario_name") {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return Error{"key 'scenario_name' must be a non-empty string, not " +
                     (value.is_string() ? std::string("\"\"") : json_type_name(value))};
      }
      request.scenario_name = value.get<std::string>();
    } else if (key == "scenario") {
      if (!value.is_object()) {
        return Error{
            "key 'scenario' must be an object (the config file's [scenario] schema), "
            "not " +
            json_type_name(value)};
      }
      auto scenario = read_scenario(decode_json(value), "scenario", base_dir);
      if (!scenario) return Error{scenario.error()};
      request.scenario = std::move(*scenario);
    } else if (key == "start_after_ms") {
      auto millis = read_millis(value, key, 0);
      if (!millis) return Error{millis.error()};
      request.start_after = *millis;
    } else if (key == "agent_wait_timeout_ms") {
      auto millis = read_millis(value, key, 1);
      if (!millis) return Error{millis.error()};
      request.agent_wait_timeout = *millis;
    } else {
      static constexpr std::string_view kKeys[] = {"scenario_name", "scenario", "start_after_ms",
                                                   "agent_wait_timeout_ms"};
      std::string hint = did_you_mean(key, kKeys);
      return Error{"unknown key '" + key + "' in /start's payload" +
                   (hint.empty() ? "; expected scenario_name, scenario, start_after_ms or "
                                   "agent_wait_timeout_ms"
                                 : hint)};
    }
  }
  return request;
}

struct ControlPlane::Impl {
  httplib::Server server;
  std::thread thread;
  std::mutex handler_mutex;  // one request at a time reaches the handler
  std::once_flag stopped;
  std::atomic<bool> serving_ended{false};
};

ControlPlane::ControlPlane(std::unique_ptr<Impl> impl, uint16_t port)
    : impl_(std::move(impl)), port_(port) {}

ControlPlane::~ControlPlane() { stop(); }

void ControlPlane::stop() {
  std::call_once(impl_->stopped, [this] {
    impl_->server.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
  });
}

Result<std::unique_ptr<ControlPlane>> ControlPlane::start(const std::string& listen,
                                                          std::string token,
                                                          ControlHandler& handler) {
  auto address = parse_listen_address(listen);
  if (!address) return Error{"--control-listen: " + address.error()};

  auto impl = std::make_unique<Impl>();
  httplib::Server& server = impl->server;
  Impl* state = impl.get();
  // httplib's default also sets SO_REUSEPORT, which would let a second controller share the
  // port silently; SO_REUSEADDR alone lets a restarted one bind at once.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_payload_max_length(kMaxPayload);
  server.set_read_timeout(std::chrono::seconds(10));
  server.set_write_timeout(std::chrono::seconds(10));

  server.set_pre_routing_handler([token = std::move(token)](const httplib::Request& request,
                                                            httplib::Response& response) {
    if (token.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (!token_matches(bearer_token(request.get_header_value("Authorization")), token)) {
      response.set_header("WWW-Authenticate", "Bearer");
      answer_error(response, 401,
                   request.has_header("Authorization")
                       ? "wrong token: send \"Authorization: Bearer <--control-auth-token>\""
                       : "missing token: send \"Authorization: Bearer <--control-auth-token>\"");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.Post("/start",
              [state, &handler](const httplib::Request& request, httplib::Response& response) {
                auto start = parse_start_request(request.body);
                if (!start) return answer_error(response, 400, start.error());
                std::optional<ControlRefusal> refusal;
                {
                  std::lock_guard lock(state->handler_mutex);
                  refusal = handler.start(*start);
                }
                if (refusal) return answer_error(response, refusal->http_status, refusal->message);
                answer(response, 202, describe(*start));
              });

  server.Post("/stop", [state, &handler](const httplib::Request&, httplib::Response& response) {
    std::optional<ControlRefusal> refusal;
    {
      std::lock_guard lock(state->handler_mutex);
      refusal = handler.stop();
    }
    if (refusal) return answer_error(response, refusal->http_status, refusal->message);
    answer(response, 200, nlohmann::json{{"stopped", true}});
  });

  server.Get("/status", [state, &handler](const httplib::Request&, httplib::Response& response) {
    nlohmann::json status;
    {
      std::lock_guard lock(state->handler_mutex);
      status = handler.status();
    }
    answer(response, 200, status);
  });

  // Unrouted requests, an oversized payload: httplib sets the status, we add the JSON body.
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    std::string message = request.method + " " + request.path + ": ";
    if (response.status == 404) {
      message +=
          "no such endpoint; the control plane serves POST /start, POST /stop and "
          "GET /status";
    } else if (response.status == 413) {
      message += "payload larger than " + std::to_string(kMaxPayload) + " bytes";
    } else {
      message += "refused (HTTP " + std::to_string(response.status) + ")";
    }
    answer_error(response, response.status, message);
  });

  int port = address->port;
  errno = 0;
  bool bound = port == 0 ? (port = server.bind_to_any_port(address->host)) > 0
                         : server.bind_to_port(address->host, port);
  if (!bound) {
    int error = errno;
    return Error{"--control-listen " + listen + ": cannot listen there" +
                 (error != 0 ? std::string(" (") + std::strerror(error) + ")" : std::string()) +
                 "; pick a free port on a local address"};
  }
  impl->thread = std::thread([state] {
    state->server.listen_after_bind();
    state->serving_ended = true;
  });
  // httplib's stop() does nothing before the server thread runs, so stop() could not end it:
  // wait until it does (or has already given up).
  while (!server.is_running() && !state->serving_ended) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<ControlPlane>(
      new ControlPlane(std::move(impl), static_cast<uint16_t>(port)));
}

}  // namespace strest

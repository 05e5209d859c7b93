#pragma once
// The manual mode's HTTP control plane (--control-listen, docs/distributed.md): POST /start,
// POST /stop and GET /status, each behind "Authorization: Bearer --control-auth-token". It
// only speaks HTTP: it checks the token, decodes /start's JSON payload into a StartRequest and
// hands every request to a ControlHandler (the controller), whose answers it turns into HTTP.
//
//   POST /start   payload (may be empty): {"scenario_name": "login", "scenario": {...},
//                 "start_after_ms": 2000, "agent_wait_timeout_ms": 30000}
//                 -> 202 {"started": true, ...the request's fields}, or the handler's refusal
//   POST /stop    -> 200 {"stopped": true}, or the handler's refusal (409 when nothing runs)
//   GET  /status  -> 200 handler.status()
//
// Every error answer is {"error": "<one line>"}: 401 for a missing or wrong token, 400 for a
// payload that is not a JSON object, has an unknown key or a value of the wrong type (the
// message names the key), 404 for unknown paths, and the refusal's own status.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dist/control_handler.h"
#include "plan/result.h"

namespace strest {

// POST /start's body as a StartRequest. Empty (or only whitespace) is a request with no fields.
// Errors name the key: "key 'start_after_ms' must be a non-negative integer, not a string",
// "unknown key 'scenario_nmae' in /start's payload; expected scenario_name, scenario,
// start_after_ms, agent_wait_timeout_ms", "key 'scenario.steps[1].methd' ...". A scenario's
// relative vars_from_csv paths resolve against `base_dir` ("" = the working directory).
Result<StartRequest> parse_start_request(std::string_view body, const std::string& base_dir = "");

class ControlPlane {
 public:
  // Listens on `listen` (HOST:PORT, IPv6 in brackets, port 0 = any free port) and serves on its
  // own thread until stop(). `token` "" means no check: validation refuses a non-loopback
  // control plane without one. `handler` must outlive the ControlPlane; its methods are called
  // from the server's threads, one request at a time. Errors name --control-listen.
  static Result<std::unique_ptr<ControlPlane>> start(const std::string& listen, std::string token,
                                                     ControlHandler& handler);

  ~ControlPlane();  // stop()
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // The port it listens on (the chosen one when `listen` asked for port 0).
  uint16_t port() const { return port_; }

  // Stops listening and joins the server thread; requests in flight finish first. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit ControlPlane(std::unique_ptr<Impl> impl, uint16_t port);

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace strest

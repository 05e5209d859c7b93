#pragma once
// What the manual mode's HTTP control plane (control_plane.h) asks of the controller: start a
// run, stop it, tell how things stand. The controller implements it; the control plane only
// speaks HTTP, checks the token and decodes payloads.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "plan/scenario.h"

namespace strest {

// POST /start's payload, decoded and checked (every field optional).
struct StartRequest {
  std::optional<std::string> scenario_name;  // a registry entry ([scenarios.NAME])
  std::optional<Scenario> scenario;          // inline, in the config schema
  std::optional<std::chrono::milliseconds> start_after;
  std::optional<std::chrono::milliseconds> agent_wait_timeout;
};

// Why the controller refused: the HTTP status to answer with, and a one-line message.
struct ControlRefusal {
  int http_status = 409;
  std::string message;
};

class ControlHandler {
 public:
  virtual ~ControlHandler() = default;
  // Starts a run as `request` asks (it begins after start_after, once enough agents are there);
  // refuses while another runs (409) or for an unknown scenario name (404). Returns at once.
  virtual std::optional<ControlRefusal> start(const StartRequest& request) = 0;
  // Stops the run going on (its results are kept and reported); 409 when none is.
  virtual std::optional<ControlRefusal> stop() = 0;
  // GET /status: agents (id, weight, health, joined), run state, live totals, as JSON.
  virtual nlohmann::json status() = 0;
};

}  // namespace strest

#pragma once
// Distributed runs (docs/distributed.md): this process is a controller, which sends no load and
// merges what its agents measure, or an agent, which runs the share of the plan its controller
// sends. Set from --controller-listen / --agent-join and the [distributed] config table.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strest {

struct DistributedPlan {
  enum class Role { kController, kAgent };
  enum class ControllerMode { kAuto, kManual };
  using Millis = std::chrono::milliseconds;

  Role role = Role::kController;
  // Shared by the controller and its agents ("" = none, allowed on loopback only).
  std::string auth_token;
  // TLS of the gRPC link. Controller: its certificate and key, and with tls_ca, agents must show
  // a client certificate signed by it (mutual TLS). Agent: tls_ca verifies the controller;
  // tls_cert and tls_key are its client certificate. All empty: plaintext (loopback or a
  // private network).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;

  // Controller.
  std::string listen;  // host:port of the gRPC service (--controller-listen)
  ControllerMode mode = ControllerMode::kAuto;
  std::string control_listen;      // manual mode: host:port of the HTTP control plane
  std::string control_auth_token;  // manual mode: the control plane's Bearer token
  uint32_t min_agents = 1;
  std::optional<Millis> agent_wait_timeout;  // unset: wait for min_agents until stopped
  Millis heartbeat_timeout{3000};  // an agent silent this long is unhealthy (agents: controller)
  bool stream_summaries = false;   // agents stream ticks every stream_interval, else at the end
  Millis stream_interval{1000};

  // Agent.
  std::string join;      // the controller's host:port (--agent-join)
  std::string agent_id;  // "" = the controller names it
  uint32_t weight = 1;
  bool standby = false;  // stay connected between runs and reconnect every reconnect interval
  Millis reconnect{1000};
  Millis heartbeat_interval{1000};
};

// True when HOST:PORT names a loopback host (localhost, 127.0.0.0/8, ::1): a controller or
// control plane listening anywhere else needs a token.
bool is_loopback_address(std::string_view host_port);

}  // namespace strest

#include "report/report_plan_table.h"

#include <string>

#include "metrics/protocol.h"
#include "plan/duration.h"
#include "report/latency_bars.h"
#include "report/transport_stats.h"

namespace strest {
namespace {

// Appends rows of the Plan table, each with where its value came from.
class PlanRows {
 public:
  explicit PlanRows(const Plan& plan) : plan_(plan) {}

  // A row whose value `flag` sets: "Set by" is the flag's origin, or "default".
  void add(std::string setting, std::string value, std::string_view flag) {
    const SettingOrigins& origins = plan_.origins;
    add_with_source(std::move(setting), std::move(value),
                    origins.recorded(flag) ? origins.source(flag) : "default");
  }

  void add_with_source(std::string setting, std::string value, std::string source) {
    table_.rows.push_back({{std::move(setting), std::move(value), std::move(source)}});
  }

  RowTable take() && { return std::move(table_); }

 private:
  const Plan& plan_;
  RowTable table_{{{"Setting"}, {"Value"}, {"Set by"}}, {}};
};

std::string rate_text(double rps) {
  return format_threshold_value(ThresholdMetric::kRps, rps) + " req/s";
}

std::string load_text(const Plan& plan) {
  if (!plan.load) return "closed loop: each connection sends when its last reply is in";
  std::string text = "open loop: " + rate_text(plan.load->start_rps);
  if (plan.load->stages.empty()) return text;
  text = "open loop: from " + rate_text(plan.load->start_rps);
  for (const LoadStage& stage : plan.load->stages) {
    text += ", to " + rate_text(stage.target_rps) + " over " + format_duration(stage.duration);
  }
  return text + ", then the last rate holds";
}

std::string protocol_text(const RunResult& result, const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  std::string asked = transport.http3   ? "HTTP/3 over QUIC"
                      : transport.http2 ? "HTTP/2 (falls back to HTTP/1.1)"
                                        : "HTTP/1.1";
  const auto spoken = dominant_protocol(result.totals);
  if (spoken) asked += "; spoken: " + std::string(protocol_name(*spoken));
  return asked;
}

void add_transport_rows(PlanRows& rows, const RunResult& result, const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  const char* protocol_flag = transport.http3 ? "--http3" : "--http2";
  rows.add("Protocol", protocol_text(result, plan), protocol_flag);
  if (plan.url.scheme == "https") {
    rows.add("TLS certificates",
             transport.insecure         ? "not verified"
             : transport.cacert.empty() ? "verified against the system store"
                                        : "verified against " + transport.cacert,
             transport.insecure ? "--insecure" : "--cacert");
    if (!transport.cert.empty()) rows.add("Client certificate", transport.cert, "--cert");
  }
  if (transport.proxy) rows.add("Proxy", transport.proxy->text, "--proxy");
  if (transport.unix_socket) rows.add("Unix socket", *transport.unix_socket, "--unix-socket");
  if (transport.disable_keepalive) {
    rows.add("Keep-alive", "off: a new connection per request", "--disable-keepalive");
  }
}

void add_stop_rows(PlanRows& rows, const Plan& plan) {
  if (plan.duration) {
    rows.add("Duration", format_duration(*plan.duration), "--duration");
  } else if (!plan.max_requests) {
    rows.add("Duration", format_duration(kDefaultDuration), "--duration");
  }
  if (plan.max_requests) rows.add("Requests", format_count(*plan.max_requests), "--requests");
  if (plan.warmup.count() > 0) rows.add("Warmup", format_duration(plan.warmup), "--warmup");
}

void add_load_rows(PlanRows& rows, const Plan& plan) {
  rows.add("Connections", std::to_string(plan.max_tasks), "--max-tasks");
  if (plan.transport.http2 || plan.transport.http3) {
    rows.add("Streams per connection", std::to_string(plan.transport.streams_per_connection),
             "--streams-per-connection");
  }
  rows.add("Threads", std::to_string(plan.threads), "--threads");
  rows.add("Load", load_text(plan), "--rate");
  if (plan.spawn_rate) {
    rows.add("Connection ramp",
             std::to_string(*plan.spawn_rate) + " every " + format_duration(plan.spawn_interval),
             "--spawn-rate");
  }
  rows.add("Timeout", format_duration(plan.timeout), "--timeout");
  rows.add("Connect timeout", format_duration(plan.connect_timeout), "--connect-timeout");
  rows.add("Expected status", std::to_string(plan.expected_status), "--status");
}

void add_request_rows(PlanRows& rows, const Plan& plan) {
  if (plan.scenario) {
    const std::string steps = std::to_string(plan.scenario->steps.size()) + " step(s)";
    if (!plan.script.empty()) {
      rows.add("Scenario", "from " + plan.script + ": " + steps, "--script");
    } else if (!plan.scenario_name.empty()) {
      rows.add("Scenario", plan.scenario_name + ": " + steps, "--scenario");
    } else {
      rows.add_with_source("Scenario", steps, "[scenario] in the config");
    }
    return;
  }
  rows.add("Method", plan.method, "--method");
  std::string names;
  for (const Header& header : plan.headers) names += (names.empty() ? "" : ", ") + header.name;
  if (!names.empty()) rows.add("Headers", names, "--headers");
  if (!plan.bodies.empty()) {
    rows.add("Body", format_count(plan.bodies.size()) + " body variant(s)", "--data");
  }
}

void add_threshold_row(PlanRows& rows, const Plan& plan) {
  if (plan.thresholds.empty()) return;
  std::string text;
  for (const Threshold& threshold : plan.thresholds) {
    text += (text.empty() ? "" : ", ") + threshold.expression;
  }
  if (plan.abort_on_fail) text += " (abort on fail)";
  rows.add("Thresholds", text, "--threshold");
}

std::string replay_source_flag(ReplayOptions::Source kind) {
  switch (kind) {
    case ReplayOptions::Source::kCsv:
      return "--export-csv";
    case ReplayOptions::Source::kJson:
      return "--export-json";
    case ReplayOptions::Source::kJsonl:
      return "--export-jsonl";
    case ReplayOptions::Source::kRunLog:
      break;
  }
  return "--tmp-path";
}

void add_replay_rows(PlanRows& rows, const RunResult& result, const Plan& plan) {
  const ReplayOptions& replay = *plan.replay;
  rows.add_with_source("Mode", "replay of a recorded run; nothing was sent", "--replay");
  rows.add_with_source("Target (recorded)", result.target, "the recording");
  rows.add("Recording", replay.source, replay_source_flag(replay.source_kind));
  rows.add("Replay from", replay.start ? format_duration(*replay.start) : "min (the start)",
           "--replay-start");
  rows.add("Replay to", replay.end ? format_duration(*replay.end) : "max (the end)",
           "--replay-end");
}

}  // namespace

RowTable plan_table(const RunResult& result, const Plan& plan) {
  PlanRows rows(plan);
  if (plan.replay) {
    add_replay_rows(rows, result, plan);
    add_threshold_row(rows, plan);
    return std::move(rows).take();
  }
  rows.add("Target", result.target.empty() ? plan.url.to_string() : result.target, "--url");
  if (plan.distributed) {
    rows.add("Distributed", "controller: its agents sent the load", "--controller-listen");
  }
  add_request_rows(rows, plan);
  add_transport_rows(rows, result, plan);
  add_load_rows(rows, plan);
  add_stop_rows(rows, plan);
  add_threshold_row(rows, plan);
  return std::move(rows).take();
}

}  // namespace strest

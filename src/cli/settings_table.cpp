#include "cli/settings_table.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <thread>

#include "plan/default_paths.h"
#include "plan/duration.h"
#include "plan/limits.h"

namespace strest {
namespace {

constexpr uint64_t kMaxU32 = kMaxConnections;
constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// Defaults shown in --help, read from a default-constructed Plan.
std::string default_ui_window(const Plan& plan) {
  return std::to_string(plan.ui_window.count() / 1000);
}
std::string default_replay_step(const Plan& plan) { return format_duration(plan.replay_step); }
std::string default_method(const Plan& plan) { return plan.method; }
std::string default_status(const Plan& plan) { return std::to_string(plan.expected_status); }
std::string default_timeout(const Plan& plan) { return format_duration(plan.timeout); }
std::string default_max_tasks(const Plan& plan) { return std::to_string(plan.max_tasks); }
std::string default_duration(const Plan& plan) {
  return format_duration(plan.duration.value_or(kDefaultDuration));
}
std::string default_connect_timeout(const Plan& plan) {
  return format_duration(plan.connect_timeout);
}
std::string default_spawn_interval(const Plan& plan) {
  return format_duration(plan.spawn_interval);
}
std::string default_warmup(const Plan& plan) { return format_duration(plan.warmup); }
std::string default_log_shards(const Plan& plan) { return std::to_string(plan.log_shards); }
std::string default_metrics_max(const Plan& plan) {
  return std::to_string(plan.metrics_window.max);
}
std::string default_tmp_path(const Plan&) { return std::string(kDefaultTmpPath); }
std::string default_charts_path(const Plan&) { return std::string(kDefaultChartsPath); }
std::string default_snapshot_out(const Plan&) { return std::string(kDefaultSnapshotPath); }
std::string default_snapshot_format(const Plan&) { return "json"; }
std::string default_streams(const Plan& plan) {
  return std::to_string(plan.transport.streams_per_connection);
}
std::string default_dist_weight(const Plan&) { return std::to_string(DistributedPlan{}.weight); }
std::string default_min_agents(const Plan&) { return std::to_string(DistributedPlan{}.min_agents); }
std::string default_heartbeat_timeout(const Plan&) {
  return std::to_string(DistributedPlan{}.heartbeat_timeout.count());
}
std::string default_heartbeat_interval(const Plan&) {
  return std::to_string(DistributedPlan{}.heartbeat_interval.count());
}
std::string default_reconnect(const Plan&) {
  return std::to_string(DistributedPlan{}.reconnect.count());
}
std::string default_stream_interval(const Plan&) {
  return std::to_string(DistributedPlan{}.stream_interval.count());
}
std::string default_threads(const Plan&) {
  return "cores (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + ")";
}

// Marks a setting that shapes traffic (Setting::shapes_traffic).
Setting traffic(Setting setting) {
  setting.shapes_traffic = true;
  return setting;
}

}  // namespace

const std::vector<Setting>& settings() {
  // One setting per entry reads better than clang-format's one field per line.
  // clang-format off
  static const std::vector<Setting> table = {
      traffic({"-u,--url", {"url"}, &RawOptions::url, "URL",
       "Target URL, http://host[:port]/path (demo: a path like /delay/5)"}),
      traffic({"-X,--method", {"method"}, &RawOptions::method, "METHOD",
       "HTTP method (upper-cased)", default_method, 0, 0, Rule::kMethod}),
      traffic({"-H,--headers", {"headers"}, &RawOptions::headers, "'KEY: VALUE'",
       "Request header; repeat for more"}),
      traffic({"-A,--accept", {"accept"}, &RawOptions::accept, "TYPE",
       "Accept header (shortcut for -H 'Accept: ...')", nullptr, 0, 0, Rule::kHeaderValue}),
      traffic({"-T,--content-type", {"content_type"}, &RawOptions::content_type, "TYPE",
       "Content-Type header (shortcut for -H 'Content-Type: ...')", nullptr, 0, 0,
       Rule::kHeaderValue}),
      traffic({"-d,--data", {"data"}, &RawOptions::data, "TEXT", "Request body"}),
      traffic({"-D,--data-file", {"data_file"}, &RawOptions::data_file, "PATH",
       "Request body read from a file"}),
      traffic({"-Z,--data-lines", {"data_lines"}, &RawOptions::data_lines, "PATH",
       "Request bodies from a file, one per line, sent in turn"}),
      traffic({"-t,--duration", {"duration"}, &RawOptions::duration, "DURATION",
       "Run time: 250ms, 10s, 2m, 1h; a bare number is seconds",
       default_duration}),
      traffic({"--requests", {"requests"}, &RawOptions::requests, "N",
       "Stop after N requests; with no --duration, there is no time limit", nullptr, 1, kMaxU64}),
      traffic({"-s,--status", {"status"}, &RawOptions::status, "CODE", "Expected HTTP status",
       default_status, kMinStatus, kMaxStatus}),
      traffic({"--timeout", {"timeout"}, &RawOptions::timeout, "DURATION", "Request timeout",
       default_timeout}),
      traffic({"--connect-timeout", {"connect_timeout"}, &RawOptions::connect_timeout, "DURATION",
       "Connection timeout", default_connect_timeout}),
      traffic({"-m,--max-tasks,--concurrency,--connections",
       {"max_tasks", "concurrency", "connections"}, &RawOptions::max_tasks, "N",
       "Concurrent connections, one request in flight each", default_max_tasks, 1, kMaxU32}),
      traffic({"--threads", {"threads"}, &RawOptions::threads, "N",
       "Worker threads (never more than --max-tasks)", default_threads, 1, kMaxU32}),
      {"--summary", {"summary"}, &RawOptions::summary, "", "Print an end-of-run summary"},
      {"--ui-window-ms", {"ui_window_ms"}, &RawOptions::ui_window, "MS",
       "Chart window of the live dashboard; a bare number is milliseconds", default_ui_window, 0,
       0, Rule::kMillis},
      {"--no-tui", {"no_tui", "no_ui"}, &RawOptions::no_tui, "",
       "No interactive UI: a progress bar, then the summary"},
      traffic({"--no-ua", {"no_ua"}, &RawOptions::no_ua, "",
       "Send no User-Agent header (requires --authorized)"}),
      {"--authorized", {"authorized"}, &RawOptions::authorized, "",
       "Confirm you have permission to test this target"},
      {"--verbose", {"verbose"}, &RawOptions::verbose, "", "Debug logging"},
      {"--config", {}, &RawOptions::config, "PATH",
       "Config file, .toml or .json (default: ./strest.toml, ./strest.json)"},
      traffic({"--rate", {"rate"}, &RawOptions::load, "RPS",
       "Requests per second in all, sent open loop; fractions allowed (default: closed loop)"}),
      {nullptr, {"rpm"}, &RawOptions::load, "", "", nullptr, 0, 0, Rule::kPerMinute},
      {nullptr, {"load"}, &RawOptions::load, "", "", nullptr, 0, 0, Rule::kLoadTable},
      traffic({"-r,--spawn-rate", {"spawn_rate"}, &RawOptions::spawn_rate, "N",
       "Ramp up N connections per --spawn-interval (default: all connections at once, as wrk "
       "and oha do)", nullptr, 1, kMaxU32}),
      traffic({"-i,--spawn-interval", {"spawn_interval"}, &RawOptions::spawn_interval, "DURATION",
       "Time between --spawn-rate steps; a bare number is milliseconds",
       default_spawn_interval, 0, 0, Rule::kMillis}),
      traffic({"--warmup", {"warmup"}, &RawOptions::warmup, "DURATION",
       "Leave requests started in the first DURATION out of the results", default_warmup, 0, 0,
       Rule::kZeroAllowed}),
      traffic({"--request-id-header", {"request_id_header"}, &RawOptions::request_id_header, "NAME",
       "Send each request's sequence number in header NAME (default: off)",
       nullptr, 0, 0, Rule::kHeaderName}),
      {"--threshold", {}, &RawOptions::thresholds, "EXPR",
       "Check such as 'p99<200ms' or 'error_rate<1%'; repeatable, adds to the config's; a "
       "failure exits 3"},
      {"--abort-on-fail", {}, &RawOptions::abort_on_fail, "",
       "Stop as soon as a threshold fails (checked live after the config's abort_delay, 5s)"},
      {"-o,--output", {"output"}, &RawOptions::output, "PATH", "Write the results to a file"},
      {"--output-format", {"output_format"}, &RawOptions::output_format, "json|jsonl|csv|text",
       "Format of --output (default: by extension .json, .jsonl, .csv, .txt, .log)"},
      {"--tmp-path", {"tmp_path"}, &RawOptions::tmp_path, "DIR",
       "Folder of the run log, every request streamed to disk during the run",
       default_tmp_path, 0, 0, Rule::kHomePath},
      {"--keep-tmp", {"keep_tmp"}, &RawOptions::keep_tmp, "",
       "Keep the run log after the run (remove old ones with 'strest cleanup')"},
      {"--no-run-log", {"no_run_log"}, &RawOptions::no_run_log, "",
       "Do not stream requests to disk (then no exports, --db-url or replay of this run)"},
      {"--log-shards", {"log_shards"}, &RawOptions::log_shards, "N",
       "Run log writer threads, one file each", default_log_shards, 1, kMaxLogShards},
      {"--export-csv", {"export_csv"}, &RawOptions::export_csv, "PATH",
       "Write every request to a CSV file (see --metrics-range, --metrics-max); with --replay, "
       "the export to read", nullptr, 0, 0, Rule::kPath},
      {"--export-json", {"export_json"}, &RawOptions::export_json, "PATH",
       "Write the summary and every request to a JSON file; with --replay, the export to read",
       nullptr, 0, 0, Rule::kPath},
      {"--export-jsonl", {"export_jsonl"}, &RawOptions::export_jsonl, "PATH",
       "Write the summary and every request as JSON lines; with --replay, the export to read",
       nullptr, 0, 0, Rule::kPath},
      {"--metrics-range", {"metrics_range"}, &RawOptions::metrics_range, "START-END",
       "Export only requests started in this window of the run: 10-30 (seconds), 10s-2m, or "
       "10- (to the end) (default: all)"},
      {"--metrics-max", {"metrics_max"}, &RawOptions::metrics_max, "N",
       "Export at most N requests", default_metrics_max, 1, kMaxU64},
      {"--db-url", {"db_url"}, &RawOptions::db_url, "PATH",
       "Write every request to a SQLite file (PATH, sqlite://PATH or sqlite:PATH)", nullptr, 0,
       0, Rule::kDbUrl},
      {"--report", {"report"}, &RawOptions::report, "FILE.html",
       "Write one self-contained HTML page of the results: summary, charts, thresholds, plan "
       "(see docs/report.md)", nullptr, 0, 0, Rule::kHomePath},
      {"--no-charts", {"no_charts"}, &RawOptions::no_charts, "",
       "Write no PNG charts (a --report still embeds them)"},
      {"-c,--charts-path", {"charts_path"}, &RawOptions::charts_path, "DIR",
       "Folder of the PNG charts, one subfolder per run", default_charts_path, 0, 0,
       Rule::kHomePath},
      traffic({"--insecure", {"insecure"}, &RawOptions::insecure, "",
       "Skip TLS certificate verification (https://)"}),
      traffic({"--cacert", {"cacert"}, &RawOptions::cacert, "PEM",
       "Trust the CA certificates in this PEM file instead of the system store", nullptr, 0, 0,
       Rule::kHomePath}),
      traffic({"--cert", {"cert"}, &RawOptions::cert, "PEM",
       "Client certificate for mutual TLS (with --key)", nullptr, 0, 0, Rule::kHomePath}),
      traffic({"--key", {"key"}, &RawOptions::key, "PEM", "Private key of --cert", nullptr, 0, 0,
       Rule::kHomePath}),
      traffic({"--tls-min", {"tls_min"}, &RawOptions::tls_min, "1.0|1.1|1.2|1.3",
       "Lowest TLS version to accept (default: OpenSSL's, 1.2)", nullptr, 0, 0,
       Rule::kTlsVersion}),
      traffic({"--tls-max", {"tls_max"}, &RawOptions::tls_max, "1.0|1.1|1.2|1.3",
       "Highest TLS version to offer (default: 1.3)", nullptr, 0, 0, Rule::kTlsVersion}),
      traffic({"--alpn", {"alpn"}, &RawOptions::alpn, "PROTO",
       "ALPN protocol to advertise, repeatable, in order (default: http/1.1; h2,http/1.1 with "
       "--http2); the server's pick decides between HTTP/2 and HTTP/1.1", nullptr, 0, 0,
       Rule::kAlpn}),
      traffic({"--http2", {"http2"}, &RawOptions::http2, "",
       "HTTP/2: over TLS offers h2 and falls back to HTTP/1.1 if the server declines; over "
       "http:// uses h2c with prior knowledge and falls back to HTTP/1.1 if the server does not "
       "speak h2c"}),
      traffic({"--http3", {"http3"}, &RawOptions::http3, "",
       "HTTP/3 over QUIC (experimental; https:// only)"}),
      traffic({"--streams-per-connection", {"streams_per_connection"},
       &RawOptions::streams_per_connection, "N",
       "HTTP/2 and HTTP/3: requests in flight per connection; --max-tasks stays the total, so "
       "connections = max-tasks / N", default_streams, 1, kMaxStreamsPerConnection}),
      traffic({"-p,--proxy", {"proxy"}, &RawOptions::proxy, "URL",
       "HTTP proxy, http://[user:pass@]host:port: http:// targets are forwarded, https:// ones "
       "tunnelled with CONNECT"}),
      traffic({"--unix-socket", {"unix_socket"}, &RawOptions::unix_socket, "PATH",
       "Send the requests for --url over this Unix domain socket", nullptr, 0, 0,
       Rule::kHomePath}),
      traffic({"--disable-keepalive", {"disable_keepalive"}, &RawOptions::disable_keepalive, "",
       "A new connection for every request (shows connect and TLS handshake times)"}),
      traffic({"--scenario", {}, &RawOptions::scenario_name, "NAME",
       "Run the config's [scenarios.NAME] entry: each iteration runs its steps in order on one "
       "connection; with --rate, the rate counts iterations started per second (latency is "
       "still measured per request from its intended send time)"}),
      traffic({"--script", {"script"}, &RawOptions::script, "FILE",
       "Run the scenario a WASM module generates (see docs/scenarios.md); not with a "
       "[scenario] section; with --rate, the rate counts iterations started per second",
       nullptr, 0, 0, Rule::kHomePath}),
      // Distributed runs (docs/distributed.md): config keys live in the [distributed] table.
      {"--controller-listen", {"distributed.listen"}, &RawOptions::controller_listen, "HOST:PORT",
       "Be a controller: accept agents' gRPC sessions here (e.g. 0.0.0.0:9009); sends no load, "
       "splits the plan among the agents and merges what they measure", nullptr, 0, 0,
       Rule::kHostPort},
      {"--controller-mode", {"distributed.controller_mode"}, &RawOptions::controller_mode,
       "auto|manual",
       "auto: start when --min-agents have joined; manual: start and stop over the HTTP control "
       "plane on --control-listen (default: auto)", nullptr, 0, 0, Rule::kControllerMode},
      {"--control-listen", {"distributed.control_listen"}, &RawOptions::control_listen,
       "HOST:PORT", "Manual mode: serve the HTTP control plane (POST /start, POST /stop, "
       "GET /status) here", nullptr, 0, 0, Rule::kHostPort},
      {"--control-auth-token", {"distributed.control_auth_token"},
       &RawOptions::control_auth_token, "TOKEN",
       "Bearer token of the control plane (or env STREST_CONTROL_AUTH_TOKEN); required off "
       "loopback", nullptr, 0, 0, Rule::kToken},
      {"--agent-join", {"distributed.join"}, &RawOptions::agent_join, "HOST:PORT",
       "Be an agent: join the controller at HOST:PORT and run the share of the plan it sends",
       nullptr, 0, 0, Rule::kHostPort},
      {"--auth-token", {"distributed.auth_token"}, &RawOptions::auth_token, "TOKEN",
       "Token shared by the controller and its agents (or env STREST_AUTH_TOKEN); required for a "
       "controller off loopback", nullptr, 0, 0, Rule::kToken},
      {"--agent-weight", {"distributed.weight"}, &RawOptions::agent_weight, "N",
       "Agent: its share of the rate and connections, relative to the other agents' weights",
       default_dist_weight, 1, kMaxU32},
      {"--agent-id", {"distributed.agent_id"}, &RawOptions::agent_id, "ID",
       "Agent: its name in the controller's summary (default: the controller names it)"},
      {"--min-agents", {"distributed.min_agents"}, &RawOptions::min_agents, "N",
       "Controller: agents to wait for before a run starts", default_min_agents, 1, kMaxU32},
      {"--agent-wait-timeout-ms", {"distributed.agent_wait_timeout_ms"},
       &RawOptions::agent_wait_timeout_ms, "MS",
       "Controller: give up when --min-agents have not joined within MS (default: wait until "
       "stopped)", nullptr, 1, kMaxU32},
      {"--agent-standby", {"distributed.agent_standby"}, &RawOptions::agent_standby, "",
       "Agent: stay connected between runs and reconnect every --agent-reconnect-ms"},
      {"--agent-reconnect-ms", {"distributed.agent_reconnect_ms"},
       &RawOptions::agent_reconnect_ms, "MS", "Agent with --agent-standby: time between "
       "reconnection attempts", default_reconnect, 1, kMaxU32},
      {"--agent-heartbeat-interval-ms", {"distributed.agent_heartbeat_interval_ms"},
       &RawOptions::agent_heartbeat_interval_ms, "MS", "Agent: time between heartbeats",
       default_heartbeat_interval, 1, kMaxU32},
      {"--agent-heartbeat-timeout-ms", {"distributed.agent_heartbeat_timeout_ms"},
       &RawOptions::agent_heartbeat_timeout_ms, "MS",
       "Controller: an agent silent this long is unhealthy", default_heartbeat_timeout, 1,
       kMaxU32},
      {"--stream-summaries", {"distributed.stream_summaries"}, &RawOptions::stream_summaries, "",
       "Controller: agents stream interval snapshots during the run (live totals, sinks, charts) "
       "instead of one at the end"},
      {"--stream-interval-ms", {"distributed.stream_interval_ms"},
       &RawOptions::stream_interval_ms, "MS", "Controller with --stream-summaries: time between "
       "an agent's snapshots", default_stream_interval, 1, kMaxU32},
      {"--dist-cert", {"distributed.tls_cert"}, &RawOptions::dist_cert, "PEM",
       "TLS certificate of this end of the gRPC link (with --dist-key); controller: its server "
       "certificate, agent: its client certificate", nullptr, 0, 0, Rule::kHomePath},
      {"--dist-key", {"distributed.tls_key"}, &RawOptions::dist_key, "PEM",
       "Private key of --dist-cert", nullptr, 0, 0, Rule::kHomePath},
      {"--dist-cacert", {"distributed.tls_ca"}, &RawOptions::dist_cacert, "PEM",
       "CA of the gRPC link; controller: agents must show a certificate it signed (mutual "
       "TLS), agent: verifies the controller's", nullptr, 0, 0, Rule::kHomePath},
      {nullptr, {"distributed.role"}, &RawOptions::dist_role, "", "", nullptr, 0, 0,
       Rule::kDistRole},
      {"--install-service", {}, &RawOptions::install_service, "",
       "Install and start a systemd unit running this controller or agent with the other flags "
       "given (needs root)"},
      {"--uninstall-service", {}, &RawOptions::uninstall_service, "",
       "Stop, disable and remove the systemd unit of --service-name (needs root)"},
      {"--service-name", {}, &RawOptions::service_name, "NAME",
       "Name of the systemd unit (default: strest-controller or strest-agent)", nullptr, 0, 0,
       Rule::kServiceName},
      {"--dry-run", {}, &RawOptions::dry_run, "",
       "With --install-service or --uninstall-service: print the unit, or what would be "
       "removed, and change nothing"},
      {"--replay", {}, &RawOptions::replay, "",
       "Rebuild the results of a recorded run, sending nothing: from --export-csv, --export-json "
       "or --export-jsonl PATH, else the newest run log in --tmp-path (a folder or a "
       "strest-run-*.srl file)"},
      {"--replay-start", {}, &RawOptions::replay_start, "min|max|DURATION",
       "Replay only requests started from this time of the run on (default: min)", nullptr, 0, 0,
       Rule::kWindowStart},
      {"--replay-end", {}, &RawOptions::replay_end, "min|max|DURATION",
       "Replay only requests started before this time of the run (default: max)"},
      {"--replay-step", {}, &RawOptions::replay_step, "DURATION",
       "Replay dashboard: how far one arrow key seeks", default_replay_step},
      {"--replay-snapshot-interval", {}, &RawOptions::replay_snapshot_interval, "DURATION",
       "Write a snapshot of the replayed results every DURATION (default: one, at the end)"},
      {"--replay-snapshot-start", {}, &RawOptions::replay_snapshot_start, "min|max|DURATION",
       "Start of the snapshot window (default: the replay's start)", nullptr, 0, 0,
       Rule::kWindowStart},
      {"--replay-snapshot-end", {}, &RawOptions::replay_snapshot_end, "min|max|DURATION",
       "End of the snapshot window (default: the replay's end)"},
      {"--replay-snapshot-out", {}, &RawOptions::replay_snapshot_out, "PATH",
       "Folder or file the snapshots are written to", default_snapshot_out, 0, 0,
       Rule::kHomePath},
      {"--replay-snapshot-format", {}, &RawOptions::replay_snapshot_format, "json|jsonl|csv",
       "Format of the snapshots", default_snapshot_format, 0, 0, Rule::kSnapshotFormat},
  };
  // clang-format on
  return table;
}

namespace {

// Keys and long flags (with '_' for '-') of the reference tool's features not built yet: none
// now; the mechanism stays for the next feature that lands in parts.
constexpr std::array<std::string_view, 0> kNotYetSupported{};

// Keys of the reference tool's flags that only the command line may give: a replay is asked for
// one at a time, never by a config file that also describes runs; installing a service is an
// act, not a setting.
// clang-format off
constexpr std::string_view kCommandLineOnly[] = {
    "replay", "replay_start", "replay_end", "replay_step", "replay_snapshot_interval",
    "replay_snapshot_start",
    "replay_snapshot_end", "replay_snapshot_out", "replay_snapshot_format", "install_service",
    "uninstall_service", "service_name", "dry_run"};
// clang-format on

}  // namespace

const Setting& setting_of(Field field) {
  for (const Setting& setting : settings()) {
    if (setting.names != nullptr && setting.field == field) return setting;
  }
  std::abort();  // every RawOptions field the CLI names has a flag in the table
}

std::string flag_of(const Setting& setting) {
  const std::string_view names = setting.names;
  const auto begin = names.find("--");
  return std::string(names.substr(begin, names.find(',', begin) - begin));
}

std::string key_of(const Setting& setting) {
  if (!setting.keys.empty()) return std::string(setting.keys.front());
  std::string key = flag_of(setting).substr(2);
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

bool is_given(const RawOptions& options, const Setting& setting) {
  return std::visit([&](auto field) { return (options.*field).has_value(); }, setting.field);
}

bool is_not_yet_supported(std::string_view key) {
  return std::find(kNotYetSupported.begin(), kNotYetSupported.end(), key) != kNotYetSupported.end();
}

std::string_view not_yet_supported_reason(std::string_view key) {
  (void)key;
  return "";
}

bool is_command_line_only(std::string_view key) {
  return std::find(std::begin(kCommandLineOnly), std::end(kCommandLineOnly), key) !=
         std::end(kCommandLineOnly);
}

}  // namespace strest

#pragma once
// The Plan: everything a run needs, merged from flags and config, validated once, then
// read-only. Every other part takes a const Plan&.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plan/distributed.h"
#include "plan/scenario.h"
#include "plan/setting_origins.h"
#include "plan/threshold.h"
#include "plan/url.h"

namespace strest {

using Micros = std::chrono::microseconds;

enum class OutputFormat { kJson, kText, kJsonl, kCsv };

// Files the sinks rewrite every update_interval during the run and once at the end.
struct SinksConfig {
  Micros update_interval = std::chrono::milliseconds(1000);
  std::optional<std::string> prometheus_path;  // Prometheus text exposition format
  std::optional<std::string> otel_path;        // OTLP metrics JSON
  std::optional<std::string> influx_path;      // Influx line protocol
};

// Which per-request records exports carry: those starting within [from, to) of the run, at most
// `max` of them.
struct MetricsWindow {
  Micros from{0};
  std::optional<Micros> to;
  uint64_t max = 1'000'000;
};

struct Header {
  std::string name;
  std::string value;
};

// One stage of a load profile: the rate ramps linearly to target_rps over duration.
struct LoadStage {
  Micros duration{0};
  double target_rps = 0;
};

// Open-loop arrival rate over time: start_rps at t=0, then each stage in turn; after the last
// stage the last rate holds. `--rate N` is {N, {}}.
struct LoadProfile {
  double start_rps = 0;
  std::vector<LoadStage> stages;

  Micros stages_duration() const {
    Micros total{0};
    for (const LoadStage& stage : stages) total += stage.duration;
    return total;
  }
};

// --replay: rebuild a run's results from a kept run log or an export, sending nothing.
struct ReplayOptions {
  enum class Source { kRunLog, kCsv, kJson, kJsonl };
  Source source_kind = Source::kRunLog;
  std::string source;                       // run log file or folder (--tmp-path), or export file
  std::optional<Micros> start;              // --replay-start (unset: min, the run's start)
  std::optional<Micros> end;                // --replay-end (unset: max, the run's end)
  std::optional<Micros> snapshot_interval;  // --replay-snapshot-interval
  std::optional<Micros> snapshot_start;     // --replay-snapshot-start (unset: replay start)
  std::optional<Micros> snapshot_end;       // --replay-snapshot-end (unset: replay end)
  std::string snapshot_out;                 // empty: ~/.strest/snapshots; a folder or a file
  OutputFormat snapshot_format = OutputFormat::kJson;  // json, jsonl or csv
  // Snapshots are written when any snapshot flag is given.
  bool snapshots_wanted() const {
    return snapshot_interval || snapshot_start || snapshot_end || !snapshot_out.empty();
  }
};

// --proxy: an HTTP forward proxy, with credentials when its URL has them.
struct ProxyPlan {
  std::string host;
  uint16_t port = 0;
  std::string user;  // percent-decoded; empty: no Proxy-Authorization
  std::string password;
  std::string text;  // the URL without credentials, for messages
};

// How requests reach the target: TLS, protocol, proxy, socket.
struct TransportPlan {
  bool insecure = false;  // skip certificate verification
  std::string cacert;     // PEM file of trusted CAs; "" = the system store
  std::string cert;       // client certificate (mutual TLS), with key
  std::string key;
  int tls_min = 0;  // 10, 11, 12, 13 for TLS 1.0 .. 1.3; 0 = library default
  int tls_max = 0;
  std::vector<std::string> alpn;  // as given; empty = by protocol (h2+http/1.1 with --http2)
  bool http2 = false;             // adaptive: ALPN h2 over TLS, h2c prior knowledge otherwise
  bool http3 = false;             // QUIC, https:// only
  uint32_t streams_per_connection = 10;  // HTTP/2 and HTTP/3 requests in flight per connection
  std::optional<ProxyPlan> proxy;
  std::optional<std::string> unix_socket;  // connect here instead of the URL's host
  bool disable_keepalive = false;          // a new connection per request
};

// True when the run goes through a forward proxy in absolute form (http:// targets over
// HTTP/1.1); https:// and HTTP/2 go through a CONNECT tunnel instead.
inline bool uses_forward_proxy(const Url& url, const TransportPlan& transport) {
  return transport.proxy && url.scheme == "http" && !transport.http2;
}

struct Plan {
  Url url;
  TransportPlan transport;
  std::string method = "GET";
  // User headers in the order given (-H, then -A/-T shortcuts); no User-Agent unless the user
  // set one. Host, User-Agent and Content-Length are added by the request builder.
  std::vector<Header> headers;
  // Request bodies: empty means no body; with --data-lines one entry per line, sent round robin.
  std::vector<std::string> bodies;
  bool send_user_agent = true;
  // The user confirmed they may test this target (--authorized); sending no User-Agent needs it.
  bool authorized = false;

  // Stop conditions: whichever comes first. Neither set means the default duration.
  std::optional<Micros> duration;
  std::optional<uint64_t> max_requests;

  int expected_status = 200;
  Micros timeout = std::chrono::seconds(10);
  Micros connect_timeout = std::chrono::seconds(5);
  uint32_t max_tasks = 50;  // concurrent connections, one request in flight each
  uint32_t threads = 1;     // worker threads; never more than max_tasks

  // Open loop when set: requests are sent on this schedule, latency measured from the
  // intended send time. Unset: closed loop, each connection sends when its last reply is in.
  std::optional<LoadProfile> load;
  // Connection ramp: spawn_rate more connections every spawn_interval, up to max_tasks.
  // Unset: all connections at once (as wrk and oha do).
  std::optional<uint32_t> spawn_rate;
  Micros spawn_interval = std::chrono::seconds(1);
  // Requests that start in the first `warmup` are run but left out of every result.
  Micros warmup{0};
  // Scenario runs (docs/scenarios.md): each iteration runs these steps in order on one
  // connection; --rate then counts iterations started per second. Unset: every request is the
  // same request. It is [scenario], the registry entry --scenario names, or what --script made.
  std::optional<Scenario> scenario;
  // [scenarios.NAME]: named scenarios, in the order the config gave them (--scenario NAME
  // picks one; the distributed controller's manual mode starts them by name).
  std::vector<std::pair<std::string, Scenario>> scenario_registry;
  std::string scenario_name;  // --scenario: the registry entry that runs, "" otherwise
  std::string script;         // --script: the WASM module the scenario came from, "" otherwise
  // When set, every request carries its sequence number in this header.
  std::optional<std::string> request_id_header;
  // Checked at the end (and live with abort_on_fail, after abort_delay); failure exits 3.
  std::vector<Threshold> thresholds;
  bool abort_on_fail = false;
  Micros abort_delay = std::chrono::seconds(5);

  // The run log: every completed request streamed to <tmp_path>/strest-run-*.srl while the run
  // goes on (see docs/run-log.md); deleted at the end unless keep_tmp.
  std::string tmp_path;  // empty: ~/.strest/tmp
  bool keep_tmp = false;
  bool run_log = true;  // --no-run-log turns it off (no exports or replay of the run then)
  uint32_t log_shards = 1;

  // Per-request exports (with the summary), written at the end from the run log.
  std::optional<std::string> export_csv;
  std::optional<std::string> export_json;
  std::optional<std::string> export_jsonl;
  MetricsWindow metrics_window;
  std::optional<SinksConfig> sinks;
  // PNG charts, one folder per run under charts_path (empty: ~/.strest/charts).
  bool no_charts = false;
  std::string charts_path;
  // Per-request rows in SQLite (tables runs and metrics).
  std::optional<std::string> db_url;
  // --report: one self-contained HTML page of the results (report/run_report.h).
  std::optional<std::string> report_path;
  std::optional<ReplayOptions> replay;
  // Set when this process is a distributed controller or agent (docs/distributed.md).
  std::optional<DistributedPlan> distributed;

  bool summary = false;
  bool no_tui = false;
  Micros ui_window = std::chrono::seconds(10);   // the dashboard's chart window
  Micros replay_step = std::chrono::seconds(5);  // replay dashboard: the seek of one arrow key
  bool verbose = false;
  std::optional<std::string> output_path;
  OutputFormat output_format = OutputFormat::kJson;
  // Where each setting came from (flag, config key or derived), for reports that say so.
  SettingOrigins origins;
};

inline constexpr Micros kDefaultDuration = std::chrono::seconds(10);

}  // namespace strest

#pragma once
// Settings as the user gave them, before defaults: one RawOptions comes from the command line,
// one from the config file; merge() lets the command line win, and command_line.cpp turns the
// result into a Plan. Every value is converted and checked on its own as it is read, so an error
// can name its flag or key; how values combine is plan/validate.h's to judge.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config_value.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/threshold.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace strest {

// --replay-start and the like: the first or last moment of the recorded run, or a time since
// its start.
struct ReplayBound {
  enum class Kind { kMin, kMax, kAt };
  Kind kind = Kind::kMin;
  Micros at{0};  // kAt only
};

// Every setting is optional here: absent means "not given by this source".
struct RawOptions {
  std::optional<std::string> url;     // a full URL, or in demo mode a path on the built-in target
  std::optional<std::string> method;  // already upper-cased and checked to be a token
  std::optional<std::vector<Header>> headers;  // parsed from "Key: Value"
  std::optional<std::string> accept;
  std::optional<std::string> content_type;
  std::optional<std::string> data;        // the body itself
  std::optional<std::string> data_file;   // path of a file holding the body
  std::optional<std::string> data_lines;  // path of a file holding one body per line
  std::optional<Micros> duration;         // > 0
  std::optional<uint64_t> requests;       // >= 1
  std::optional<uint64_t> status;         // 100..999
  std::optional<Micros> timeout;          // > 0
  std::optional<Micros> connect_timeout;  // > 0
  std::optional<uint64_t> max_tasks;      // >= 1
  std::optional<uint64_t> threads;        // >= 1
  std::optional<bool> summary;
  std::optional<bool> no_tui;
  std::optional<Micros> ui_window;  // > 0; a bare number is milliseconds
  std::optional<bool> no_ua;
  std::optional<bool> authorized;
  std::optional<bool> verbose;
  std::optional<std::string> output;
  std::optional<OutputFormat> output_format;
  std::optional<std::string> config;                 // --config PATH; never set from a config file
  std::optional<LoadProfile> load;                   // --rate, or the config's rate, rpm or [load]
  std::optional<uint64_t> spawn_rate;                // >= 1
  std::optional<Micros> spawn_interval;              // > 0; a bare number is milliseconds
  std::optional<Micros> warmup;                      // >= 0
  std::optional<std::string> request_id_header;      // a header name
  std::optional<std::vector<Threshold>> thresholds;  // --threshold, or the config's [thresholds]
  std::optional<bool> abort_on_fail;
  std::optional<Micros> abort_delay;    // >= 0; config only ([thresholds])
  std::optional<SinksConfig> sinks;     // config only ([sinks])
  std::optional<std::string> tmp_path;  // non-empty; a leading "~/" is already $HOME
  std::optional<bool> keep_tmp;
  std::optional<bool> no_run_log;
  std::optional<uint64_t> log_shards;     // 1..64
  std::optional<std::string> export_csv;  // non-empty paths
  std::optional<std::string> export_json;
  std::optional<std::string> export_jsonl;
  std::optional<MetricsRange> metrics_range;
  std::optional<uint64_t> metrics_max;  // >= 1
  std::optional<bool> no_charts;
  std::optional<std::string> charts_path;  // non-empty; "~/" is already $HOME
  std::optional<std::string> db_url;       // a file path: any sqlite:// or sqlite: prefix is gone
  std::optional<std::string> report;       // --report: the HTML file; "~/" is already $HOME
  // Transport: TLS, protocol, proxy, socket.
  std::optional<bool> insecure;
  std::optional<std::string> cacert;  // non-empty paths
  std::optional<std::string> cert;
  std::optional<std::string> key;
  std::optional<std::string> tls_min;  // "1.0" .. "1.3", checked
  std::optional<std::string> tls_max;
  std::optional<std::vector<std::string>> alpn;  // protocol ids, checked
  std::optional<bool> http2;
  std::optional<bool> http3;
  std::optional<uint64_t> streams_per_connection;  // 1..10000
  std::optional<std::string> proxy;                // a URL, parsed by the plan step
  std::optional<std::string> unix_socket;          // non-empty path
  std::optional<bool> disable_keepalive;
  // Scenarios: [scenario] and [scenarios.NAME] come from the config file only (read whole by
  // cli/scenario_config.h); --scenario picks a registry entry, --script makes one from WASM.
  std::optional<Scenario> scenario;
  std::optional<std::vector<std::pair<std::string, Scenario>>> scenarios;
  std::optional<std::string> scenario_name;  // --scenario NAME
  std::optional<std::string> script;         // --script FILE (or the config's script key)
  // Distributed runs (plan/distributed.h): --controller-listen / --agent-join and the
  // [distributed] table. Durations are whole milliseconds, as the reference's *_ms keys are.
  std::optional<std::string> dist_role;  // config only: distributed.role, "controller" or "agent"
  std::optional<std::string> controller_listen;  // host:port
  std::optional<std::string> controller_mode;    // "auto" or "manual", checked
  std::optional<std::string> control_listen;     // host:port
  std::optional<std::string> control_auth_token;
  std::optional<std::string> agent_join;  // host:port
  std::optional<std::string> auth_token;
  std::optional<uint64_t> agent_weight;  // >= 1
  std::optional<std::string> agent_id;
  std::optional<uint64_t> min_agents;             // >= 1
  std::optional<uint64_t> agent_wait_timeout_ms;  // >= 1
  std::optional<bool> agent_standby;
  std::optional<uint64_t> agent_reconnect_ms;           // >= 1
  std::optional<uint64_t> agent_heartbeat_interval_ms;  // >= 1
  std::optional<uint64_t> agent_heartbeat_timeout_ms;   // >= 1
  std::optional<bool> stream_summaries;
  std::optional<uint64_t> stream_interval_ms;  // >= 1
  std::optional<std::string> dist_cert;        // non-empty paths; "~/" is already $HOME
  std::optional<std::string> dist_key;
  std::optional<std::string> dist_cacert;
  // systemd: command line only (ops/systemd_service.h).
  std::optional<bool> install_service;
  std::optional<bool> uninstall_service;
  std::optional<std::string> service_name;
  std::optional<bool> dry_run;  // with a service flag: print instead of changing the system
  // Replay: command line only. With --replay, --export-* and --tmp-path name the input.
  std::optional<bool> replay;
  std::optional<ReplayBound> replay_start;
  std::optional<ReplayBound> replay_end;
  std::optional<Micros> replay_step;               // > 0
  std::optional<Micros> replay_snapshot_interval;  // > 0
  std::optional<ReplayBound> replay_snapshot_start;
  std::optional<ReplayBound> replay_snapshot_end;
  std::optional<std::string> replay_snapshot_out;      // non-empty; "~/" is already $HOME
  std::optional<OutputFormat> replay_snapshot_format;  // json, jsonl or csv
};

// Field by field, a value from cli wins over one from config. The three body settings (data,
// data_file, data_lines) move as one: any of them on the command line drops all of config's.
// Thresholds add up instead: config's first, then cli's (CI adds checks on top of a config).
RawOptions merge(const RawOptions& cli, const RawOptions& config);

// How a top-level config key is treated.
enum class KeyKind {
  kKnown,            // a setting of this build
  kNotYetSupported,  // a key of the reference tool whose feature is not built yet
  kCommandLineOnly,  // a setting of this build that only a flag may give (replay)
  kUnknown,          // a typo or a key of some other tool
};

KeyKind classify_config_key(std::string_view key);

// All keys a config file may set, for "did you mean" suggestions.
std::vector<std::string_view> known_config_keys();

// True for a flag of the reference tool ("--http2", "-p") whose feature is not built yet.
bool is_unsupported_flag(std::string_view flag);

// What follows "is not supported yet" for a config key or flag: ": <reason>" where more can be
// said (--replay-step: "interactive replay comes with the TUI"), else "".
std::string not_supported_note(std::string_view key_or_flag);

// Stores one config value into options; tables ([load], [thresholds]) arrive whole. Errors start
// with "key '<key>'" or "unknown key '<key>'" (the caller adds the file name) and name the
// expected type or range. Setting one thing twice through aliases (max_tasks and concurrency,
// rate and [load]) is an error.
Status set_config_value(RawOptions& options, std::string_view key, const ConfigValue& value);

// The run flags, registered on a CLI11 app from the settings table with defaults taken from a
// default-constructed Plan. After app.parse(), collect() checks and converts what was given.
class CliFlags {
 public:
  explicit CliFlags(CLI::App& app);
  // CLI11 keeps pointers into slots_, so a CliFlags stays where it was built.
  CliFlags(const CliFlags&) = delete;
  CliFlags& operator=(const CliFlags&) = delete;

  // Values of the flags that were given; the error names the flag.
  Result<RawOptions> collect() const;

  // Long name of the first flag that was given ("--url"), or "" if none was.
  std::string first_given() const;

 private:
  // Where CLI11 stores one flag's text until collect() converts it.
  struct Slot {
    std::string text;
    std::vector<std::string> list;
    bool flag = false;
    CLI::Option* option = nullptr;
  };
  // Registers settings()[index] on app, bound to slots_[index].
  CLI::Option* add(CLI::App& app, size_t index, const Plan& defaults);

  std::vector<Slot> slots_;  // one per entry of the settings table, same order
};

}  // namespace strest

#pragma once
// The declarative table of run settings: for each, its flags, its config keys, the RawOptions
// field it lands in, its help line and the checks its value gets. It is the one place that knows
// a setting's names: options.cpp registers the flags and stores config keys from it,
// setting_values.cpp converts and checks the values, origins.h names settings in messages and
// replay_plan.cpp refuses the ones marked shapes_traffic.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/config_value.h"
#include "cli/options.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/threshold.h"

namespace strest {

// A pointer to one RawOptions member holding an optional T.
template <typename T>
using FieldOf = std::optional<T> RawOptions::*;

using Field =
    std::variant<FieldOf<std::string>, FieldOf<bool>, FieldOf<Micros>, FieldOf<uint64_t>,
                 FieldOf<std::vector<Header>>, FieldOf<std::vector<std::string>>,
                 FieldOf<OutputFormat>, FieldOf<LoadProfile>, FieldOf<std::vector<Threshold>>,
                 FieldOf<MetricsRange>, FieldOf<ReplayBound>>;

// Extra checks on a setting's value, or another reading of it.
enum class Rule {
  kAny,
  kMethod,          // text: an HTTP method, upper-cased
  kHeaderName,      // text: a header name strest does not set itself
  kHeaderValue,     // text: no line breaks
  kZeroAllowed,     // duration: 0 is allowed
  kMillis,          // duration: a bare number is milliseconds
  kPerMinute,       // rate: requests per minute
  kLoadTable,       // load profile: a [load] table
  kPath,            // text: a file path, not empty
  kHomePath,        // text: a path, not empty; a leading "~/" becomes $HOME
  kDbUrl,           // text: a SQLite file as PATH, sqlite://PATH or sqlite:PATH; "~/" expanded
  kSnapshotFormat,  // output format: json, jsonl or csv (no text)
  kWindowStart,     // replay bound: a duration may be 0
  kTlsVersion,      // text: 1.0, 1.1, 1.2 or 1.3
  kAlpn,            // list: ALPN protocol ids (visible ASCII, 1-255 bytes)
  kHostPort,        // text: HOST:PORT, an IPv6 host in brackets, port 1-65535
  kControllerMode,  // text: auto or manual
  kDistRole,        // text: controller or agent
  kToken,           // text: a shared secret, not empty, no whitespace
  kServiceName,     // text: a systemd unit name without .service (letters, digits, -_.:@)
};

// One setting: its flags, its config keys, where it lands in RawOptions and its help line.
struct Setting {
  const char* names;                   // CLI11 names, e.g. "-u,--url"; nullptr: config only
  std::vector<std::string_view> keys;  // config keys, canonical first; empty means CLI only
  Field field;
  const char* value_name;  // placeholder shown in --help
  const char* help;
  std::string (*default_of)(const Plan&) = nullptr;  // default shown in --help
  uint64_t min = 0;                                  // integer settings: inclusive bounds
  uint64_t max = 0;
  Rule rule = Rule::kAny;
  // True when the setting changes what is sent, or how: --replay sends nothing and refuses it.
  bool shapes_traffic = false;
};

// Every setting, in --help order. Several may share a field (rate, rpm and load all set `load`).
const std::vector<Setting>& settings();

// The setting that owns field and has a flag (--rate for `load`, not the config-only rpm).
const Setting& setting_of(Field field);

// The setting's long flag, the name messages and SettingOrigins use: "--max-tasks" for
// "-m,--max-tasks,--concurrency,--connections".
std::string flag_of(const Setting& setting);

// The config key messages use: the canonical key, else the flag's name with '_' for '-'.
std::string key_of(const Setting& setting);

// True when options holds a value for setting's field.
bool is_given(const RawOptions& options, const Setting& setting);

// True for a config key or a long flag's name (with '_' for '-') of the reference tool whose
// feature is not built yet.
bool is_not_yet_supported(std::string_view key);

// Why a not-yet-supported key is refused, when more can be said than "not supported yet";
// empty otherwise.
std::string_view not_yet_supported_reason(std::string_view key);

// True for a key of the reference tool's flags that only the command line may set (replay).
bool is_command_line_only(std::string_view key);

// Converts value as setting's type and rule require and stores it in options; the error starts
// with source.subject.
Status assign(RawOptions& options, const Setting& setting, const ConfigValue& value,
              const Source& source);

}  // namespace strest

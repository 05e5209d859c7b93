#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <thread>

#include "plan/duration.h"

namespace strest {
namespace {

// A pointer to one RawOptions member holding an optional T.
template <typename T>
using FieldOf = std::optional<T> RawOptions::*;

using Field = std::variant<FieldOf<std::string>, FieldOf<bool>, FieldOf<Micros>, FieldOf<uint64_t>,
                           FieldOf<std::vector<Header>>, FieldOf<OutputFormat>>;

// Extra checks on a text setting.
enum class TextRule { kAny, kMethod, kHeaderValue };

// One setting: its flags, its config keys, where it lands in RawOptions and its help line.
struct Setting {
  const char* names;                   // CLI11 names, e.g. "-u,--url"; the first long is primary
  std::vector<std::string_view> keys;  // config keys, canonical first; empty means CLI only
  Field field;
  const char* value_name;  // placeholder shown in --help
  const char* help;
  std::string (*default_of)(const Plan&) = nullptr;  // default shown in --help
  uint64_t min = 0;                                  // integer settings: inclusive bounds
  uint64_t max = 0;
  TextRule rule = TextRule::kAny;
};

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// Defaults shown in --help, read from a default-constructed Plan.
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
std::string default_threads(const Plan&) {
  return "cores (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + ")";
}

const std::vector<Setting>& settings() {
  // One setting per entry reads better than clang-format's one field per line.
  // clang-format off
  static const std::vector<Setting> table = {
      {"-u,--url", {"url"}, &RawOptions::url, "URL",
       "Target URL, http://host[:port]/path (demo: a path like /delay/5)"},
      {"-X,--method", {"method"}, &RawOptions::method, "METHOD", "HTTP method (upper-cased)",
       default_method, 0, 0, TextRule::kMethod},
      {"-H,--headers", {"headers"}, &RawOptions::headers, "'KEY: VALUE'",
       "Request header; repeat for more"},
      {"-A,--accept", {"accept"}, &RawOptions::accept, "TYPE",
       "Accept header (shortcut for -H 'Accept: ...')", nullptr, 0, 0, TextRule::kHeaderValue},
      {"-T,--content-type", {"content_type"}, &RawOptions::content_type, "TYPE",
       "Content-Type header (shortcut for -H 'Content-Type: ...')", nullptr, 0, 0,
       TextRule::kHeaderValue},
      {"-d,--data", {"data"}, &RawOptions::data, "TEXT", "Request body"},
      {"-D,--data-file", {"data_file"}, &RawOptions::data_file, "PATH",
       "Request body read from a file"},
      {"-Z,--data-lines", {"data_lines"}, &RawOptions::data_lines, "PATH",
       "Request bodies from a file, one per line, sent in turn"},
      {"-t,--duration", {"duration"}, &RawOptions::duration, "DURATION",
       "Run time: 250ms, 10s, 2m, 1h; a bare number is seconds",
       default_duration},
      {"--requests", {"requests"}, &RawOptions::requests, "N",
       "Stop after N requests; with no --duration, there is no time limit", nullptr, 1, kMaxU64},
      {"-s,--status", {"status"}, &RawOptions::status, "CODE", "Expected HTTP status",
       default_status, 100, 999},
      {"--timeout", {"timeout"}, &RawOptions::timeout, "DURATION", "Request timeout",
       default_timeout},
      {"--connect-timeout", {"connect_timeout"}, &RawOptions::connect_timeout, "DURATION",
       "Connection timeout", default_connect_timeout},
      {"-m,--max-tasks,--concurrency,--connections", {"max_tasks", "concurrency", "connections"},
       &RawOptions::max_tasks, "N", "Concurrent connections, one request in flight each",
       default_max_tasks, 1, kMaxU32},
      {"--threads", {"threads"}, &RawOptions::threads, "N",
       "Worker threads (never more than --max-tasks)", default_threads, 1, kMaxU32},
      {"--summary", {"summary"}, &RawOptions::summary, "", "Print an end-of-run summary"},
      {"--no-tui", {"no_tui", "no_ui"}, &RawOptions::no_tui, "",
       "No interactive UI: a progress bar, then the summary"},
      {"--no-ua", {"no_ua"}, &RawOptions::no_ua, "",
       "Send no User-Agent header (requires --authorized)"},
      {"--authorized", {"authorized"}, &RawOptions::authorized, "",
       "Confirm you have permission to test this target"},
      {"--verbose", {"verbose"}, &RawOptions::verbose, "", "Debug logging"},
      {"--config", {}, &RawOptions::config, "PATH",
       "Config file, .toml or .json (default: ./strest.toml, ./strest.json)"},
      {"-o,--output", {"output"}, &RawOptions::output, "PATH", "Write the results to a file"},
      {"--output-format", {"output_format"}, &RawOptions::output_format, "json|text",
       "Format of --output (default: by extension .json, .txt, .log)"},
  };
  // clang-format on
  return table;
}

// Keys and long flags (with '_' for '-') of the reference tool's features not built yet.
// clang-format off
constexpr std::string_view kNotYetSupported[] = {
    "warmup", "ui_window_ms", "no_charts", "charts_path", "tls_min", "tls_max", "http2", "http3",
    "alpn", "proxy", "metrics_range", "metrics_max", "load", "rate", "rpm", "spawn_rate",
    "spawn_interval", "scenario", "scenarios", "script", "sinks", "distributed", "tmp_path",
    "keep_tmp", "log_shards", "export_csv", "export_json", "export_jsonl", "db_url", "replay",
    "replay_start", "replay_end", "replay_step", "replay_snapshot_interval",
    "replay_snapshot_start", "replay_snapshot_end", "replay_snapshot_out",
    "replay_snapshot_format", "controller_listen", "controller_mode", "control_listen",
    "control_auth_token", "agent_join", "auth_token", "agent_weight", "agent_id", "min_agents",
    "agent_wait_timeout_ms", "agent_standby", "agent_reconnect_ms",
    "agent_heartbeat_interval_ms", "agent_heartbeat_timeout_ms", "stream_summaries",
    "stream_interval_ms", "install_service", "uninstall_service", "service_name"};
// clang-format on

// Short flags of the reference tool whose features are not built yet.
constexpr std::string_view kNotYetSupportedShort[] = {"-p", "-r", "-i", "-c"};

// Who gave a value, for messages: "--url" or "key 'url'"; CLI values arrive as text.
struct Source {
  std::string subject;
  bool from_cli;
};

std::string primary_flag(std::string_view names) {
  auto begin = names.find("--");
  return std::string(names.substr(begin, names.find(',', begin) - begin));
}

const Setting* find_setting(std::string_view key) {
  for (const Setting& setting : settings()) {
    if (std::find(setting.keys.begin(), setting.keys.end(), key) != setting.keys.end()) {
      return &setting;
    }
  }
  return nullptr;
}

std::string type_name(const ConfigValue& value) {
  constexpr const char* kNames[] = {"a boolean", "an integer", "a number", "a string", "an array"};
  if (const auto* other = std::get_if<OtherType>(&value)) return other->name;
  return kNames[value.index()];
}

Error wrong_type(const Source& source, std::string_view expected, const ConfigValue& value) {
  return Error{source.subject + " must be " + std::string(expected) + ", not " + type_name(value)};
}

std::string_view trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// RFC 9110 token characters, for methods and header names.
bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool has_line_break(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

Result<Header> parse_header(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Error{"'" + std::string(text) + "' is not a header: write it as 'Key: Value'"};
  }
  Header header{std::string(trim(text.substr(0, colon))),
                std::string(trim(text.substr(colon + 1)))};
  if (!is_token(header.name)) {
    return Error{"'" + std::string(text) + "' has no valid header name: write it as 'Key: Value'"};
  }
  if (has_line_break(header.value)) {
    return Error{"header '" + header.name + "' has a line break in its value"};
  }
  return header;
}

Result<std::string> convert(FieldOf<std::string>, const Setting& setting, const ConfigValue& value,
                            const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) return wrong_type(source, "a string", value);
  if (setting.rule == TextRule::kMethod) {
    std::string method = *text;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (is_token(method)) return method;
    return Error{source.subject + ": '" + *text + "' is not a valid HTTP method"};
  }
  if (setting.rule == TextRule::kHeaderValue && has_line_break(*text)) {
    return Error{source.subject + " must not contain a line break"};
  }
  return *text;
}

Result<bool> convert(FieldOf<bool>, const Setting&, const ConfigValue& value,
                     const Source& source) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  return wrong_type(source, "true or false", value);
}

// Config numbers are seconds; the result may be zero (the caller checks for > 0).
Result<Micros> seconds(double value, const Source& source) {
  if (!std::isfinite(value) || value < 0) {
    return Error{source.subject + " must be a positive number of seconds"};
  }
  if (value * 1e6 >= 9.2e18) return Error{source.subject + " is too large"};
  return Micros(std::llround(value * 1e6));
}

Result<Micros> convert(FieldOf<Micros>, const Setting&, const ConfigValue& value,
                       const Source& source) {
  Result<Micros> duration = Error{};
  if (const auto* text = std::get_if<std::string>(&value)) {
    duration = parse_duration(*text);
    if (!duration) return Error{source.subject + ": " + duration.error()};
  } else if (!source.from_cli && std::holds_alternative<int64_t>(value)) {
    duration = seconds(static_cast<double>(std::get<int64_t>(value)), source);
  } else if (!source.from_cli && std::holds_alternative<double>(value)) {
    duration = seconds(std::get<double>(value), source);
  } else {
    return wrong_type(source, "a number of seconds or a duration string like \"10s\"", value);
  }
  if (duration && duration->count() <= 0) {
    return Error{source.subject + " must be greater than 0"};
  }
  return duration;
}

Error out_of_range(const Setting& setting, const Source& source, std::string_view got, bool below) {
  std::string bounds =
      "between " + std::to_string(setting.min) + " and " + std::to_string(setting.max);
  if (setting.max >= kMaxU32) {
    bounds = below ? "at least " + std::to_string(setting.min)
                   : "at most " + std::to_string(setting.max);
  }
  return Error{source.subject + " must be " + bounds + " (got " + std::string(got) + ")"};
}

// A whole number typed on the command line; range checks are the caller's.
Result<int64_t> cli_integer(const std::string& text, const Source& source) {
  int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || end != text.data() + text.size()) {
    return Error{source.subject + ": '" + text + "' is not a whole number"};
  }
  if (error == std::errc::result_out_of_range) {
    return Error{source.subject + ": " + text + " is too large"};
  }
  return number;
}

Result<uint64_t> convert(FieldOf<uint64_t>, const Setting& setting, const ConfigValue& value,
                         const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  const auto* integer = std::get_if<int64_t>(&value);
  Result<int64_t> number = Error{};
  if (source.from_cli && text != nullptr) {
    number = cli_integer(*text, source);
    if (!number) return Error{number.error()};
  } else if (!source.from_cli && integer != nullptr) {
    number = *integer;
  } else {
    return wrong_type(source, "an integer", value);
  }
  std::string shown = std::to_string(*number);
  if (*number < 0 || static_cast<uint64_t>(*number) < setting.min) {
    return out_of_range(setting, source, shown, true);
  }
  if (static_cast<uint64_t>(*number) > setting.max) {
    return out_of_range(setting, source, shown, false);
  }
  return static_cast<uint64_t>(*number);
}

Result<std::vector<Header>> convert(FieldOf<std::vector<Header>>, const Setting&,
                                    const ConfigValue& value, const Source& source) {
  const auto* lines = std::get_if<std::vector<std::string>>(&value);
  if (lines == nullptr) return wrong_type(source, "an array of \"Key: Value\" strings", value);
  std::vector<Header> headers;
  for (const std::string& line : *lines) {
    auto header = parse_header(line);
    if (!header) return Error{source.subject + ": " + header.error()};
    headers.push_back(std::move(*header));
  }
  return headers;
}

Result<OutputFormat> convert(FieldOf<OutputFormat>, const Setting&, const ConfigValue& value,
                             const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) return wrong_type(source, "\"json\" or \"text\"", value);
  if (*text == "json") return OutputFormat::kJson;
  if (*text == "text") return OutputFormat::kText;
  return Error{source.subject + " must be json or text (got '" + *text + "')"};
}

Status assign(RawOptions& options, const Setting& setting, const ConfigValue& value,
              const Source& source) {
  return std::visit(
      [&](auto field) -> Status {
        auto converted = convert(field, setting, value, source);
        if (!converted) return Error{converted.error()};
        options.*field = std::move(*converted);
        return Ok{};
      },
      setting.field);
}

bool is_set(const RawOptions& options, const Setting& setting) {
  return std::visit([&](auto field) { return (options.*field).has_value(); }, setting.field);
}

std::string joined_keys(const Setting& setting) {
  std::string text;
  for (std::string_view key : setting.keys) text += (text.empty() ? "" : ", ") + std::string(key);
  return text;
}

}  // namespace

RawOptions merge(const RawOptions& cli, const RawOptions& config) {
  RawOptions merged = cli;
  for (const Setting& setting : settings()) {
    std::visit(
        [&](auto field) {
          if (!(merged.*field)) merged.*field = config.*field;
        },
        setting.field);
  }
  if (cli.data || cli.data_file || cli.data_lines) {
    merged.data = cli.data;
    merged.data_file = cli.data_file;
    merged.data_lines = cli.data_lines;
  }
  return merged;
}

KeyKind classify_config_key(std::string_view key) {
  if (find_setting(key) != nullptr) return KeyKind::kKnown;
  auto* end = std::end(kNotYetSupported);
  if (std::find(std::begin(kNotYetSupported), end, key) != end) return KeyKind::kNotYetSupported;
  return KeyKind::kUnknown;
}

std::vector<std::string_view> known_config_keys() {
  std::vector<std::string_view> keys;
  for (const Setting& setting : settings())
    keys.insert(keys.end(), setting.keys.begin(), setting.keys.end());
  return keys;
}

bool is_unsupported_flag(std::string_view flag) {
  auto* short_end = std::end(kNotYetSupportedShort);
  if (std::find(std::begin(kNotYetSupportedShort), short_end, flag) != short_end) return true;
  if (flag.substr(0, 2) != "--") return false;
  std::string key(flag.substr(2));
  std::replace(key.begin(), key.end(), '-', '_');
  return classify_config_key(key) == KeyKind::kNotYetSupported;
}

Status set_config_value(RawOptions& options, std::string_view key, const ConfigValue& value) {
  const Setting* setting = find_setting(key);
  if (setting == nullptr) return Error{"unknown key '" + std::string(key) + "'"};
  if (is_set(options, *setting)) {
    return Error{"key '" + std::string(key) + "' repeats a setting already given (" +
                 joined_keys(*setting) + " are one setting): keep one"};
  }
  return assign(options, *setting, value, Source{"key '" + std::string(key) + "'", false});
}

CliFlags::CliFlags(CLI::App& app) : slots_(settings().size()) {
  const Plan defaults;
  for (size_t index = 0; index < slots_.size(); ++index) {
    slots_[index].option = add(app, index, defaults);
  }
}

CLI::Option* CliFlags::add(CLI::App& app, size_t index, const Plan& defaults) {
  const Setting& setting = settings()[index];
  Slot& slot = slots_[index];
  CLI::Option* option = nullptr;
  if (std::holds_alternative<FieldOf<bool>>(setting.field)) {
    return app.add_flag(setting.names, slot.flag, setting.help);
  }
  if (std::holds_alternative<FieldOf<std::vector<Header>>>(setting.field)) {
    option = app.add_option(setting.names, slot.list, setting.help)->allow_extra_args(false);
  } else {
    option = app.add_option(setting.names, slot.text, setting.help);
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  option->type_name(setting.value_name);
  if (setting.default_of != nullptr) option->default_str(setting.default_of(defaults));
  return option;
}

Result<RawOptions> CliFlags::collect() const {
  RawOptions options;
  for (size_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (slot.option->count() == 0) continue;
    const Setting& setting = settings()[index];
    ConfigValue value = slot.text;
    if (std::holds_alternative<FieldOf<bool>>(setting.field)) {
      value = slot.flag;
    } else if (std::holds_alternative<FieldOf<std::vector<Header>>>(setting.field)) {
      value = slot.list;
    }
    auto status = assign(options, setting, value, Source{primary_flag(setting.names), true});
    if (!status) return Error{status.error()};
  }
  return options;
}

std::string CliFlags::first_given() const {
  for (size_t index = 0; index < slots_.size(); ++index) {
    if (slots_[index].option->count() > 0) return primary_flag(settings()[index].names);
  }
  return "";
}

}  // namespace strest

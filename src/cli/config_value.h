#pragma once
// Values as flags and config files give them, and the readers that check and convert them, so
// that flags, top-level keys and nested tables ([load], [thresholds]) share one set of rules and
// one style of message. Every reader's error starts with the value's subject ("--rate",
// "key 'load.rate'"); the config loader adds the file name.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// A value of a shape no key accepts; name reads well after "not" ("a date or time", "null").
struct OtherType {
  std::string name;
};

struct ConfigEntry;

// A TOML table or JSON object: its entries in the order the parser yields them.
struct ConfigTable {
  std::vector<ConfigEntry> entries;
  std::string noun = "a table";  // "an object" in JSON, for messages
};

// A config-file value decoded from TOML or JSON into the shapes our keys take. A command-line
// value arrives as its text (std::string), or as a list for repeatable flags.
using ConfigValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>,
                                 OtherType, ConfigTable, std::vector<ConfigTable>>;

struct ConfigEntry {
  std::string key;
  ConfigValue value;
};

// Who gave a value, for messages: "--url" or "key 'url'"; command-line values arrive as text.
struct Source {
  std::string subject;
  bool from_cli = false;
};

// "a string", "an integer", "a table", "an array of objects", ...
std::string type_name(const ConfigValue& value);

// "<subject> must be <expected>, not <type>".
Error wrong_type(const Source& source, std::string_view expected, const ConfigValue& value);

// How a duration is read. Config numbers and bare numbers in text are seconds unless
// bare_number_is_ms.
struct DurationRule {
  bool zero_allowed = false;
  bool bare_number_is_ms = false;  // --spawn-interval 100 is 100 ms, as in the reference tool
};

// A duration: text ("250ms", "10s") from anywhere, or a number from a config file.
Result<Micros> read_duration(const ConfigValue& value, const Source& source, DurationRule rule);

// How a request rate is read.
struct RateRule {
  bool per_minute = false;  // the value is requests per minute (rpm keys)
  bool zero_allowed = false;
};

// Highest accepted rate, in requests per second: far above any real run, low enough that
// pacers never overflow.
inline constexpr double kMaxRate = 1e9;

// A request rate, converted to requests per second: command-line text or a config number.
Result<double> read_rate(const ConfigValue& value, const Source& source, RateRule rule);

// --metrics-range / metrics_range: the part of the run whose requests exports keep, [from, to).
struct MetricsRange {
  Micros from{0};
  std::optional<Micros> to;  // none: until the run ends
};

// "10-30" (seconds), "10s-2m" (durations) or "10-" (no end), with from < to; text only.
Result<MetricsRange> read_metrics_range(const ConfigValue& value, const Source& source);

// A path as users write it, non-empty; "~" or a leading "~/" is `home` ($HOME, nullptr when
// unset), since config files and --flag=~/x get no shell expansion.
Result<std::string> read_home_path(const std::string& text, const Source& source, const char* home);

// RFC 9110 token characters, as methods and header names need.
bool is_token(std::string_view text);

std::string_view trim(std::string_view text);

// "; did you mean 'max_tasks'?" when key is within two edits of a known key, else "".
std::string did_you_mean(std::string_view key, std::span<const std::string_view> known);

}  // namespace strest

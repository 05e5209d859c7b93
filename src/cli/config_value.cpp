#include "cli/config_value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "plan/duration.h"

namespace strest {
namespace {

constexpr double kMicrosPerSecond = 1e6;
constexpr double kMicrosPerMillisecond = 1e3;

// A config number of seconds (or milliseconds) as whole microseconds; zero is the caller's.
Result<Micros> scaled(double value, double micros_per_unit, const Source& source) {
  std::string_view unit = micros_per_unit == kMicrosPerSecond ? "seconds" : "milliseconds";
  if (!std::isfinite(value) || value < 0) {
    return Error{source.subject + " must be a positive number of " + std::string(unit)};
  }
  if (value * micros_per_unit >= 9.2e18) return Error{source.subject + " is too large"};
  return Micros(std::llround(value * micros_per_unit));
}

bool is_bare_number(std::string_view text) {
  text = trim(text);
  return !text.empty() && text.find_first_not_of("0123456789.") == std::string_view::npos;
}

Result<Micros> duration_from_text(const std::string& text, const Source& source,
                                  DurationRule rule) {
  if (rule.bare_number_is_ms && is_bare_number(text)) {
    auto millis = parse_duration(std::string(trim(text)) + "ms");
    if (millis) return millis;
  }
  auto duration = parse_duration(text);
  if (duration) return duration;
  if (rule.bare_number_is_ms && duration.error().rfind("invalid duration", 0) == 0) {
    return Error{source.subject + ": invalid duration '" + text +
                 "': use e.g. 100 (a bare number is milliseconds), 250ms or 1s"};
  }
  return Error{source.subject + ": " + duration.error()};
}

std::string shown(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// A number typed on the command line, as text; the caller checks its range.
Result<double> cli_number(const std::string& text, const Source& source) {
  std::string_view body = trim(text);
  double number = 0;
  auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), number);
  if (body.empty() || end != body.data() + body.size() || error != std::errc() ||
      !std::isfinite(number)) {
    return Error{source.subject + ": '" + text + "' is not a number"};
  }
  return number;
}

// Case-insensitive Levenshtein distance.
size_t edit_distance(std::string_view from, std::string_view to) {
  std::vector<size_t> row(to.size() + 1);
  for (size_t j = 0; j <= to.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= from.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= to.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(from[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(to[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + !same});
      diagonal = above;
    }
  }
  return row[to.size()];
}

}  // namespace

std::string type_name(const ConfigValue& value) {
  constexpr const char* kNames[] = {"a boolean", "an integer", "a number", "a string", "an array"};
  if (const auto* other = std::get_if<OtherType>(&value)) return other->name;
  if (const auto* table = std::get_if<ConfigTable>(&value)) return table->noun;
  if (const auto* tables = std::get_if<std::vector<ConfigTable>>(&value)) {
    bool objects = !tables->empty() && tables->front().noun == "an object";
    return objects ? "an array of objects" : "an array of tables";
  }
  return kNames[value.index()];
}

Error wrong_type(const Source& source, std::string_view expected, const ConfigValue& value) {
  return Error{source.subject + " must be " + std::string(expected) + ", not " + type_name(value)};
}

Result<Micros> read_duration(const ConfigValue& value, const Source& source, DurationRule rule) {
  double micros_per_unit = rule.bare_number_is_ms ? kMicrosPerMillisecond : kMicrosPerSecond;
  Result<Micros> duration = Error{};
  if (const auto* text = std::get_if<std::string>(&value)) {
    duration = duration_from_text(*text, source, rule);
  } else if (!source.from_cli && std::holds_alternative<int64_t>(value)) {
    duration = scaled(static_cast<double>(std::get<int64_t>(value)), micros_per_unit, source);
  } else if (!source.from_cli && std::holds_alternative<double>(value)) {
    duration = scaled(std::get<double>(value), micros_per_unit, source);
  } else {
    std::string_view unit = rule.bare_number_is_ms ? "milliseconds" : "seconds";
    return wrong_type(
        source, "a number of " + std::string(unit) + " or a duration string like \"10s\"", value);
  }
  if (duration && duration->count() <= 0 && !rule.zero_allowed) {
    return Error{source.subject + " must be greater than 0"};
  }
  return duration;
}

Result<double> read_rate(const ConfigValue& value, const Source& source, RateRule rule) {
  std::string_view per = rule.per_minute ? "minute" : "second";
  Result<double> number = Error{};
  if (const auto* text = std::get_if<std::string>(&value); text != nullptr && source.from_cli) {
    number = cli_number(*text, source);
    if (!number) return number;
  } else if (!source.from_cli && std::holds_alternative<int64_t>(value)) {
    number = static_cast<double>(std::get<int64_t>(value));
  } else if (!source.from_cli && std::holds_alternative<double>(value)) {
    number = std::get<double>(value);
  } else {
    return wrong_type(source, "a number of requests per " + std::string(per), value);
  }
  double limit = rule.per_minute ? kMaxRate * 60 : kMaxRate;
  if (!std::isfinite(*number) || *number < 0 || (*number == 0 && !rule.zero_allowed)) {
    std::string bound = rule.zero_allowed ? "0 or more" : "greater than 0";
    return Error{source.subject + " must be " + bound + " (got " + shown(*number) + ")"};
  }
  if (*number > limit) {
    return Error{source.subject + " must be at most " + shown(limit) + " requests per " +
                 std::string(per) + " (got " + shown(*number) + ")"};
  }
  return rule.per_minute ? *number / 60 : *number;
}

Result<MetricsRange> read_metrics_range(const ConfigValue& value, const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) return wrong_type(source, "a string like \"10-30\"", value);
  std::string_view body = trim(*text);
  auto dash = body.find('-');
  auto from = parse_duration(body.substr(0, dash));
  Result<Micros> to = Micros(0);
  if (dash != std::string_view::npos && dash + 1 < body.size()) {
    to = parse_duration(body.substr(dash + 1));
  }
  if (dash == std::string_view::npos || dash == 0 || !from || !to) {
    return Error{source.subject + ": invalid range '" + *text +
                 "': use START-END in seconds or durations, e.g. 10-30, 10s-2m, or 10- for no "
                 "end"};
  }
  MetricsRange range{*from, std::nullopt};
  if (dash + 1 < body.size()) range.to = *to;
  if (range.to && *range.to <= range.from) {
    return Error{source.subject + ": the range '" + *text +
                 "' ends before it starts: START must be less than END"};
  }
  return range;
}

Result<std::string> read_home_path(const std::string& text, const Source& source,
                                   const char* home) {
  if (text.empty()) return Error{source.subject + " must not be empty: give a path"};
  if (text != "~" && text.rfind("~/", 0) != 0) return text;
  if (home == nullptr || *home == '\0') {
    return Error{source.subject + ": cannot expand '~' in '" + text +
                 "': HOME is not set; write the full path"};
  }
  return std::string(home) + text.substr(1);
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

std::string_view trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

std::string did_you_mean(std::string_view key, std::span<const std::string_view> known) {
  std::string_view best;
  size_t best_distance = 3;  // suggest only within two edits
  for (std::string_view candidate : known) {
    size_t distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : "; did you mean '" + std::string(best) + "'?";
}

}  // namespace strest

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <limits>
#include <utility>

#include "cli/config_tables.h"
#include "cli/settings_table.h"
#include "net/listen_address.h"
#include "plan/duration.h"
#include "text/ascii.h"

namespace strest {
namespace {

constexpr uint64_t kMaxU32 = std::numeric_limits<uint32_t>::max();

// Headers the request builder writes itself: a request-id header of that name would corrupt
// every request.
constexpr std::string_view kBuilderHeaders[] = {"Host", "Content-Length", "Transfer-Encoding",
                                                "User-Agent"};

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

Result<std::string> header_name(const std::string& name, const Source& source) {
  if (!is_token(name)) {
    return Error{source.subject + ": '" + name +
                 "' is not a valid header name: use letters, digits and '-', e.g. X-Request-Id"};
  }
  for (std::string_view builder_header : kBuilderHeaders) {
    if (same_name(name, builder_header)) {
      return Error{source.subject + ": strest writes " + std::string(builder_header) +
                   " itself; choose another name, e.g. X-Request-Id"};
    }
  }
  return name;
}

// --db-url: a SQLite file, as a path or as a sqlite:// or sqlite: URL (what the reference takes).
Result<std::string> db_path(const std::string& text, const Source& source) {
  std::string_view path = text;
  for (std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (path.starts_with(prefix)) {
      path.remove_prefix(prefix.size());
      break;
    }
  }
  if (path.empty()) {
    return Error{source.subject +
                 " must name a SQLite file, e.g. ./strest.db or sqlite://strest.db"};
  }
  auto scheme_end = path.find("://");
  if (scheme_end != std::string_view::npos && scheme_end > 0 &&
      std::all_of(path.begin(), path.begin() + static_cast<ptrdiff_t>(scheme_end),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+'; })) {
    return Error{source.subject + ": '" + text +
                 "' is not a SQLite database; give a file path or sqlite://PATH"};
  }
  return read_home_path(std::string(path), source, std::getenv("HOME"));
}

// The distributed settings' words, addresses, tokens and the systemd unit name.
Result<std::string> distributed_text(const Setting& setting, const std::string& text,
                                     const Source& source) {
  switch (setting.rule) {
    case Rule::kHostPort: {
      auto address = parse_listen_address(text);
      if (!address) return Error{source.subject + ": " + address.error()};
      if (address->port == 0 && setting.field == Field{&RawOptions::agent_join}) {
        return Error{source.subject + ": port 0 is no controller's port: give the port the " +
                     "controller listens on, e.g. 10.0.0.5:9009"};
      }
      return text;
    }
    case Rule::kControllerMode:
      if (text == "auto" || text == "manual") return text;
      return Error{source.subject + " must be auto or manual (got '" + text + "')"};
    case Rule::kDistRole:
      if (text == "controller" || text == "agent") return text;
      return Error{source.subject + " must be \"controller\" or \"agent\" (got '" + text + "')"};
    case Rule::kToken:
      if (text.empty() || std::any_of(text.begin(), text.end(), [](unsigned char c) {
            return std::isspace(c) || std::iscntrl(c);
          })) {
        return Error{source.subject +
                     " must be a non-empty token without spaces or control characters"};
      }
      return text;
    case Rule::kServiceName:
      if (text.empty() || text.size() > 200 || text.ends_with(".service") ||
          !std::all_of(text.begin(), text.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
          })) {
        return Error{source.subject + ": '" + text +
                     "' is not a unit name: use letters, digits, '-', '_', '.', ':' or '@', "
                     "without .service (e.g. strest-agent)"};
      }
      return text;
    default:
      return text;
  }
}

Result<std::string> convert(FieldOf<std::string>, const Setting& setting, const ConfigValue& value,
                            const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) return wrong_type(source, "a string", value);
  switch (setting.rule) {
    case Rule::kHostPort:
    case Rule::kControllerMode:
    case Rule::kDistRole:
    case Rule::kToken:
    case Rule::kServiceName:
      return distributed_text(setting, *text, source);
    default:
      break;
  }
  if (setting.rule == Rule::kMethod) {
    std::string method = *text;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (is_token(method)) return method;
    return Error{source.subject + ": '" + *text + "' is not a valid HTTP method"};
  }
  if (setting.rule == Rule::kHeaderName) return header_name(*text, source);
  if (setting.rule == Rule::kHomePath) return read_home_path(*text, source, std::getenv("HOME"));
  if (setting.rule == Rule::kDbUrl) return db_path(*text, source);
  if (setting.rule == Rule::kPath && text->empty()) {
    return Error{source.subject + " must not be empty: give a file path"};
  }
  if (setting.rule == Rule::kTlsVersion && *text != "1.0" && *text != "1.1" && *text != "1.2" &&
      *text != "1.3") {
    return Error{source.subject + " must be 1.0, 1.1, 1.2 or 1.3 (got '" + *text + "')"};
  }
  if (setting.rule == Rule::kHeaderValue && has_line_break(*text)) {
    return Error{source.subject + " must not contain a line break"};
  }
  return *text;
}

Result<bool> convert(FieldOf<bool>, const Setting&, const ConfigValue& value,
                     const Source& source) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  return wrong_type(source, "true or false", value);
}

Result<Micros> convert(FieldOf<Micros>, const Setting& setting, const ConfigValue& value,
                       const Source& source) {
  return read_duration(value, source,
                       DurationRule{.zero_allowed = setting.rule == Rule::kZeroAllowed,
                                    .bare_number_is_ms = setting.rule == Rule::kMillis});
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

// --alpn: protocol ids as RFC 7301 allows them (1-255 bytes), printable so errors can show them.
Result<std::vector<std::string>> convert(FieldOf<std::vector<std::string>>, const Setting&,
                                         const ConfigValue& value, const Source& source) {
  std::vector<std::string> items;
  if (const auto* one = std::get_if<std::string>(&value)) {
    items.push_back(*one);
  } else if (const auto* many = std::get_if<std::vector<std::string>>(&value)) {
    items = *many;
  } else {
    return wrong_type(source, "an array of strings such as [\"h2\", \"http/1.1\"]", value);
  }
  for (const std::string& item : items) {
    if (item.empty() || item.size() > 255 || !is_visible_ascii(item)) {
      return Error{source.subject + ": '" + item +
                   "' is not an ALPN protocol id: use e.g. h2 or http/1.1"};
    }
  }
  return items;
}

// --output-format takes text too; --replay-snapshot-format (kSnapshotFormat) does not.
Result<OutputFormat> convert(FieldOf<OutputFormat>, const Setting& setting,
                             const ConfigValue& value, const Source& source) {
  constexpr std::pair<std::string_view, OutputFormat> kFormats[] = {{"json", OutputFormat::kJson},
                                                                    {"jsonl", OutputFormat::kJsonl},
                                                                    {"csv", OutputFormat::kCsv},
                                                                    {"text", OutputFormat::kText}};
  const bool text_allowed = setting.rule != Rule::kSnapshotFormat;
  const std::string names = text_allowed ? "json, jsonl, csv or text" : "json, jsonl or csv";
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) {
    return wrong_type(source,
                      text_allowed ? "\"json\", \"jsonl\", \"csv\" or \"text\""
                                   : "\"json\", \"jsonl\" or \"csv\"",
                      value);
  }
  for (const auto& [name, format] : kFormats) {
    if (*text == name && (text_allowed || format != OutputFormat::kText)) return format;
  }
  return Error{source.subject + " must be " + names + " (got '" + *text + "')"};
}

// "min", "max" or a duration since the run's start; 0 only where the rule allows it.
Result<ReplayBound> convert(FieldOf<ReplayBound>, const Setting& setting, const ConfigValue& value,
                            const Source& source) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) {
    return wrong_type(source, "\"min\", \"max\" or a duration string like \"10s\"", value);
  }
  std::string_view word = trim(*text);
  if (word == "min") return ReplayBound{ReplayBound::Kind::kMin};
  if (word == "max") return ReplayBound{ReplayBound::Kind::kMax};
  auto at = parse_duration(word);
  if (word.empty() || !at) {
    return Error{source.subject + ": '" + *text +
                 "' is not min, max or a duration: use e.g. min, max, 10s or 2m"};
  }
  if (at->count() == 0 && setting.rule != Rule::kWindowStart) {
    return Error{source.subject + " must be greater than 0 (or min or max)"};
  }
  return ReplayBound{ReplayBound::Kind::kAt, *at};
}

Result<MetricsRange> convert(FieldOf<MetricsRange>, const Setting&, const ConfigValue& value,
                             const Source& source) {
  return read_metrics_range(value, source);
}

// --rate N and the config's rate = N or rpm = N are a constant rate; [load] is a profile.
Result<LoadProfile> convert(FieldOf<LoadProfile>, const Setting& setting, const ConfigValue& value,
                            const Source& source) {
  if (setting.rule == Rule::kLoadTable) {
    const auto* table = std::get_if<ConfigTable>(&value);
    if (table == nullptr) {
      return wrong_type(source, "a table ([load] with rate and [[load.stages]])", value);
    }
    return read_load_table(*table);
  }
  auto rate = read_rate(value, source, RateRule{.per_minute = setting.rule == Rule::kPerMinute});
  if (!rate) return Error{rate.error()};
  return LoadProfile{*rate, {}};
}

Result<std::vector<Threshold>> convert(FieldOf<std::vector<Threshold>>, const Setting&,
                                       const ConfigValue& value, const Source& source) {
  const auto* expressions = std::get_if<std::vector<std::string>>(&value);
  if (expressions == nullptr) return wrong_type(source, "an array of expressions", value);
  std::vector<Threshold> thresholds;
  for (const std::string& expression : *expressions) {
    auto threshold = read_threshold(expression, source.subject);
    if (!threshold) return Error{threshold.error()};
    thresholds.push_back(std::move(*threshold));
  }
  return thresholds;
}

}  // namespace

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

}  // namespace strest

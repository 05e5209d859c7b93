#include "cli/config_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace strest {
namespace {

std::string lower_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
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

// "; did you mean 'max_tasks'?" for a near miss, else "".
std::string suggestion(std::string_view key) {
  std::string_view best;
  size_t best_distance = 3;  // suggest only within two edits
  for (std::string_view known : known_config_keys()) {
    size_t distance = edit_distance(key, known);
    if (distance < best_distance) {
      best = known;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : "; did you mean '" + std::string(best) + "'?";
}

Status store(ConfigFile& file, const std::string& key, const ConfigValue& value) {
  switch (classify_config_key(key)) {
    case KeyKind::kNotYetSupported:
      return Error{file.name + ": key '" + key + "' is not supported yet"};
    case KeyKind::kUnknown:
      return Error{file.name + ": unknown key '" + key + "'" + suggestion(key)};
    case KeyKind::kKnown:
      break;
  }
  auto status = set_config_value(file.options, key, value);
  if (!status) return Error{file.name + ": " + status.error()};
  return Ok{};
}

ConfigValue decode_toml_array(const toml::array& array) {
  std::vector<std::string> items;
  for (const toml::node& item : array) {
    const auto* text = item.as_string();
    if (text == nullptr) return OtherType{"an array with non-string items"};
    items.push_back(text->get());
  }
  return items;
}

ConfigValue decode_toml(const toml::node& node) {
  if (const auto* value = node.as_string()) return value->get();
  if (const auto* value = node.as_integer()) return value->get();
  if (const auto* value = node.as_floating_point()) return value->get();
  if (const auto* value = node.as_boolean()) return value->get();
  if (const auto* value = node.as_array()) return decode_toml_array(*value);
  if (node.is_table()) return OtherType{"a table"};
  return OtherType{"a date or time"};
}

ConfigValue decode_json_array(const nlohmann::json& array) {
  std::vector<std::string> items;
  for (const nlohmann::json& item : array) {
    if (!item.is_string()) return OtherType{"an array with non-string items"};
    items.push_back(item.get<std::string>());
  }
  return items;
}

ConfigValue decode_json(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return OtherType{"an integer that is too large"};
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) return value.get<double>();
  if (value.is_array()) return decode_json_array(value);
  if (value.is_object()) return OtherType{"an object"};
  return OtherType{"null"};
}

Result<ConfigFile> parse_toml(const std::string& name, const std::string& text) {
  ConfigFile file{name, {}};
  try {
    toml::table table = toml::parse(text, name);
    for (const auto& [key, node] : table) {
      auto status = store(file, std::string(key.str()), decode_toml(node));
      if (!status) return Error{status.error()};
    }
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    return Error{name + ": invalid TOML at line " + std::to_string(where.line) + ", column " +
                 std::to_string(where.column) + ": " + std::string(error.description())};
  }
  return file;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
std::string json_reason(const std::string& what) {
  auto end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

Result<ConfigFile> parse_json(const std::string& name, const std::string& text) {
  ConfigFile file{name, {}};
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    return Error{name + ": invalid JSON: " + json_reason(error.what())};
  }
  if (!document.is_object()) return Error{name + ": the top level must be a JSON object"};
  for (const auto& [key, value] : document.items()) {
    auto status = store(file, key, decode_json(value));
    if (!status) return Error{status.error()};
  }
  return file;
}

}  // namespace

Result<std::string> read_user_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return Error{"cannot read '" + path + "': it is a directory"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  return contents.str();
}

Result<ConfigFile> load_config_file(const std::string& path) {
  std::string extension = lower_extension(path);
  if (extension != ".toml" && extension != ".json") {
    return Error{"config file '" + path + "' must end in .toml or .json"};
  }
  auto text = read_user_file(path);
  if (!text) return Error{"config file: " + text.error()};
  return extension == ".toml" ? parse_toml(path, *text) : parse_json(path, *text);
}

std::optional<std::string> find_config_file() {
  for (const char* name : {"strest.toml", "strest.json"}) {
    std::error_code ignored;
    if (std::filesystem::exists(name, ignored)) return std::string(name);
  }
  return std::nullopt;
}

Result<ConfigFile> load_config(const std::optional<std::string>& explicit_path) {
  std::optional<std::string> path = explicit_path ? explicit_path : find_config_file();
  if (!path) return ConfigFile{};
  return load_config_file(*path);
}

}  // namespace strest

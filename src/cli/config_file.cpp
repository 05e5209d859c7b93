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

#include "cli/config_decode.h"
#include "cli/scenario_config.h"
#include "cli/settings_table.h"

namespace strest {
namespace {

std::string lower_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// "; did you mean 'max_tasks'?" for a near miss, else "". A flag's name whose setting lives in
// a table ("controller_listen") points at the table's key.
std::string suggestion(std::string_view key) {
  for (const Setting& setting : settings()) {
    if (setting.names == nullptr || setting.keys.empty()) continue;
    const std::string_view canonical = setting.keys.front();
    const auto dot = canonical.find('.');
    std::string flag_key = flag_of(setting).substr(2);
    std::replace(flag_key.begin(), flag_key.end(), '-', '_');
    if (dot == std::string_view::npos || flag_key != key) continue;
    return ": it is key '" + std::string(canonical.substr(dot + 1)) + "' of the [" +
           std::string(canonical.substr(0, dot)) + "] table (or pass " + flag_of(setting) + ")";
  }
  return did_you_mean(key, known_config_keys());
}

// "--replay", or "--replay-start with --replay": the flag that replaces a command-line-only key.
std::string command_line_only_fix(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  if (!key.starts_with("replay")) return "--" + key;
  return key == "replay" ? "--replay" : "--" + key + " with --replay";
}

// [scenario] and [scenarios.NAME]: their CSV files resolve against the config file's folder.
Status store_scenarios(ConfigFile& file, const std::string& key, const ConfigValue& value) {
  const std::string base_dir = std::filesystem::path(file.name).parent_path().string();
  if (key == "scenario") {
    auto scenario = read_scenario(value, "scenario", base_dir);
    if (!scenario) return Error{file.name + ": " + scenario.error()};
    file.options.scenario = std::move(*scenario);
  } else {
    auto registry = read_scenario_registry(value, base_dir);
    if (!registry) return Error{file.name + ": " + registry.error()};
    file.options.scenarios = std::move(*registry);
  }
  file.keys.push_back(key);
  return Ok{};
}

Status store(ConfigFile& file, const std::string& key, const ConfigValue& value) {
  if (key == "scenario" || key == "scenarios") return store_scenarios(file, key, value);
  switch (classify_config_key(key)) {
    case KeyKind::kNotYetSupported:
      return Error{file.name + ": key '" + key + "' is not supported yet" +
                   not_supported_note(key)};
    case KeyKind::kCommandLineOnly:
      if (!key.starts_with("replay")) {
        return Error{file.name + ": key '" + key + "' cannot be set in a config file: it is " +
                     "command-line only; pass " + command_line_only_fix(key)};
      }
      return Error{file.name + ": key '" + key + "' cannot be set in a config file: replay is " +
                   "command-line only; pass " + command_line_only_fix(key)};
    case KeyKind::kUnknown:
      return Error{file.name + ": unknown key '" + key + "'" + suggestion(key)};
    case KeyKind::kKnown:
      break;
  }
  auto status = set_config_value(file.options, key, value);
  if (!status) return Error{file.name + ": " + status.error()};
  file.keys.push_back(key);
  // A table of settings: messages name its keys by path ("distributed.listen").
  if (const auto* table = std::get_if<ConfigTable>(&value); table && key == "distributed") {
    for (const ConfigEntry& entry : table->entries) file.keys.push_back(key + "." + entry.key);
  }
  return Ok{};
}

Result<ConfigFile> parse_toml(const std::string& name, const std::string& text) {
  ConfigFile file{name, {}, {}};
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

Result<ConfigFile> parse_json(const std::string& name, const std::string& text) {
  ConfigFile file{name, {}, {}};
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

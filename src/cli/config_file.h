#pragma once
// Config files: strest.toml or strest.json, holding the same settings as the flags under the
// reference tool's key names, plus the [load] and [thresholds] tables (config_tables.h). Unknown
// keys are errors, at any depth, so a typo never silently does nothing.
#include <optional>
#include <string>
#include <vector>

#include "cli/config_value.h"
#include "cli/options.h"
#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// A loaded config file: its settings and the name its errors use ("strest.toml").
struct ConfigFile {
  std::string name;    // empty when no file was loaded
  RawOptions options;  // nothing set when no file was loaded
  // The top-level keys as the file wrote them ("concurrency", not max_tasks), for messages.
  std::vector<std::string> keys;
};

// Reads path as TOML (.toml) or JSON (.json), by extension; every error names the file.
Result<ConfigFile> load_config_file(const std::string& path);

// ./strest.toml if it exists, else ./strest.json, else nullopt (relative to the working dir).
std::optional<std::string> find_config_file();

// The --config file if one was given, else the discovered one, else an empty ConfigFile.
Result<ConfigFile> load_config(const std::optional<std::string>& explicit_path);

// A whole file the user named (a config, a request body); the error quotes the path and the
// system's reason.
Result<std::string> read_user_file(const std::string& path);

}  // namespace strest

#pragma once
// TOML and JSON decoded into ConfigValue, the shapes config keys take, so that config files,
// --script's JSON and the fuzz targets read both formats the same way.
#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/config_value.h"
#include "plan/result.h"

namespace strest {

ConfigValue decode_toml(const toml::node& node);
ConfigValue decode_json(const nlohmann::json& value);

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
std::string json_reason(const std::string& what);

// JSON text as a ConfigValue; the error is "invalid JSON: <reason>".
Result<ConfigValue> parse_json_config_value(const std::string& text);

}  // namespace strest

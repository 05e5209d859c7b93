#include "cli/config_decode.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace strest {
namespace {

// Arrays our keys take: of strings, or of tables ([[load.stages]]); [] reads as no strings.
template <typename Item, typename Decode>
ConfigValue decode_array(const std::vector<const Item*>& items, Decode decode) {
  std::vector<std::string> strings;
  std::vector<ConfigTable> tables;
  for (const Item* item : items) {
    ConfigValue value = decode(*item);
    if (auto* text = std::get_if<std::string>(&value)) {
      strings.push_back(std::move(*text));
    } else if (auto* table = std::get_if<ConfigTable>(&value)) {
      tables.push_back(std::move(*table));
    } else {
      return OtherType{"an array with non-string items"};
    }
  }
  if (!strings.empty() && !tables.empty()) return OtherType{"an array mixing tables and strings"};
  if (!tables.empty()) return tables;
  return strings;
}

}  // namespace

ConfigValue decode_toml(const toml::node& node) {
  if (const auto* value = node.as_string()) return value->get();
  if (const auto* value = node.as_integer()) return value->get();
  if (const auto* value = node.as_floating_point()) return value->get();
  if (const auto* value = node.as_boolean()) return value->get();
  if (const auto* array = node.as_array()) {
    std::vector<const toml::node*> items;
    for (const toml::node& item : *array) items.push_back(&item);
    return decode_array(items, decode_toml);
  }
  if (const auto* table = node.as_table()) {
    ConfigTable decoded;
    for (const auto& [key, value] : *table) {
      decoded.entries.push_back({std::string(key.str()), decode_toml(value)});
    }
    return decoded;
  }
  return OtherType{"a date or time"};
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
  if (value.is_array()) {
    std::vector<const nlohmann::json*> items;
    for (const nlohmann::json& item : value) items.push_back(&item);
    return decode_array(items, decode_json);
  }
  if (value.is_object()) {
    ConfigTable decoded{{}, "an object"};
    for (const auto& [key, item] : value.items())
      decoded.entries.push_back({key, decode_json(item)});
    return decoded;
  }
  return OtherType{"null"};
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
std::string json_reason(const std::string& what) {
  auto end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

Result<ConfigValue> parse_json_config_value(const std::string& text) {
  try {
    return decode_json(nlohmann::json::parse(text));
  } catch (const nlohmann::json::exception& error) {
    return Error{"invalid JSON: " + json_reason(error.what())};
  }
}

}  // namespace strest

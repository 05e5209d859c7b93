#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/config_tables.h"
#include "cli/settings_table.h"

namespace strest {
namespace {

// The config key whose table sets several fields at once: checks, abort_on_fail, abort_delay.
constexpr std::string_view kThresholdsKey = "thresholds";
// The config key of the [sinks] table, which no flag sets.
constexpr std::string_view kSinksKey = "sinks";
// [scenario] and [scenarios.NAME], which config_file.cpp reads whole (cli/scenario_config.h).
constexpr std::string_view kScenarioKey = "scenario";
constexpr std::string_view kScenariosKey = "scenarios";
// The [distributed] table: its keys are the settings table's "distributed.<key>" entries.
constexpr std::string_view kDistributedKey = "distributed";

// The setting of a config key: a top-level key ("url"), or a table's key as its path
// ("distributed.listen"); a top-level key never contains a dot.
const Setting* find_setting(std::string_view key) {
  for (const Setting& setting : settings()) {
    if (std::find(setting.keys.begin(), setting.keys.end(), key) != setting.keys.end()) {
      return &setting;
    }
  }
  return nullptr;
}

// The keys of every setting that lands where this one does ("rate, rpm, load").
std::string joined_keys(const Setting& setting) {
  std::string text;
  for (const Setting& other : settings()) {
    if (other.field != setting.field) continue;
    for (std::string_view key : other.keys) {
      text += (text.empty() ? "" : ", ") + std::string(key);
    }
  }
  return text;
}

Status set_sinks(RawOptions& options, const ConfigValue& value) {
  auto sinks = read_sinks(value);
  if (!sinks) return Error{sinks.error()};
  options.sinks = std::move(*sinks);
  return Ok{};
}

// [distributed]: each key lands where its "distributed.<key>" setting says.
Status set_distributed(RawOptions& options, const ConfigValue& value) {
  const auto* table = std::get_if<ConfigTable>(&value);
  if (table == nullptr) {
    return wrong_type(Source{"key 'distributed'", false},
                      "a table ([distributed] with role, listen or join, ...)", value);
  }
  std::vector<std::string_view> known;
  for (const Setting& setting : settings()) {
    for (std::string_view key : setting.keys) {
      if (key.starts_with("distributed.")) known.push_back(key.substr(12));
    }
  }
  for (const ConfigEntry& entry : table->entries) {
    const std::string path = "distributed." + entry.key;
    const Setting* setting = find_setting(path);
    if (setting == nullptr) {
      return Error{"unknown key '" + path + "'" + did_you_mean(entry.key, known)};
    }
    auto status = assign(options, *setting, entry.value, Source{"key '" + path + "'", false});
    if (!status) return status;
  }
  return Ok{};
}

Status set_thresholds(RawOptions& options, const ConfigValue& value) {
  auto table = read_thresholds(value);
  if (!table) return Error{table.error()};
  options.thresholds = std::move(table->checks);
  if (table->abort_on_fail) options.abort_on_fail = table->abort_on_fail;
  if (table->abort_delay) options.abort_delay = table->abort_delay;
  return Ok{};
}

// "--replay-step" -> "replay_step".
std::string key_of_flag(std::string_view flag) {
  std::string key(flag.substr(2));
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

// Repeatable flags, collected into a list: -H and --threshold.
bool takes_list(const Setting& setting) {
  return std::holds_alternative<FieldOf<std::vector<Header>>>(setting.field) ||
         std::holds_alternative<FieldOf<std::vector<std::string>>>(setting.field) ||
         std::holds_alternative<FieldOf<std::vector<Threshold>>>(setting.field);
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
  if (cli.thresholds && config.thresholds) {
    merged.thresholds = *config.thresholds;
    merged.thresholds->insert(merged.thresholds->end(), cli.thresholds->begin(),
                              cli.thresholds->end());
  }
  if (!merged.abort_delay) merged.abort_delay = config.abort_delay;
  if (!merged.sinks) merged.sinks = config.sinks;
  if (!merged.scenario) merged.scenario = config.scenario;
  if (!merged.scenarios) merged.scenarios = config.scenarios;
  return merged;
}

KeyKind classify_config_key(std::string_view key) {
  const bool top_level = key.find('.') == std::string_view::npos;
  if (key == kThresholdsKey || key == kSinksKey || key == kScenarioKey || key == kScenariosKey ||
      key == kDistributedKey || (top_level && find_setting(key) != nullptr)) {
    return KeyKind::kKnown;
  }
  if (is_not_yet_supported(key)) return KeyKind::kNotYetSupported;
  if (is_command_line_only(key)) return KeyKind::kCommandLineOnly;
  return KeyKind::kUnknown;
}

std::vector<std::string_view> known_config_keys() {
  std::vector<std::string_view> keys = {kThresholdsKey, kSinksKey, kScenarioKey, kScenariosKey,
                                        kDistributedKey};
  for (const Setting& setting : settings()) {
    for (std::string_view key : setting.keys) {
      if (key.find('.') == std::string_view::npos) keys.push_back(key);
    }
  }
  return keys;
}

bool is_unsupported_flag(std::string_view flag) {
  if (flag.substr(0, 2) != "--") return false;
  return classify_config_key(key_of_flag(flag)) == KeyKind::kNotYetSupported;
}

std::string not_supported_note(std::string_view key_or_flag) {
  std::string key =
      key_or_flag.substr(0, 2) == "--" ? key_of_flag(key_or_flag) : std::string(key_or_flag);
  std::string_view reason = not_yet_supported_reason(key);
  return reason.empty() ? "" : ": " + std::string(reason);
}

Status set_config_value(RawOptions& options, std::string_view key, const ConfigValue& value) {
  if (key == kThresholdsKey) return set_thresholds(options, value);
  if (key == kSinksKey) return set_sinks(options, value);
  if (key == kDistributedKey) return set_distributed(options, value);
  const Setting* setting = key.find('.') == std::string_view::npos ? find_setting(key) : nullptr;
  if (setting == nullptr) return Error{"unknown key '" + std::string(key) + "'"};
  if (is_given(options, *setting)) {
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
  if (setting.names == nullptr) return nullptr;  // a config key with no flag
  if (std::holds_alternative<FieldOf<bool>>(setting.field)) {
    return app.add_flag(setting.names, slot.flag, setting.help);
  }
  CLI::Option* option = nullptr;
  if (takes_list(setting)) {
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
    if (slot.option == nullptr || slot.option->count() == 0) continue;
    const Setting& setting = settings()[index];
    ConfigValue value = slot.text;
    if (std::holds_alternative<FieldOf<bool>>(setting.field)) {
      value = slot.flag;
    } else if (takes_list(setting)) {
      value = slot.list;
    }
    auto status = assign(options, setting, value, Source{flag_of(setting), true});
    if (!status) return Error{status.error()};
  }
  return options;
}

std::string CliFlags::first_given() const {
  for (size_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (slot.option != nullptr && slot.option->count() > 0) {
      return flag_of(settings()[index]);
    }
  }
  return "";
}

}  // namespace strest

#include "cli/origins.h"

#include <algorithm>

namespace strest {
namespace {

// The key the file used for setting's field (max_tasks, concurrency or connections; rate, rpm
// or load), else the setting's canonical key.
std::string written_key(const Setting& setting, const std::vector<std::string>& keys) {
  for (const Setting& other : settings()) {
    if (other.field != setting.field) continue;
    for (std::string_view key : other.keys) {
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) return std::string(key);
    }
  }
  return key_of(setting);
}

}  // namespace

Origins::Origins(const RawOptions& cli, const RawOptions& config, std::string file,
                 const std::vector<std::string>& keys)
    : cli_(cli), file_(std::move(file)) {
  for (const Setting& setting : settings()) {
    if (setting.names == nullptr) continue;  // config-only keys share a flag's field
    if (is_given(cli, setting)) {
      record_.record(flag_of(setting), SettingOrigin::flag());
    } else if (is_given(config, setting)) {
      record_.record(flag_of(setting),
                     SettingOrigin::config_key(file_, written_key(setting, keys)));
    }
  }
}

}  // namespace strest

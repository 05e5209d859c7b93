#include "cli/origins.h"

namespace strest {

Origins::Origins(const RawOptions& cli, const RawOptions& config, std::string file)
    : cli_(cli), file_(std::move(file)) {
  for (const Setting& setting : settings()) {
    if (setting.names == nullptr) continue;  // config-only keys share a flag's field
    if (is_given(cli, setting)) {
      record_.record(flag_of(setting), SettingOrigin::flag());
    } else if (is_given(config, setting)) {
      record_.record(flag_of(setting), SettingOrigin::config_key(file_, key_of(setting)));
    }
  }
}

}  // namespace strest

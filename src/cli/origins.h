#pragma once
// Origins: where each merged setting came from, the flag on the command line or the key in the
// config file, read off the settings table so that no step repeats a setting's names.
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/settings_table.h"
#include "plan/setting_origins.h"

namespace strest {

class Origins {
 public:
  // cli and config as read, before merge(); file is the config file's name ("" for none) and
  // keys the keys it used, so a message names an alias ("concurrency") as written.
  Origins(const RawOptions& cli, const RawOptions& config, std::string file,
          const std::vector<std::string>& keys = {});

  template <typename T>
  bool on_cli(FieldOf<T> field) const {
    return (cli_.*field).has_value();
  }

  // What a message calls field's setting: its flag, or "<file>: key '<key>'".
  std::string of(Field field) const { return record_.name(flag_of(setting_of(field))); }

  const std::string& file() const { return file_; }

  // The record validate() reads: every setting the user gave, by flag or by config key.
  const SettingOrigins& record() const { return record_; }

 private:
  const RawOptions& cli_;
  std::string file_;
  SettingOrigins record_;
};

}  // namespace strest

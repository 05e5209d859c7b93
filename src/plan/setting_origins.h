#pragma once
// Where each of a Plan's settings came from, so that validate() names what the user typed: the
// flag on the command line, or the key in a config file. A setting is known by its long flag
// ("--tls-min"), the one name every entry point (CLI, config, a controller's message) shares.
// A setting with no record is named by its flag, which is right for a Plan built in code.
#include <map>
#include <string>
#include <string_view>

namespace strest {

struct SettingOrigin {
  enum class Kind {
    kFlag,       // given on the command line
    kConfigKey,  // given as `key` in config file `file`
    kDerived,    // given by no one: strest worked it out as `how` says
  };
  Kind kind = Kind::kFlag;
  std::string file;
  std::string key;
  std::string how;  // "the load stages in all"

  static SettingOrigin flag() { return {}; }
  static SettingOrigin config_key(std::string file, std::string key) {
    return {Kind::kConfigKey, std::move(file), std::move(key), ""};
  }
  static SettingOrigin derived(std::string how) { return {Kind::kDerived, "", "", std::move(how)}; }
};

class SettingOrigins {
 public:
  void record(std::string_view flag, SettingOrigin origin);

  // True when the user gave the setting, by flag or config key (a derived value was not given).
  bool given(std::string_view flag) const;
  // True when the setting has a record: given by the user, or derived by strest.
  bool recorded(std::string_view flag) const { return find(flag) != nullptr; }
  bool from_config(std::string_view flag) const;
  // The config file a setting came from; empty unless from_config(flag).
  std::string file_of(std::string_view flag) const;

  // What a message calls the setting: "--tls-min", or "strest.toml: key 'tls_min'".
  std::string name(std::string_view flag) const;
  // Where its value came from, for a parenthesis after the value: "--duration",
  // "duration in strest.toml", or how strest derived it.
  std::string source(std::string_view flag) const;

 private:
  const SettingOrigin* find(std::string_view flag) const;

  std::map<std::string, SettingOrigin, std::less<>> origins_;
};

}  // namespace strest

#include "plan/setting_origins.h"

namespace strest {

using Kind = SettingOrigin::Kind;

void SettingOrigins::record(std::string_view flag, SettingOrigin origin) {
  origins_.insert_or_assign(std::string(flag), std::move(origin));
}

const SettingOrigin* SettingOrigins::find(std::string_view flag) const {
  auto found = origins_.find(flag);
  return found == origins_.end() ? nullptr : &found->second;
}

bool SettingOrigins::given(std::string_view flag) const {
  const SettingOrigin* origin = find(flag);
  return origin != nullptr && origin->kind != Kind::kDerived;
}

bool SettingOrigins::from_config(std::string_view flag) const {
  const SettingOrigin* origin = find(flag);
  return origin != nullptr && origin->kind == Kind::kConfigKey;
}

std::string SettingOrigins::file_of(std::string_view flag) const {
  return from_config(flag) ? find(flag)->file : "";
}

std::string SettingOrigins::name(std::string_view flag) const {
  if (!from_config(flag)) return std::string(flag);
  const SettingOrigin& origin = *find(flag);
  return origin.file + ": key '" + origin.key + "'";
}

std::string SettingOrigins::source(std::string_view flag) const {
  const SettingOrigin* origin = find(flag);
  if (origin == nullptr || origin->kind == Kind::kFlag) return std::string(flag);
  if (origin->kind == Kind::kDerived) return origin->how;
  return origin->key + " in " + origin->file;
}

}  // namespace strest

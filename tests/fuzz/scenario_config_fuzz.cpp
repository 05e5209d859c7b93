// libFuzzer target: arbitrary bytes as a TOML [scenario] table and as --script JSON go through
// the scenario loader and check_scenario; every outcome is a scenario or a one-line error.
#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/config_decode.h"
#include "cli/scenario_config.h"
#include "plan/scenario_check.h"

namespace {

// Errors are one line: the contract every user-facing message keeps.
void check_error(const std::string& message) {
  if (message.empty() || message.find_first_of("\r\n") != std::string::npos) __builtin_trap();
}

void check(const strest::Result<strest::Scenario>& scenario) {
  if (!scenario) return check_error(scenario.error());
  auto status = strest::check_scenario(*scenario, "scenario");
  if (!status) return check_error(status.error());
  auto origin = strest::check_scenario_origin(*scenario, strest::Url{}, "scenario");
  if (!origin) check_error(origin.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // vars_from_csv paths resolve under a folder that does not exist: no file is ever read.
  const std::string no_dir = "/nonexistent-strest-fuzz";
  check(strest::scenario_from_json(text, "--script fuzz.wasm", no_dir));
  try {
    toml::table table = toml::parse(text);
    if (const toml::node* node = table.get("scenario")) {
      check(strest::read_scenario(strest::decode_toml(*node), "scenario", no_dir));
    }
    if (const toml::node* node = table.get("scenarios")) {
      auto registry = strest::read_scenario_registry(strest::decode_toml(*node), no_dir);
      if (!registry) check_error(registry.error());
    }
  } catch (const toml::parse_error&) {
  }
  return 0;
}

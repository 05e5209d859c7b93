#pragma once
// Helpers for the options tests: settings from one config value, or from flags on a fresh app.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.h"

namespace strest {

inline RawOptions from_config(std::string_view key, const ConfigValue& value) {
  RawOptions options;
  auto status = set_config_value(options, key, value);
  EXPECT_TRUE(status.ok()) << key << ": " << (status.ok() ? "" : status.error());
  return options;
}

inline std::string config_error(std::string_view key, const ConfigValue& value) {
  RawOptions options;
  auto status = set_config_value(options, key, value);
  EXPECT_FALSE(status.ok()) << key << " was accepted";
  return status.ok() ? "" : status.error();
}

// Parses args with the run flags registered on a fresh app.
inline Result<RawOptions> from_cli(std::vector<std::string> args) {
  CLI::App app;
  CliFlags flags(app);
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector in reverse order
  app.parse(args);
  return flags.collect();
}

inline RawOptions cli_ok(std::vector<std::string> args) {
  auto options = from_cli(std::move(args));
  EXPECT_TRUE(options.ok()) << (options.ok() ? "" : options.error());
  return options.ok() ? *options : RawOptions{};
}

inline std::string cli_error(std::vector<std::string> args) {
  auto options = from_cli(std::move(args));
  EXPECT_FALSE(options.ok());
  return options.ok() ? "" : options.error();
}

}  // namespace strest

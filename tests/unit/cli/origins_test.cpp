// Origins: a setting is named by its flag when the command line gave it, else by the config key
// the file wrote, aliases included; validate() gets the same record.
#include "cli/origins.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(Origins, NamesTheFlagForACommandLineValue) {
  RawOptions cli, config;
  cli.warmup = Micros{5};
  config.warmup = Micros{7};
  const Origins origins(cli, config, "strest.toml", {"warmup"});
  EXPECT_EQ(origins.of(&RawOptions::warmup), "--warmup");
  EXPECT_TRUE(origins.record().given("--warmup"));
  EXPECT_FALSE(origins.record().from_config("--warmup"));
}

TEST(Origins, NamesTheKeyTheFileWrote) {
  RawOptions cli, config;
  config.max_tasks = 5;
  config.load = LoadProfile{};
  EXPECT_EQ(Origins(cli, config, "strest.toml", {"concurrency", "rpm"}).of(&RawOptions::max_tasks),
            "strest.toml: key 'concurrency'");
  EXPECT_EQ(Origins(cli, config, "strest.toml", {"concurrency", "rpm"}).of(&RawOptions::load),
            "strest.toml: key 'rpm'");
  EXPECT_EQ(Origins(cli, config, "s.json", {}).of(&RawOptions::max_tasks),
            "s.json: key 'max_tasks'");
}

TEST(Origins, SettingsNobodyGaveAreNamedByFlagAndNotGiven) {
  RawOptions cli, config;
  const Origins origins(cli, config, "strest.toml");
  EXPECT_EQ(origins.of(&RawOptions::tls_min), "--tls-min");
  EXPECT_FALSE(origins.record().given("--tls-min"));
}

}  // namespace
}  // namespace strest

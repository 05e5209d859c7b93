// [sinks] as config files decode it (TOML tables and JSON objects both arrive as ConfigTables):
// the interval, the three sink paths, and errors that name the key at fault.
#include <gtest/gtest.h>

#include "cli/config_tables.h"

namespace strest {
namespace {

using std::chrono::milliseconds;

ConfigTable table(std::vector<ConfigEntry> entries) { return ConfigTable{std::move(entries)}; }

ConfigTable with_path(const std::string& path) { return table({{"path", path}}); }

std::string error_of(const ConfigValue& value) {
  auto sinks = read_sinks(value);
  EXPECT_FALSE(sinks.ok());
  return sinks.ok() ? "" : sinks.error();
}

// The reference README's example, as toml++ hands it over.
TEST(ConfigSinks, ReferenceExample) {
  auto sinks = read_sinks(table({{"update_interval_ms", int64_t{1000}},
                                 {"prometheus", with_path("./out/strest.prom")},
                                 {"otel", with_path("./out/strest.otel.json")},
                                 {"influx", with_path("./out/strest.influx")}}));
  ASSERT_TRUE(sinks.ok()) << sinks.error();
  EXPECT_EQ(sinks->update_interval, milliseconds(1000));
  EXPECT_EQ(sinks->prometheus_path, "./out/strest.prom");
  EXPECT_EQ(sinks->otel_path, "./out/strest.otel.json");
  EXPECT_EQ(sinks->influx_path, "./out/strest.influx");
}

TEST(ConfigSinks, IntervalDefaultsTo1000msAndSinksAreOptional) {
  auto sinks = read_sinks(table({{"prometheus", with_path("m.prom")}}));
  ASSERT_TRUE(sinks.ok()) << sinks.error();
  EXPECT_EQ(sinks->update_interval, milliseconds(1000));
  EXPECT_EQ(sinks->prometheus_path, "m.prom");
  EXPECT_FALSE(sinks->otel_path);
  EXPECT_FALSE(sinks->influx_path);
  auto interval_only = read_sinks(table({{"update_interval_ms", int64_t{500}}}));
  ASSERT_TRUE(interval_only.ok()) << interval_only.error();
  EXPECT_EQ(interval_only->update_interval, milliseconds(500));
  EXPECT_FALSE(interval_only->prometheus_path);
}

TEST(ConfigSinks, UnknownKeysAreNamedByTheirPath) {
  EXPECT_EQ(error_of(table({{"prometheus", table({{"pth", std::string("x")}})}})),
            "unknown key 'sinks.prometheus.pth'; did you mean 'path'?");
  EXPECT_EQ(error_of(table({{"promethus", with_path("x")}})),
            "unknown key 'sinks.promethus'; did you mean 'prometheus'?");
  EXPECT_EQ(error_of(table({{"statsd", with_path("x")}})), "unknown key 'sinks.statsd'");
  EXPECT_EQ(error_of(table({{"update_intervl_ms", int64_t{5}}})),
            "unknown key 'sinks.update_intervl_ms'; did you mean 'update_interval_ms'?");
  EXPECT_EQ(error_of(table({{"update_interval", int64_t{5}}})),
            "unknown key 'sinks.update_interval'");
}

TEST(ConfigSinks, IntervalMustBeAPositiveInteger) {
  EXPECT_EQ(error_of(table({{"update_interval_ms", int64_t{0}}})),
            "key 'sinks.update_interval_ms' must be an integer above 0 (got 0)");
  EXPECT_EQ(error_of(table({{"update_interval_ms", int64_t{-5}}})),
            "key 'sinks.update_interval_ms' must be an integer above 0 (got -5)");
  EXPECT_EQ(error_of(table({{"update_interval_ms", std::string("1s")}})),
            "key 'sinks.update_interval_ms' must be an integer number of milliseconds, not a "
            "string");
  EXPECT_EQ(error_of(table({{"update_interval_ms", 1.5}})),
            "key 'sinks.update_interval_ms' must be an integer number of milliseconds, not a "
            "number");
  EXPECT_EQ(error_of(table({{"update_interval_ms", int64_t{9'300'000'000'000'000}}}))
                .rfind("key 'sinks.update_interval_ms'", 0),
            0u);
}

TEST(ConfigSinks, EachSinkNeedsANonEmptyPathString) {
  EXPECT_EQ(error_of(table({{"prometheus", table({})}})),
            "key 'sinks.prometheus' needs a path, e.g. path = \"./out/strest.prom\"");
  EXPECT_EQ(error_of(table({{"otel", ConfigTable{{}, "an object"}}})),
            "key 'sinks.otel' needs a path, e.g. path = \"./out/strest.otel.json\"");
  EXPECT_EQ(error_of(table({{"influx", with_path("")}})),
            "key 'sinks.influx.path' must not be empty");
  EXPECT_EQ(error_of(table({{"influx", table({{"path", int64_t{3}}})}})),
            "key 'sinks.influx.path' must be a file path string, not an integer");
  EXPECT_EQ(error_of(table({{"prometheus", std::string("out.prom")}})),
            "key 'sinks.prometheus' must be a table with path = \"FILE\", not a string");
  EXPECT_EQ(error_of(table({{"otel", OtherType{"null"}}})),
            "key 'sinks.otel' must be a table with path = \"FILE\", not null");
}

TEST(ConfigSinks, SinksMustNotShareAFile) {
  EXPECT_EQ(error_of(table({{"prometheus", with_path("out/m")}, {"influx", with_path("./out/m")}})),
            "keys 'sinks.prometheus.path' and 'sinks.influx.path' name the same file 'out/m': "
            "give each sink its own file");
}

TEST(ConfigSinks, SinksMustBeATable) {
  EXPECT_EQ(error_of(std::string("prometheus")),
            "key 'sinks' must be a table ([sinks] with [sinks.prometheus] path = \"FILE\"), not a "
            "string");
  EXPECT_EQ(error_of(std::vector<std::string>{}),
            "key 'sinks' must be a table ([sinks] with [sinks.prometheus] path = \"FILE\"), not an "
            "array");
}

}  // namespace
}  // namespace strest

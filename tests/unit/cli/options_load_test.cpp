// Options of the run's shape: rate and load profiles, connection ramp-up, warmup, request ids
// and thresholds, from config values and from flags.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "cli/options.h"
#include "cli/options_helpers.h"

namespace strest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SetConfigValue, RateAndRpmAreConstantRates) {
  auto rate = from_config("rate", int64_t{250}).load;
  ASSERT_TRUE(rate);
  EXPECT_EQ(rate->start_rps, 250);
  EXPECT_TRUE(rate->stages.empty());
  EXPECT_EQ(from_config("rate", 0.25).load->start_rps, 0.25);
  EXPECT_EQ(from_config("rpm", int64_t{120}).load->start_rps, 2);
  EXPECT_EQ(config_error("rate", int64_t{0}), "key 'rate' must be greater than 0 (got 0)");
  EXPECT_EQ(config_error("rpm", std::string("60")),
            "key 'rpm' must be a number of requests per minute, not a string");
}

TEST(SetConfigValue, LoadTable) {
  ConfigTable stage{{{"duration", std::string("10s")}, {"target", int64_t{500}}}};
  ConfigTable load{{{"rate", int64_t{1000}}, {"stages", std::vector<ConfigTable>{stage}}}};
  auto profile = from_config("load", load).load;
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->start_rps, 1000);
  ASSERT_EQ(profile->stages.size(), 1u);
  EXPECT_EQ(profile->stages[0].duration, seconds(10));
  EXPECT_EQ(profile->stages[0].target_rps, 500);
  EXPECT_EQ(config_error("load", int64_t{5}),
            "key 'load' must be a table ([load] with rate and [[load.stages]]), not an integer");
}

TEST(SetConfigValue, RateRpmAndLoadAreOneSetting) {
  RawOptions options;
  ASSERT_TRUE(set_config_value(options, "rpm", int64_t{60}).ok());
  auto status = set_config_value(options, "rate", int64_t{1});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(),
            "key 'rate' repeats a setting already given (rate, rpm, load are one setting): keep "
            "one");
}

TEST(SetConfigValue, SpawnSettings) {
  EXPECT_EQ(from_config("spawn_rate", int64_t{10}).spawn_rate, 10u);
  EXPECT_EQ(config_error("spawn_rate", int64_t{0}), "key 'spawn_rate' must be at least 1 (got 0)");
  EXPECT_EQ(from_config("spawn_interval", int64_t{100}).spawn_interval, milliseconds(100));
  EXPECT_EQ(from_config("spawn_interval", std::string("100")).spawn_interval, milliseconds(100));
  EXPECT_EQ(from_config("spawn_interval", std::string("1s")).spawn_interval, seconds(1));
  EXPECT_EQ(from_config("spawn_interval", 2.5).spawn_interval, std::chrono::microseconds(2500));
  EXPECT_EQ(config_error("spawn_interval", int64_t{0}),
            "key 'spawn_interval' must be greater than 0");
}

TEST(SetConfigValue, Warmup) {
  EXPECT_EQ(from_config("warmup", std::string("5s")).warmup, seconds(5));
  EXPECT_EQ(from_config("warmup", int64_t{2}).warmup, seconds(2));
  EXPECT_EQ(from_config("warmup", int64_t{0}).warmup, Micros(0));
  EXPECT_EQ(config_error("warmup", int64_t{-1}),
            "key 'warmup' must be a positive number of seconds");
}

TEST(SetConfigValue, RequestIdHeader) {
  EXPECT_EQ(from_config("request_id_header", std::string("X-Request-Id")).request_id_header,
            "X-Request-Id");
  EXPECT_EQ(config_error("request_id_header", std::string("X Id")),
            "key 'request_id_header': 'X Id' is not a valid header name: use letters, digits "
            "and '-', e.g. X-Request-Id");
  EXPECT_EQ(config_error("request_id_header", std::string("content-length")),
            "key 'request_id_header': strest writes Content-Length itself; choose another name, "
            "e.g. X-Request-Id");
  EXPECT_EQ(config_error("request_id_header", std::string("Host")),
            "key 'request_id_header': strest writes Host itself; choose another name, e.g. "
            "X-Request-Id");
  EXPECT_EQ(config_error("request_id_header", std::string(""))
                .rfind("key 'request_id_header': '' is not a valid header name", 0),
            0u);
}

TEST(SetConfigValue, Thresholds) {
  ConfigTable table{{{"checks", std::vector<std::string>{"p99<200ms"}},
                     {"abort_on_fail", true},
                     {"abort_delay", std::string("1s")}}};
  RawOptions options = from_config("thresholds", table);
  ASSERT_TRUE(options.thresholds);
  ASSERT_EQ(options.thresholds->size(), 1u);
  EXPECT_EQ(options.thresholds->front().expression, "p99<200ms");
  EXPECT_EQ(options.abort_on_fail, true);
  EXPECT_EQ(options.abort_delay, seconds(1));
  EXPECT_EQ(from_config("thresholds", std::vector<std::string>{"rps>10"}).thresholds->size(), 1u);
  EXPECT_EQ(
      config_error("thresholds", ConfigTable{{{"checks", std::vector<std::string>{"p98<1s"}}}})
          .rfind("thresholds: 'p98<1s': unknown metric 'p98'", 0),
      0u);
}

TEST(Merge, RateReplacesTheWholeLoadProfile) {
  RawOptions cli, config;
  cli.load = LoadProfile{50, {}};
  config.load = LoadProfile{100, {{seconds(60), 300}, {seconds(120), 800}}};
  auto merged = merge(cli, config);
  EXPECT_EQ(merged.load->start_rps, 50);
  EXPECT_TRUE(merged.load->stages.empty());
}

TEST(Merge, ThresholdsAddUpConfigFirst) {
  RawOptions cli, config;
  cli.thresholds = std::vector<Threshold>{Threshold{"cli"}};
  config.thresholds = std::vector<Threshold>{Threshold{"config-1"}, Threshold{"config-2"}};
  auto merged = merge(cli, config);
  ASSERT_EQ(merged.thresholds->size(), 3u);
  EXPECT_EQ((*merged.thresholds)[0].expression, "config-1");
  EXPECT_EQ((*merged.thresholds)[2].expression, "cli");
  EXPECT_EQ(merge(cli, RawOptions{}).thresholds->size(), 1u);
  EXPECT_EQ(merge(RawOptions{}, config).thresholds->size(), 2u);
  EXPECT_FALSE(merge(RawOptions{}, RawOptions{}).thresholds);
}

TEST(Merge, AbortOnFailFromTheCommandLineWins) {
  RawOptions cli, config;
  cli.abort_on_fail = false;
  config.abort_on_fail = true;
  config.abort_delay = seconds(1);
  auto merged = merge(cli, config);
  EXPECT_EQ(merged.abort_on_fail, false);
  EXPECT_EQ(merged.abort_delay, seconds(1));
}

TEST(CliFlags, Rate) {
  auto load = cli_ok({"--rate", "1000"}).load;
  ASSERT_TRUE(load);
  EXPECT_EQ(load->start_rps, 1000);
  EXPECT_TRUE(load->stages.empty());
  EXPECT_EQ(cli_ok({"--rate=0.5"}).load->start_rps, 0.5);
  EXPECT_EQ(cli_error({"--rate", "0"}), "--rate must be greater than 0 (got 0)");
  EXPECT_EQ(cli_error({"--rate", "-5"}), "--rate must be greater than 0 (got -5)");
  EXPECT_EQ(cli_error({"--rate", "lots"}), "--rate: 'lots' is not a number");
  EXPECT_FALSE(cli_ok({}).load);
}

TEST(CliFlags, SpawnRateAndInterval) {
  auto options = cli_ok({"-r", "10", "-i", "100"});
  EXPECT_EQ(options.spawn_rate, 10u);
  EXPECT_EQ(options.spawn_interval, milliseconds(100));
  auto long_names = cli_ok({"--spawn-rate", "20", "--spawn-interval", "1s"});
  EXPECT_EQ(long_names.spawn_rate, 20u);
  EXPECT_EQ(long_names.spawn_interval, seconds(1));
  EXPECT_EQ(cli_ok({"-i", "250ms"}).spawn_interval, milliseconds(250));
  EXPECT_EQ(cli_ok({"-i", "0.5"}).spawn_interval, std::chrono::microseconds(500));
  EXPECT_EQ(cli_error({"-r", "0"}), "--spawn-rate must be at least 1 (got 0)");
  EXPECT_EQ(cli_error({"-i", "0"}), "--spawn-interval must be greater than 0");
  const std::string fast = cli_error({"-i", "fast"});
  EXPECT_EQ(fast.rfind("--spawn-interval", 0), 0u) << fast;
  EXPECT_NE(fast.find("a bare number is milliseconds"), std::string::npos) << fast;
}

TEST(CliFlags, Warmup) {
  EXPECT_EQ(cli_ok({"--warmup", "5s"}).warmup, seconds(5));
  EXPECT_EQ(cli_ok({"--warmup", "2"}).warmup, seconds(2));
  EXPECT_EQ(cli_ok({"--warmup", "0"}).warmup, Micros(0));
  EXPECT_EQ(cli_error({"--warmup", "-1s"}), "--warmup: duration '-1s' is negative");
}

TEST(CliFlags, RequestIdHeader) {
  EXPECT_EQ(cli_ok({"--request-id-header", "X-Request-Id"}).request_id_header, "X-Request-Id");
  EXPECT_EQ(cli_error({"--request-id-header", "X-Id:"}),
            "--request-id-header: 'X-Id:' is not a valid header name: use letters, digits and "
            "'-', e.g. X-Request-Id");
  EXPECT_FALSE(cli_ok({}).request_id_header);
}

TEST(CliFlags, ThresholdsRepeat) {
  auto options = cli_ok({"--threshold", "p99<200ms", "--threshold=error_rate<1%"});
  ASSERT_TRUE(options.thresholds);
  ASSERT_EQ(options.thresholds->size(), 2u);
  EXPECT_EQ((*options.thresholds)[0].expression, "p99<200ms");
  EXPECT_EQ((*options.thresholds)[1].metric, ThresholdMetric::kErrorRate);
  EXPECT_FALSE(cli_ok({}).thresholds);
}

TEST(CliFlags, BadThresholdNamesTheFlagAndExpression) {
  std::string error = cli_error({"--threshold", "p99<1s", "--threshold", "p98<1s"});
  EXPECT_EQ(error.rfind("--threshold 'p98<1s': unknown metric 'p98'", 0), 0u) << error;
  EXPECT_EQ(cli_error({"--threshold", ""}).rfind("--threshold: empty threshold", 0), 0u);
}

TEST(CliFlags, AbortOnFail) {
  EXPECT_EQ(cli_ok({"--abort-on-fail"}).abort_on_fail, true);
  EXPECT_EQ(cli_ok({"--abort-on-fail=false"}).abort_on_fail, false);
  EXPECT_FALSE(cli_ok({}).abort_on_fail);
}

TEST(CliFlags, ConfigOnlyKeysHaveNoFlags) {
  EXPECT_THROW(from_cli({"--rpm", "60"}), CLI::ExtrasError);
  EXPECT_THROW(from_cli({"--load", "x"}), CLI::ExtrasError);
  EXPECT_THROW(from_cli({"--abort-delay", "1s"}), CLI::ExtrasError);
}

}  // namespace
}  // namespace strest

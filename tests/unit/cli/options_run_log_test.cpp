// The run log and export settings as RawOptions holds them: config keys, flags and merge.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/options.h"
#include "cli/options_helpers.h"

namespace strest {
namespace {

using std::chrono::seconds;

constexpr const char* kKeys[] = {"tmp_path",    "keep_tmp",     "log_shards",    "export_csv",
                                 "export_json", "export_jsonl", "metrics_range", "metrics_max"};

TEST(RunLogKeys, AreKnownAndNoLongerUnsupported) {
  auto known = known_config_keys();
  for (const char* key : kKeys) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kKnown) << key;
    EXPECT_NE(std::find(known.begin(), known.end(), key), known.end()) << key;
    std::string flag = "--" + std::string(key);
    std::replace(flag.begin(), flag.end(), '_', '-');
    EXPECT_FALSE(is_unsupported_flag(flag)) << flag;
  }
}

TEST(RunLogKeys, NearMissesAreUnknown) {
  for (const char* key : {"tmp-path", "tmp_dir", "keep_temp", "metrics", "export"}) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kUnknown) << key;
  }
}

TEST(RunLogKeys, FromConfig) {
  EXPECT_EQ(from_config("tmp_path", std::string("/t")).tmp_path, "/t");
  EXPECT_EQ(from_config("keep_tmp", true).keep_tmp, true);
  EXPECT_EQ(from_config("log_shards", int64_t{8}).log_shards, 8u);
  EXPECT_EQ(from_config("export_csv", std::string("a.csv")).export_csv, "a.csv");
  EXPECT_EQ(from_config("export_json", std::string("a.json")).export_json, "a.json");
  EXPECT_EQ(from_config("export_jsonl", std::string("a.jsonl")).export_jsonl, "a.jsonl");
  EXPECT_EQ(from_config("metrics_max", int64_t{1'000'000}).metrics_max, 1'000'000u);
  auto range = from_config("metrics_range", std::string("10-30")).metrics_range;
  ASSERT_TRUE(range);
  EXPECT_EQ(range->from, seconds(10));
  EXPECT_EQ(range->to, seconds(30));
}

TEST(RunLogKeys, ConfigTypeErrors) {
  EXPECT_EQ(config_error("tmp_path", int64_t{1}),
            "key 'tmp_path' must be a string, not an integer");
  EXPECT_EQ(config_error("keep_tmp", int64_t{1}),
            "key 'keep_tmp' must be true or false, not an integer");
  EXPECT_EQ(config_error("log_shards", std::string("2")),
            "key 'log_shards' must be an integer, not a string");
  EXPECT_EQ(config_error("log_shards", int64_t{0}),
            "key 'log_shards' must be between 1 and 64 (got 0)");
  EXPECT_EQ(config_error("metrics_max", 1.5), "key 'metrics_max' must be an integer, not a number");
  EXPECT_EQ(config_error("metrics_max", int64_t{-1}),
            "key 'metrics_max' must be at least 1 (got -1)");
  EXPECT_EQ(config_error("export_csv", true), "key 'export_csv' must be a string, not a boolean");
  EXPECT_EQ(config_error("export_jsonl", std::string("")),
            "key 'export_jsonl' must not be empty: give a file path");
  EXPECT_EQ(config_error("tmp_path", std::string("")),
            "key 'tmp_path' must not be empty: give a path");
}

TEST(RunLogKeys, FromFlags) {
  RawOptions options = cli_ok({"--tmp-path", "/t", "--keep-tmp", "--log-shards", "2",
                               "--export-csv", "c", "--export-json", "j", "--export-jsonl", "l",
                               "--metrics-range", "5-", "--metrics-max", "10"});
  EXPECT_EQ(options.tmp_path, "/t");
  EXPECT_EQ(options.keep_tmp, true);
  EXPECT_EQ(options.log_shards, 2u);
  EXPECT_EQ(options.export_csv, "c");
  EXPECT_EQ(options.export_json, "j");
  EXPECT_EQ(options.export_jsonl, "l");
  ASSERT_TRUE(options.metrics_range);
  EXPECT_EQ(options.metrics_range->from, seconds(5));
  EXPECT_FALSE(options.metrics_range->to);
  EXPECT_EQ(options.metrics_max, 10u);
  EXPECT_FALSE(cli_ok({}).metrics_range);
  EXPECT_FALSE(cli_ok({}).keep_tmp);
}

TEST(RunLogKeys, FlagErrors) {
  EXPECT_EQ(cli_error({"--log-shards", "99"}), "--log-shards must be between 1 and 64 (got 99)");
  EXPECT_EQ(cli_error({"--metrics-max", "1k"}), "--metrics-max: '1k' is not a whole number");
  EXPECT_NE(cli_error({"--metrics-range", "later"}).find("--metrics-range: invalid range 'later'"),
            std::string::npos);
}

TEST(RunLogKeys, TheLastRepeatWins) {
  EXPECT_EQ(cli_ok({"--export-csv", "a", "--export-csv", "b"}).export_csv, "b");
  EXPECT_EQ(cli_ok({"--metrics-range", "1-2", "--metrics-range", "3-4"}).metrics_range->from,
            seconds(3));
}

TEST(RunLogKeys, MergeLetsTheCommandLineWin) {
  RawOptions cli;
  cli.metrics_range = MetricsRange{seconds(1), std::nullopt};
  cli.export_csv = "cli.csv";
  RawOptions config;
  config.metrics_range = MetricsRange{seconds(10), seconds(30)};
  config.metrics_max = 5;
  config.export_csv = "config.csv";
  config.keep_tmp = true;
  RawOptions merged = merge(cli, config);
  EXPECT_EQ(merged.metrics_range->from, seconds(1));
  EXPECT_FALSE(merged.metrics_range->to);
  EXPECT_EQ(merged.metrics_max, 5u);
  EXPECT_EQ(merged.export_csv, "cli.csv");
  EXPECT_EQ(merged.keep_tmp, true);
}

TEST(RunLogKeys, HelpShowsDefaults) {
  CLI::App app;
  CliFlags flags(app);
  std::string help = app.help();
  for (const char* text :
       {"--tmp-path DIR=~/.strest/tmp", "--log-shards N=1", "--metrics-max N=1000000",
        "--metrics-range START-END", "--output-format json|jsonl|csv|text"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text << "\n" << help;
  }
}

}  // namespace
}  // namespace strest

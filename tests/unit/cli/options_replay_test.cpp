// The chart, SQLite and replay settings as RawOptions holds them: config keys, flags, their
// conversions (sqlite:// prefixes, min/max/durations, snapshot formats) and how keys classify.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/command_line_fixture.h"
#include "cli/options.h"
#include "cli/options_helpers.h"

namespace strest {
namespace {

using Kind = ReplayBound::Kind;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kReplayKeys[] = {"replay",
                                       "replay_start",
                                       "replay_end",
                                       "replay_step",
                                       "replay_snapshot_interval",
                                       "replay_snapshot_start",
                                       "replay_snapshot_end",
                                       "replay_snapshot_out",
                                       "replay_snapshot_format"};

std::string flag_of(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return "--" + key;
}

TEST(ReportKeys, AreKnownAndNoLongerUnsupported) {
  auto known = known_config_keys();
  for (const char* key : {"no_charts", "charts_path", "db_url"}) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kKnown) << key;
    EXPECT_NE(std::find(known.begin(), known.end(), key), known.end()) << key;
    EXPECT_FALSE(is_unsupported_flag(flag_of(key))) << key;
  }
  EXPECT_FALSE(is_unsupported_flag("-c"));
}

TEST(ReportKeys, FromConfig) {
  EXPECT_EQ(from_config("no_charts", true).no_charts, true);
  EXPECT_EQ(from_config("charts_path", std::string("/var/charts")).charts_path, "/var/charts");
  EXPECT_EQ(from_config("db_url", std::string("sqlite://runs.db")).db_url, "runs.db");
}

TEST(ReportKeys, ConfigErrorsNameTheKey) {
  EXPECT_EQ(config_error("no_charts", std::string("yes")),
            "key 'no_charts' must be true or false, not a string");
  EXPECT_EQ(config_error("charts_path", std::string("")),
            "key 'charts_path' must not be empty: give a path");
  EXPECT_EQ(config_error("db_url", int64_t{5}), "key 'db_url' must be a string, not an integer");
}

TEST(ReportFlags, Collected) {
  RawOptions options = cli_ok({"--no-charts", "-c", "/c", "--db-url", "m.db"});
  EXPECT_EQ(options.no_charts, true);
  EXPECT_EQ(options.charts_path, "/c");
  EXPECT_EQ(options.db_url, "m.db");
  EXPECT_EQ(cli_ok({"--charts-path=/d"}).charts_path, "/d");
  EXPECT_EQ(cli_ok({"--no-charts=false"}).no_charts, false);
}

TEST(DbUrl, SqlitePrefixesAreStripped) {
  EXPECT_EQ(cli_ok({"--db-url", "sqlite://m.db"}).db_url, "m.db");
  EXPECT_EQ(cli_ok({"--db-url", "sqlite:m.db"}).db_url, "m.db");
  EXPECT_EQ(cli_ok({"--db-url", "sqlite:///tmp/m.db"}).db_url, "/tmp/m.db");
  EXPECT_EQ(cli_ok({"--db-url", "./out/m.db"}).db_url, "./out/m.db");
  // Only a leading prefix is one.
  EXPECT_EQ(cli_ok({"--db-url", "out/sqlite:m.db"}).db_url, "out/sqlite:m.db");
}

TEST(DbUrl, Errors) {
  const std::string empty =
      "--db-url must name a SQLite file, e.g. ./strest.db or sqlite://strest.db";
  EXPECT_EQ(cli_error({"--db-url", ""}), empty);
  EXPECT_EQ(cli_error({"--db-url", "sqlite://"}), empty);
  EXPECT_EQ(cli_error({"--db-url", "sqlite:"}), empty);
  EXPECT_EQ(cli_error({"--db-url", "postgres://h/db"}),
            "--db-url: 'postgres://h/db' is not a SQLite database; give a file path or "
            "sqlite://PATH");
  EXPECT_EQ(config_error("db_url", std::string("mysql://h/db")),
            "key 'db_url': 'mysql://h/db' is not a SQLite database; give a file path or "
            "sqlite://PATH");
}

TEST(HomePaths, ChartsPathDbUrlAndSnapshotOutExpandHome) {
  HomeGuard home("/home/t");
  EXPECT_EQ(cli_ok({"-c", "~/charts"}).charts_path, "/home/t/charts");
  EXPECT_EQ(cli_ok({"--db-url", "~/m.db"}).db_url, "/home/t/m.db");
  EXPECT_EQ(cli_ok({"--db-url", "sqlite://~/m.db"}).db_url, "/home/t/m.db");
  EXPECT_EQ(cli_ok({"--replay-snapshot-out", "~/snaps"}).replay_snapshot_out, "/home/t/snaps");
  EXPECT_EQ(from_config("charts_path", std::string("~/c")).charts_path, "/home/t/c");
}

TEST(ReplayKeys, AreCommandLineOnly) {
  auto known = known_config_keys();
  for (const char* key : kReplayKeys) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kCommandLineOnly) << key;
    EXPECT_EQ(std::find(known.begin(), known.end(), key), known.end()) << key;
    EXPECT_FALSE(is_unsupported_flag(flag_of(key))) << key;
  }
  EXPECT_EQ(classify_config_key("replay-start"), KeyKind::kUnknown);
}

TEST(ReplayStep, IsACommandLineOnlySetting) {
  EXPECT_EQ(classify_config_key("replay_step"), KeyKind::kCommandLineOnly);
  EXPECT_FALSE(is_unsupported_flag("--replay-step"));
  EXPECT_EQ(not_supported_note("--http2"), "");
  EXPECT_EQ(not_supported_note("tls_min"), "");
}

TEST(ReplayFlags, Collected) {
  RawOptions options = cli_ok({"--replay", "--replay-start", "10s", "--replay-end", "max",
                               "--replay-snapshot-interval", "30s", "--replay-snapshot-start",
                               "min", "--replay-snapshot-end", "2m", "--replay-snapshot-out", "/s",
                               "--replay-snapshot-format", "jsonl"});
  EXPECT_EQ(options.replay, true);
  ASSERT_TRUE(options.replay_start);
  EXPECT_EQ(options.replay_start->kind, Kind::kAt);
  EXPECT_EQ(options.replay_start->at, seconds(10));
  EXPECT_EQ(options.replay_end->kind, Kind::kMax);
  EXPECT_EQ(options.replay_snapshot_interval, seconds(30));
  EXPECT_EQ(options.replay_snapshot_start->kind, Kind::kMin);
  EXPECT_EQ(options.replay_snapshot_end->at, minutes(2));
  EXPECT_EQ(options.replay_snapshot_out, "/s");
  EXPECT_EQ(options.replay_snapshot_format, OutputFormat::kJsonl);
}

TEST(ReplayBounds, MinMaxAndDurations) {
  EXPECT_EQ(cli_ok({"--replay-start", "min"}).replay_start->kind, Kind::kMin);
  EXPECT_EQ(cli_ok({"--replay-start", "max"}).replay_start->kind, Kind::kMax);
  EXPECT_EQ(cli_ok({"--replay-end", "min"}).replay_end->kind, Kind::kMin);
  EXPECT_EQ(cli_ok({"--replay-end", " max "}).replay_end->kind, Kind::kMax);
  EXPECT_EQ(cli_ok({"--replay-end", "90"}).replay_end->at, seconds(90));  // bare: seconds
  EXPECT_EQ(cli_ok({"--replay-end", "1500ms"}).replay_end->at, std::chrono::milliseconds(1500));
  // A window may start at the very beginning, but not end there.
  ReplayBound zero = *cli_ok({"--replay-start", "0s"}).replay_start;
  EXPECT_EQ(zero.kind, Kind::kAt);
  EXPECT_EQ(zero.at, seconds(0));
  EXPECT_EQ(cli_ok({"--replay-snapshot-start", "0"}).replay_snapshot_start->at, seconds(0));
  EXPECT_EQ(cli_error({"--replay-end", "0"}),
            "--replay-end must be greater than 0 (or min or max)");
  EXPECT_EQ(cli_error({"--replay-snapshot-end", "0s"}),
            "--replay-snapshot-end must be greater than 0 (or min or max)");
}

TEST(ReplayBounds, Errors) {
  for (const char* text : {"soon", "", "MIN", "-5s", "10x", "min10"}) {
    EXPECT_EQ(cli_error({"--replay-start", text}),
              std::string("--replay-start: '") + text +
                  "' is not min, max or a duration: use e.g. min, max, 10s or 2m")
        << text;
  }
  EXPECT_NE(
      cli_error({"--replay-snapshot-start", "later"}).find("--replay-snapshot-start: 'later'"),
      std::string::npos);
}

TEST(ReplaySnapshot, IntervalMustBePositive) {
  EXPECT_EQ(cli_ok({"--replay-snapshot-interval", "30"}).replay_snapshot_interval, seconds(30));
  EXPECT_EQ(cli_error({"--replay-snapshot-interval", "0"}),
            "--replay-snapshot-interval must be greater than 0");
  EXPECT_EQ(cli_error({"--replay-snapshot-interval", "often"})
                .rfind("--replay-snapshot-interval: invalid duration 'often'", 0),
            0u);
}

TEST(ReplaySnapshot, FormatIsJsonJsonlOrCsv) {
  EXPECT_EQ(cli_ok({"--replay-snapshot-format", "json"}).replay_snapshot_format,
            OutputFormat::kJson);
  EXPECT_EQ(cli_ok({"--replay-snapshot-format", "csv"}).replay_snapshot_format, OutputFormat::kCsv);
  EXPECT_EQ(cli_error({"--replay-snapshot-format", "text"}),
            "--replay-snapshot-format must be json, jsonl or csv (got 'text')");
  EXPECT_EQ(cli_error({"--replay-snapshot-format", "xml"}),
            "--replay-snapshot-format must be json, jsonl or csv (got 'xml')");
  // --output-format still takes text.
  EXPECT_EQ(cli_ok({"--output-format", "text"}).output_format, OutputFormat::kText);
  EXPECT_EQ(cli_error({"--output-format", "xml"}),
            "--output-format must be json, jsonl, csv or text (got 'xml')");
}

TEST(Merge, NewSettingsFollowTheUsualRule) {
  RawOptions config = from_config("no_charts", true);
  config.charts_path = "/config";
  config.db_url = "config.db";
  RawOptions cli = cli_ok({"--replay", "--replay-start", "5s", "-c", "/cli"});
  RawOptions merged = merge(cli, config);
  EXPECT_EQ(merged.no_charts, true);
  EXPECT_EQ(merged.charts_path, "/cli");
  EXPECT_EQ(merged.db_url, "config.db");
  EXPECT_EQ(merged.replay, true);
  EXPECT_EQ(merged.replay_start->at, seconds(5));
}

}  // namespace
}  // namespace strest

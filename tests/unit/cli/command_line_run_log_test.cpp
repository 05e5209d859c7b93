// The run log, exports and `strest cleanup` from flags and config: --tmp-path, --keep-tmp,
// --log-shards, --export-*, --metrics-range, --metrics-max, as parse_command_line puts them into
// the Plan, and the cleanup subcommand's ParsedCommand.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "cli/command_line.h"
#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class CommandLineRunLogTest : public CommandLineFixture {
 protected:
  static Plan plan_of(std::vector<std::string> args) {
    return command_of(std::move(args), ParsedCommand::Mode::kRun).plan;
  }
  static ParsedCommand cleanup_of(std::vector<std::string> args) {
    args.insert(args.begin(), "cleanup");
    return command_of(std::move(args), ParsedCommand::Mode::kCleanup);
  }
};

TEST_F(CommandLineRunLogTest, Defaults) {
  Plan plan = plan_of({"-u", "http://h/"});
  EXPECT_EQ(plan.tmp_path, "");  // the engine's ~/.strest/tmp
  EXPECT_FALSE(plan.keep_tmp);
  EXPECT_EQ(plan.log_shards, 1u);
  EXPECT_FALSE(plan.export_csv);
  EXPECT_FALSE(plan.export_json);
  EXPECT_FALSE(plan.export_jsonl);
  EXPECT_EQ(plan.metrics_window.from, seconds(0));
  EXPECT_FALSE(plan.metrics_window.to);
  EXPECT_EQ(plan.metrics_window.max, 1'000'000u);
}

TEST_F(CommandLineRunLogTest, EveryFlag) {
  Plan plan =
      plan_of({"-u", "http://h/", "-t", "60", "--tmp-path", "/var/tmp/strest", "--keep-tmp",
               "--log-shards", "4", "--export-csv", "m.csv", "--export-json", "m.json",
               "--export-jsonl", "m.jsonl", "--metrics-range", "10-30", "--metrics-max", "500"});
  EXPECT_EQ(plan.tmp_path, "/var/tmp/strest");
  EXPECT_TRUE(plan.keep_tmp);
  EXPECT_EQ(plan.log_shards, 4u);
  EXPECT_EQ(plan.export_csv, "m.csv");
  EXPECT_EQ(plan.export_json, "m.json");
  EXPECT_EQ(plan.export_jsonl, "m.jsonl");
  EXPECT_EQ(plan.metrics_window.from, seconds(10));
  EXPECT_EQ(plan.metrics_window.to, seconds(30));
  EXPECT_EQ(plan.metrics_window.max, 500u);
}

TEST_F(CommandLineRunLogTest, NoRunLog) {
  EXPECT_TRUE(plan_of({"-u", "http://h/"}).run_log);
  EXPECT_FALSE(plan_of({"-u", "http://h/", "--no-run-log"}).run_log);
  write("strest.toml", "url = \"http://h/\"\nno_run_log = true\n");
  EXPECT_FALSE(plan_of({}).run_log);
  for (std::vector<std::string> extra : {std::vector<std::string>{"--keep-tmp"},
                                         {"--export-csv", "m.csv"},
                                         {"--export-jsonl", "m.jsonl"},
                                         {"--db-url", "m.db"},
                                         {"-o", "x.jsonl"}}) {
    std::vector<std::string> args = {"-u", "http://h/", "--no-run-log"};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string named = extra[0] == "-o" ? "--output in csv or jsonl" : extra[0];
    EXPECT_EQ(error_of(args), named + " needs the run log: drop --no-run-log") << extra[0];
  }
}

TEST_F(CommandLineRunLogTest, MetricsRangeForms) {
  Plan durations = plan_of({"-u", "http://h/", "-t", "5m", "--metrics-range", "10s-2m"});
  EXPECT_EQ(durations.metrics_window.from, seconds(10));
  EXPECT_EQ(durations.metrics_window.to, minutes(2));
  Plan open_end = plan_of({"-u", "http://h/", "--metrics-range=3-"});
  EXPECT_EQ(open_end.metrics_window.from, seconds(3));
  EXPECT_FALSE(open_end.metrics_window.to);
  // The window may reach past the end of the run; only its start must fall inside.
  EXPECT_EQ(plan_of({"-u", "http://h/", "-t", "20", "--metrics-range", "0-1h"}).metrics_window.to,
            hours(1));
}

TEST_F(CommandLineRunLogTest, MetricsRangeErrors) {
  const std::string forms =
      "use START-END in seconds or durations, e.g. 10-30, 10s-2m, or 10- "
      "for no end";
  for (const char* text : {"10", "-30", "-", "a-b", "10-30-40", "10-x", ""}) {
    EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-range", text}),
              std::string("--metrics-range: invalid range '") + text + "': " + forms)
        << text;
  }
  EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-range", "30-10"}),
            "--metrics-range: the range '30-10' ends before it starts: START must be less than "
            "END");
  EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-range", "5s-5s"})
                .rfind("--metrics-range: the range '5s-5s' ends before", 0),
            0u);
}

TEST_F(CommandLineRunLogTest, MetricsRangeMustStartBeforeTheRunEnds) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-t", "10", "--metrics-range", "30-60"}),
            "--metrics-range starts at 30s, when the run is over (10s, --duration): nothing "
            "would be exported");
  EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-range", "10-"}),
            "--metrics-range starts at 10s, when the run is over (10s, the default; set -t): "
            "nothing would be exported");
  // A request-count run has no known end.
  EXPECT_EQ(
      plan_of({"-u", "http://h/", "--requests", "9", "--metrics-range", "1h-"}).metrics_window.from,
      hours(1));
  write("strest.toml", "url = \"http://h/\"\nduration = 5\nmetrics_range = \"5-\"\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'metrics_range' starts at 5s, when the run is over (5s, duration "
            "in strest.toml): nothing would be exported");
}

TEST_F(CommandLineRunLogTest, IntegerBounds) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "--log-shards", "64"}).log_shards, 64u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--log-shards", "0"}),
            "--log-shards must be between 1 and 64 (got 0)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--log-shards", "65"}),
            "--log-shards must be between 1 and 64 (got 65)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--log-shards", "two"}),
            "--log-shards: 'two' is not a whole number");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--metrics-max", "1"}).metrics_window.max, 1u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-max", "0"}),
            "--metrics-max must be at least 1 (got 0)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--metrics-max", "-5"}),
            "--metrics-max must be at least 1 (got -5)");
}

TEST_F(CommandLineRunLogTest, PathsMustNotBeEmpty) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--export-csv", ""}),
            "--export-csv must not be empty: give a file path");
  EXPECT_EQ(error_of({"-u", "http://h/", "--export-json", ""}),
            "--export-json must not be empty: give a file path");
  EXPECT_EQ(error_of({"-u", "http://h/", "--export-jsonl", ""}),
            "--export-jsonl must not be empty: give a file path");
  EXPECT_EQ(error_of({"-u", "http://h/", "--tmp-path", ""}),
            "--tmp-path must not be empty: give a path");
}

TEST_F(CommandLineRunLogTest, OutputsMustNotShareAFile) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-o", "r.json", "--export-json", "./r.json"}),
            "--output and --export-json both write './r.json': give each its own file");
  EXPECT_EQ(error_of({"-u", "http://h/", "--export-csv", "m", "--export-jsonl", "m"}),
            "--export-csv and --export-jsonl both write 'm': give each its own file");
  write("strest.toml", "url = \"http://h/\"\nexport_json = \"out/m.json\"\n");
  EXPECT_EQ(error_of({"--export-csv", "out/x/../m.json"}),
            "--export-csv and strest.toml: key 'export_json' both write 'out/m.json': give each "
            "its own file");
  EXPECT_EQ(plan_of({"--export-csv", "out/m.csv"}).export_json, "out/m.json");
}

TEST_F(CommandLineRunLogTest, TmpPathExpandsHome) {
  HomeGuard home("/home/tester");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--tmp-path", "~/logs"}).tmp_path, "/home/tester/logs");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--tmp-path=~"}).tmp_path, "/home/tester");
  // Only a leading "~" or "~/" is the home folder.
  EXPECT_EQ(plan_of({"-u", "http://h/", "--tmp-path", "~other/x"}).tmp_path, "~other/x");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--tmp-path", "a/~/b"}).tmp_path, "a/~/b");
  write("strest.toml", "url = \"http://h/\"\ntmp_path = \"~/.cache/strest\"\n");
  EXPECT_EQ(plan_of({}).tmp_path, "/home/tester/.cache/strest");
}

TEST_F(CommandLineRunLogTest, TmpPathWithoutHome) {
  HomeGuard home(std::nullopt);
  EXPECT_EQ(error_of({"-u", "http://h/", "--tmp-path", "~/logs"}),
            "--tmp-path: cannot expand '~' in '~/logs': HOME is not set; write the full path");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--tmp-path", "/abs"}).tmp_path, "/abs");
}

TEST_F(CommandLineRunLogTest, ConfigKeysLikeTheReference) {
  write("strest.toml",
        "url = \"http://h/\"\nduration = 60\nmetrics_range = \"10-30\"\nmetrics_max = 1000000\n"
        "tmp_path = \"/data/tmp\"\nkeep_tmp = true\nlog_shards = 2\nexport_csv = \"a.csv\"\n"
        "export_json = \"a.json\"\nexport_jsonl = \"a.jsonl\"\n");
  Plan plan = plan_of({});
  EXPECT_EQ(plan.metrics_window.from, seconds(10));
  EXPECT_EQ(plan.metrics_window.to, seconds(30));
  EXPECT_EQ(plan.metrics_window.max, 1'000'000u);
  EXPECT_EQ(plan.tmp_path, "/data/tmp");
  EXPECT_TRUE(plan.keep_tmp);
  EXPECT_EQ(plan.log_shards, 2u);
  EXPECT_EQ(plan.export_csv, "a.csv");
  EXPECT_EQ(plan.export_json, "a.json");
  EXPECT_EQ(plan.export_jsonl, "a.jsonl");
}

TEST_F(CommandLineRunLogTest, JsonConfigKeys) {
  write("strest.json",
        R"({"url": "http://h/", "duration": 60, "metrics_range": "10-30", "metrics_max": 7,
            "keep_tmp": true, "log_shards": 3})");
  Plan plan = plan_of({});
  EXPECT_EQ(plan.metrics_window.to, seconds(30));
  EXPECT_EQ(plan.metrics_window.max, 7u);
  EXPECT_TRUE(plan.keep_tmp);
  EXPECT_EQ(plan.log_shards, 3u);
}

TEST_F(CommandLineRunLogTest, FlagsOverrideConfig) {
  write("strest.toml",
        "url = \"http://h/\"\nduration = 60\nmetrics_range = \"10-30\"\nmetrics_max = 9\n"
        "tmp_path = \"/config\"\nkeep_tmp = true\nlog_shards = 2\nexport_csv = \"a.csv\"\n");
  Plan plan = plan_of({"--metrics-range", "1-", "--metrics-max", "3", "--tmp-path", "/cli",
                       "--keep-tmp=false", "--log-shards", "5", "--export-csv", "b.csv"});
  EXPECT_EQ(plan.metrics_window.from, seconds(1));
  EXPECT_FALSE(plan.metrics_window.to);
  EXPECT_EQ(plan.metrics_window.max, 3u);
  EXPECT_EQ(plan.tmp_path, "/cli");
  EXPECT_FALSE(plan.keep_tmp);
  EXPECT_EQ(plan.log_shards, 5u);
  EXPECT_EQ(plan.export_csv, "b.csv");
}

TEST_F(CommandLineRunLogTest, ConfigErrorsNameTheKey) {
  write("strest.toml", "url = \"http://h/\"\nmetrics_range = 10\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'metrics_range' must be a string like \"10-30\", not an integer");
  write("strest.toml", "url = \"http://h/\"\nmetrics_range = \"30-10\"\n");
  EXPECT_NE(error_of({}).find("strest.toml: key 'metrics_range': the range '30-10' ends before"),
            std::string::npos);
  write("strest.toml", "url = \"http://h/\"\nlog_shards = 100\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'log_shards' must be between 1 and 64 (got 100)");
  write("strest.toml", "url = \"http://h/\"\nmetrics_max = 0\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'metrics_max' must be at least 1 (got 0)");
  write("strest.toml", "url = \"http://h/\"\nkeep_tmp = \"yes\"\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'keep_tmp' must be true or false, not a string");
  write("strest.toml", "url = \"http://h/\"\nexport_json = \"\"\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'export_json' must not be empty: give a file path");
}

TEST_F(CommandLineRunLogTest, DemoTakesTheFlags) {
  Outcome outcome = parse(
      {"demo", "--keep-tmp", "--export-jsonl", "d.jsonl", "-t", "3s", "--metrics-range", "1-2"});
  ASSERT_EQ(outcome.command.mode, Mode::kDemo) << outcome.err;
  EXPECT_TRUE(outcome.command.plan.keep_tmp);
  EXPECT_EQ(outcome.command.plan.export_jsonl, "d.jsonl");
  EXPECT_EQ(outcome.command.plan.metrics_window.to, seconds(2));
}

TEST_F(CommandLineRunLogTest, HelpDescribesTheFlags) {
  Outcome outcome = parse({"--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  for (const char* text :
       {"--tmp-path DIR=~/.strest/tmp", "--keep-tmp", "strest cleanup", "--log-shards N=1",
        "--export-csv PATH", "--export-json PATH", "--export-jsonl PATH",
        "--metrics-range START-END", "10s-2m", "--metrics-max N=1000000",
        "--output-format json|jsonl|csv|text", ".jsonl, .csv", "cleanup"}) {
    EXPECT_NE(outcome.out.find(text), std::string::npos) << text << "\n" << outcome.out;
  }
}

TEST_F(CommandLineRunLogTest, FormerlyUnsupportedNamesAreAccepted) {
  for (const char* flag : {"--tmp-path", "--keep-tmp", "--log-shards", "--export-csv",
                           "--export-json", "--export-jsonl", "--metrics-range", "--metrics-max"}) {
    EXPECT_EQ(parse({"-u", "http://h/", flag}).err.find("not supported yet"), std::string::npos)
        << flag;
  }
}

// strest cleanup

TEST_F(CommandLineRunLogTest, CleanupDefaults) {
  HomeGuard home("/home/tester");
  ParsedCommand command = cleanup_of({"--older-than", "24h"});
  EXPECT_EQ(command.cleanup.dir, "/home/tester/.strest/tmp");
  EXPECT_EQ(command.cleanup.older_than, hours(24));
  EXPECT_FALSE(command.cleanup.dry_run);
  EXPECT_FALSE(command.cleanup.force);
  EXPECT_EQ(command.exit_code, 0);
}

TEST_F(CommandLineRunLogTest, CleanupFlags) {
  HomeGuard home("/home/tester");
  ParsedCommand dry = cleanup_of({"--tmp-path", "/data/tmp", "--older-than", "90m", "--dry-run"});
  EXPECT_EQ(dry.cleanup.dir, "/data/tmp");
  EXPECT_EQ(dry.cleanup.older_than, minutes(90));
  EXPECT_TRUE(dry.cleanup.dry_run);
  EXPECT_FALSE(dry.cleanup.force);
  ParsedCommand force = cleanup_of({"--force", "--older-than=2", "--tmp-path=~/logs"});
  EXPECT_EQ(force.cleanup.dir, "/home/tester/logs");
  EXPECT_EQ(force.cleanup.older_than, seconds(2));  // a bare number is seconds
  EXPECT_TRUE(force.cleanup.force);
}

TEST_F(CommandLineRunLogTest, CleanupIgnoresTheConfigFile) {
  write("strest.toml", "bogus = 1\ntmp_path = \"/from/config\"\n");
  EXPECT_EQ(cleanup_of({"--tmp-path", "/x", "--older-than", "1h"}).cleanup.dir, "/x");
}

TEST_F(CommandLineRunLogTest, CleanupErrors) {
  EXPECT_EQ(error_of({"cleanup"}),
            "strest cleanup needs --older-than DURATION (e.g. --older-than 24h): only run logs "
            "last written longer ago than that are deleted");
  EXPECT_EQ(error_of({"cleanup", "--older-than", "1h", "--dry-run", "--force"}),
            "--dry-run and --force exclude each other: pass one");
  EXPECT_EQ(error_of({"cleanup", "--older-than", "0"}), "--older-than must be greater than 0");
  EXPECT_EQ(error_of({"cleanup", "--older-than", "yesterday"})
                .rfind("--older-than: invalid duration 'yesterday'", 0),
            0u);
  EXPECT_EQ(error_of({"cleanup", "--older-than", "1h", "--tmp-path", ""}),
            "--tmp-path must not be empty: give a path");
  EXPECT_EQ(error_of({"cleanup", "--older-than", "1h", "-u", "http://h/"}),
            "The following arguments were not expected: http://h/ -u (pass the URL with --url)");
}

TEST_F(CommandLineRunLogTest, CleanupWithoutHome) {
  HomeGuard home(std::nullopt);
  EXPECT_EQ(error_of({"cleanup", "--older-than", "1h"}),
            "--tmp-path: cannot expand '~' in '~/.strest/tmp': HOME is not set; write the full "
            "path");
  EXPECT_EQ(cleanup_of({"--older-than", "1h", "--tmp-path", "/t"}).cleanup.dir, "/t");
}

TEST_F(CommandLineRunLogTest, CleanupRefusesRunFlagsBeforeIt) {
  EXPECT_EQ(error_of({"--tmp-path", "/t", "cleanup", "--older-than", "1h"}),
            "--tmp-path does not apply to 'strest cleanup', which takes --tmp-path, "
            "--older-than, --dry-run and --force after the word cleanup");
  EXPECT_NE(error_of({"-m", "3", "cleanup", "--older-than", "1h"}).find("--max-tasks"),
            std::string::npos);
}

TEST_F(CommandLineRunLogTest, CleanupHelp) {
  Outcome outcome = parse({"cleanup", "--help"});
  EXPECT_EQ(outcome.command.mode, Mode::kExit);
  EXPECT_EQ(outcome.command.exit_code, 0);
  for (const char* text :
       {"Usage: strest cleanup", "--tmp-path DIR=~/.strest/tmp", "--older-than DURATION",
        "--dry-run", "--force", "strest-run-*.srl", "symlinks"}) {
    EXPECT_NE(outcome.out.find(text), std::string::npos) << text << "\n" << outcome.out;
  }
}

}  // namespace
}  // namespace strest

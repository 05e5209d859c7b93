// `strest --replay` as parse_command_line turns it into a kReplay command: the input (exports or
// a run log), the windows, snapshots, the settings shared with runs, and every refusal.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/command_line_fixture.h"
#include "cli/replay_plan.h"
#include "cli/settings_table.h"

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;
using SourceKind = ReplayOptions::Source;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kRecordingFix =
    "keep a run's log with --keep-tmp, or replay an export with --export-jsonl PATH";

class CommandLineReplayTest : public CommandLineFixture {
 protected:
  // A folder holding one run's log (the CLI checks names only; the replay reads the contents).
  static void make_run_log_folder(const std::string& folder) {
    std::filesystem::create_directories(folder);
    write(folder + "/strest-run-1700000000000-42-0.srl", "");
  }

  static Plan replay_of(std::vector<std::string> args) {
    args.insert(args.begin(), "--replay");
    ParsedCommand command = command_of(std::move(args), Mode::kReplay);
    EXPECT_TRUE(command.plan.replay);
    return command.plan;
  }

  static std::string replay_error(std::vector<std::string> args) {
    args.insert(args.begin(), "--replay");
    return error_of(std::move(args));
  }
};

TEST_F(CommandLineReplayTest, RunLogFolder) {
  make_run_log_folder("logs");
  Plan plan = replay_of({"--tmp-path", "logs"});
  EXPECT_EQ(plan.replay->source_kind, SourceKind::kRunLog);
  EXPECT_EQ(plan.replay->source, "logs");
  EXPECT_EQ(plan.tmp_path, "logs");  // the replay's own run log goes next to the one it reads
  EXPECT_FALSE(plan.replay->start);
  EXPECT_FALSE(plan.replay->end);
  EXPECT_FALSE(plan.replay->snapshots_wanted());
  EXPECT_EQ(plan.replay->snapshot_format, OutputFormat::kJson);
  EXPECT_EQ(plan.replay->snapshot_out, "");
}

TEST_F(CommandLineReplayTest, RunLogFile) {
  make_run_log_folder("logs");
  Plan plan = replay_of({"--tmp-path", "logs/strest-run-1700000000000-42-0.srl"});
  EXPECT_EQ(plan.replay->source_kind, SourceKind::kRunLog);
  EXPECT_EQ(plan.replay->source, "logs/strest-run-1700000000000-42-0.srl");
  EXPECT_EQ(plan.tmp_path, "logs");
  make_run_log_folder(".");
  EXPECT_EQ(replay_of({"--tmp-path", "strest-run-1700000000000-42-0.srl"}).tmp_path, ".");
}

TEST_F(CommandLineReplayTest, DefaultIsTheHomeTmpFolder) {
  HomeGuard home(dir_.string());
  EXPECT_EQ(replay_error({}),
            "--tmp-path (default ~/.strest/tmp): '" + dir_.string() +
                "/.strest/tmp' does not exist, so there is no run log to replay; " + kRecordingFix);
  make_run_log_folder(".strest/tmp");
  Plan plan = replay_of({});
  EXPECT_EQ(plan.replay->source_kind, SourceKind::kRunLog);
  EXPECT_EQ(plan.replay->source, dir_.string() + "/.strest/tmp");
}

TEST_F(CommandLineReplayTest, DefaultWithoutHome) {
  HomeGuard home(std::nullopt);
  EXPECT_EQ(replay_error({}),
            "--tmp-path (default ~/.strest/tmp): cannot expand '~' in '~/.strest/tmp': HOME is "
            "not set; write the full path");
}

TEST_F(CommandLineReplayTest, RunLogErrors) {
  EXPECT_EQ(replay_error({"--tmp-path", "nowhere"}),
            std::string("--tmp-path: 'nowhere' does not exist, so there is no run log to "
                        "replay; ") +
                kRecordingFix);
  std::filesystem::create_directory("empty");
  EXPECT_EQ(replay_error({"--tmp-path", "empty"}),
            std::string("--tmp-path: no run logs (strest-run-*.srl) in 'empty'; ") + kRecordingFix);
  write("notes.txt", "");
  EXPECT_EQ(replay_error({"--tmp-path", "notes.txt"}),
            std::string("--tmp-path: 'notes.txt' is not a run log name (strest-run-*.srl); ") +
                kRecordingFix);
}

TEST_F(CommandLineReplayTest, ConfigTmpPathIsWhereRunLogsAre) {
  make_run_log_folder("kept");
  write("strest.toml", "url = \"http://h/\"\ntmp_path = \"kept\"\nduration = 5\nrate = 9\n");
  Plan plan = replay_of({});
  EXPECT_EQ(plan.replay->source, "kept");
  write("strest.toml", "tmp_path = \"gone\"\n");
  EXPECT_EQ(replay_error({}),
            std::string("strest.toml: key 'tmp_path': 'gone' does not exist, so there is no run "
                        "log to replay; ") +
                kRecordingFix);
}

TEST_F(CommandLineReplayTest, Exports) {
  write("m.csv", "");
  write("m.json", "");
  write("m.jsonl", "");
  const std::tuple<const char*, const char*, SourceKind> cases[] = {
      {"--export-csv", "m.csv", SourceKind::kCsv},
      {"--export-json", "m.json", SourceKind::kJson},
      {"--export-jsonl", "m.jsonl", SourceKind::kJsonl}};
  for (const auto& [flag, path, kind] : cases) {
    Plan plan = replay_of({flag, path});
    EXPECT_EQ(plan.replay->source_kind, kind) << flag;
    EXPECT_EQ(plan.replay->source, path) << flag;
    // In a replay the export flags name the input: nothing is exported.
    EXPECT_FALSE(plan.export_csv || plan.export_json || plan.export_jsonl) << flag;
  }
}

TEST_F(CommandLineReplayTest, ExportsMustExist) {
  EXPECT_EQ(replay_error({"--export-csv", "m.csv"}),
            "--export-csv: 'm.csv' does not exist; with --replay, --export-csv names the export "
            "to read");
  EXPECT_EQ(replay_error({"--export-jsonl", "out/m.jsonl"}),
            "--export-jsonl: 'out/m.jsonl' does not exist; with --replay, --export-jsonl names "
            "the export to read");
  std::filesystem::create_directory("m.json");
  EXPECT_EQ(replay_error({"--export-json", "m.json"}),
            "--export-json: 'm.json' is a folder; with --replay, --export-json names the export "
            "file to read");
  EXPECT_EQ(replay_error({"--export-json", ""}),
            "--export-json must not be empty: give a file path");
}

TEST_F(CommandLineReplayTest, ExactlyOneInput) {
  make_run_log_folder("logs");
  write("a.csv", "");
  write("b.json", "");
  write("c.jsonl", "");
  EXPECT_EQ(replay_error({"--export-csv", "a.csv", "--export-json", "b.json"}),
            "--export-csv and --export-json both name a recording to replay: pass one");
  EXPECT_EQ(replay_error({"--export-jsonl", "c.jsonl", "--tmp-path", "logs"}),
            "--export-jsonl and --tmp-path both name a recording to replay: pass one");
  EXPECT_EQ(replay_error({"--export-json", "b.json", "--export-jsonl", "c.jsonl"}),
            "--export-json and --export-jsonl both name a recording to replay: pass one");
}

TEST_F(CommandLineReplayTest, ConfigExportsAreNotInputs) {
  make_run_log_folder("logs");
  write("strest.toml", "export_json = \"missing.json\"\nexport_csv = \"missing.csv\"\n");
  Plan plan = replay_of({"--tmp-path", "logs"});
  EXPECT_EQ(plan.replay->source_kind, SourceKind::kRunLog);
  EXPECT_FALSE(plan.export_json);
  // A config tmp_path does not compete with an export named on the command line.
  write("m.csv", "");
  write("strest.toml", "tmp_path = \"logs\"\n");
  EXPECT_EQ(replay_of({"--export-csv", "m.csv"}).replay->source_kind, SourceKind::kCsv);
}

TEST_F(CommandLineReplayTest, Window) {
  make_run_log_folder("logs");
  Plan plan = replay_of({"--tmp-path", "logs", "--replay-start", "10s", "--replay-end", "2m"});
  EXPECT_EQ(plan.replay->start, seconds(10));
  EXPECT_EQ(plan.replay->end, minutes(2));
  Plan whole = replay_of({"--tmp-path", "logs", "--replay-start", "min", "--replay-end", "max"});
  EXPECT_FALSE(whole.replay->start);
  EXPECT_FALSE(whole.replay->end);
  Plan from_zero = replay_of({"--tmp-path", "logs", "--replay-start", "0"});
  EXPECT_EQ(from_zero.replay->start, seconds(0));
  EXPECT_EQ(replay_of({"--tmp-path", "logs", "--replay-end", "30"}).replay->end, seconds(30));
}

TEST_F(CommandLineReplayTest, WindowErrors) {
  make_run_log_folder("logs");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--replay-start", "2m", "--replay-end", "10s"}),
            "--replay-start (2m) must be before --replay-end (10s)");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--replay-start", "10s", "--replay-end", "10s"}),
            "--replay-start (10s) must be before --replay-end (10s)");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--replay-start", "max"}),
            "--replay-start max leaves nothing to replay: use min or a time such as 10s");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--replay-end", "min"}),
            "--replay-end min leaves nothing to replay: use max or a time such as 2m");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--replay-end", "later"}),
            "--replay-end: 'later' is not min, max or a duration: use e.g. min, max, 10s or 2m");
}

TEST_F(CommandLineReplayTest, Snapshots) {
  HomeGuard home("/home/t");
  write("m.jsonl", "");
  Plan plan = replay_of({"--export-jsonl", "m.jsonl", "--replay-snapshot-interval", "30s",
                         "--replay-snapshot-format", "jsonl"});
  EXPECT_EQ(plan.replay->snapshot_interval, seconds(30));
  EXPECT_EQ(plan.replay->snapshot_format, OutputFormat::kJsonl);
  EXPECT_TRUE(plan.replay->snapshots_wanted());
  Plan window = replay_of({"--export-jsonl", "m.jsonl", "--replay-snapshot-start", "10s",
                           "--replay-snapshot-end", "2m", "--replay-snapshot-out", "~/snaps",
                           "--replay-snapshot-format", "csv"});
  EXPECT_EQ(window.replay->snapshot_start, seconds(10));
  EXPECT_EQ(window.replay->snapshot_end, minutes(2));
  EXPECT_EQ(window.replay->snapshot_out, "/home/t/snaps");
  EXPECT_EQ(window.replay->snapshot_format, OutputFormat::kCsv);
  Plan out_only = replay_of({"--export-jsonl", "m.jsonl", "--replay-snapshot-out", "s.json"});
  EXPECT_TRUE(out_only.replay->snapshots_wanted());
  EXPECT_EQ(out_only.replay->snapshot_format, OutputFormat::kJson);
  Plan minmax = replay_of({"--export-jsonl", "m.jsonl", "--replay-snapshot-start", "min",
                           "--replay-snapshot-end", "max"});
  EXPECT_FALSE(minmax.replay->snapshot_start);
  EXPECT_FALSE(minmax.replay->snapshot_end);
}

TEST_F(CommandLineReplayTest, SnapshotErrors) {
  write("m.jsonl", "");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-start", "2m",
                          "--replay-snapshot-end", "1m"}),
            "--replay-snapshot-start (2m) must be before --replay-snapshot-end (1m)");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-start", "max"}),
            "--replay-snapshot-start max leaves nothing to snapshot: use min or a time such as "
            "10s");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-end", "min"}),
            "--replay-snapshot-end min leaves nothing to snapshot: use max or a time such as 2m");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-format", "csv"}),
            "--replay-snapshot-format needs a snapshot to write: add --replay-snapshot-interval, "
            "--replay-snapshot-start, --replay-snapshot-end or --replay-snapshot-out");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-interval", "0"}),
            "--replay-snapshot-interval must be greater than 0");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-format", "text",
                          "--replay-snapshot-interval", "1s"}),
            "--replay-snapshot-format must be json, jsonl or csv (got 'text')");
  EXPECT_EQ(replay_error({"--export-jsonl", "m.jsonl", "--replay-snapshot-out", ""}),
            "--replay-snapshot-out must not be empty: give a path");
}

TEST_F(CommandLineReplayTest, ReplayFlagsNeedReplay) {
  const std::vector<std::vector<std::string>> cases = {{"--replay-start", "10s"},
                                                       {"--replay-end", "max"},
                                                       {"--replay-snapshot-interval", "5s"},
                                                       {"--replay-snapshot-start", "min"},
                                                       {"--replay-snapshot-end", "1m"},
                                                       {"--replay-snapshot-out", "s"},
                                                       {"--replay-snapshot-format", "csv"}};
  for (const auto& flag : cases) {
    std::vector<std::string> args = {"-u", "http://h/", flag[0], flag[1]};
    EXPECT_EQ(error_of(args),
              flag[0] + " needs --replay: it applies only when replaying a recorded run");
  }
  EXPECT_EQ(error_of({"-u", "http://h/", "--replay=false", "--replay-start", "1s"}),
            "--replay-start needs --replay: it applies only when replaying a recorded run");
  // Without --replay the export flags are outputs again.
  EXPECT_EQ(command_of({"-u", "http://h/", "--export-csv", "new.csv"}, Mode::kRun).plan.export_csv,
            "new.csv");
}

TEST_F(CommandLineReplayTest, ReplayStepSetsTheSeekOfTheReplayDashboard) {
  make_run_log_folder("logs");
  EXPECT_EQ(replay_of({"--tmp-path", "logs", "--replay-step", "2s"}).replay_step,
            std::chrono::seconds(2));
  EXPECT_EQ(replay_of({"--tmp-path", "logs"}).replay_step, std::chrono::seconds(5));
  EXPECT_EQ(error_of({"-u", "http://h/", "--replay-step", "5s"}),
            "--replay-step needs --replay: it applies only when replaying a recorded run");
  EXPECT_NE(replay_error({"--tmp-path", "logs", "--replay-step", "0"}).find("--replay-step"),
            std::string::npos);
}

TEST_F(CommandLineReplayTest, RunFlagsAreRefused) {
  make_run_log_folder("logs");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"-u", "http://h/"}, "--url"}, {{"--url=http://h/"}, "--url"},
      {{"--rate", "100"}, "--rate"},  {{"--requests", "10"}, "--requests"},
      {{"-t", "10s"}, "--duration"},  {{"--duration", "10s"}, "--duration"},
      {{"-m", "5"}, "--max-tasks"},   {{"--concurrency", "5"}, "--max-tasks"},
      {{"--http2"}, "--http2"},       {{"-H", "X-Env: ci"}, "--headers"},
      {{"-d", "{}"}, "--data"},       {{"--insecure"}, "--insecure"},
      {{"-X", "post"}, "--method"},   {{"--proxy", "http://p:3128"}, "--proxy"}};
  for (const auto& [flags, name] : cases) {
    std::vector<std::string> args = {"--tmp-path", "logs"};
    args.insert(args.end(), flags.begin(), flags.end());
    EXPECT_EQ(replay_error(args),
              name + " does not apply to --replay, which sends nothing: drop it");
  }
}

// The refusal comes from one mark on the settings table: every marked setting is refused by its
// flag, so a traffic flag added later is covered without touching this test.
TEST_F(CommandLineReplayTest, EveryTrafficSettingOfTheTableIsRefused) {
  size_t marked = 0;
  for (const Setting& setting : settings()) {
    if (!setting.shapes_traffic) continue;
    ASSERT_NE(setting.names, nullptr) << "a config-only key cannot be given with --replay";
    RawOptions cli;
    std::visit([&](auto field) { (cli.*field).emplace(); }, setting.field);
    auto refused = refuse_traffic_flags(cli);
    ASSERT_FALSE(refused.ok()) << flag_of(setting);
    EXPECT_EQ(refused.error(),
              flag_of(setting) + " does not apply to --replay, which sends nothing: drop it");
    ++marked;
  }
  EXPECT_GE(marked, 30u);
}

TEST_F(CommandLineReplayTest, SettingsThatDoNotShapeTrafficAreNotRefused) {
  for (const Setting& setting : settings()) {
    // Config-only keys (rpm, [load]) share the field of a flag and never come from the command
    // line.
    if (setting.shapes_traffic || setting.names == nullptr) continue;
    RawOptions cli;
    std::visit([&](auto field) { (cli.*field).emplace(); }, setting.field);
    EXPECT_TRUE(refuse_traffic_flags(cli).ok()) << (setting.names ? setting.names : "config key");
  }
}

TEST_F(CommandLineReplayTest, ConfigTrafficKeysAreNotRefused) {
  make_run_log_folder("logs");
  write("strest.toml", "url = \"http://h/\"\nmax_tasks = 5\nhttp2 = true\ntls_min = \"1.2\"\n");
  EXPECT_EQ(replay_of({"--tmp-path", "logs"}).replay->source, "logs");
}

TEST_F(CommandLineReplayTest, SharedSettingsApply) {
  make_run_log_folder("logs");
  Plan plan = replay_of({"--tmp-path", "logs", "--threshold", "p99<200ms", "--threshold",
                         "error_rate<1%", "-o", "r.json", "--summary", "--no-tui", "--verbose",
                         "--no-charts", "-c", "/c", "--db-url", "sqlite://r.db", "--keep-tmp"});
  EXPECT_EQ(plan.thresholds.size(), 2u);
  EXPECT_EQ(plan.output_path, "r.json");
  EXPECT_EQ(plan.output_format, OutputFormat::kJson);
  EXPECT_TRUE(plan.summary);
  EXPECT_TRUE(plan.no_tui);
  EXPECT_TRUE(plan.verbose);
  EXPECT_TRUE(plan.no_charts);
  EXPECT_EQ(plan.charts_path, "/c");
  EXPECT_EQ(plan.db_url, "r.db");
  EXPECT_TRUE(plan.keep_tmp);
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "--abort-on-fail"}),
            "--abort-on-fail needs a threshold to check: add --threshold EXPR (e.g. --threshold "
            "'p99<200ms') or a [thresholds] table to the config");
  EXPECT_EQ(replay_error({"--tmp-path", "logs", "-o", "r.xml"}),
            "--output: cannot tell the format of 'r.xml' from its extension; pass --output-format "
            "json, jsonl, csv or text");
}

TEST_F(CommandLineReplayTest, ConfigSettingsApply) {
  make_run_log_folder("logs");
  write("strest.toml",
        "url = \"http://h/\"\nno_charts = true\nsummary = true\n[thresholds]\n"
        "checks = [\"p99<1s\"]\n");
  Plan plan = replay_of({"--tmp-path", "logs", "--threshold", "p50<10ms"});
  EXPECT_TRUE(plan.no_charts);
  EXPECT_TRUE(plan.summary);
  EXPECT_EQ(plan.thresholds.size(), 2u);
}

TEST_F(CommandLineReplayTest, OutputsMustNotOverwriteTheInput) {
  write("m.json", "");
  EXPECT_EQ(replay_error({"--export-json", "m.json", "-o", "./m.json"}),
            "--output would overwrite 'm.json', the export --export-json replays: give another "
            "file");
  EXPECT_EQ(replay_error({"--export-json", "m.json", "--db-url", "sqlite:m.json"}),
            "--db-url would overwrite 'm.json', the export --export-json replays: give another "
            "file");
  EXPECT_EQ(replay_error(
                {"--export-json", "m.json", "--replay-snapshot-out", (dir_ / "m.json").string()}),
            "--replay-snapshot-out would overwrite 'm.json', the export --export-json replays: "
            "give another file");
}

TEST_F(CommandLineReplayTest, ConfigCannotAskForAReplay) {
  write("strest.toml", "replay = true\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'replay' cannot be set in a config file: replay is command-line "
            "only; pass --replay");
  write("strest.toml", "replay_start = \"10s\"\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'replay_start' cannot be set in a config file: replay is "
            "command-line only; pass --replay-start with --replay");
  std::filesystem::remove("strest.toml");
  write("strest.json", R"({"replay_snapshot_format": "csv"})");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.json: key 'replay_snapshot_format' cannot be set in a config file: replay "
            "is command-line only; pass --replay-snapshot-format with --replay");
  write("strest.json", R"({"replay_step": "5s"})");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.json: key 'replay_step' cannot be set in a config file: replay is "
            "command-line only; pass --replay-step with --replay");
}

TEST_F(CommandLineReplayTest, OnlyTheTopLevelReplays) {
  EXPECT_EQ(error_of({"demo", "--replay"}),
            "--replay does not apply to 'strest demo': run strest --replay instead");
  EXPECT_EQ(error_of({"--replay", "target"}),
            "--replay does not apply to 'strest target', which takes only --listen");
  EXPECT_NE(error_of({"--replay", "cleanup", "--older-than", "1h"})
                .find("--replay does not apply to 'strest cleanup'"),
            std::string::npos);
}

TEST_F(CommandLineReplayTest, ReplayFalseIsARun) {
  EXPECT_EQ(command_of({"-u", "http://h/", "--replay=false"}, Mode::kRun).plan.replay,
            std::nullopt);
}

TEST_F(CommandLineReplayTest, Help) {
  Outcome outcome = parse({"--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  for (const char* text :
       {"--replay ", "--replay-start min|max|DURATION", "--replay-end min|max|DURATION",
        "--replay-snapshot-interval DURATION", "--replay-snapshot-start min|max|DURATION",
        "--replay-snapshot-end min|max|DURATION", "--replay-snapshot-out PATH=~/.strest/snapshots",
        "--replay-snapshot-format json|jsonl|csv=json", "--replay-step DURATION=5s",
        "strest --replay rebuilds", "with --replay, the export to read", "command line only"}) {
    EXPECT_NE(outcome.out.find(text), std::string::npos) << text << "\n" << outcome.out;
  }
}

}  // namespace
}  // namespace strest

// The run's shape from flags and config together: rate and load profiles, connection ramp-up,
// warmup, request ids and thresholds, as parse_command_line puts them into the Plan.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/command_line.h"
#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;
using std::chrono::milliseconds;
using std::chrono::seconds;

class CommandLineLoadTest : public CommandLineFixture {
 protected:
  static Plan plan_of(std::vector<std::string> args) {
    return command_of(std::move(args), ParsedCommand::Mode::kRun).plan;
  }

  static std::vector<std::string> expressions(const Plan& plan) {
    std::vector<std::string> texts;
    for (const Threshold& threshold : plan.thresholds) texts.push_back(threshold.expression);
    return texts;
  }
};

constexpr const char* kRamp = R"(url = "http://h/"
[load]
rate = 100
[[load.stages]]
duration = "60s"
target = 300
[[load.stages]]
duration = "120s"
target = 800
)";

TEST_F(CommandLineLoadTest, DefaultsAreClosedLoopAllAtOnceNoExtras) {
  Plan plan = plan_of({"-u", "http://h/"});
  EXPECT_FALSE(plan.load);
  EXPECT_FALSE(plan.spawn_rate);
  EXPECT_EQ(plan.spawn_interval, seconds(1));
  EXPECT_EQ(plan.warmup, Micros(0));
  EXPECT_FALSE(plan.request_id_header);
  EXPECT_TRUE(plan.thresholds.empty());
  EXPECT_FALSE(plan.abort_on_fail);
  EXPECT_EQ(plan.abort_delay, seconds(5));
  EXPECT_FALSE(plan.duration);
}

TEST_F(CommandLineLoadTest, RateIsAConstantOpenLoop) {
  Plan plan = plan_of({"-u", "http://h/", "--rate", "1000"});
  ASSERT_TRUE(plan.load);
  EXPECT_EQ(plan.load->start_rps, 1000);
  EXPECT_TRUE(plan.load->stages.empty());
  EXPECT_FALSE(plan.duration);  // no stages: the usual default duration applies
  EXPECT_EQ(plan_of({"-u", "http://h/", "--rate", "2.5"}).load->start_rps, 2.5);
  EXPECT_EQ(error_of({"-u", "http://h/", "--rate", "0"}), "--rate must be greater than 0 (got 0)");
}

TEST_F(CommandLineLoadTest, ReferenceRampPresetKeepsItsDuration) {
  write("ramp.toml", std::string("duration = 300\n") + kRamp);
  Plan plan = plan_of({"--config", "ramp.toml"});
  EXPECT_EQ(plan.duration, seconds(300));
  ASSERT_TRUE(plan.load);
  EXPECT_EQ(plan.load->start_rps, 100);
  ASSERT_EQ(plan.load->stages.size(), 2u);
  EXPECT_EQ(plan.load->stages[1].target_rps, 800);
}

TEST_F(CommandLineLoadTest, StagesSetTheDurationWhenNoneIsGiven) {
  write("strest.toml", kRamp);
  EXPECT_EQ(plan_of({}).duration, seconds(180));
  Plan with_requests = plan_of({"--requests", "5000"});
  EXPECT_EQ(with_requests.duration, seconds(180));  // whichever comes first
  EXPECT_EQ(with_requests.max_requests, 5000u);
  EXPECT_EQ(plan_of({"-t", "30s"}).duration, seconds(30));
}

TEST_F(CommandLineLoadTest, RampJsonWithRpm) {
  write("strest.json", R"({"url": "http://h/", "load": {"rpm": 0, "stages": [
    {"duration": "10s", "rpm": 600}, {"duration": 20, "target": 50}]}})");
  Plan plan = plan_of({});
  ASSERT_TRUE(plan.load);
  EXPECT_EQ(plan.load->start_rps, 0);
  EXPECT_EQ(plan.load->stages[0].target_rps, 10);
  EXPECT_EQ(plan.load->stages[1].target_rps, 50);
  EXPECT_EQ(plan.duration, seconds(30));
}

TEST_F(CommandLineLoadTest, ProfileWithoutStagesKeepsTheDefaultDuration) {
  write("strest.toml", "url = \"http://h/\"\n[load]\nrate = 40\n");
  Plan plan = plan_of({});
  EXPECT_EQ(plan.load->start_rps, 40);
  EXPECT_FALSE(plan.duration);
  write("strest.toml", "url = \"http://h/\"\nrpm = 120\n");
  EXPECT_EQ(plan_of({}).load->start_rps, 2);
}

TEST_F(CommandLineLoadTest, RateFlagReplacesTheConfigProfile) {
  write("strest.toml", kRamp);
  Plan plan = plan_of({"--rate", "50"});
  ASSERT_TRUE(plan.load);
  EXPECT_EQ(plan.load->start_rps, 50);
  EXPECT_TRUE(plan.load->stages.empty());
  EXPECT_FALSE(plan.duration);  // the stages went with the profile
}

TEST_F(CommandLineLoadTest, LoadErrorsNameTheFile) {
  write("strest.toml", "url = \"http://h/\"\n[load]\nrate = 1\nrpm = 60\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'load' sets both rate and rpm: keep one");
  write("strest.toml", "url = \"http://h/\"\n[load]\nrate = 0\n");
  EXPECT_NE(error_of({}).find("strest.toml: key 'load': every rate is 0"), std::string::npos);
  write("strest.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = \"10s\"\ntargt = 5\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: unknown key 'load.stages[1].targt'; did you mean 'target'?");
  // A bad [load] is an error even when --rate would replace it: the file must be valid.
  EXPECT_EQ(error_of({"-u", "http://h/", "--rate", "5"}),
            "strest.toml: unknown key 'load.stages[1].targt'; did you mean 'target'?");
}

TEST_F(CommandLineLoadTest, ReferencePresets) {
  Plan smoke = plan_of({"-u", "http://localhost:3000", "-t", "15", "--rate", "50", "--max-tasks",
                        "50", "--spawn-rate", "10", "--spawn-interval", "100"});
  EXPECT_EQ(smoke.duration, seconds(15));
  EXPECT_EQ(smoke.load->start_rps, 50);
  EXPECT_EQ(smoke.max_tasks, 50u);
  EXPECT_EQ(smoke.spawn_rate, 10u);
  EXPECT_EQ(smoke.spawn_interval, milliseconds(100));  // a bare number is milliseconds
  Plan steady =
      plan_of({"-u", "http://localhost:3000", "-t", "300", "--rate", "500", "--max-tasks", "500",
               "--spawn-rate", "20", "--spawn-interval", "100", "--no-tui", "--summary"});
  EXPECT_EQ(steady.spawn_rate, 20u);
  EXPECT_EQ(steady.spawn_interval, milliseconds(100));
}

TEST_F(CommandLineLoadTest, SpawnRateAloneUsesTheDefaultInterval) {
  Plan plan = plan_of({"-u", "http://h/", "-r", "5"});
  EXPECT_EQ(plan.spawn_rate, 5u);
  EXPECT_EQ(plan.spawn_interval, seconds(1));
  EXPECT_EQ(plan_of({"-u", "http://h/", "-r", "5", "-i", "2s"}).spawn_interval, seconds(2));
}

TEST_F(CommandLineLoadTest, SpawnIntervalNeedsSpawnRate) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--spawn-interval", "100"}),
            "--spawn-interval needs --spawn-rate, the connections to open per interval (e.g. "
            "--spawn-rate 10 --spawn-interval 100)");
  write("strest.toml", "url = \"http://h/\"\nspawn_interval = 100\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: spawn_interval needs spawn_rate, the connections to open per interval "
            "(or pass --spawn-rate)");
  Plan mixed = plan_of({"-r", "4"});
  EXPECT_EQ(mixed.spawn_rate, 4u);
  EXPECT_EQ(mixed.spawn_interval, milliseconds(100));
}

TEST_F(CommandLineLoadTest, SpawnFromConfigAndFlagsOverride) {
  write("strest.toml", "url = \"http://h/\"\nspawn_rate = 8\nspawn_interval = \"250ms\"\n");
  Plan config = plan_of({});
  EXPECT_EQ(config.spawn_rate, 8u);
  EXPECT_EQ(config.spawn_interval, milliseconds(250));
  Plan flags = plan_of({"-i", "50"});
  EXPECT_EQ(flags.spawn_rate, 8u);
  EXPECT_EQ(flags.spawn_interval, milliseconds(50));
}

TEST_F(CommandLineLoadTest, Warmup) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "--warmup", "2s", "-t", "10s"}).warmup, seconds(2));
  EXPECT_EQ(plan_of({"-u", "http://h/", "--warmup", "9.5"}).warmup, milliseconds(9500));
  EXPECT_EQ(plan_of({"-u", "http://h/", "--warmup", "1m", "--requests", "100"}).warmup,
            seconds(60));  // no time limit: nothing to compare with
  write("strest.toml", "url = \"http://h/\"\nwarmup = \"5s\"\nduration = 60\n");
  EXPECT_EQ(plan_of({}).warmup, seconds(5));
  EXPECT_EQ(plan_of({"--warmup", "0"}).warmup, Micros(0));
}

TEST_F(CommandLineLoadTest, WarmupMustBeShorterThanTheRun) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--warmup", "10s", "-t", "10s"}),
            "--warmup (10s) must be shorter than the run (10s, --duration)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--warmup", "15s"}),
            "--warmup (15s) must be shorter than the run (10s, the default; set -t)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--warmup", "15s", "--requests", "5", "-t", "3s"}),
            "--warmup (15s) must be shorter than the run (3s, --duration)");
  write("strest.toml", std::string("warmup = \"4m\"\n") + kRamp);
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'warmup' (4m) must be shorter than the run (3m, the load stages "
            "in all)");
  write("strest.toml", "url = \"http://h/\"\nwarmup = 30\nduration = 20\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'warmup' (30s) must be shorter than the run (20s, duration in "
            "strest.toml)");
  EXPECT_EQ(plan_of({"-t", "1m"}).warmup, seconds(30));
}

TEST_F(CommandLineLoadTest, RequestIdHeader) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "--request-id-header", "X-Request-Id"}).request_id_header,
            "X-Request-Id");
  EXPECT_EQ(error_of({"-u", "http://h/", "--request-id-header", "X Request"}),
            "--request-id-header: 'X Request' is not a valid header name: use letters, digits "
            "and '-', e.g. X-Request-Id");
  EXPECT_EQ(error_of({"-u", "http://h/", "--request-id-header", "host"}),
            "--request-id-header: strest writes Host itself; choose another name, e.g. "
            "X-Request-Id");
  EXPECT_EQ(error_of({"-u", "http://h/", "--request-id-header", "x-id", "-H", "X-Id: 1"}),
            "--request-id-header: X-Id is also given as a fixed header; drop one of them");
  write("strest.toml", "url = \"http://h/\"\nrequest_id_header = \"X-Trace\"\n");
  EXPECT_EQ(plan_of({}).request_id_header, "X-Trace");
  EXPECT_EQ(error_of({"-H", "x-trace: a"}),
            "strest.toml: key 'request_id_header': x-trace is also given as a fixed header; drop "
            "one of them");
}

TEST_F(CommandLineLoadTest, ThresholdsFromFlags) {
  Plan plan = plan_of({"-u", "http://h/", "--threshold", "p99<200ms", "--threshold",
                       "error_rate<1%", "--abort-on-fail"});
  EXPECT_EQ(expressions(plan), (std::vector<std::string>{"p99<200ms", "error_rate<1%"}));
  EXPECT_EQ(plan.thresholds[0].metric, ThresholdMetric::kP99);
  EXPECT_EQ(plan.thresholds[0].value, 200000);
  EXPECT_TRUE(plan.abort_on_fail);
  EXPECT_EQ(plan.abort_delay, seconds(5));
}

TEST_F(CommandLineLoadTest, ThresholdsAddUpConfigFirst) {
  write("strest.toml",
        "url = \"http://h/\"\n[thresholds]\nchecks = [\"p99<200ms\"]\nabort_on_fail = true\n"
        "abort_delay = \"10s\"\n");
  Plan plan = plan_of({"--threshold", "rps>=500"});
  EXPECT_EQ(expressions(plan), (std::vector<std::string>{"p99<200ms", "rps>=500"}));
  EXPECT_TRUE(plan.abort_on_fail);
  EXPECT_EQ(plan.abort_delay, seconds(10));
  EXPECT_FALSE(plan_of({"--abort-on-fail=false"}).abort_on_fail);
  EXPECT_EQ(plan_of({}).thresholds.size(), 1u);
}

TEST_F(CommandLineLoadTest, BadThresholdsNameTheirOrigin) {
  std::string cli = error_of({"-u", "http://h/", "--threshold", "p98<1s"});
  EXPECT_EQ(cli.rfind("--threshold 'p98<1s': unknown metric 'p98' (use p50, ", 0), 0u) << cli;
  write("strest.toml", "url = \"http://h/\"\n[thresholds]\np98 = \"<1s\"\n");
  std::string config = error_of({});
  EXPECT_EQ(config.rfind("strest.toml: thresholds: 'p98<1s': unknown metric 'p98'", 0), 0u)
      << config;
}

TEST_F(CommandLineLoadTest, AbortOnFailNeedsAThreshold) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--abort-on-fail"}),
            "--abort-on-fail needs a threshold to check: add --threshold EXPR (e.g. --threshold "
            "'p99<200ms') or a [thresholds] table to the config");
  write("strest.toml", "url = \"http://h/\"\n[thresholds]\nabort_on_fail = true\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: thresholds.abort_on_fail = true needs a check: add checks = "
            "[\"p99<200ms\"] or pass --threshold");
  EXPECT_TRUE(plan_of({"--threshold", "errors==0"}).abort_on_fail);
}

TEST_F(CommandLineLoadTest, DemoTakesTheNewFlags) {
  Outcome outcome = parse({"demo", "--rate", "20", "-r", "2", "-i", "10", "--warmup", "1s",
                           "--threshold", "p99<1s", "--request-id-header", "X-Id"});
  ASSERT_EQ(outcome.command.mode, Mode::kDemo) << outcome.err;
  const Plan& plan = outcome.command.plan;
  EXPECT_EQ(plan.load->start_rps, 20);
  EXPECT_EQ(plan.spawn_interval, milliseconds(10));
  EXPECT_EQ(plan.warmup, seconds(1));
  EXPECT_EQ(plan.thresholds.size(), 1u);
  EXPECT_EQ(plan.request_id_header, "X-Id");
}

TEST_F(CommandLineLoadTest, HelpDescribesTheNewFlags) {
  Outcome outcome = parse({"--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  for (const char* text :
       {"--rate RPS", "closed loop", "-r,--spawn-rate N", "[load]", "[thresholds]",
        "all connections at once, as wrk and oha do", "-i,--spawn-interval",
        "bare number is milliseconds", "--warmup", "--request-id-header NAME", "(default: off)",
        "--threshold EXPR", "--abort-on-fail"}) {
    EXPECT_NE(outcome.out.find(text), std::string::npos) << text << "\n" << outcome.out;
  }
}

}  // namespace
}  // namespace strest

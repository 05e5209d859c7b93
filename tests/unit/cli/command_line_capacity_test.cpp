// `strest capacity` on the command line: its own flags into CapacitySettings, the run flags it
// refuses, the config settings it ignores, and the plan each step runs.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/capacity_command.h"
#include "cli/command_line.h"
#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class CommandLineCapacityTest : public CommandLineFixture {
 protected:
  static ParsedCommand capacity_of(std::vector<std::string> args) {
    args.insert(args.begin(), "capacity");
    return command_of(std::move(args), ParsedCommand::Mode::kCapacity);
  }
  static std::string capacity_error(std::vector<std::string> args) {
    args.insert(args.begin(), "capacity");
    return error_of(std::move(args));
  }
};

TEST_F(CommandLineCapacityTest, Defaults) {
  ParsedCommand command =
      capacity_of({"-u", "http://h/", "--max-rate", "800", "--threshold", "p99<20ms"});
  EXPECT_EQ(command.capacity.max_rate, 800);
  EXPECT_EQ(command.capacity.min_rate, 50) << "a sixteenth of --max-rate";
  EXPECT_DOUBLE_EQ(command.capacity.precision, 0.05);
  EXPECT_EQ(command.capacity.step_duration, seconds(10));
  EXPECT_EQ(command.capacity.step_warmup, seconds(2));
  ASSERT_EQ(command.plan.thresholds.size(), 1u);
  EXPECT_EQ(command.plan.thresholds[0].expression, "p99<20ms");
}

TEST_F(CommandLineCapacityTest, OwnFlags) {
  ParsedCommand command = capacity_of({"--max-rate", "1000", "--min-rate", "10.5", "--precision",
                                       "2.5", "--step-duration", "3s", "--step-warmup", "0", "-u",
                                       "http://h/", "--threshold", "error_rate<1%", "-m", "300"});
  EXPECT_EQ(command.capacity.min_rate, 10.5);
  EXPECT_DOUBLE_EQ(command.capacity.precision, 0.025);
  EXPECT_EQ(command.capacity.step_duration, seconds(3));
  EXPECT_EQ(command.capacity.step_warmup, seconds(0));
  EXPECT_EQ(command.plan.max_tasks, 300u);
  EXPECT_DOUBLE_EQ(capacity_of({"--max-rate", "9", "--precision", "10%", "-u", "http://h/",
                                "--threshold", "p50<1s"})
                       .capacity.precision,
                   0.1);
}

TEST_F(CommandLineCapacityTest, RefusesWhatEachStepSetsItself) {
  const std::vector<std::string> base = {"-u",  "http://h/",   "--max-rate",
                                         "800", "--threshold", "p99<20ms"};
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{{"--rate", "100"},
                                                        {"--duration", "5s"},
                                                        {"--requests", "100"},
                                                        {"--warmup", "1s"},
                                                        {"--export-csv", "x.csv"},
                                                        {"--db-url", "x.db"}}) {
    std::vector<std::string> args = base;
    args.push_back(flag);
    args.push_back(value);
    const std::string error = capacity_error(args);
    EXPECT_EQ(error.rfind(flag + " does not apply to 'strest capacity'", 0), 0u) << error;
  }
}

TEST_F(CommandLineCapacityTest, BadCapacityFlags) {
  EXPECT_NE(capacity_error({"-u", "http://h/", "--threshold", "p99<20ms"}).find("--max-rate RPS"),
            std::string::npos);
  EXPECT_NE(capacity_error({"-u", "http://h/", "--max-rate", "800"}).find("at least one SLO"),
            std::string::npos);
  EXPECT_NE(capacity_error({"-u", "http://h/", "--max-rate", "800", "--min-rate", "900",
                            "--threshold", "p99<20ms"})
                .find("--min-rate 900 is above --max-rate 800"),
            std::string::npos);
  for (const char* precision : {"0.05", "60%", "x"}) {
    EXPECT_NE(capacity_error({"-u", "http://h/", "--max-rate", "800", "--precision", precision,
                              "--threshold", "p99<20ms"})
                  .find("--precision"),
              std::string::npos)
        << precision;
  }
  EXPECT_NE(capacity_error(
                {"-u", "http://h/", "--max-rate", "800", "--threshold", "p99<20ms", "-o", "x.csv"})
                .find("json or text"),
            std::string::npos);
}

TEST_F(CommandLineCapacityTest, TheConfigsRunLengthAndRateAreIgnored) {
  std::ofstream("strest.toml") << "url = \"http://h/\"\nduration = \"30s\"\nrate = 5\n"
                                  "warmup = \"1s\"\n[thresholds]\nchecks = [\"p99<20ms\"]\n";
  ParsedCommand command = capacity_of({"--max-rate", "800"});
  EXPECT_FALSE(command.plan.duration);
  EXPECT_FALSE(command.plan.load);
  EXPECT_EQ(command.plan.warmup, seconds(0));
  EXPECT_EQ(command.plan.thresholds.size(), 1u) << "the config's SLOs count";
}

TEST(CapacityStepPlan, RunsTheRateForWarmupPlusDurationWithNoOutputsOfItsOwn) {
  Plan plan;
  plan.output_path = "capacity.json";
  plan.export_csv = "x.csv";
  CapacitySettings settings;
  settings.step_duration = seconds(3);
  settings.step_warmup = milliseconds(500);
  const Plan step = capacity_step_plan(plan, settings, 412.5);
  ASSERT_TRUE(step.load);
  EXPECT_EQ(step.load->start_rps, 412.5);
  EXPECT_TRUE(step.load->stages.empty());
  EXPECT_EQ(step.warmup, milliseconds(500));
  EXPECT_EQ(step.duration, milliseconds(3500));
  EXPECT_FALSE(step.output_path);
  EXPECT_FALSE(step.export_csv);
  EXPECT_TRUE(step.no_charts);
  EXPECT_FALSE(step.run_log);
}

TEST(CapacityExitCode, ZeroWhenARateHeldThreeWhenMinRateFailed) {
  CapacityResult result;
  result.outcome = CapacityOutcome::kKneeFound;
  EXPECT_EQ(capacity_exit_code(result, true, 0, false), 0);
  result.outcome = CapacityOutcome::kMaxRateHeld;
  EXPECT_EQ(capacity_exit_code(result, true, 0, false), 0);
  result.outcome = CapacityOutcome::kMinRateFailed;
  EXPECT_EQ(capacity_exit_code(result, true, 0, false), 3);
  EXPECT_EQ(capacity_exit_code(result, false, 0, false), 1) << "an output was not written";
  result.outcome = CapacityOutcome::kInterrupted;
  EXPECT_EQ(capacity_exit_code(result, true, 2, false), 130);
  EXPECT_EQ(capacity_exit_code(result, true, 0, true), 1) << "a step could not run";
}

}  // namespace
}  // namespace strest

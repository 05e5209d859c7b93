#include <gtest/gtest.h>

#include "cli/command_line.h"
#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;

class CommandLineCompareTest : public CommandLineFixture {};

TEST_F(CommandLineCompareTest, TwoRunsAndDefaults) {
  const ParsedCommand command = command_of({"compare", "a.jsonl", "logs/"}, Mode::kCompare);
  const CompareRequest& request = command.compare;
  EXPECT_EQ(request.a, "a.jsonl");
  EXPECT_EQ(request.b, "logs/");
  EXPECT_TRUE(request.gates.empty());
  EXPECT_EQ(request.json_path, "");
  EXPECT_DOUBLE_EQ(request.bootstrap.confidence, 0.95);
  EXPECT_EQ(request.bootstrap.seed, 1u);
  EXPECT_DOUBLE_EQ(request.noise, 0.05);
}

TEST_F(CommandLineCompareTest, GatesOutputConfidenceAndSeed) {
  const ParsedCommand command = command_of(
      {"compare", "a.csv", "b.csv", "--threshold", "p99_delta<10%", "--threshold",
       "error_rate_delta<=0.5%", "-o", "cmp.json", "--confidence", "99%", "--seed", "42"},
      Mode::kCompare);
  const CompareRequest& request = command.compare;
  ASSERT_EQ(request.gates.size(), 2u);
  EXPECT_EQ(request.gates[0].metric, CompareMetric::kP99);
  EXPECT_EQ(request.gates[1].metric, CompareMetric::kErrorRate);
  EXPECT_EQ(request.json_path, "cmp.json");
  EXPECT_DOUBLE_EQ(request.bootstrap.confidence, 0.99);
  EXPECT_EQ(request.bootstrap.seed, 42u);
  EXPECT_DOUBLE_EQ(command_of({"compare", "a", "b", "--confidence", "90"}, Mode::kCompare)
                       .compare.bootstrap.confidence,
                   0.9);
  EXPECT_DOUBLE_EQ(command_of({"compare", "a", "b", "--noise", "0"}, Mode::kCompare).compare.noise,
                   0.0);
  EXPECT_DOUBLE_EQ(
      command_of({"compare", "a", "b", "--noise", "2.5%"}, Mode::kCompare).compare.noise, 0.025);
}

TEST_F(CommandLineCompareTest, ErrorsNameTheFlagAndTheFix) {
  EXPECT_EQ(error_of({"compare", "a.csv"})
                .rfind("strest compare needs two runs, A (the baseline) "
                       "then B",
                       0),
            0u);
  EXPECT_EQ(error_of({"compare", "a", "b", "--threshold", "p99<5ms"})
                .rfind("--threshold: threshold 'p99<5ms': unknown delta metric 'p99'", 0),
            0u);
  EXPECT_EQ(error_of({"compare", "a", "b", "--confidence", "40"}),
            "--confidence: '40' is not a confidence level: use a percent from 50 to 99.9, e.g. "
            "95%");
  EXPECT_NE(error_of({"compare", "a", "b", "--confidence", "95ms"}).find("not a confidence"),
            std::string::npos);
  EXPECT_EQ(error_of({"compare", "a", "b", "--noise", "60%"}),
            "--noise: '60%' is not a noise level: use a percent from 0 to 50, e.g. 5% (0 counts "
            "every significant change)");
  EXPECT_EQ(error_of({"-m", "3", "compare", "a", "b"}),
            "--max-tasks does not apply to 'strest compare', which takes two runs, --threshold, "
            "-o, --report, --confidence, --noise and --seed after the word compare");
}

TEST_F(CommandLineCompareTest, IgnoresTheConfigFile) {
  write("strest.toml", "bogus = 1\n");
  EXPECT_EQ(parse({"compare", "a", "b"}).command.mode, Mode::kCompare);
}

TEST_F(CommandLineCompareTest, Help) {
  Outcome outcome = parse({"compare", "--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  EXPECT_NE(outcome.out.find("Usage: strest compare"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("p99_delta<5ms"), std::string::npos) << outcome.out;
  EXPECT_NE(parse({"--help"}).out.find("compare"), std::string::npos);
}

}  // namespace
}  // namespace strest

// [load] and [thresholds] as users write them, in TOML and JSON, read through load_config_file.
#include "cli/config_tables.h"

#include <gtest/gtest.h>

#include "cli/config_file.h"
#include "in_temp_dir_test.h"

namespace strest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ConfigTablesTest : public InTempDirTest {
 protected:
  // Writes text to name and loads it; the file must be valid.
  static RawOptions load_ok(const std::string& name, const std::string& text) {
    write(name, text);
    auto file = load_config_file(name);
    EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error());
    return file.ok() ? file->options : RawOptions{};
  }
  static std::string load_error(const std::string& name, const std::string& text) {
    write(name, text);
    auto file = load_config_file(name);
    EXPECT_FALSE(file.ok()) << text;
    return file.ok() ? "" : file.error();
  }
  static LoadProfile profile(const std::string& name, const std::string& text) {
    RawOptions options = load_ok(name, text);
    EXPECT_TRUE(options.load) << text;
    return options.load.value_or(LoadProfile{-1, {}});
  }
  static std::vector<std::string> expressions(const RawOptions& options) {
    std::vector<std::string> texts;
    for (const Threshold& threshold : options.thresholds.value_or(std::vector<Threshold>{})) {
      texts.push_back(threshold.expression);
    }
    return texts;
  }
};

// The reference README's ramp preset (ramp.toml), verbatim.
constexpr const char* kReferenceRamp = R"(
url = "http://localhost:3000"
duration = 300

[load]
rate = 100

[[load.stages]]
duration = "60s"
target = 300

[[load.stages]]
duration = "120s"
target = 800
)";

TEST_F(ConfigTablesTest, ReferenceRampToml) {
  RawOptions options = load_ok("ramp.toml", kReferenceRamp);
  EXPECT_EQ(options.duration, seconds(300));
  ASSERT_TRUE(options.load);
  EXPECT_EQ(options.load->start_rps, 100);
  ASSERT_EQ(options.load->stages.size(), 2u);
  EXPECT_EQ(options.load->stages[0].duration, seconds(60));
  EXPECT_EQ(options.load->stages[0].target_rps, 300);
  EXPECT_EQ(options.load->stages[1].duration, seconds(120));
  EXPECT_EQ(options.load->stages[1].target_rps, 800);
  EXPECT_EQ(options.load->stages_duration(), seconds(180));
}

TEST_F(ConfigTablesTest, ReferenceLoadJson) {
  LoadProfile load = profile("strest.json", R"({
    "load": {
      "rate": 1000,
      "stages": [
        { "duration": "10s", "target": 500 },
        { "duration": "20s", "target": 1500 }
      ]
    }
  })");
  EXPECT_EQ(load.start_rps, 1000);
  ASSERT_EQ(load.stages.size(), 2u);
  EXPECT_EQ(load.stages[0].duration, seconds(10));
  EXPECT_EQ(load.stages[1].target_rps, 1500);
}

TEST_F(ConfigTablesTest, RpmVariants) {
  LoadProfile load = profile("a.toml",
                             "[load]\nrpm = 6000\n[[load.stages]]\nduration = 30\nrpm = 12000\n"
                             "[[load.stages]]\nduration = 30\nrate = 50\n");
  EXPECT_EQ(load.start_rps, 100);
  ASSERT_EQ(load.stages.size(), 2u);
  EXPECT_EQ(load.stages[0].target_rps, 200);
  EXPECT_EQ(load.stages[1].target_rps, 50);  // rate is the reference's alias of target
  EXPECT_EQ(profile("b.json", R"({"load": {"rpm": 90}})").start_rps, 1.5);
}

TEST_F(ConfigTablesTest, TopLevelRateAndRpmAreConstant) {
  LoadProfile rate = profile("a.toml", "rate = 250\n");
  EXPECT_EQ(rate.start_rps, 250);
  EXPECT_TRUE(rate.stages.empty());
  EXPECT_EQ(profile("b.toml", "rate = 0.5\n").start_rps, 0.5);
  EXPECT_EQ(profile("c.toml", "rpm = 30\n").start_rps, 0.5);
  EXPECT_EQ(profile("d.json", R"({"rate": 40})").start_rps, 40);
}

TEST_F(ConfigTablesTest, StageDurationForms) {
  LoadProfile load =
      profile("a.toml",
              "[load]\nrate = 1\nstages = [{duration = 30, target = 2}, {duration = \"1.5m\", "
              "target = 3}, {duration = 2.5, target = 4}]\n");
  ASSERT_EQ(load.stages.size(), 3u);
  EXPECT_EQ(load.stages[0].duration, seconds(30));
  EXPECT_EQ(load.stages[1].duration, seconds(90));
  EXPECT_EQ(load.stages[2].duration, milliseconds(2500));
}

TEST_F(ConfigTablesTest, RampFromZero) {
  LoadProfile explicit_zero =
      profile("a.toml", "[load]\nrate = 0\n[[load.stages]]\nduration = \"10s\"\ntarget = 100\n");
  EXPECT_EQ(explicit_zero.start_rps, 0);
  EXPECT_EQ(explicit_zero.stages[0].target_rps, 100);
  LoadProfile no_start = profile("b.json", R"({"load": {"stages": [{"duration": 5, "rpm": 60}]}})");
  EXPECT_EQ(no_start.start_rps, 0);
  EXPECT_EQ(no_start.stages[0].target_rps, 1);
  // A ramp down to zero is fine: some rate is above 0.
  EXPECT_EQ(profile("c.toml", "[load]\nrate = 5\n[[load.stages]]\nduration = 1\ntarget = 0\n")
                .stages[0]
                .target_rps,
            0);
}

TEST_F(ConfigTablesTest, LoadWithoutStages) {
  LoadProfile load = profile("a.toml", "[load]\nrate = 7\n");
  EXPECT_EQ(load.start_rps, 7);
  EXPECT_TRUE(load.stages.empty());
  EXPECT_TRUE(profile("b.toml", "[load]\nrate = 7\nstages = []\n").stages.empty());
}

TEST_F(ConfigTablesTest, RateAndRpmExcludeEachOther) {
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 10\nrpm = 600\n"),
            "a.toml: key 'load' sets both rate and rpm: keep one");
  EXPECT_EQ(load_error("a.toml",
                       "[load]\nrate = 1\n[[load.stages]]\nduration = 1\ntarget = 2\n"
                       "[[load.stages]]\nduration = 1\ntarget = 2\nrpm = 60\n"),
            "a.toml: key 'load.stages[2]' sets both rpm and target: keep one");
  EXPECT_EQ(load_error("b.json", R"({"rate": 5, "rpm": 300})"),
            "b.json: key 'rpm' repeats a setting already given (rate, rpm, load are one "
            "setting): keep one");
}

TEST_F(ConfigTablesTest, RateOrRpmAndLoadExcludeEachOther) {
  EXPECT_EQ(load_error("a.toml", "rate = 5\n[load]\nrate = 10\n"),
            "a.toml: key 'rate' repeats a setting already given (rate, rpm, load are one "
            "setting): keep one");
}

TEST_F(ConfigTablesTest, BadStages) {
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\ntarget = 5\n"),
            "a.toml: key 'load.stages[1]' needs a duration, e.g. duration = \"30s\"");
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = \"5s\"\n"),
            "a.toml: key 'load.stages[1]' needs a target (requests per second) or rpm to ramp to");
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = 0\ntarget = 5\n"),
            "a.toml: key 'load.stages[1].duration' must be greater than 0");
  EXPECT_NE(
      load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = \"x\"\ntarget = 5\n")
          .find("a.toml: key 'load.stages[1].duration': invalid duration 'x'"),
      std::string::npos);
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = 1\ntarget = -5\n"),
            "a.toml: key 'load.stages[1].target' must be 0 or more (got -5)");
  EXPECT_EQ(
      load_error("a.toml", "[load]\nrate = 1\n[[load.stages]]\nduration = 1\ntarget = \"5\"\n"),
      "a.toml: key 'load.stages[1].target' must be a number of requests per second, not a "
      "string");
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\nstages = 5\n"),
            "a.toml: key 'load.stages' must be an array of tables ([[load.stages]]), not an "
            "integer");
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 1\nstages = [\"10s\"]\n"),
            "a.toml: key 'load.stages' must be an array of tables ([[load.stages]]), not an array");
  EXPECT_EQ(
      load_error("b.json", R"({"load": {"rate": 1, "stages": [{"duration": 1, "target": 1}, 3]}})"),
      "b.json: key 'load.stages' must be an array of tables ([[load.stages]]), not an "
      "array with non-string items");
}

TEST_F(ConfigTablesTest, UnknownKeysInsideLoadAreNamedByPath) {
  EXPECT_EQ(load_error("strest.toml",
                       "[load]\nrate = 1\n[[load.stages]]\nduration = \"10s\"\n"
                       "targt = 500\n"),
            "strest.toml: unknown key 'load.stages[1].targt'; did you mean 'target'?");
  EXPECT_EQ(load_error("strest.toml",
                       "[load]\nrate = 1\n[[load.stages]]\nduration = 1\n"
                       "target = 2\n[[load.stages]]\nduration = 1\nspeed = 5\n"),
            "strest.toml: unknown key 'load.stages[2].speed'");
  EXPECT_EQ(load_error("strest.toml", "[load]\nrtae = 10\n"),
            "strest.toml: unknown key 'load.rtae'; did you mean 'rate'?");
  EXPECT_EQ(load_error("strest.json", R"({"load": {"rate": 1, "stages": [{"duration": "10s",
            "targt": 500}]}})"),
            "strest.json: unknown key 'load.stages[1].targt'; did you mean 'target'?");
}

TEST_F(ConfigTablesTest, ProfilesThatSendNothing) {
  const std::string zero =
      "a.toml: key 'load': every rate is 0, so nothing would be sent; set load.rate or a stage "
      "target above 0";
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 0\n"), zero);
  EXPECT_EQ(load_error("a.toml", "[load]\nrpm = 0\n[[load.stages]]\nduration = 5\ntarget = 0\n"),
            zero);
  EXPECT_EQ(load_error("a.toml", "[load]\n"),
            "a.toml: key 'load' sets no rate: set load.rate (requests per second) or load.rpm, "
            "and add [[load.stages]] to ramp");
  EXPECT_EQ(load_error("a.toml", "rate = 0\n"),
            "a.toml: key 'rate' must be greater than 0 (got 0)");
  EXPECT_EQ(load_error("a.toml", "rpm = -60\n"),
            "a.toml: key 'rpm' must be greater than 0 (got -60)");
}

TEST_F(ConfigTablesTest, LoadShapeErrors) {
  EXPECT_EQ(load_error("a.toml", "load = 100\n"),
            "a.toml: key 'load' must be a table ([load] with rate and [[load.stages]]), not an "
            "integer");
  EXPECT_EQ(load_error("b.json", R"({"load": [1]})"),
            "b.json: key 'load' must be a table ([load] with rate and [[load.stages]]), not an "
            "array with non-string items");
  EXPECT_EQ(load_error("a.toml", "rate = \"100\"\n"),
            "a.toml: key 'rate' must be a number of requests per second, not a string");
  EXPECT_EQ(load_error("a.toml", "[load]\nrate = 2000000000\n"),
            "a.toml: key 'load.rate' must be at most 1e+09 requests per second (got 2e+09)");
}

TEST_F(ConfigTablesTest, ThresholdsTable) {
  RawOptions options = load_ok("strest.toml", R"(
[thresholds]
checks = ["p99<200ms", "error_rate<1%"]
p95 = "< 150ms"
abort_on_fail = true
abort_delay = "10s"
)");
  EXPECT_EQ(expressions(options),
            (std::vector<std::string>{"p99<200ms", "error_rate<1%", "p95< 150ms"}));
  EXPECT_EQ(options.thresholds->front().metric, ThresholdMetric::kP99);
  EXPECT_EQ(options.thresholds->front().op, ThresholdOp::kLess);
  EXPECT_EQ(options.thresholds->front().value, 200000);
  EXPECT_EQ((*options.thresholds)[2].metric, ThresholdMetric::kP95);
  EXPECT_EQ(options.abort_on_fail, true);
  EXPECT_EQ(options.abort_delay, seconds(10));
}

TEST_F(ConfigTablesTest, ThresholdsJson) {
  RawOptions options = load_ok("strest.json", R"({
    "thresholds": {"checks": ["p99<200ms", "rps>=500"], "abort_on_fail": true,
                   "abort_delay": 2, "error_rate": "<=0.5%"}
  })");
  EXPECT_EQ(expressions(options),
            (std::vector<std::string>{"p99<200ms", "rps>=500", "error_rate<=0.5%"}));
  EXPECT_EQ(options.abort_on_fail, true);
  EXPECT_EQ(options.abort_delay, seconds(2));
}

TEST_F(ConfigTablesTest, ThresholdsShorthandsAndDefaults) {
  RawOptions list = load_ok("a.toml", "thresholds = [\"p99<1s\", \"timeouts==0\"]\n");
  EXPECT_EQ(expressions(list), (std::vector<std::string>{"p99<1s", "timeouts==0"}));
  EXPECT_FALSE(list.abort_on_fail);
  EXPECT_FALSE(list.abort_delay);
  RawOptions keyed = load_ok("b.toml", "[thresholds]\np99 = \"<300ms\"\nabort_delay = 0\n");
  EXPECT_EQ(expressions(keyed), std::vector<std::string>{"p99<300ms"});
  EXPECT_EQ(keyed.abort_delay, Micros(0));
  EXPECT_TRUE(load_ok("c.toml", "[thresholds]\nchecks = []\n").thresholds->empty());
}

TEST_F(ConfigTablesTest, BadThresholdExpressionsNameTheirPlace) {
  const std::string unknown = "strest.toml: thresholds: 'p98<1s': unknown metric 'p98'";
  EXPECT_EQ(load_error("strest.toml", "[thresholds]\nchecks = [\"p98<1s\"]\n").rfind(unknown, 0),
            0u);
  EXPECT_EQ(load_error("strest.toml", "[thresholds]\np98 = \"<1s\"\n").rfind(unknown, 0), 0u);
  EXPECT_EQ(load_error("strest.toml", "thresholds = [\"p98<1s\"]\n").rfind(unknown, 0), 0u);
  EXPECT_EQ(load_error("strest.json", R"({"thresholds": {"checks": ["p99<200"]}})")
                .rfind("strest.json: thresholds: 'p99<200': ", 0),
            0u);
  EXPECT_EQ(load_error("strest.toml", "[thresholds]\nchecks = [\" \"]\n")
                .rfind("strest.toml: thresholds: empty threshold", 0),
            0u);
}

TEST_F(ConfigTablesTest, BadThresholdTables) {
  EXPECT_EQ(load_error("a.toml", "[thresholds]\np99 = \"200ms\"\n"),
            "a.toml: key 'thresholds.p99' must be a condition starting with <, <=, >, >=, == or "
            "!= (e.g. \"<200ms\"), not '200ms'");
  EXPECT_EQ(load_error("a.toml", "[thresholds]\np99 = 200\n"),
            "a.toml: key 'thresholds.p99' must be a condition string such as \"<200ms\", not an "
            "integer");
  EXPECT_EQ(load_error("a.toml", "[thresholds]\nabort_on_fial = true\n"),
            "a.toml: unknown key 'thresholds.abort_on_fial'; did you mean 'abort_on_fail'?");
  EXPECT_EQ(load_error("a.toml", "[thresholds]\nabort_on_fail = \"yes\"\n"),
            "a.toml: key 'thresholds.abort_on_fail' must be true or false, not a string");
  EXPECT_EQ(load_error("a.toml", "[thresholds]\nabort_delay = \"-1s\"\n"),
            "a.toml: key 'thresholds.abort_delay': duration '-1s' is negative");
  EXPECT_EQ(load_error("a.toml", "[thresholds]\nchecks = \"p99<1s\"\n"),
            "a.toml: key 'thresholds.checks' must be an array of expressions like "
            "[\"p99<200ms\"], not a string");
  EXPECT_EQ(load_error("a.toml", "thresholds = \"p99<1s\"\n"),
            "a.toml: key 'thresholds' must be a table ([thresholds] with checks = [...]) or an "
            "array of expressions, not a string");
}

}  // namespace
}  // namespace strest

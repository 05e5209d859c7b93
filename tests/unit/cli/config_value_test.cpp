#include "cli/config_value.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Source kFlag{"--flag", true};
const Source kKey{"key 'k'", false};
constexpr DurationRule kMillis{.bare_number_is_ms = true};
constexpr DurationRule kZero{.zero_allowed = true};

Micros duration_ok(const ConfigValue& value, const Source& source, DurationRule rule) {
  auto duration = read_duration(value, source, rule);
  EXPECT_TRUE(duration.ok()) << (duration.ok() ? "" : duration.error());
  return duration.ok() ? *duration : Micros(-1);
}

std::string duration_error(const ConfigValue& value, const Source& source, DurationRule rule) {
  auto duration = read_duration(value, source, rule);
  EXPECT_FALSE(duration.ok());
  return duration.ok() ? "" : duration.error();
}

double rate_ok(const ConfigValue& value, const Source& source, RateRule rule = {}) {
  auto rate = read_rate(value, source, rule);
  EXPECT_TRUE(rate.ok()) << (rate.ok() ? "" : rate.error());
  return rate.ok() ? *rate : -1;
}

std::string rate_error(const ConfigValue& value, const Source& source, RateRule rule = {}) {
  auto rate = read_rate(value, source, rule);
  EXPECT_FALSE(rate.ok());
  return rate.ok() ? "" : rate.error();
}

TEST(ReadDuration, TextAndConfigNumbersAreSeconds) {
  EXPECT_EQ(duration_ok(std::string("250ms"), kFlag, {}), milliseconds(250));
  EXPECT_EQ(duration_ok(std::string("30"), kFlag, {}), seconds(30));
  EXPECT_EQ(duration_ok(int64_t{60}, kKey, {}), seconds(60));
  EXPECT_EQ(duration_ok(1.5, kKey, {}), milliseconds(1500));
}

TEST(ReadDuration, BareNumbersAreMillisecondsUnderThatRule) {
  EXPECT_EQ(duration_ok(std::string("100"), kFlag, kMillis), milliseconds(100));
  EXPECT_EQ(duration_ok(std::string(" 100 "), kFlag, kMillis), milliseconds(100));
  EXPECT_EQ(duration_ok(std::string("1.5"), kFlag, kMillis), microseconds(1500));
  EXPECT_EQ(duration_ok(std::string("100"), kKey, kMillis), milliseconds(100));
  EXPECT_EQ(duration_ok(int64_t{100}, kKey, kMillis), milliseconds(100));
  EXPECT_EQ(duration_ok(0.5, kKey, kMillis), microseconds(500));
  EXPECT_EQ(duration_ok(std::string("1s"), kFlag, kMillis), seconds(1));
  EXPECT_EQ(duration_ok(std::string("250ms"), kFlag, kMillis), milliseconds(250));
  EXPECT_EQ(duration_ok(std::string("2m"), kFlag, kMillis), seconds(120));
}

TEST(ReadDuration, MillisecondRuleNamesItsFormsInErrors) {
  EXPECT_EQ(duration_error(std::string("soon"), kFlag, kMillis),
            "--flag: invalid duration 'soon': use e.g. 100 (a bare number is milliseconds), "
            "250ms or 1s");
  EXPECT_EQ(duration_error(std::string("0"), kFlag, kMillis), "--flag must be greater than 0");
  EXPECT_EQ(duration_error(int64_t{-1}, kKey, kMillis),
            "key 'k' must be a positive number of milliseconds");
  EXPECT_EQ(duration_error(true, kKey, kMillis),
            "key 'k' must be a number of milliseconds or a duration string like \"10s\", not a "
            "boolean");
}

TEST(ReadDuration, ZeroOnlyWhenAllowed) {
  EXPECT_EQ(duration_ok(std::string("0"), kFlag, kZero), Micros(0));
  EXPECT_EQ(duration_ok(int64_t{0}, kKey, kZero), Micros(0));
  EXPECT_EQ(duration_error(std::string("0s"), kFlag, {}), "--flag must be greater than 0");
  EXPECT_EQ(duration_error(std::string("-1s"), kFlag, kZero), "--flag: duration '-1s' is negative");
}

TEST(ReadDuration, CommandLineValuesAreText) {
  EXPECT_NE(duration_error(std::string("5 minutes"), kFlag, {}).find("invalid duration"),
            std::string::npos);
  EXPECT_EQ(duration_error(std::vector<std::string>{"1s"}, kFlag, {}),
            "--flag must be a number of seconds or a duration string like \"10s\", not an array");
}

TEST(ReadRate, CommandLineText) {
  EXPECT_EQ(rate_ok(std::string("1000"), kFlag), 1000);
  EXPECT_EQ(rate_ok(std::string("0.5"), kFlag), 0.5);
  EXPECT_EQ(rate_ok(std::string("1e3"), kFlag), 1000);
  EXPECT_EQ(rate_error(std::string("fast"), kFlag), "--flag: 'fast' is not a number");
  EXPECT_EQ(rate_error(std::string("10rps"), kFlag), "--flag: '10rps' is not a number");
  EXPECT_EQ(rate_error(std::string(""), kFlag), "--flag: '' is not a number");
  EXPECT_EQ(rate_error(std::string("inf"), kFlag), "--flag: 'inf' is not a number");
  EXPECT_EQ(rate_error(std::string("nan"), kFlag), "--flag: 'nan' is not a number");
}

TEST(ReadRate, ConfigNumbers) {
  EXPECT_EQ(rate_ok(int64_t{250}, kKey), 250);
  EXPECT_EQ(rate_ok(12.5, kKey), 12.5);
  EXPECT_EQ(rate_error(std::string("100"), kKey),
            "key 'k' must be a number of requests per second, not a string");
  EXPECT_EQ(rate_error(OtherType{"a table"}, kKey),
            "key 'k' must be a number of requests per second, not a table");
}

TEST(ReadRate, PerMinuteIsConvertedToPerSecond) {
  EXPECT_EQ(rate_ok(int64_t{6000}, kKey, {.per_minute = true}), 100);
  EXPECT_EQ(rate_ok(int64_t{90}, kKey, {.per_minute = true}), 1.5);
  EXPECT_EQ(rate_error(true, kKey, {.per_minute = true}),
            "key 'k' must be a number of requests per minute, not a boolean");
}

TEST(ReadRate, Ranges) {
  EXPECT_EQ(rate_error(int64_t{0}, kKey), "key 'k' must be greater than 0 (got 0)");
  EXPECT_EQ(rate_error(std::string("-2"), kFlag), "--flag must be greater than 0 (got -2)");
  EXPECT_EQ(rate_ok(int64_t{0}, kKey, {.zero_allowed = true}), 0);
  EXPECT_EQ(rate_error(-0.5, kKey, {.zero_allowed = true}), "key 'k' must be 0 or more (got -0.5)");
  EXPECT_EQ(rate_ok(kMaxRate, kKey), kMaxRate);
  EXPECT_EQ(rate_error(2e9, kKey), "key 'k' must be at most 1e+09 requests per second (got 2e+09)");
  EXPECT_EQ(rate_ok(6e10, kKey, {.per_minute = true}), kMaxRate);
  EXPECT_NE(rate_error(7e10, kKey, {.per_minute = true}).find("requests per minute"),
            std::string::npos);
}

TEST(TypeName, TablesAndArrays) {
  EXPECT_EQ(type_name(ConfigTable{}), "a table");
  EXPECT_EQ(type_name(ConfigTable{{}, "an object"}), "an object");
  EXPECT_EQ(type_name(std::vector<ConfigTable>{ConfigTable{}}), "an array of tables");
  EXPECT_EQ(type_name(std::vector<ConfigTable>{ConfigTable{{}, "an object"}}),
            "an array of objects");
  EXPECT_EQ(type_name(std::vector<std::string>{}), "an array");
  EXPECT_EQ(type_name(int64_t{1}), "an integer");
  EXPECT_EQ(type_name(OtherType{"null"}), "null");
}

TEST(IsToken, HeaderNamesAndMethods) {
  EXPECT_TRUE(is_token("X-Request-Id"));
  EXPECT_TRUE(is_token("x_trace.id~1"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("X Id"));
  EXPECT_FALSE(is_token("X:Id"));
  EXPECT_FALSE(is_token("Ä"));
}

MetricsRange range_ok(const ConfigValue& value) {
  auto range = read_metrics_range(value, kKey);
  EXPECT_TRUE(range.ok()) << (range.ok() ? "" : range.error());
  return range.ok() ? *range : MetricsRange{Micros(-1), std::nullopt};
}

std::string range_error(const ConfigValue& value) {
  auto range = read_metrics_range(value, kKey);
  EXPECT_FALSE(range.ok());
  return range.ok() ? "" : range.error();
}

TEST(ReadMetricsRange, SecondsDurationsAndOpenEnd) {
  EXPECT_EQ(range_ok(std::string("10-30")).from, seconds(10));
  EXPECT_EQ(range_ok(std::string("10-30")).to, seconds(30));
  EXPECT_EQ(range_ok(std::string("0-1")).from, seconds(0));
  EXPECT_EQ(range_ok(std::string("250ms-1.5s")).from, milliseconds(250));
  EXPECT_EQ(range_ok(std::string("250ms-1.5s")).to, milliseconds(1500));
  EXPECT_EQ(range_ok(std::string("10s-2m")).to, seconds(120));
  EXPECT_EQ(range_ok(std::string(" 1m - 1h ")).to, std::chrono::hours(1));
  EXPECT_EQ(range_ok(std::string("10-")).from, seconds(10));
  EXPECT_FALSE(range_ok(std::string("10-")).to);
  EXPECT_FALSE(range_ok(std::string("0-")).to);
}

TEST(ReadMetricsRange, Errors) {
  const std::string forms =
      "': use START-END in seconds or durations, e.g. 10-30, 10s-2m, or 10- for no end";
  for (const char* text :
       {"", "10", "-10", "-", "x-10", "10-y", "1-2-3", "10s-2parsecs", "1e3-5"}) {
    EXPECT_EQ(range_error(std::string(text)),
              std::string("key 'k': invalid range '") + text + forms)
        << text;
  }
  EXPECT_EQ(range_error(std::string("30-10")),
            "key 'k': the range '30-10' ends before it starts: START must be less than END");
  EXPECT_NE(range_error(std::string("1m-60s")).find("ends before it starts"), std::string::npos);
  EXPECT_EQ(range_error(int64_t{10}), "key 'k' must be a string like \"10-30\", not an integer");
  EXPECT_EQ(range_error(std::vector<std::string>{"10", "30"}),
            "key 'k' must be a string like \"10-30\", not an array");
}

TEST(ReadHomePath, LeadingTildeIsHome) {
  EXPECT_EQ(*read_home_path("~/.strest/tmp", kFlag, "/home/a"), "/home/a/.strest/tmp");
  EXPECT_EQ(*read_home_path("~", kFlag, "/home/a"), "/home/a");
  EXPECT_EQ(*read_home_path("/abs/~/x", kFlag, "/home/a"), "/abs/~/x");
  EXPECT_EQ(*read_home_path("~bob/x", kFlag, "/home/a"), "~bob/x");
  EXPECT_EQ(*read_home_path("rel/dir", kFlag, nullptr), "rel/dir");
}

TEST(ReadHomePath, Errors) {
  EXPECT_EQ(read_home_path("", kFlag, "/home/a").error(), "--flag must not be empty: give a path");
  EXPECT_EQ(read_home_path("~/x", kKey, nullptr).error(),
            "key 'k': cannot expand '~' in '~/x': HOME is not set; write the full path");
  EXPECT_EQ(read_home_path("~", kKey, "").error(),
            "key 'k': cannot expand '~' in '~': HOME is not set; write the full path");
}

TEST(DidYouMean, WithinTwoEdits) {
  constexpr std::string_view kKnown[] = {"duration", "target", "rate", "rpm"};
  EXPECT_EQ(did_you_mean("targt", kKnown), "; did you mean 'target'?");
  EXPECT_EQ(did_you_mean("RATE", kKnown), "; did you mean 'rate'?");
  EXPECT_EQ(did_you_mean("speed", kKnown), "");
}

}  // namespace
}  // namespace strest

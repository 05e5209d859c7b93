#include "plan/duration.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

Micros parsed(std::string_view text) {
  auto duration = parse_duration(text);
  EXPECT_TRUE(duration.ok()) << text << ": " << (duration.ok() ? "" : duration.error());
  return duration.ok() ? *duration : Micros(-1);
}

std::string error_of(std::string_view text) {
  auto duration = parse_duration(text);
  EXPECT_FALSE(duration.ok()) << text << " parsed as " << duration->count();
  if (duration.ok()) return "";
  EXPECT_EQ(duration.error().find('\n'), std::string::npos);
  return duration.error();
}

TEST(ParseDuration, Units) {
  EXPECT_EQ(parsed("250ms"), milliseconds(250));
  EXPECT_EQ(parsed("10s"), seconds(10));
  EXPECT_EQ(parsed("2m"), minutes(2));
  EXPECT_EQ(parsed("1h"), hours(1));
}

TEST(ParseDuration, BareNumberIsSeconds) {
  EXPECT_EQ(parsed("30"), seconds(30));
  EXPECT_EQ(parsed("0.5"), milliseconds(500));
}

TEST(ParseDuration, Fractions) {
  EXPECT_EQ(parsed("1.5s"), milliseconds(1500));
  EXPECT_EQ(parsed("0.25m"), seconds(15));
  EXPECT_EQ(parsed("1.5h"), minutes(90));
  EXPECT_EQ(parsed("2.5ms"), Micros(2500));
  EXPECT_EQ(parsed(".5s"), milliseconds(500));
  EXPECT_EQ(parsed("3.s"), seconds(3));
}

TEST(ParseDuration, SubMicrosecondDigitsAreTruncated) {
  EXPECT_EQ(parsed("1.0000009s"), seconds(1));
  EXPECT_EQ(parsed("0.0015ms"), Micros(1));
  EXPECT_EQ(parsed("0.123456789123s"), Micros(123456));
}

TEST(ParseDuration, ZeroParses) {
  EXPECT_EQ(parsed("0"), Micros(0));
  EXPECT_EQ(parsed("0ms"), Micros(0));
}

TEST(ParseDuration, SurroundingSpacesAreIgnored) { EXPECT_EQ(parsed("  10s\t"), seconds(10)); }

TEST(ParseDuration, LargestValues) {
  EXPECT_EQ(parsed("2562047788h"), hours(2562047788));
  EXPECT_EQ(parsed("9223372036854775ms"), milliseconds(9223372036854775));
  EXPECT_EQ(parsed("9223372036854.775807s"), Micros(9223372036854775807));
}

TEST(ParseDuration, RejectsEmpty) {
  EXPECT_NE(error_of("").find("empty duration"), std::string::npos);
  EXPECT_NE(error_of("   ").find("empty duration"), std::string::npos);
}

TEST(ParseDuration, RejectsNegatives) {
  EXPECT_EQ(error_of("-1s"), "duration '-1s' is negative");
  EXPECT_NE(error_of("-0").find("negative"), std::string::npos);
  EXPECT_NE(error_of("-5").find("negative"), std::string::npos);
}

TEST(ParseDuration, RejectsUnknownUnits) {
  for (const char* text : {"10x", "10sec", "10 s", "5d", "1us", "10S", "1e3", "abc", "s", "ms", ".",
                           ".s", "1.2.3s", "+5s", "10s5", "1,5s", "0x10"}) {
    std::string error = error_of(text);
    EXPECT_NE(error.find("invalid duration '"), std::string::npos) << text << ": " << error;
    EXPECT_NE(error.find("ms, s, m or h"), std::string::npos) << text;
  }
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_NE(error_of("2562047789h").find("too large"), std::string::npos);
  EXPECT_NE(error_of("9223372036854776ms").find("too large"), std::string::npos);
  EXPECT_NE(error_of("99999999999999999999").find("too large"), std::string::npos);
  EXPECT_NE(error_of("9223372036854775807s").find("too large"), std::string::npos);
  EXPECT_NE(error_of("9223372036854.775808s").find("too large"), std::string::npos);
}

TEST(FormatDuration, PicksTheLargestExactUnit) {
  EXPECT_EQ(format_duration(Micros(0)), "0s");
  EXPECT_EQ(format_duration(seconds(10)), "10s");
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(minutes(2)), "2m");
  EXPECT_EQ(format_duration(hours(1)), "1h");
  EXPECT_EQ(format_duration(minutes(90)), "90m");
  EXPECT_EQ(format_duration(seconds(90)), "90s");
}

TEST(FormatDuration, Decimals) {
  EXPECT_EQ(format_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(Micros(1000001)), "1.000001s");
  EXPECT_EQ(format_duration(Micros(1500)), "1.5ms");
  EXPECT_EQ(format_duration(Micros(1)), "0.001ms");
  EXPECT_EQ(format_duration(Micros(999999)), "999.999ms");
}

TEST(FormatDuration, Negative) { EXPECT_EQ(format_duration(seconds(-3)), "-3s"); }

TEST(FormatDuration, RoundTripsThroughParse) {
  for (int64_t micros : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1000}, int64_t{1001},
                         int64_t{123456}, int64_t{1000000}, int64_t{61000000}, int64_t{3600000001},
                         int64_t{7200000000}, int64_t{86399999999}}) {
    EXPECT_EQ(parsed(format_duration(Micros(micros))), Micros(micros)) << micros;
  }
}

}  // namespace
}  // namespace strest

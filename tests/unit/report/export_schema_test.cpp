#include "report/export_schema.h"

#include <gtest/gtest.h>

#include <limits>

#include "metrics/outcome.h"

namespace strest {
namespace {

std::string ms(int64_t us) {
  std::string out;
  append_ms(out, us);
  return out;
}

TEST(ExportSchema, MillisecondsHaveExactlyThreeDecimals) {
  EXPECT_EQ(ms(0), "0.000");
  EXPECT_EQ(ms(1), "0.001");
  EXPECT_EQ(ms(1234), "1.234");
  EXPECT_EQ(ms(1'000'000), "1000.000");
  EXPECT_EQ(ms(-5), "-0.005");
  EXPECT_EQ(ms(std::numeric_limits<int64_t>::min()), "-9223372036854775.808");
}

TEST(ExportSchema, ParseMsIsTheInverseAndRoundsToTheMicrosecond) {
  for (int64_t us : {0L, 1L, 999L, 1234L, -5L, 4'294'967'295L, 86'400'000'000L}) {
    EXPECT_EQ(parse_ms(ms(us)), us) << us;
  }
  EXPECT_EQ(parse_ms("12"), 12'000);
  EXPECT_EQ(parse_ms("0.0004"), 0);
  EXPECT_EQ(parse_ms("0.0006"), 1);
  EXPECT_EQ(parse_ms("1e3"), 1'000'000);
  for (const char* bad : {"", "abc", "1.2.3", "1,5", " 1", "nan", "inf", "1e300"}) {
    EXPECT_FALSE(parse_ms(bad).has_value()) << bad;
  }
}

TEST(ExportSchema, ErrorNamesRoundTripForEachOutcome) {
  RunLogRecord record;
  record.outcome = LoggedOutcome::kTimeout;
  for (uint8_t kind = 0; kind < 2; ++kind) {
    record.error_kind = kind;
    RunLogRecord parsed;
    parsed.outcome = record.outcome;
    ASSERT_TRUE(parse_export_error(export_error_name(record), parsed));
    EXPECT_EQ(parsed.error_kind, kind);
  }
  record.outcome = LoggedOutcome::kTransport;
  for (uint8_t kind = 0; kind < kTransportErrorKinds; ++kind) {
    record.error_kind = kind;
    RunLogRecord parsed;
    parsed.outcome = record.outcome;
    ASSERT_TRUE(parse_export_error(export_error_name(record), parsed));
    EXPECT_EQ(parsed.error_kind, kind);
  }
  record.error_kind = static_cast<uint8_t>(TimeoutKind::kConnect);
  record.outcome = LoggedOutcome::kTimeout;
  EXPECT_EQ(export_error_name(record), "connect");
  record.outcome = LoggedOutcome::kNonExpectedStatus;
  EXPECT_EQ(export_error_name(record), "");
}

TEST(ExportSchema, OutcomeNamesMatchTheSummary) {
  EXPECT_EQ(export_outcome_name(LoggedOutcome::kOk), outcome_name(Outcome::kOk));
  EXPECT_EQ(export_outcome_name(LoggedOutcome::kTransport), "transport_error");
  EXPECT_EQ(parse_export_outcome("non_expected_status"), LoggedOutcome::kNonExpectedStatus);
  EXPECT_FALSE(parse_export_outcome("OK").has_value());
}

TEST(ExportSchema, FormatComesFromTheExtension) {
  EXPECT_EQ(export_format_for_path("a/b.csv"), ExportFormat::kCsv);
  EXPECT_EQ(export_format_for_path("B.JSON"), ExportFormat::kJson);
  EXPECT_EQ(export_format_for_path("run.jsonl"), ExportFormat::kJsonl);
  EXPECT_FALSE(export_format_for_path("run.txt").has_value());
  EXPECT_FALSE(export_format_for_path("csv").has_value());
  EXPECT_EQ(export_format_name(ExportFormat::kJsonl), "jsonl");
}

}  // namespace
}  // namespace strest

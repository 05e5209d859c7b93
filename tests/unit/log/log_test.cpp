#include "log/log.h"

#include <gtest/gtest.h>

#include "log_capture.h"

namespace strest {
namespace {

TEST(Log, ParsesTheFourLevels) {
  EXPECT_EQ(parse_log_level("error"), LogLevel::kError);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::kWarn);
  EXPECT_EQ(parse_log_level("info"), LogLevel::kInfo);
  EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
  EXPECT_FALSE(parse_log_level("DEBUG"));
  EXPECT_FALSE(parse_log_level("trace"));
  EXPECT_FALSE(parse_log_level(""));
}

TEST(Log, ShowsALevelAndEveryQuieterOne) {
  LogCapture log(LogLevel::kWarn);
  log_warning("disk almost full");
  log_info("charts written");
  log_debug("request head");
  EXPECT_EQ(log.text(), "strest: warning: disk almost full\n");
}

TEST(Log, DebugShowsEverything) {
  LogCapture log(LogLevel::kDebug);
  log_warning("w");
  log_info("i");
  log_debug("d");
  EXPECT_EQ(log.text(), "strest: warning: w\nstrest: i\nstrest: d\n");
}

TEST(Log, ErrorLevelSilencesWarnings) {
  LogCapture log(LogLevel::kError);
  log_warning("w");
  log_info("i");
  EXPECT_EQ(log.text(), "");
  EXPECT_FALSE(logs(LogLevel::kWarn));
  EXPECT_TRUE(logs(LogLevel::kError));
}

TEST(Log, TheDefaultShowsWarningsAndNotesButNotDebug) {
  LogCapture log;
  EXPECT_TRUE(logs(LogLevel::kWarn));
  EXPECT_TRUE(logs(LogLevel::kInfo));
  EXPECT_FALSE(logs(LogLevel::kDebug));
}

}  // namespace
}  // namespace strest

#include <gtest/gtest.h>

#include "text/ansi_color.h"
#include "text/ascii.h"

namespace strest {
namespace {

TEST(SameName, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(same_name("Content-Type", "content-type"));
  EXPECT_TRUE(same_name("P99", "p99"));
  EXPECT_FALSE(same_name("Host", "Hosts"));
  EXPECT_FALSE(same_name("X-Id", "X_Id"));
  EXPECT_TRUE(same_name("", ""));
}

TEST(Paint, WrapsInSgrOnlyWhenOnAndNotEmpty) {
  EXPECT_EQ(paint("PASS", kSgrGreen, true), "\x1b[32mPASS\x1b[0m");
  EXPECT_EQ(paint("PASS", kSgrGreen, false), "PASS");
  EXPECT_EQ(paint("", kSgrRed, true), "");
  EXPECT_EQ(paint("##", sgr_256(28), true), "\x1b[38;5;28m##\x1b[0m");
}

}  // namespace
}  // namespace strest

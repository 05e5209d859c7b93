#include "scenario/cookie_jar.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

std::string header_of(const CookieJar& jar) {
  std::string out;
  jar.append_header_value(out);
  return out;
}

TEST(CookieJar, StoresAndSendsInOrder) {
  CookieJar jar;
  EXPECT_TRUE(jar.empty());
  EXPECT_EQ(header_of(jar), "");
  jar.store("sid=abc; Path=/; HttpOnly");
  jar.store(" theme = dark ");
  jar.store("q=\"quoted\"; Secure");
  EXPECT_EQ(header_of(jar), "sid=abc; theme=dark; q=quoted");
}

TEST(CookieJar, ReplacesByName) {
  CookieJar jar;
  jar.store("sid=abc");
  jar.store("b=1");
  jar.store("sid=def; Max-Age=60");
  EXPECT_EQ(header_of(jar), "sid=def; b=1");
}

TEST(CookieJar, MaxAgeZeroAndPastExpiresDelete) {
  CookieJar jar;
  jar.store("a=1");
  jar.store("b=2");
  jar.store("c=3");
  jar.store("a=; Max-Age=0");
  jar.store("b=x; expires=Thu, 01 Jan 1970 00:00:00 GMT");
  jar.store("c=4; Expires=Fri, 01 Jan 2100 00:00:00 GMT");
  EXPECT_EQ(header_of(jar), "c=4");
  jar.store("c=5; Max-Age=-1");
  EXPECT_TRUE(jar.empty());
}

TEST(CookieJar, IgnoresMalformedAndClears) {
  CookieJar jar;
  jar.store("novalue");
  jar.store("=x");
  jar.store("");
  EXPECT_TRUE(jar.empty());
  jar.store("a=1");
  jar.clear();
  EXPECT_TRUE(jar.empty());
  EXPECT_EQ(header_of(jar), "");
}

}  // namespace
}  // namespace strest

#include "dist/token.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(TokenMatches, EqualTokensMatch) {
  EXPECT_TRUE(token_matches("secret", "secret"));
  EXPECT_TRUE(token_matches("", ""));
}

TEST(TokenMatches, AnyDifferenceRefuses) {
  EXPECT_FALSE(token_matches("secreT", "secret"));
  EXPECT_FALSE(token_matches("secret ", "secret"));
  EXPECT_FALSE(token_matches("secre", "secret"));
  EXPECT_FALSE(token_matches("", "secret"));
  EXPECT_FALSE(token_matches("secret", ""));
}

TEST(BearerToken, ReadsTheTokenOfABearerHeader) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer  abc "), "abc");
  EXPECT_EQ(bearer_token("Basic abc"), "");
  EXPECT_EQ(bearer_token("Bearer"), "");
}

}  // namespace
}  // namespace strest

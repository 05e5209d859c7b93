#include <gtest/gtest.h>

#include "engine/run_bounds.h"

namespace strest {
namespace {

TEST(ShareOf, SplitsEvenlyAndSumsToTotal) {
  for (uint64_t total : {0ull, 1ull, 7ull, 50ull, 1001ull}) {
    for (uint32_t parts : {1u, 2u, 3u, 8u}) {
      uint64_t sum = 0;
      for (uint32_t i = 0; i < parts; ++i) {
        const uint64_t share = share_of(total, parts, i);
        EXPECT_LE(share, total / parts + 1);
        EXPECT_GE(share, total / parts);
        sum += share;
      }
      EXPECT_EQ(sum, total) << total << "/" << parts;
    }
  }
}

}  // namespace
}  // namespace strest

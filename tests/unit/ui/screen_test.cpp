#include "ui/screen.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(Screen, PutWritesOneCellPerCodePointAndClipsAtTheEdge) {
  Screen screen(6, 2);
  EXPECT_EQ(screen.put(0, 2, "ab█cd"), 4);
  EXPECT_EQ(screen.line(0), "  ab█c");
  EXPECT_EQ(screen.glyph_at(0, 4), "█");
  EXPECT_EQ(screen.line(1), "");
}

TEST(Screen, MaxWidthStopsEarly) {
  Screen screen(10, 1);
  EXPECT_EQ(screen.put(0, 0, "abcdef", Style::kBold, 3), 3);
  EXPECT_EQ(screen.line(0), "abc");
  EXPECT_EQ(screen.style_at(0, 1), Style::kBold);
  EXPECT_EQ(screen.style_at(0, 4), Style::kNormal);
}

TEST(Screen, WritesOutsideAreIgnored) {
  Screen screen(3, 1);
  screen.set(-1, 0, "x", Style::kBad);
  screen.set(0, 3, "x", Style::kBad);
  screen.put(1, 0, "x");
  EXPECT_EQ(screen.text(), "");
}

TEST(Screen, ClearBlanksEveryCell) {
  Screen screen(3, 2);
  screen.put(0, 0, "abc", Style::kBad);
  screen.put(1, 0, "def");
  screen.clear();
  EXPECT_EQ(screen.text(), "\n");
  EXPECT_EQ(screen.style_at(0, 0), Style::kNormal);
}

TEST(Screen, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("←→▶"), 3);
  EXPECT_EQ(display_width(""), 0);
}

}  // namespace
}  // namespace strest

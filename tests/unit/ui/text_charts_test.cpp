#include "ui/text_charts.h"

#include <gtest/gtest.h>

#include <vector>

#include "ui/terminal.h"

namespace strest {
namespace {

TEST(TextCharts, ColumnsScaleToTheLargestValue) {
  Screen screen(4, 2);
  const std::vector<double> values = {0, 1, 2, 4};
  draw_columns(screen, Rect{0, 0, 2, 4}, values, 0, Style::kAccent);
  // 4 fills both rows; 2 fills the bottom row; 1 is half the bottom row; 0 draws nothing.
  EXPECT_EQ(screen.line(0), "   █");
  EXPECT_EQ(screen.line(1), " ▄██");
  EXPECT_EQ(screen.style_at(1, 3), Style::kAccent);
}

TEST(TextCharts, ColumnsShowTheLastValuesThatFit) {
  Screen screen(2, 1);
  const std::vector<double> values = {8, 8, 0, 8};
  draw_columns(screen, Rect{0, 0, 1, 2}, values, 8, Style::kAccent);
  EXPECT_EQ(screen.line(0), " █");
}

TEST(TextCharts, ATinyNonZeroValueStillShows) {
  Screen screen(2, 4);
  const std::vector<double> values = {1, 1000};
  draw_columns(screen, Rect{0, 0, 4, 2}, values, 0, Style::kAccent);
  EXPECT_EQ(screen.glyph_at(3, 0), "▁");
}

TEST(TextCharts, BrailleLineGoesFromBottomLeftToTopRight) {
  Screen screen(2, 1);
  const BrailleLine rising{.points = {0, 1}, .style = Style::kGood};
  draw_braille_lines(screen, Rect{0, 0, 1, 2}, std::span(&rising, 1), 0);
  // 4 dots across, 4 down: the diagonal sets the bottom-left and top-right dots.
  const std::string left(screen.glyph_at(0, 0));
  const std::string right(screen.glyph_at(0, 1));
  EXPECT_EQ(left, braille_glyph(0x40 | 0x20));   // (0,3) and (1,2)
  EXPECT_EQ(right, braille_glyph(0x02 | 0x08));  // (0,1)... and (1,0): the top right
  EXPECT_EQ(screen.style_at(0, 1), Style::kGood);
}

TEST(TextCharts, BrailleFlatLineAtZeroIsTheBottomRow) {
  Screen screen(3, 2);
  const BrailleLine flat{.points = {0, 0, 0}, .style = Style::kAccent};
  draw_braille_lines(screen, Rect{0, 0, 2, 3}, std::span(&flat, 1), 10);
  EXPECT_EQ(screen.line(0), "");
  EXPECT_EQ(screen.glyph_at(1, 0), braille_glyph(0x40 | 0x80));
  EXPECT_EQ(screen.glyph_at(1, 2), braille_glyph(0x40 | 0x80));
}

TEST(TextCharts, BrailleGlyphEncodesUtf8) {
  EXPECT_EQ(braille_glyph(0), "\u2800");
  EXPECT_EQ(braille_glyph(0xFF), "\u28FF");
}

TEST(TextCharts, MeterFillsInEighths) {
  Screen screen(4, 1);
  draw_meter(screen, 0, 0, 4, 0.5, Style::kAccent);
  EXPECT_EQ(screen.line(0), "██··");
  draw_meter(screen, 0, 0, 4, 0.5 + 1.0 / 32, Style::kAccent);
  EXPECT_EQ(screen.line(0), "██▏·");
  draw_meter(screen, 0, 0, 4, 2.0, Style::kAccent);
  EXPECT_EQ(screen.line(0), "████");
}

TEST(TextCharts, EveryDashboardGlyphHasAnAsciiStandIn) {
  for (const char* glyph : {"▁", "█", "▏", "─", "━", "▶", "‖", "·", "←", "→"}) {
    const std::string_view ascii = ascii_glyph(glyph);
    ASSERT_EQ(ascii.size(), 1u) << glyph;
    EXPECT_NE(ascii, "?") << glyph;
  }
  EXPECT_EQ(ascii_glyph(braille_glyph(0x41)), "*");
  EXPECT_EQ(ascii_glyph("a"), "a");
}

}  // namespace
}  // namespace strest

namespace strest {
namespace {

TEST(TextCharts, SlotsKeepColumnsAsWideAsAFullWindowWouldHaveThem) {
  Screen screen(8, 1);
  const std::vector<double> values = {8, 8};
  draw_columns(screen, Rect{0, 0, 1, 8}, values, 8, Style::kAccent, 4);
  EXPECT_EQ(screen.line(0), "████");  // two 2-cell slots of four, the rest still empty
  screen.clear();
  draw_columns(screen, Rect{0, 0, 1, 8}, values, 8, Style::kAccent);
  EXPECT_EQ(screen.line(0), "███ ███");  // without slots, two values share the width
}

TEST(TextCharts, SlotsPlaceBraillePointsFromTheLeft) {
  Screen screen(4, 1);
  const BrailleLine two{.points = {1, 1}, .style = Style::kAccent};
  draw_braille_lines(screen, Rect{0, 0, 1, 4}, std::span(&two, 1), 1, 4);
  // 8 dots across, 4 slots: the points sit at dots 0 and 2 (cells 0 and 1), not at the end.
  EXPECT_NE(screen.glyph_at(0, 0), " ");
  EXPECT_NE(screen.glyph_at(0, 1), " ");
  EXPECT_EQ(screen.glyph_at(0, 3), " ");
}

}  // namespace
}  // namespace strest

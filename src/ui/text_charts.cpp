#include "ui/text_charts.h"

#include <algorithm>
#include <cmath>

namespace strest {

namespace {

// ▁▂▃▄▅▆▇█: a column's top cell shows eighths of a cell.
constexpr const char* kEighthsUp[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
// ▏▎▍▌▋▊▉█: a meter's last cell.
constexpr const char* kEighthsRight[] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

double largest(std::span<const double> values) {
  double max = 0;
  for (double value : values) max = std::max(max, value);
  return max;
}

// Braille dot bit for the dot at (x, y) of a cell, x in 0..1, y in 0..3 (top to bottom).
unsigned dot_bit(int x, int y) {
  static constexpr unsigned kBits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
  return kBits[x][y];
}

}  // namespace

std::string braille_glyph(unsigned bits) {
  const unsigned code = 0x2800 + (bits & 0xFF);
  std::string out;
  out += static_cast<char>(0xE0 | (code >> 12));
  out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (code & 0x3F));
  return out;
}

void draw_columns(Screen& screen, const Rect& rect, std::span<const double> values, double max,
                  Style style, size_t slots) {
  if (rect.width <= 0 || rect.height <= 0 || values.empty()) return;
  const size_t shown = std::min(values.size(), static_cast<size_t>(rect.width));
  values = values.last(shown);
  const size_t columns = std::min(std::max(slots, shown), static_cast<size_t>(rect.width));
  const int column_width = std::max(1, rect.width / static_cast<int>(columns));
  if (max <= 0) max = largest(values);
  if (max <= 0) return;
  for (size_t i = 0; i < shown; ++i) {
    const double fraction = std::clamp(values[i] / max, 0.0, 1.0);
    int eighths = static_cast<int>(std::lround(fraction * rect.height * 8));
    if (values[i] > 0 && eighths == 0) eighths = 1;  // something happened: show it
    const int col = rect.col + static_cast<int>(i) * column_width;
    for (int row = rect.height - 1; row >= 0 && eighths > 0; --row) {
      const int here = std::min(eighths, 8);
      // Columns wider than one cell leave a gap so neighbours stay apart.
      const int drawn = column_width > 2 ? column_width - 1 : column_width;
      for (int dx = 0; dx < drawn; ++dx) {
        screen.set(rect.row + row, col + dx, kEighthsUp[here], style);
      }
      eighths -= here;
    }
  }
}

void draw_braille_lines(Screen& screen, const Rect& rect, std::span<const BrailleLine> lines,
                        double max, size_t slots) {
  if (rect.width <= 0 || rect.height <= 0) return;
  for (const BrailleLine& line : lines) slots = std::max(slots, line.points.size());
  if (max <= 0) {
    for (const BrailleLine& line : lines) max = std::max(max, largest(line.points));
  }
  if (max <= 0) return;
  const int dots_x = rect.width * 2;
  const int dots_y = rect.height * 4;
  std::vector<unsigned> bits(static_cast<size_t>(rect.width * rect.height), 0);
  std::vector<Style> styles(bits.size(), Style::kNormal);
  auto plot = [&](int x, int y, Style style) {
    if (x < 0 || x >= dots_x || y < 0 || y >= dots_y) return;
    const auto cell = static_cast<size_t>((y / 4) * rect.width + x / 2);
    bits[cell] |= dot_bit(x % 2, y % 4);
    styles[cell] = style;
  };
  for (const BrailleLine& line : lines) {
    const size_t n = line.points.size();
    if (n == 0) continue;
    auto y_of = [&](double value) {
      const double fraction = std::clamp(value / max, 0.0, 1.0);
      return dots_y - 1 - static_cast<int>(std::lround(fraction * (dots_y - 1)));
    };
    auto x_of = [&](size_t i) {
      return slots <= 1 ? 0
                        : static_cast<int>(std::lround(static_cast<double>(i) * (dots_x - 1) /
                                                       static_cast<double>(slots - 1)));
    };
    for (size_t i = 0; i < n; ++i) {
      const int x0 = x_of(i), y0 = y_of(line.points[i]);
      if (i + 1 == n) {
        plot(x0, y0, line.style);
        break;
      }
      const int x1 = x_of(i + 1), y1 = y_of(line.points[i + 1]);
      const int steps = std::max({std::abs(x1 - x0), std::abs(y1 - y0), 1});
      for (int s = 0; s <= steps; ++s) {
        plot(x0 + (x1 - x0) * s / steps, y0 + (y1 - y0) * s / steps, line.style);
      }
    }
  }
  for (int row = 0; row < rect.height; ++row) {
    for (int col = 0; col < rect.width; ++col) {
      const auto cell = static_cast<size_t>(row * rect.width + col);
      if (bits[cell] != 0) {
        screen.set(rect.row + row, rect.col + col, braille_glyph(bits[cell]), styles[cell]);
      }
    }
  }
}

void draw_meter(Screen& screen, int row, int col, int width, double fraction, Style style) {
  if (width <= 0) return;
  int eighths = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width * 8));
  for (int i = 0; i < width; ++i) {
    const int here = std::min(eighths, 8);
    screen.set(row, col + i, here > 0 ? kEighthsRight[here] : "·", here > 0 ? style : Style::kDim);
    eighths -= here;
    if (eighths < 0) eighths = 0;
  }
}

}  // namespace strest

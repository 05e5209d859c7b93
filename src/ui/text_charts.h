#pragma once
// Charts drawn with text: columns of block characters (▁..█), lines of braille dots (2x4 dots
// a cell, so a 60-cell chart has 120 points across) and horizontal meters. They draw into a
// Screen and know nothing of the terminal.
#include <span>
#include <string>
#include <vector>

#include "ui/screen.h"

namespace strest {

// One line of a braille chart: its points, left to right, spread over the chart's width.
struct BrailleLine {
  std::vector<double> points;
  Style style = Style::kAccent;
};

// Columns of `values`, the last ones when there are more than fit, scaled so `max` fills the
// rect's height (the largest value when max <= 0). The rect is split into `slots` columns (at
// least one per value), so a window that is still filling keeps its columns' width.
void draw_columns(Screen& screen, const Rect& rect, std::span<const double> values, double max,
                  Style style, size_t slots = 0);

// Lines in braille dots, scaled so `max` is the top row (the largest point when max <= 0).
// Point i sits at i / (slots - 1) of the width (slots: the longest line when smaller), so lines
// of a window that is still filling start at the left. Where lines cross, the later line's
// style colours the cell.
void draw_braille_lines(Screen& screen, const Rect& rect, std::span<const BrailleLine> lines,
                        double max, size_t slots = 0);

// A horizontal meter `width` cells wide, filled to `fraction` (clamped to [0, 1]) with eighths.
void draw_meter(Screen& screen, int row, int col, int width, double fraction, Style style);

// The braille character with the given dot bits (bit 0 = top-left dot, Unicode order).
std::string braille_glyph(unsigned bits);

}  // namespace strest

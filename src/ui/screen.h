#pragma once
// Screen: an in-memory grid of terminal cells that the dashboard draws into. The terminal
// backend copies it to the real terminal; tests read it back as text, so every layout and chart
// is tested without a terminal.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strest {

// What a cell looks like; the backend maps styles to colours (none under NO_COLOR).
enum class Style : uint8_t {
  kNormal,
  kDim,     // labels, axes, hints
  kBold,    // values that matter, titles
  kGood,    // ok, pass
  kBad,     // errors, fail
  kWarn,    // timeouts, late starts, marks
  kAccent,  // chart lines, the progress bar
  kCount,
};

// A rectangle of the screen: top-left corner, size in cells.
struct Rect {
  int row = 0;
  int col = 0;
  int height = 0;
  int width = 0;
};

class Screen {
 public:
  Screen(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }

  // Blanks every cell.
  void clear();
  // Writes UTF-8 text from (row, col), one cell per code point (the dashboard only uses
  // single-width characters), clipped at the right edge and at `max_width` cells when given.
  // Returns the number of cells written.
  int put(int row, int col, std::string_view text, Style style = Style::kNormal,
          int max_width = -1);
  // One cell; `glyph` is one UTF-8 code point.
  void set(int row, int col, std::string_view glyph, Style style);

  // A row as UTF-8 text with trailing blanks removed (for tests and dumps).
  std::string line(int row) const;
  // Every row, joined with '\n'.
  std::string text() const;
  std::string_view glyph_at(int row, int col) const;
  Style style_at(int row, int col) const;

 private:
  struct Cell {
    char glyph[5] = {' ', 0, 0, 0, 0};  // one UTF-8 code point, NUL-terminated
    Style style = Style::kNormal;
  };
  bool inside(int row, int col) const {
    return row >= 0 && row < height_ && col >= 0 && col < width_;
  }
  int width_;
  int height_;
  std::vector<Cell> cells_;
};

// Length in bytes of the UTF-8 code point starting with `lead`.
int utf8_length(unsigned char lead);
// Number of code points (cells) in UTF-8 text.
int display_width(std::string_view text);

}  // namespace strest

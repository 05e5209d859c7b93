#include "ui/screen.h"

#include <algorithm>

namespace strest {

int utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;  // a stray continuation byte counts as one cell rather than eating text
}

int display_width(std::string_view text) {
  int cells = 0;
  for (size_t i = 0; i < text.size(); i += static_cast<size_t>(utf8_length(text[i]))) ++cells;
  return cells;
}

Screen::Screen(int width, int height)
    : width_(std::max(width, 0)),
      height_(std::max(height, 0)),
      cells_(static_cast<size_t>(width_) * static_cast<size_t>(height_)) {}

void Screen::clear() { std::fill(cells_.begin(), cells_.end(), Cell{}); }

void Screen::set(int row, int col, std::string_view glyph, Style style) {
  if (!inside(row, col)) return;
  Cell& cell =
      cells_[static_cast<size_t>(row) * static_cast<size_t>(width_) + static_cast<size_t>(col)];
  const size_t size = std::min<size_t>(glyph.size(), 4);
  std::copy_n(glyph.data(), size, cell.glyph);
  cell.glyph[size] = '\0';
  if (size == 0) cell.glyph[0] = ' ';
  cell.style = style;
}

int Screen::put(int row, int col, std::string_view text, Style style, int max_width) {
  int written = 0;
  for (size_t i = 0; i < text.size();) {
    const auto length = std::min(static_cast<size_t>(utf8_length(text[i])), text.size() - i);
    if (col + written >= width_ || (max_width >= 0 && written >= max_width)) break;
    set(row, col + written, text.substr(i, length), style);
    ++written;
    i += length;
  }
  return written;
}

std::string Screen::line(int row) const {
  std::string out;
  if (row < 0 || row >= height_) return out;
  for (int col = 0; col < width_; ++col) out += glyph_at(row, col);
  const auto end = out.find_last_not_of(' ');
  out.resize(end == std::string::npos ? 0 : end + 1);
  return out;
}

std::string Screen::text() const {
  std::string out;
  for (int row = 0; row < height_; ++row) {
    if (row > 0) out += '\n';
    out += line(row);
  }
  return out;
}

std::string_view Screen::glyph_at(int row, int col) const {
  if (!inside(row, col)) return {};
  return cells_[static_cast<size_t>(row) * static_cast<size_t>(width_) + static_cast<size_t>(col)]
      .glyph;
}

Style Screen::style_at(int row, int col) const {
  if (!inside(row, col)) return Style::kNormal;
  return cells_[static_cast<size_t>(row) * static_cast<size_t>(width_) + static_cast<size_t>(col)]
      .style;
}

}  // namespace strest

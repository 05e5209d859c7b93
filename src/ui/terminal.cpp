#include "ui/terminal.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <cstring>

#include "ui/restore_terminal.h"

namespace strest {

namespace {

// Colour pair per Style (0: the terminal's default).
short pair_of(Style style) {
  switch (style) {
    case Style::kGood:
      return 1;
    case Style::kBad:
      return 2;
    case Style::kWarn:
      return 3;
    case Style::kAccent:
      return 4;
    default:
      return 0;
  }
}

attr_t attributes_of(Style style, bool color) {
  attr_t attributes = A_NORMAL;
  if (style == Style::kBold) attributes |= A_BOLD;
  if (style == Style::kDim) attributes |= A_DIM;
  if (color && pair_of(style) != 0) attributes |= COLOR_PAIR(pair_of(style));
  // Without colour, the styles that carry meaning stay apart by weight.
  if (!color && (style == Style::kBad || style == Style::kWarn)) attributes |= A_BOLD;
  return attributes;
}

bool locale_is_utf8() {
  const char* codeset = nl_langinfo(CODESET);
  return codeset != nullptr && std::strcmp(codeset, "UTF-8") == 0;
}

bool color_wanted() {
  const char* no_color = std::getenv("NO_COLOR");
  return no_color == nullptr || no_color[0] == '\0';
}

}  // namespace

bool is_interactive_terminal() { return isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1; }

std::string_view ascii_glyph(std::string_view glyph) {
  if (glyph.empty() || static_cast<unsigned char>(glyph[0]) < 0x80) return glyph;
  // Braille dots (U+2800..U+28FF): E2 A0..A3 xx.
  if (glyph.size() == 3 && static_cast<unsigned char>(glyph[0]) == 0xE2 &&
      static_cast<unsigned char>(glyph[1]) >= 0xA0 &&
      static_cast<unsigned char>(glyph[1]) <= 0xA3) {
    return "*";
  }
  static constexpr std::pair<std::string_view, std::string_view> kMap[] = {
      {"▁", "_"}, {"▂", "_"}, {"▃", "="}, {"▄", "="}, {"▅", "#"}, {"▆", "#"},
      {"▇", "#"}, {"█", "#"}, {"▏", "#"}, {"▎", "#"}, {"▍", "#"}, {"▌", "#"},
      {"▋", "#"}, {"▊", "#"}, {"▉", "#"}, {"─", "-"}, {"━", "="}, {"▶", ">"},
      {"‖", "|"}, {"·", "."}, {"←", "<"}, {"→", ">"}};
  for (const auto& [from, to] : kMap) {
    if (glyph == from) return to;
  }
  return "?";
}

std::unique_ptr<Terminal> Terminal::open() {
  if (!is_interactive_terminal()) return nullptr;
  std::setlocale(LC_ALL, "");
  const bool unicode = locale_is_utf8();
  save_terminal_state();
  if (initscr() == nullptr) return nullptr;
  install_terminal_restore([] { endwin(); });
  cbreak();  // keys arrive at once; Ctrl+C still raises SIGINT, which ends the run cleanly
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  const bool color = color_wanted() && has_colors() == TRUE;
  if (color) {
    start_color();
    use_default_colors();
    init_pair(1, COLOR_GREEN, -1);
    init_pair(2, COLOR_RED, -1);
    init_pair(3, COLOR_YELLOW, -1);
    init_pair(4, COLOR_CYAN, -1);
  }
  return std::unique_ptr<Terminal>(new Terminal(color, unicode));
}

Terminal::Terminal(bool color, bool unicode) : color_(color), unicode_(unicode) {}

Terminal::~Terminal() {
  endwin();
  clear_terminal_restore();
}

int Terminal::width() const { return COLS; }
int Terminal::height() const { return LINES; }

void Terminal::draw(const Screen& screen) {
  const int rows = std::min(screen.height(), LINES);
  const int cols = std::min(screen.width(), COLS);
  for (int row = 0; row < rows; ++row) {
    move(row, 0);
    for (int col = 0; col < cols; ++col) {
      // The last cell of the last row would scroll some terminals: leave it.
      if (row == LINES - 1 && col == COLS - 1) break;
      const Style style = screen.style_at(row, col);
      std::string_view glyph = screen.glyph_at(row, col);
      if (!unicode_) glyph = ascii_glyph(glyph);
      attrset(attributes_of(style, color_));
      addnstr(glyph.data(), static_cast<int>(glyph.size()));
    }
  }
  attrset(A_NORMAL);
  refresh();
}

Key Terminal::read_key(int timeout_ms) {
  timeout(timeout_ms);
  const int key = getch();
  switch (key) {
    case ERR:
      return Key::kNone;
    case 'q':
    case 'Q':
      return Key::kQuit;
    case '?':
    case 'h':
      return Key::kHelp;
    case ' ':
      return Key::kPlayPause;
    case KEY_LEFT:
      return Key::kSeekBack;
    case KEY_RIGHT:
      return Key::kSeekForward;
    case 'r':
      return Key::kRestart;
    case 's':
      return Key::kMarkStart;
    case 'e':
      return Key::kMarkEnd;
    case 'w':
      return Key::kWriteSnapshot;
    case KEY_RESIZE:
      // The terminal may have wiped what curses believes is on it: repaint every cell.
      clearok(curscr, TRUE);
      return Key::kResize;
    default:
      return Key::kOther;
  }
}

}  // namespace strest

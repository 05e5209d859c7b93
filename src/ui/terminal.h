#pragma once
// Terminal: the ncurses backend of the TUI. It takes the terminal over (alternate screen, keys
// unbuffered, no echo), copies a Screen to it, reads keys, and gives the terminal back as it
// found it: on destruction, at exit, and from crash signals (SIGSEGV, SIGABRT, ...). The curses
// headers stay inside terminal.cpp: their macros break other headers.
#include <memory>
#include <string_view>

#include "ui/screen.h"

namespace strest {

enum class Key {
  kNone,  // no key within the wait
  kQuit,  // q, Q
  kHelp,  // ?
  kPlayPause,
  kSeekBack,
  kSeekForward,
  kRestart,
  kMarkStart,
  kMarkEnd,
  kWriteSnapshot,
  kResize,  // the terminal changed size
  kOther,
};

class Terminal {
 public:
  // Takes over the terminal when stdin and stdout are one; nullptr otherwise (or when curses
  // cannot start, e.g. TERM unknown).
  static std::unique_ptr<Terminal> open();
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  int width() const;
  int height() const;
  // Shows `screen` (curses sends only the cells that changed).
  void draw(const Screen& screen);
  // Waits up to `timeout_ms` for a key.
  Key read_key(int timeout_ms);

 private:
  Terminal(bool color, bool unicode);
  bool color_;
  bool unicode_;
};

// True when stdin and stdout are both terminals (the TUI's condition).
bool is_interactive_terminal();

// What a dashboard glyph becomes on a terminal without UTF-8 (ASCII only).
std::string_view ascii_glyph(std::string_view glyph);

}  // namespace strest

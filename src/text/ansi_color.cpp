#include "text/ansi_color.h"

namespace strest {

std::string paint(std::string_view text, std::string_view sgr, bool on) {
  if (!on || text.empty()) return std::string(text);
  return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
}

std::string sgr_256(int index) { return "38;5;" + std::to_string(index); }

}  // namespace strest

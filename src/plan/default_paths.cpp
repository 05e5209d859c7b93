#include "plan/default_paths.h"

#include <cstdlib>

namespace strest {

std::string default_folder(std::string_view tilde_path) {
  const char* home = std::getenv("HOME");
  const std::string base = home != nullptr && home[0] != '\0' ? home : ".";
  return base + std::string(tilde_path.substr(1));
}

}  // namespace strest

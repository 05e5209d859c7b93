#pragma once
// ASCII tests for names and addresses users type: header and metric names compare without case
// (the protocol or the user says case does not matter); URLs and listen addresses hold visible
// characters only. Not locale-aware on purpose: these names are ASCII.
#include <algorithm>
#include <string_view>

namespace strest {

// True when a and b are equal once ASCII letters are lower-cased ("Content-Type", "content-type").
constexpr bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Printable ASCII without spaces: what URLs, demo paths and listen addresses may hold.
constexpr bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace strest

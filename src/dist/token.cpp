#include "dist/token.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

namespace strest {

bool token_matches(std::string_view given, std::string_view expected) {
  // The lengths are compared last, and the bytes over the expected length either way, so a
  // wrong length costs as much as a wrong byte.
  unsigned char differ = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    differ |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
  }
  const bool same_bytes = CRYPTO_memcmp(&differ, "\0", 1) == 0;
  return same_bytes && given.size() == expected.size();
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() < kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace strest

#pragma once
// The address a server listens on, as users write it: HOST:PORT, with IPv6 hosts in brackets
// ("[::1]:9000") and port 0 for any free port.
#include <cstdint>
#include <string>
#include <string_view>

#include "plan/result.h"

namespace strest {

struct ListenAddress {
  std::string host;  // brackets of an IPv6 host removed
  uint16_t port = 0;
};

// Parses HOST:PORT; the error says what is expected and quotes the text.
Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace strest

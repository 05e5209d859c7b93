#pragma once
// A resolved socket address, looked up once before the run so that no worker resolves names
// on the hot path.
#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "plan/result.h"

namespace strest {

struct Endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;
  std::string text;  // "127.0.0.1:8080" / "[::1]:8080", for messages
};

// Resolves host:port (IPv4 or IPv6, first address returned by getaddrinfo).
Result<Endpoint> resolve_endpoint(const std::string& host, uint16_t port);

}  // namespace strest

#pragma once
// The HTTP CONNECT handshake with a forward proxy (--proxy for https:// targets): the request
// bytes, and reading the proxy's answer before the tunnel carries TLS.
#include <string>
#include <string_view>

namespace strest {

// "CONNECT host:port HTTP/1.1" with Host and, when given, Proxy-Authorization.
std::string build_connect_request(std::string_view authority, std::string_view authorization);

struct ConnectReply {
  enum class State { kIncomplete, kEstablished, kRefused, kMalformed };
  State state = State::kIncomplete;
  size_t head_size = 0;     // bytes of the reply head (through the blank line)
  std::string status_line;  // "HTTP/1.1 407 Proxy Authentication Required", for the summary
};

// Reads the proxy's reply head from the bytes received so far: any 2xx establishes the tunnel.
ConnectReply parse_connect_reply(std::string_view received);

}  // namespace strest

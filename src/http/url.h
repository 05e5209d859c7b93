#pragma once
// Target URLs: http://host[:port][/path][?query]. https:// is parsed too so that later
// transports can use it, but the HTTP/1.1 cleartext engine refuses it at plan time.
#include <cstdint>
#include <string>
#include <string_view>

#include "plan/result.h"

namespace strest {

struct Url {
  std::string scheme;       // "http" or "https", lower case
  std::string host;         // without brackets for IPv6 literals
  uint16_t port = 0;        // explicit or the scheme's default
  std::string target;       // origin-form request target: path plus query, at least "/"
  std::string host_header;  // value for the Host header (host[:port] as the user wrote it)

  std::string to_string() const;
};

// Parses an absolute http(s) URL; the error names what is wrong with it.
Result<Url> parse_url(std::string_view text);

}  // namespace strest

#pragma once
// Target URLs: http(s)://host[:port][/path][?query], parsed from the user's input into the Plan
// (like durations and proxy URLs). It lives in plan/, not http/, because the Plan holds one:
// http/ builds requests from a Plan, so plan/ must not depend on http/.
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

#include "net/listen_address.h"

#include <charconv>

#include "text/ascii.h"

namespace strest {

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const Error invalid{"expected HOST:PORT such as 127.0.0.1:8080 (got '" + std::string(text) +
                      "')"};
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || !is_visible_ascii(text)) return invalid;
  const std::string_view port = text.substr(colon + 1);
  ListenAddress address;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (port.empty() || port.size() > 5 || error != std::errc() || end != port.data() + port.size()) {
    return invalid;
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  address.host = std::string(host);
  return address;
}

}  // namespace strest

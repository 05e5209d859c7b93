#include "plan/url.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "plan/one_line.h"

namespace strest {
namespace {

// Host and optional explicit port, split out of the authority.
struct Authority {
  std::string host;
  std::optional<uint16_t> port;
};

uint16_t default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

std::string to_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Registered names, IPv4 literals and (percent-free) unreserved characters.
bool is_host_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// Inside brackets: hex groups, ':' and '.', plus a zone id after '%' (fe80::1%25eth0).
bool is_ipv6_char(char c) { return is_alnum(c) || c == ':' || c == '.' || c == '%' || c == '-'; }

// A request target may hold any visible ASCII; spaces, controls and raw UTF-8 must be escaped.
bool is_target_char(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte > 0x20 && byte < 0x7f;
}

Result<uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return Error{"empty port after ':'"};
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error{"port '" + std::string(text) + "' is not a number"};
  }
  uint32_t port = 0;
  for (char c : text) {
    port = port * 10 + static_cast<uint32_t>(c - '0');
    if (port > 65535) break;
  }
  if (port == 0 || port > 65535) {
    return Error{"port " + std::string(text) + " is out of range (1-65535)"};
  }
  return static_cast<uint16_t>(port);
}

Result<Authority> parse_bracketed(std::string_view text) {
  auto close = text.find(']');
  if (close == std::string_view::npos) return Error{"IPv6 address is missing its closing ']'"};
  std::string_view host = text.substr(1, close - 1);
  if (host.find(':') == std::string_view::npos ||
      !std::all_of(host.begin(), host.end(), is_ipv6_char)) {
    return Error{"'" + std::string(host) + "' is not an IPv6 address"};
  }
  Authority authority{std::string(host), std::nullopt};
  std::string_view rest = text.substr(close + 1);
  if (rest.empty()) return authority;
  if (rest.front() != ':') return Error{"unexpected text after ']': use [addr]:port"};
  auto port = parse_port(rest.substr(1));
  if (!port) return Error{port.error()};
  authority.port = *port;
  return authority;
}

Result<Authority> parse_authority(std::string_view text) {
  if (text.find('@') != std::string_view::npos) {
    return Error{"user info (user:password@) is not supported; send credentials with -H"};
  }
  if (text.empty()) return Error{"no host"};
  if (text.front() == '[') return parse_bracketed(text);
  auto colon = text.find(':');
  std::string_view host = text.substr(0, colon);
  if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
    return Error{"IPv6 addresses must be in brackets, e.g. http://[::1]:8080/"};
  }
  if (host.empty()) return Error{"no host"};
  if (!std::all_of(host.begin(), host.end(), is_host_char)) {
    return Error{"'" + std::string(host) + "' is not a valid host name"};
  }
  Authority authority{std::string(host), std::nullopt};
  if (colon == std::string_view::npos) return authority;
  auto port = parse_port(text.substr(colon + 1));
  if (!port) return Error{port.error()};
  authority.port = *port;
  return authority;
}

// Path and query as sent on the request line; the fragment never leaves the client.
Result<std::string> parse_target(std::string_view text) {
  text = text.substr(0, text.find('#'));
  if (!std::all_of(text.begin(), text.end(), is_target_char)) {
    return Error{"the path contains a space, control or non-ASCII character; percent-encode it"};
  }
  if (text.empty() || text.front() != '/') return "/" + std::string(text);
  return std::string(text);
}

Result<Url> parse_parts(std::string_view text) {
  auto separator = text.find("://");
  if (separator == std::string_view::npos) {
    return Error{"missing scheme: write it as http://host[:port]/path"};
  }
  Url url;
  url.scheme = to_lower(text.substr(0, separator));
  if (url.scheme != "http" && url.scheme != "https") {
    return Error{"unsupported scheme '" + url.scheme + "': use http:// or https://"};
  }
  std::string_view rest = text.substr(separator + 3);
  auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority_text = rest.substr(0, authority_end);
  auto authority = parse_authority(authority_text);
  if (!authority) return Error{authority.error()};
  auto target = parse_target(rest.substr(authority_end));
  if (!target) return Error{target.error()};
  url.host = std::move(authority->host);
  url.port = authority->port.value_or(default_port(url.scheme));
  url.target = std::move(*target);
  url.host_header = std::string(authority_text);
  return url;
}

}  // namespace

std::string Url::to_string() const {
  std::string text = scheme + "://";
  text += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) text += ":" + std::to_string(port);
  return text + (target.empty() ? "/" : target);
}

Result<Url> parse_url(std::string_view text) {
  if (text.empty()) return Error{"empty URL"};
  auto url = parse_parts(text);
  if (!url) return Error{one_line("invalid URL '" + std::string(text) + "': " + url.error())};
  return url;
}

}  // namespace strest

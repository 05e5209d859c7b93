#include "plan/proxy_url.h"

#include <string>

#include "plan/url.h"

namespace strest {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) return Error{"bad percent escape in the proxy's user or password"};
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

Result<ProxyPlan> parse_proxy_url(std::string_view text) {
  constexpr std::string_view kScheme = "http://";
  if (text.substr(0, kScheme.size()) != kScheme) {
    return Error{"'" + std::string(text) +
                 "' is not an http:// proxy URL: use http://[user:pass@]host:port"};
  }
  std::string_view rest = text.substr(kScheme.size());
  ProxyPlan proxy;
  const size_t at = rest.substr(0, rest.find('/')).rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = rest.substr(0, at);
    const size_t colon = user_info.find(':');
    auto user = percent_decode(user_info.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? std::string_view()
                                                                   : user_info.substr(colon + 1));
    if (!user) return Error{user.error()};
    if (!password) return Error{password.error()};
    proxy.user = std::move(*user);
    proxy.password = std::move(*password);
    rest = rest.substr(at + 1);
  }
  auto url = parse_url(std::string(kScheme) + std::string(rest));
  if (!url) return Error{url.error()};
  if (url->target != "/") return Error{"a proxy URL has no path: use http://host:port"};
  proxy.host = url->host;
  proxy.port = url->port;
  proxy.text = url->to_string();
  return proxy;
}

}  // namespace strest

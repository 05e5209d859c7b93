#include "scenario/cookie_jar.h"

#include <algorithm>
#include <ctime>
#include <string>

#include "text/ascii.h"

namespace strest {
namespace {

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when an Expires date (RFC 1123, "Wed, 21 Oct 2015 07:28:00 GMT") is in the past; a date
// that does not parse is ignored, as browsers do.
bool expired(std::string_view date) {
  std::tm parts{};
  const std::string text(date);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &parts);
  if (end == nullptr) return false;
  return timegm(&parts) <= std::time(nullptr);
}

// True when the attributes after the value ask to delete the cookie now.
bool deletes(std::string_view attributes) {
  while (!attributes.empty()) {
    size_t semicolon = attributes.find(';');
    std::string_view attribute = trim_ows(attributes.substr(0, semicolon));
    attributes = semicolon == std::string_view::npos ? "" : attributes.substr(semicolon + 1);
    size_t equals = attribute.find('=');
    std::string_view name = trim_ows(attribute.substr(0, equals));
    std::string_view value =
        equals == std::string_view::npos ? "" : trim_ows(attribute.substr(equals + 1));
    if (same_name(name, "max-age") && !value.empty()) {
      // Max-Age=0 or a negative Max-Age deletes (RFC 6265 5.2.2).
      if (value.front() == '-' || value.find_first_not_of('0') == std::string_view::npos) {
        return true;
      }
    } else if (same_name(name, "expires") && expired(value)) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CookieJar::store(std::string_view set_cookie) {
  size_t semicolon = set_cookie.find(';');
  std::string_view pair = set_cookie.substr(0, semicolon);
  std::string_view attributes =
      semicolon == std::string_view::npos ? "" : set_cookie.substr(semicolon + 1);
  size_t equals = pair.find('=');
  if (equals == std::string_view::npos) return;  // no name=value: ignored (RFC 6265 5.2)
  std::string_view name = trim_ows(pair.substr(0, equals));
  std::string_view value = trim_ows(pair.substr(equals + 1));
  if (name.empty()) return;
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  auto it = std::find_if(cookies_.begin(), cookies_.end(),
                         [name](const auto& cookie) { return cookie.first == name; });
  if (deletes(attributes)) {
    if (it != cookies_.end()) cookies_.erase(it);
    return;
  }
  if (it != cookies_.end()) {
    it->second.assign(value);
  } else {
    cookies_.emplace_back(std::string(name), std::string(value));
  }
}

void CookieJar::append_header_value(std::string& out) const {
  for (size_t i = 0; i < cookies_.size(); ++i) {
    if (i > 0) out += "; ";
    out += cookies_[i].first;
    out += '=';
    out += cookies_[i].second;
  }
}

}  // namespace strest

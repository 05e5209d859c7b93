#pragma once
// The cookies of one scenario iteration: what Set-Cookie gave, sent back on its later steps.
// An iteration talks to one origin, so domain and path attributes are not matched; Max-Age=0 or
// an Expires in the past deletes a cookie. Cleared when the next iteration starts.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strest {

class CookieJar {
 public:
  // A Set-Cookie header's value ("sid=abc; Path=/; HttpOnly").
  void store(std::string_view set_cookie);
  // Appends "a=1; b=2" (the Cookie header's value); nothing when empty().
  void append_header_value(std::string& out) const;
  bool empty() const { return cookies_.empty(); }
  void clear() { cookies_.clear(); }  // keeps capacity for the next iteration

 private:
  std::vector<std::pair<std::string, std::string>> cookies_;
};

}  // namespace strest

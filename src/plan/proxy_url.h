#pragma once
// --proxy URLs: http://[user[:password]@]host[:port], credentials percent-decoded.
#include <string_view>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// The error says what is wrong, without the flag name (the caller adds it).
Result<ProxyPlan> parse_proxy_url(std::string_view text);

}  // namespace strest

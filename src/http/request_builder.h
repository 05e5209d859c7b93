#pragma once
// Request bytes are built once, before the run: one complete HTTP/1.1 request per body variant
// (one, or one per line with --data-lines). Workers only send these bytes.
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace strest {

// The default User-Agent, "strest-loadtest/<version>".
std::string default_user_agent();

// The request for each body (a single bodiless request when the plan has no body).
std::vector<std::string> build_requests(const Plan& plan);

// Whether the plan's method gets a response without a body (HEAD).
bool is_head_request(const Plan& plan);

}  // namespace strest

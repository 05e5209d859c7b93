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

// One request's bytes. With --request-id-header, `id_at` is where the id's digits go: the
// bytes are copied around them into a per-connection buffer, never re-built.
struct RequestTemplate {
  std::string bytes;
  size_t id_at = std::string::npos;

  bool has_id() const { return id_at != std::string::npos; }
  // The request carrying `id`, written into `out` (its capacity is reused: no allocation once
  // it has grown to size).
  void fill(uint64_t id, std::string& out) const;
};

// The request for each body (a single bodiless request when the plan has no body).
std::vector<RequestTemplate> build_requests(const Plan& plan);

// Whether the plan's method gets a response without a body (HEAD).
bool is_head_request(const Plan& plan);

}  // namespace strest

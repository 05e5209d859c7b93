#pragma once
// The demo target's scenario routes: a small "shop" with a login, a token, a session cookie and
// pages that need them, so multi-step scenarios (extract, cookies, asserts) have something to
// talk to. State stays bounded: tokens and sessions are checked by hash (scenario_auth.h).
//
//   /health       200 "ok"
//   /login        POST {"user": "name"} -> 200 {"token": "tok-<user>-<n>-<check>", "user": ...}
//                 and "Set-Cookie: session=<id>; Path=/; HttpOnly"; a missing or bad body or
//                 user name ([A-Za-z0-9_.@-], 1..64) is 400; another method is 405
//   /profile      200 {"user": ..., "via": "token"|"session"} with "Authorization: Bearer <token>"
//                 of this process or its session cookie, else 401
//   /search       200 {"q": <q>, "results": [...]}: three results echoing the decoded ?q=, none
//                 without q
//   /items/{id}   200 {"id": id} for a decimal id, else 404
//   /checkout     POST: 200 {"order": "ord-<n>", "user": ...} with a valid token AND the session
//                 cookie of the same login; 401 without a valid token, 403 without that
//                 cookie; another method is 405
// Responses other than /health are application/json (errors: {"error": "..."}).
#include <string>

#include "demo_target/target_routes.h"

namespace strest {

// Appends the answer if `request` is for a scenario route, setting `route.counter`; false
// (nothing appended) for any other path.
bool route_scenario(const TargetRequest& request, std::string& out, TargetRoute& route);

// The decoded form of a query parameter's value (%XX and '+'), or empty when absent.
std::string query_parameter(std::string_view query, std::string_view name);

}  // namespace strest

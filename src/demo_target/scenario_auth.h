#pragma once
// Login tokens and session ids for the demo target's scenario routes, checkable without
// remembering them: each carries the user, a login number and a keyed hash of both under a
// per-process random secret, so a long run issues millions without growing memory. The hash is
// a fast mix, not cryptography: it only tells a token this process issued from a typo or a
// token from another iteration's data.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strest {

// Longest user name /login accepts.
inline constexpr size_t kMaxLoginUser = 64;

// Who a valid token or session id belongs to.
struct LoginIdentity {
  std::string_view user;  // points into the checked text
  uint64_t login = 0;     // the login's number in this process, from 1
};

// A user name /login accepts: 1..kMaxLoginUser of [A-Za-z0-9_.@-], so it needs no escaping in
// JSON, headers or cookies.
bool valid_login_user(std::string_view user);

// The next login number of this process (thread-safe, from 1).
uint64_t next_login_number();

// "tok-<user>-<login>-<16 hex digits>".
std::string issue_token(std::string_view user, uint64_t login);
// "sess-<user>-<login>-<16 hex digits>", a different hash from the token's.
std::string issue_session(std::string_view user, uint64_t login);

// The identity of a token issue_token made in this process, else nothing.
std::optional<LoginIdentity> check_token(std::string_view token);
// The identity of a session id issue_session made in this process, else nothing.
std::optional<LoginIdentity> check_session(std::string_view session);

}  // namespace strest

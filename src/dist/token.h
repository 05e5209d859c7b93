#pragma once
// Shared-secret checks for the gRPC link and the control plane: compared in constant time, so
// how long a refusal takes says nothing about how much of a guess was right.
#include <string_view>

namespace strest {

// True when `given` equals `expected`. Takes the same time for every `given` of one length;
// an empty `expected` matches only an empty `given`.
bool token_matches(std::string_view given, std::string_view expected);

// The token in an "Authorization: Bearer TOKEN" header value, or "" when it is not one.
std::string_view bearer_token(std::string_view authorization);

}  // namespace strest

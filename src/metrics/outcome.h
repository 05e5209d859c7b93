#pragma once
// How a request ended. Every completed request is exactly one of these; requests cut off by
// the end of the run are "cancelled" and are never latency samples.
#include <array>
#include <cstdint>
#include <string_view>

namespace strest {

enum class Outcome : uint8_t {
  kOk,                 // status == --status
  kNonExpectedStatus,  // any other status
  kTimeout,            // --timeout (whole request) or --connect-timeout elapsed
  kTransportError,     // see TransportError for the kind
};

enum class TransportError : uint8_t {
  kNone,
  kConnectRefused,  // ECONNREFUSED
  kConnectFailed,   // other connect() errors (unreachable, no route, ...)
  kDns,             // host name did not resolve
  kReset,           // ECONNRESET / EPIPE while sending or reading
  kClosedEarly,     // server closed before the response was complete
  kMalformed,       // response bytes that are not HTTP/1.1
  kOther,           // any other socket error
  kCount,
};

enum class TimeoutKind : uint8_t { kConnect, kRequest, kCount };

inline constexpr size_t kTransportErrorKinds = static_cast<size_t>(TransportError::kCount);

std::string_view transport_error_name(TransportError kind);  // e.g. "connect_refused"
std::string_view outcome_name(Outcome outcome);              // e.g. "non_expected_status"

}  // namespace strest

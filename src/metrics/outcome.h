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
  kAssertFailed,       // scenario: a response came, but its step's assert or extract failed
};

enum class TransportError : uint8_t {
  kNone,
  kConnectRefused,  // ECONNREFUSED
  kConnectFailed,   // other connect() errors (unreachable, no route, ...)
  kDns,             // host name did not resolve
  kReset,           // ECONNRESET / EPIPE while sending or reading
  kClosedEarly,     // server closed before the response was complete
  kMalformed,       // response bytes that are not HTTP
  kOther,           // any other socket error
  // Kinds below came with TLS, HTTP/2, HTTP/3 and proxies; appended so that run logs written
  // before keep their numbers.
  kTlsHandshake,   // TLS handshake failed (verification, version, protocol): see the details
  kStreamReset,    // HTTP/2 or HTTP/3 stream reset by the server (RST_STREAM)
  kRefusedStream,  // stream refused or cut off by GOAWAY before the server processed it
  kProtocol,       // HTTP/2 or HTTP/3 protocol error on the connection
  kProxy,          // the proxy refused the CONNECT tunnel or answered something else
  kQuic,           // QUIC connection failed: no handshake, or closed by the peer
  // Kinds below came with the descriptor-limit checks; appended for the same reason.
  kDescriptorLimit,        // EMFILE: this process has as many descriptors open as it may
  kSystemDescriptorLimit,  // ENFILE: the system's open-file table is full
  kCount,
};

enum class TimeoutKind : uint8_t { kConnect, kRequest, kCount };

inline constexpr size_t kTransportErrorKinds = static_cast<size_t>(TransportError::kCount);

std::string_view transport_error_name(TransportError kind);  // e.g. "connect_refused"
std::string_view outcome_name(Outcome outcome);
// What a kind means in words, for the summary when nothing more specific is known.
std::string_view transport_error_description(TransportError kind);  // e.g. "non_expected_status"

}  // namespace strest

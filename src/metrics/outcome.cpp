#include "metrics/outcome.h"

namespace strest {

std::string_view transport_error_name(TransportError kind) {
  switch (kind) {
    case TransportError::kNone:
      return "none";
    case TransportError::kConnectRefused:
      return "connect_refused";
    case TransportError::kConnectFailed:
      return "connect_failed";
    case TransportError::kDns:
      return "dns";
    case TransportError::kReset:
      return "reset";
    case TransportError::kClosedEarly:
      return "closed_early";
    case TransportError::kMalformed:
      return "malformed_response";
    case TransportError::kOther:
      return "other";
    case TransportError::kTlsHandshake:
      return "tls_handshake";
    case TransportError::kStreamReset:
      return "stream_reset";
    case TransportError::kRefusedStream:
      return "refused_stream";
    case TransportError::kProtocol:
      return "protocol_error";
    case TransportError::kProxy:
      return "proxy";
    case TransportError::kQuic:
      return "quic";
    case TransportError::kDescriptorLimit:
      return "emfile";
    case TransportError::kSystemDescriptorLimit:
      return "enfile";
    case TransportError::kCount:
      break;
  }
  return "unknown";
}

std::string_view transport_error_description(TransportError kind) {
  switch (kind) {
    case TransportError::kNone:
      return "";
    case TransportError::kConnectRefused:
      return "connection refused: nothing listens on that address";
    case TransportError::kConnectFailed:
      return "connect failed (unreachable, no route, or no such socket)";
    case TransportError::kDns:
      return "the host name did not resolve";
    case TransportError::kReset:
      return "the connection was reset while sending or reading";
    case TransportError::kClosedEarly:
      return "the server closed the connection before the response was complete";
    case TransportError::kMalformed:
      return "the response is not valid HTTP";
    case TransportError::kOther:
      return "another socket error";
    case TransportError::kTlsHandshake:
      return "the TLS handshake failed";
    case TransportError::kStreamReset:
      return "the server reset the stream";
    case TransportError::kRefusedStream:
      return "the server refused the stream, again after a retry on a new connection";
    case TransportError::kProtocol:
      return "protocol error on the connection";
    case TransportError::kProxy:
      return "the proxy did not open the tunnel";
    case TransportError::kQuic:
      return "the QUIC connection failed";
    case TransportError::kDescriptorLimit:
      return "no socket: strest reached its open descriptor limit (EMFILE); raise ulimit -n";
    case TransportError::kSystemDescriptorLimit:
      return "no socket: the system's open file table is full (ENFILE); raise fs.file-max";
    case TransportError::kCount:
      break;
  }
  return "";
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kNonExpectedStatus:
      return "non_expected_status";
    case Outcome::kTimeout:
      return "timeout";
    case Outcome::kTransportError:
      return "transport_error";
    case Outcome::kAssertFailed:
      return "assert_failed";
  }
  return "unknown";
}

}  // namespace strest

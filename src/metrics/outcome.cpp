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
    case TransportError::kCount:
      break;
  }
  return "unknown";
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
  }
  return "unknown";
}

}  // namespace strest

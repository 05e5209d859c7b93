// How an HTTP/3 connection ends and how its reports reach the listener (see the reentrancy note
// in http3_session_impl.h).
#include <gnutls/gnutls.h>

#include <cerrno>
#include <cstring>

#include "net/http3_session_impl.h"
#include "net/quic_close_reason.h"

namespace strest {

void Http3Session::end(TransportError kind, std::string detail, bool send_close) {
  if (ending_.set) return;  // the first cause wins
  ending_.set = true;
  ending_.kind = kind;
  ending_.detail = std::move(detail);
  ending_.send_close = send_close;
}

std::string Http3Session::no_handshake(std::string_view why) const {
  return "QUIC handshake with " + config_.endpoint.text +
         " did not complete: does the server speak HTTP/3? (" + std::string(why) + ")";
}

void Http3Session::end_on_socket_error(int error) {
  if (!handshake_done_ && error == ECONNREFUSED) {
    return end(TransportError::kQuic, no_handshake("connection refused: no UDP listener"), false);
  }
  end(TransportError::kQuic, std::string("UDP socket: ") + std::strerror(error), false);
}

// An error from ngtcp2_conn_read_pkt or ngtcp2_conn_writev_stream.
void Http3Session::end_on_read_error(int rv) {
  if (ending_.set) return;  // a callback said why already
  if (rv == NGTCP2_ERR_DRAINING || rv == NGTCP2_ERR_CLOSING) return end_on_peer_close();
  if (rv == NGTCP2_ERR_RECV_VERSION_NEGOTIATION) {
    return end(TransportError::kQuic, no_handshake("the server does not offer QUIC version 1"),
               false);
  }
  if (!handshake_done_ && rv == NGTCP2_ERR_CRYPTO) {
    std::string detail = tls_.verify_failure();
    uint8_t alert = ngtcp2_conn_get_tls_alert(conn_);
    if (alert == 0 && !detail.empty()) alert = GNUTLS_A_BAD_CERTIFICATE;
    if (detail.empty()) detail = "TLS handshake failed: " + std::string(ngtcp2_strerror(rv));
    end(TransportError::kTlsHandshake, std::move(detail), true);
    ngtcp2_connection_close_error_set_transport_error_tls_alert(&ending_.error, alert, nullptr, 0);
    return;
  }
  const std::string what = std::string("QUIC: ") + ngtcp2_strerror(rv);
  end(TransportError::kQuic, handshake_done_ ? what : no_handshake(what), true);
  ngtcp2_connection_close_error_set_transport_error_liberr(&ending_.error, rv, nullptr, 0);
}

void Http3Session::end_on_expiry_error(int rv) {
  if (rv == NGTCP2_ERR_IDLE_CLOSE) {
    if (!handshake_done_) {
      return end(TransportError::kQuic, no_handshake("no answer before the idle timeout"), false);
    }
    // An idle keep-alive connection timing out is an orderly close.
    if (active_streams() == 0) return end(TransportError::kNone, "", false);
    return end(TransportError::kQuic, "QUIC idle timeout: the server stopped answering", false);
  }
  if (rv == NGTCP2_ERR_HANDSHAKE_TIMEOUT) {
    return end(TransportError::kQuic, no_handshake("no answer before the connect timeout"), false);
  }
  end_on_read_error(rv);
}

// nghttp3 refused what the server sent: an HTTP/3 protocol error closes the connection.
void Http3Session::end_on_http3_error(int64_t rv) {
  if (ending_.set) return;
  const int error = static_cast<int>(rv);
  end(TransportError::kProtocol, std::string("HTTP/3: ") + nghttp3_strerror(error), true);
  ngtcp2_connection_close_error_set_application_error(
      &ending_.error, nghttp3_err_infer_quic_app_error_code(error), nullptr, 0);
}

// The server sent CONNECTION_CLOSE.
void Http3Session::end_on_peer_close() {
  ngtcp2_connection_close_error error{};
  ngtcp2_conn_get_connection_close_error(conn_, &error);
  const std::string why = describe_close(error);
  const bool crypto = error.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT &&
                      (error.error_code & ~uint64_t{0xff}) == NGTCP2_CRYPTO_ERROR;
  if (!handshake_done_ && crypto) {
    return end(TransportError::kTlsHandshake, "the server refused the TLS handshake: " + why,
               false);
  }
  if (!handshake_done_) return end(TransportError::kQuic, no_handshake("closed: " + why), false);
  // An orderly close: requests still in flight were cut off (the worker fails them as closed
  // early).
  if (is_graceful_close(error)) {
    return end(TransportError::kNone, active_streams() == 0 ? "" : "closed by the server: " + why,
               false);
  }
  end(TransportError::kQuic, "QUIC connection closed by the server: " + why, false);
}

// After packets were read or a timer fired: the handshake's outcome, streams the server now
// allows, GOAWAY, then what there is to send, then the reports.
void Http3Session::progress(int64_t now) {
  if (conn_ != nullptr && !ending_.set) {
    if (handshake_done_ && !ready_) {
      ready_ = true;
      opened_.connected_us = now;
      opened_.handshake_us = now;
      events_.push_back({.type = EventType::kReady});
    }
    if (stream_credit_) {
      stream_credit_ = false;
      open_waiting_streams();
    }
    if (goaway_id_ >= 0) refuse_after_goaway();
    write_packets(timestamp(now));
  }
  settle(now);
}

// Delivers the queued reports, sends what the listener submitted meanwhile, then ends the
// connection if it is over. The listener may close (and reopen) the session in any report:
// nothing of this connection is touched after that.
void Http3Session::settle(int64_t now) {
  if (dispatching_) return;  // the outer settle() carries on
  for (;;) {
    if (!dispatch(now)) return;
    if (!write_pending_ || ending_.set || conn_ == nullptr) break;
    write_pending_ = false;
    write_packets(timestamp(now));
  }
  if (conn_ == nullptr) return;
  const bool done =
      active_streams() == 0 && (goaway_id_ >= 0 || (!config_.keepalive && responses_ > 0));
  if (!ending_.set && done) {
    end(TransportError::kNone, "", true);
    ngtcp2_connection_close_error_set_application_error(&ending_.error, NGHTTP3_H3_NO_ERROR,
                                                        nullptr, 0);
  }
  if (ending_.set) finish(now);
}

// False when the listener closed the session meanwhile.
bool Http3Session::dispatch(int64_t now) {
  const uint64_t epoch = epoch_;
  dispatching_ = true;
  for (size_t i = 0; i < events_.size(); ++i) {  // reports may queue more as we go
    const Event event = events_[i];
    deliver(event, now);
    if (epoch_ != epoch) {
      dispatching_ = false;
      return false;
    }
  }
  events_.clear();
  dispatching_ = false;
  return true;
}

void Http3Session::deliver(const Event& event, int64_t now) {
  SessionListener& listener = *context_.listener;
  switch (event.type) {
    case EventType::kNone:
      break;
    case EventType::kReady:
      listener.on_session_ready(connection_, opened_, now);
      break;
    case EventType::kSent:
      listener.on_request_sent(event.slot, event.bytes, now);
      break;
    case EventType::kFirstByte:
      listener.on_first_byte(event.slot, now);
      break;
    case EventType::kResponse:
      listener.on_response(event.slot, event.status, event.bytes, now);
      break;
    case EventType::kFailed:
      listener.on_stream_failed(event.slot, event.kind, event.bytes, "", now);
      break;
  }
}

// Sends CONNECTION_CLOSE when we close, frees the connection, and reports it closed: last, as
// the listener may reopen the session from there.
void Http3Session::finish(int64_t now) {
  Ending ending = std::move(ending_);
  if (ending.send_close) send_connection_close(ending.error);
  teardown();
  context_.listener->on_session_closed(connection_, ending.kind, ending.detail, now);
}

}  // namespace strest

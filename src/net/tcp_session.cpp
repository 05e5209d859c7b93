#include "net/tcp_session.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "clock/run_clock.h"
#include "net/epoll_loop.h"
#include "net/h2c_fallback.h"
#include "net/proxy_tunnel.h"
#include "net/tcp.h"

namespace strest {

TcpSession::TcpSession(const SessionContext& context, uint32_t connection)
    : context_(context),
      config_(*context.config),
      connection_(connection),
      http1_(*context.listener, context.config->http1_requests, context.config->head_request) {
  if (config_.capture.headers || config_.capture.body) {
    http1_.capture(config_.capture.headers, config_.capture.body);
  }
}

Http2Codec& TcpSession::http2_codec() {
  if (!http2_) {
    http2_ = std::make_unique<Http2Codec>(*context_.listener, config_.requests,
                                          config_.streams_per_connection, config_.head_request);
    if (config_.capture.headers || config_.capture.body) {
      http2_->capture(config_.capture.headers, config_.capture.body);
    }
  }
  return *http2_;
}

TransportError TcpSession::open(int64_t now) {
  close();
  ConnectStart started = start_connect(config_.endpoint);
  if (!started.fd.valid()) return classify_connect_error(started.error);
  socket_ = std::move(started.fd);
  context_.loop->watch(socket_.get(), connection_);
  opened_ = OpenedTimes{.started_us = now};
  // Even a connect that completed at once is picked up from the EPOLLOUT that registering a
  // writable socket reports, so the listener never hears from inside open().
  step_ = Step::kConnecting;
  return TransportError::kNone;
}

bool TcpSession::accepting() const {
  if (step_ != Step::kReady) return false;
  return protocol_ == Protocol::kHttp1 ? !http1_.busy() : http2_->accepting();
}

void TcpSession::submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) {
  if (protocol_ == Protocol::kHttp2) {
    // Written by send_pending(), after the worker has submitted all it has for this batch.
    if (!http2_->submit(slot, variant, sequence, now)) {
      context_.listener->on_stream_failed(slot, TransportError::kRefusedStream, 0,
                                          "nghttp2 refused to open another stream", now);
    }
    return;
  }
  http1_.submit(slot, variant, sequence);
  flush(now);
}

void TcpSession::submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                              int64_t now) {
  if (protocol_ == Protocol::kHttp2) {
    if (!http2_->submit_built(slot, request, sequence, now)) {
      context_.listener->on_stream_failed(slot, TransportError::kRefusedStream, 0,
                                          "nghttp2 refused to open another stream", now);
    }
    return;
  }
  http1_.submit_built(slot, request, config_.http1_form);
  flush(now);
}

void TcpSession::send_pending(int64_t now) {
  if (step_ == Step::kReady) flush(now);
}

void TcpSession::on_io(uint32_t events, int64_t now) {
  switch (step_) {
    case Step::kConnecting:
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
        const int error = pending_socket_error(socket_.get());
        if (error != 0) {
          fail(classify_connect_error(error), "", now);
        } else {
          on_connected(now);
        }
      }
      return;
    case Step::kTunneling:
      on_tunnel_io(now);
      return;
    case Step::kHandshake:
      on_handshake_io(now);
      return;
    case Step::kH2cPreface:
      if ((events & EPOLLOUT) && !flush(now)) return;
      if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_h2c_reply(events, now);
      return;
    case Step::kReady:
      if ((events & EPOLLOUT) && !flush(now)) return;
      if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_responses(events, now);
      return;
    case Step::kClosed:
      return;
  }
}

bool TcpSession::abandon(uint32_t slot, int64_t now) {
  if (protocol_ == Protocol::kHttp2 && step_ == Step::kReady) {
    http2_->abandon(slot);
    flush(now);
    return true;
  }
  close();
  return false;
}

void TcpSession::close() {
  if (tls_) tls_->reset();
  socket_.reset();
  step_ = Step::kClosed;
  pending_out_ = {};
  tunnel_reply_.clear();
  http1_.drop();
  if (http2_) http2_->stop();
}

// `now` is when the worker's batch of events began. A phase must show the time it took, so the
// stamps where one ends are read from the clock: the two around a handshake (which can start
// and finish within one call), the end of each write and of each read (a request's last byte
// out, a response's first and last bytes in).
int64_t TcpSession::stamp(int64_t now) const {
  return context_.clock != nullptr ? context_.clock->now() : now;
}

void TcpSession::on_connected(int64_t now) {
  opened_.connected_us = stamp(now);
  opened_.handshake_us = opened_.connected_us;
  if (config_.proxy && config_.proxy->tunnel) {
    step_ = Step::kTunneling;
    tunnel_written_ = 0;
    on_tunnel_io(now);
  } else if (config_.tls) {
    start_handshake(now);
  } else {
    start_cleartext(now);
  }
}

// Sends CONNECT, then reads the proxy's reply head; the tunnel then carries TLS (or h2c).
void TcpSession::on_tunnel_io(int64_t now) {
  const std::string& request = config_.proxy->connect_request;
  while (tunnel_written_ < request.size()) {
    const ssize_t sent = ::send(socket_.get(), request.data() + tunnel_written_,
                                request.size() - tunnel_written_, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      fail(TransportError::kProxy, "writing CONNECT to the proxy failed", now);
      return;
    }
    tunnel_written_ += static_cast<size_t>(sent);
  }
  char buffer[1024];
  for (;;) {
    // Read no further than the reply head could go: what follows belongs to the tunnel.
    const ssize_t got = ::recv(socket_.get(), buffer, sizeof buffer, MSG_PEEK);
    if (got == 0) {
      fail(TransportError::kProxy, "the proxy closed the connection before answering CONNECT", now);
      return;
    }
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      fail(TransportError::kProxy, "reading the proxy's answer to CONNECT failed", now);
      return;
    }
    const size_t before = tunnel_reply_.size();
    tunnel_reply_.append(buffer, static_cast<size_t>(got));
    const ConnectReply reply = parse_connect_reply(tunnel_reply_);
    const size_t take = reply.state == ConnectReply::State::kIncomplete ? static_cast<size_t>(got)
                                                                        : reply.head_size - before;
    tunnel_reply_.resize(before + take);
    ::recv(socket_.get(), buffer, take, 0);  // consume exactly what was used
    switch (reply.state) {
      case ConnectReply::State::kIncomplete:
        continue;
      case ConnectReply::State::kEstablished:
        tunnel_reply_.clear();
        if (config_.tls) {
          start_handshake(now);
        } else {
          start_cleartext(now);
        }
        return;
      case ConnectReply::State::kRefused:
        fail(TransportError::kProxy, "the proxy refused CONNECT: " + reply.status_line, now);
        return;
      case ConnectReply::State::kMalformed:
        fail(TransportError::kProxy, "the proxy's answer to CONNECT is not HTTP", now);
        return;
    }
  }
}

void TcpSession::start_handshake(int64_t now) {
  if (!tls_) tls_.emplace(config_.tls_context);
  if (!tls_->start(socket_.get())) {
    fail(TransportError::kTlsHandshake, tls_detail(), now);
    return;
  }
  step_ = Step::kHandshake;
  on_handshake_io(now);
}

void TcpSession::on_handshake_io(int64_t now) {
  switch (tls_->handshake()) {
    case TlsStream::Io::kOk:
      break;
    case TlsStream::Io::kWantRead:
    case TlsStream::Io::kWantWrite:
      return;
    case TlsStream::Io::kClosed:
    case TlsStream::Io::kError:
      fail(TransportError::kTlsHandshake, tls_detail(), now);
      return;
  }
  opened_.handshake_us = stamp(now);
  opened_.tls = true;
  opened_.resumed = tls_->resumed();
  become_ready(tls_->alpn() == "h2" ? Protocol::kHttp2 : Protocol::kHttp1, now);
}

// Cleartext HTTP/2 is h2c with prior knowledge (no upgrade dance), unless the target is known
// not to speak it. The session is ready only once the server's first frame has come: until
// then it could still turn out to speak HTTP/1 only, and no request has been risked on it.
void TcpSession::start_cleartext(int64_t now) {
  const bool h2c_known_refused =
      h2c_refused_ || (context_.h2c_fallback != nullptr && context_.h2c_fallback->known());
  if (config_.wanted != Protocol::kHttp2 || h2c_known_refused) {
    become_ready(Protocol::kHttp1, now);
    return;
  }
  step_ = Step::kH2cPreface;
  protocol_ = Protocol::kHttp2;
  http2_codec().start();
  flush(now);
}

// The server's first bytes after the h2c preface: an HTTP/2 server starts with SETTINGS, an
// HTTP/1 server answers the "PRI * HTTP/2.0" line with a status line (or closes). A frame
// cannot start with "H": its length would pass 4 MiB, and a first SETTINGS frame is tiny.
void TcpSession::on_h2c_reply(uint32_t events, int64_t now) {
  std::span<char> buffer = context_.read_buffer;
  const Io io = read_some(buffer.data(), buffer.size());
  if (io.kind == Io::Kind::kWait) return;
  if (io.kind == Io::Kind::kClosed ||
      (io.kind == Io::Kind::kError && io.error == TransportError::kReset)) {
    fall_back_to_http1(now);
    return;
  }
  if (io.kind == Io::Kind::kError) {
    fail(io.error, "", now);
    return;
  }
  constexpr std::string_view kStatusLine = "HTTP/";
  const std::string_view first(buffer.data(), std::min(io.bytes, kStatusLine.size()));
  if (kStatusLine.starts_with(first)) {
    fall_back_to_http1(now);
    return;
  }
  step_ = Step::kReady;
  opened_.protocol = Protocol::kHttp2;
  if (!receive_http2(buffer.data(), io.bytes, now)) return;
  context_.listener->on_session_ready(connection_, opened_, now);
  // Edge-triggered: read on to what the first read left; this also sends the SETTINGS ack.
  if (step_ == Step::kReady) read_responses(events, now);
}

// Reconnects to speak HTTP/1.1. Nothing was submitted on the h2c attempt (it never became
// ready), so no request fails: the worker only sees a connection that took longer to open.
void TcpSession::fall_back_to_http1(int64_t now) {
  h2c_refused_ = true;
  if (context_.h2c_fallback != nullptr) context_.h2c_fallback->note();
  const TransportError failed = open(now);
  if (failed != TransportError::kNone) fail(failed, "", now);
}

void TcpSession::become_ready(Protocol protocol, int64_t now) {
  step_ = Step::kReady;
  protocol_ = protocol;
  opened_.protocol = protocol;
  if (protocol == Protocol::kHttp2) {
    http2_codec().start();
    if (!flush(now)) return;
  }
  context_.listener->on_session_ready(connection_, opened_, now);
}

void TcpSession::read_responses(uint32_t events, int64_t now) {
  // The peer's close may come in the same wake-up as the last bytes: then read on to the EOF.
  const bool peer_closed = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
  std::span<char> buffer = context_.read_buffer;
  for (;;) {
    const Io io = read_some(buffer.data(), buffer.size());
    if (io.kind == Io::Kind::kOk) {
      const int64_t read_at = stamp(now);
      const bool alive = protocol_ == Protocol::kHttp2
                             ? receive_http2(buffer.data(), io.bytes, read_at)
                             : receive_http1(buffer.data(), io.bytes, read_at);
      if (!alive) return;
      // Edge-triggered: a short read means the socket is drained; the next byte wakes us. TLS
      // asks its stream, which also knows whether OpenSSL holds bytes back.
      const bool drained = tls_active() ? tls_->drained() : io.bytes < buffer.size();
      if (drained && !peer_closed) break;
      continue;
    }
    if (io.kind == Io::Kind::kWait) break;
    if (io.kind == Io::Kind::kClosed) {
      on_peer_closed(stamp(now));  // the end of a body delimited by the close
      return;
    }
    fail(io.error, tls_active() ? tls_detail() : "", now);
    return;
  }
  if (protocol_ != Protocol::kHttp2) return;
  if (!flush(now)) return;  // SETTINGS acks, WINDOW_UPDATEs, PINGs
  const bool done = http2_->finished() || !http2_->accepting() || !config_.keepalive;
  if (done && http2_->open_streams() == 0) fail(TransportError::kNone, "", now);
}

bool TcpSession::receive_http1(const char* data, size_t size, int64_t now) {
  switch (http1_.feed(data, size, now)) {
    case Http1Codec::Next::kContinue:
      if (config_.keepalive || http1_.busy()) return true;
      [[fallthrough]];  // --disable-keepalive: one request per connection
    case Http1Codec::Next::kClose:
    case Http1Codec::Next::kFailed:
      fail(TransportError::kNone, "", now);
      return false;
  }
  return true;
}

bool TcpSession::receive_http2(const char* data, size_t size, int64_t now) {
  if (http2_->receive(data, size, now)) return true;
  fail(TransportError::kProtocol, http2_->error_detail(), now);
  return false;
}

void TcpSession::on_peer_closed(int64_t now) {
  if (protocol_ == Protocol::kHttp1) {
    http1_.peer_closed(now);
    fail(TransportError::kNone, "", now);
    return;
  }
  fail(http2_->open_streams() > 0 ? TransportError::kClosedEarly : TransportError::kNone, "", now);
}

bool TcpSession::flush(int64_t now) {
  for (;;) {
    if (pending_out_.empty()) {
      pending_out_ =
          protocol_ == Protocol::kHttp2 ? gather_http2_output(stamp(now)) : http1_.next_output();
      if (pending_out_.empty()) return true;
    }
    const Io io = write_some(pending_out_.data(), pending_out_.size());
    if (io.kind == Io::Kind::kOk) {
      pending_out_.remove_prefix(io.bytes);
      if (protocol_ == Protocol::kHttp1) http1_.wrote(io.bytes, stamp(now));
      continue;
    }
    if (io.kind == Io::Kind::kWait) return true;  // EPOLLOUT resumes
    // A request the server cut off while it was being sent: its reply may already be here.
    if (protocol_ == Protocol::kHttp1 && http1_.busy()) {
      read_responses(EPOLLIN | EPOLLRDHUP, now);
      if (step_ == Step::kClosed) return false;
    }
    fail(io.kind == Io::Kind::kClosed ? TransportError::kReset : io.error,
         tls_active() ? tls_detail() : "", now);
    return false;
  }
}

// nghttp2 hands out a frame or two at a time; gathering them makes one write (and one TLS
// record) of what would be dozens, as h2load does.
std::string_view TcpSession::gather_http2_output(int64_t now) {
  out_buffer_.clear();
  for (;;) {
    const std::string_view chunk = http2_->next_output(now);
    if (chunk.empty()) break;
    out_buffer_.append(chunk);
    if (out_buffer_.size() >= kGatherBytes) break;
  }
  return out_buffer_;
}

// TLS failures after the handshake break the connection like a reset; the detail says more.
TcpSession::Io TcpSession::from_tls(TlsStream::IoResult result) {
  switch (result.io) {
    case TlsStream::Io::kOk:
      return Io{.bytes = result.bytes};
    case TlsStream::Io::kWantRead:
    case TlsStream::Io::kWantWrite:
      return Io{.kind = Io::Kind::kWait};
    case TlsStream::Io::kClosed:
      return Io{.kind = Io::Kind::kClosed};
    case TlsStream::Io::kError:
      break;
  }
  return Io{.kind = Io::Kind::kError, .error = TransportError::kReset};
}

TcpSession::Io TcpSession::read_some(char* buffer, size_t size) {
  if (tls_active()) return from_tls(tls_->read(buffer, size));
  for (;;) {
    const ssize_t got = ::recv(socket_.get(), buffer, size, 0);
    if (got > 0) return Io{.bytes = static_cast<size_t>(got)};
    if (got == 0) return Io{.kind = Io::Kind::kClosed};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io{.kind = Io::Kind::kWait};
    return Io{.kind = Io::Kind::kError, .error = classify_io_error(errno)};
  }
}

TcpSession::Io TcpSession::write_some(const char* data, size_t size) {
  if (tls_active()) return from_tls(tls_->write(data, size));
  for (;;) {
    const ssize_t sent = ::send(socket_.get(), data, size, MSG_NOSIGNAL);
    if (sent >= 0) return Io{.bytes = static_cast<size_t>(sent)};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Io{.kind = Io::Kind::kWait};
    return Io{.kind = Io::Kind::kError, .error = classify_io_error(errno)};
  }
}

void TcpSession::fail(TransportError kind, std::string_view detail, int64_t now) {
  // The detail may point into tls_, which close() resets: keep a copy for the report.
  const std::string reason(detail);
  close();
  context_.listener->on_session_closed(connection_, kind, reason, now);
}

bool TcpSession::tls_active() const { return config_.tls && tls_ && step_ >= Step::kHandshake; }

std::string TcpSession::tls_detail() const {
  const std::string& detail = tls_ ? tls_->error_detail() : std::string();
  return "TLS with " + config_.server_name +
         " failed: " + (detail.empty() ? std::string("unknown reason") : detail);
}

}  // namespace strest

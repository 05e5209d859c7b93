#pragma once
// One connection to the target, whatever it speaks: HTTP/1.1 (cleartext or TLS), HTTP/2 (h2 or
// h2c) or HTTP/3 (QUIC). The worker owns the requests ("slots"); it submits them to the session
// of the slot's connection and hears back through SessionListener, so the engine, pacing and
// metrics never know the protocol (as h2load's Session does). A session object lives for the
// whole run and is reopened after each close: the worker never destroys one mid-run, so a
// session may call the listener from any of its methods.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "http/request_builder.h"
#include "metrics/outcome.h"
#include "metrics/protocol.h"

namespace strest {

class EpollLoop;
class H2cFallback;
class RunClock;
struct TransportConfig;

// The worker's side. `now` is run time in microseconds, read once per event by the worker.
class SessionListener {
 public:
  // The connection is usable: submit() may be called (from inside this call too).
  virtual void on_session_ready(uint32_t connection, const OpenedTimes& times, int64_t now) = 0;
  // The last byte of slot's request has left (handed to the kernel or to the QUIC stack).
  virtual void on_request_sent(uint32_t slot, uint64_t bytes, int64_t now) = 0;
  // The first byte of slot's response has arrived.
  virtual void on_first_byte(uint32_t slot, int64_t now) = 0;
  // slot's response is complete; `bytes` is what arrived for it (head and body).
  virtual void on_response(uint32_t slot, int status, uint64_t bytes, int64_t now) = 0;
  // slot's request failed while the connection may live on (stream reset, refused by GOAWAY, a
  // response that cannot be parsed).
  // `detail` says why in words when the session knows more than the kind ("" otherwise).
  virtual void on_stream_failed(uint32_t slot, TransportError kind, uint64_t bytes,
                                std::string_view detail, int64_t now) = 0;
  // The connection is closed. The worker fails every slot still submitted on it with `kind`
  // (kClosedEarly when kind is kNone). kNone: an orderly close (HTTP/1.1 "Connection: close",
  // an idle keep-alive closed by the server, HTTP/2 after GOAWAY once its streams are done).
  // `detail` says why in words for the summary (a TLS alert, a proxy's status line), or "".
  virtual void on_session_closed(uint32_t connection, TransportError kind, std::string_view detail,
                                 int64_t now) = 0;
  // Only when TransportConfig::capture asks for them (scenario steps that read responses),
  // before on_response: each header field of slot's response, and its body bytes as they
  // arrive. Plain runs never pay for them.
  virtual void on_response_header(uint32_t /*slot*/, std::string_view /*name*/,
                                  std::string_view /*value*/) {}
  virtual void on_response_body(uint32_t /*slot*/, std::string_view /*data*/) {}

 protected:
  ~SessionListener() = default;
};

// What every session of one worker shares.
struct SessionContext {
  EpollLoop* loop = nullptr;  // sessions watch their sockets with tag = their connection index
  SessionListener* listener = nullptr;
  const TransportConfig* config = nullptr;  // the run's, read-only
  std::span<char> read_buffer;              // the worker's scratch buffer for reads
  // For the few stamps that must not take the batch's time: the ends of a handshake, which
  // can start and finish within one call (the server ran while this thread was preempted).
  const RunClock* clock = nullptr;
  // Shared by every session of the run: set once the target is found not to speak h2c (null:
  // each session finds out for itself).
  H2cFallback* h2c_fallback = nullptr;
};

class Session {
 public:
  virtual ~Session() = default;

  // Starts a new connection (closing any previous one without reports). kNone: under way, and
  // the listener will hear on_session_ready or on_session_closed. Anything else: it failed at
  // once and nothing is reported.
  virtual TransportError open(int64_t now) = 0;
  // Ready and not going away: submit() may be called.
  virtual bool accepting() const = 0;
  // Sends one request: `variant` indexes TransportConfig::requests, `sequence` fills the request
  // id header. Only when accepting(); the worker never submits more than
  // TransportConfig::streams_per_connection at once on one session. A multiplexing session may
  // hold the bytes until send_pending(), so that one batch's requests leave in one write.
  virtual void submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) = 0;
  // Sends a request built for this slot alone (a scenario step): its fields as HTTP/2 takes
  // them, which an HTTP/1.1 connection writes as bytes (TransportConfig::http1_form).
  // `request` stays unchanged until the slot's request is reported or abandoned. Otherwise as
  // submit().
  virtual void submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                            int64_t now) = 0;
  // Writes what submit() held back; the worker calls it after each batch of submits.
  virtual void send_pending(int64_t /*now*/) {}
  // Readiness of this session's socket, from the worker's epoll loop.
  virtual void on_io(uint32_t events, int64_t now) = 0;
  // Gives up slot's request (the worker has recorded its timeout); nothing more is reported for
  // it. Returns true when only its stream was reset, false when the connection was closed for it
  // (HTTP/1.1): then nothing is reported for the connection either.
  virtual bool abandon(uint32_t slot, int64_t now) = 0;
  // Closes the connection at once, reporting nothing.
  virtual void close() = 0;
  // QUIC needs timers: when on_timer() is due next, in run time (INT64_MAX: not armed).
  virtual int64_t timer_due_us() const { return INT64_MAX; }
  virtual void on_timer(int64_t /*now*/) {}
};

// The session the run's configuration asks for: TCP (HTTP/1.1 or HTTP/2, cleartext or TLS, direct,
// through a proxy or over a Unix socket) or QUIC (HTTP/3).
std::unique_ptr<Session> make_session(const SessionContext& context, uint32_t connection);

}  // namespace strest

#pragma once
// HTTP/3 over QUIC, with ngtcp2 + nghttp3 over GnuTLS: one Session per connection. Its UDP
// socket is watched by the worker's epoll loop (tag = the connection index) and its QUIC timers
// (loss recovery, pacing, idle and handshake timeouts) are exposed through timer_due_us().
#include <cstdint>
#include <memory>

#include "net/session.h"

namespace strest {

// A QUIC session for context.config (which must outlive it), reporting to context.listener.
// Closed until open() is called.
std::unique_ptr<Session> make_http3_session(const SessionContext& context, uint32_t connection);

}  // namespace strest

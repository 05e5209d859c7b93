#pragma once
// HTTP/2 client framing with nghttp2, with no I/O of its own: the TCP session feeds it the bytes
// it reads and writes the bytes it asks for. Responses and failures are reported per slot to
// the SessionListener. One codec per connection, reused across reconnects (start() again).
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "metrics/outcome.h"
#include "net/session.h"
#include "net/transport_config.h"

namespace strest {

class Http2Codec {
 public:
  // Request header lists are built once here from `requests` (nghttp2_nv arrays pointing into
  // them, never copied per request); `max_streams` bounds the streams submitted at once.
  Http2Codec(SessionListener& listener, const std::vector<RequestParts>& requests,
             uint32_t max_streams, bool head_request);
  ~Http2Codec();
  Http2Codec(const Http2Codec&) = delete;
  Http2Codec& operator=(const Http2Codec&) = delete;

  // A fresh nghttp2 client session for a new connection: queues the preface and SETTINGS
  // (stream and connection windows of 1 GiB - 1 so flow control never throttles a load test,
  // server push off). Any previous session is dropped without reports.
  void start();
  // Drops the session without reporting anything.
  void stop();
  // Queues slot's request; false when nghttp2 refuses it (then nothing is reported for slot).
  bool submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now);
  // Queues slot's request built for it alone: its fields are copied, its body kept by the
  // stream, so `request` may change once this returns.
  bool submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence, int64_t now);
  // Hands the listener the header fields and/or body bytes of every response from now on.
  void capture(bool headers, bool body);
  // Bytes read from the connection. False on a protocol error: the connection must be closed
  // (error_detail() says why); streams are not reported, the caller fails them.
  bool receive(const char* data, size_t size, int64_t now);
  // The next bytes to send, valid until the next call; empty when nothing is queued. Callers
  // send all of it before asking again.
  std::string_view next_output(int64_t now);
  // No GOAWAY received: new streams may be submitted.
  bool accepting() const;
  // Nothing left to do on this connection (after GOAWAY once its streams are done, or after a
  // fatal error).
  bool finished() const;
  size_t open_streams() const;
  // RST_STREAM(CANCEL) for slot's stream; nothing more is reported for it.
  void abandon(uint32_t slot);
  const std::string& error_detail() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace strest

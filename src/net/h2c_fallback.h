#pragma once
// --http2 is adaptive. Over TLS, ALPN picks HTTP/1.1 when the server does not offer h2. Over
// cleartext, strest speaks h2c with prior knowledge, and a server that only speaks HTTP/1.x
// answers the connection preface with a status line (nginx: 400) or closes: the session then
// reconnects as HTTP/1.1 and notes it here, so that every later connection of the run, on any
// worker, opens as HTTP/1.1 at once and the run can say so once.
#include <atomic>

namespace strest {

class H2cFallback {
 public:
  // The target is known not to speak h2c. One relaxed load per connection opened, never per
  // request.
  bool known() const { return known_.load(std::memory_order_relaxed); }
  // Notes that the target does not speak h2c.
  void note() { known_.store(true, std::memory_order_relaxed); }

 private:
  std::atomic<bool> known_{false};
};

}  // namespace strest

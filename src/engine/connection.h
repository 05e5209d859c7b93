#pragma once
// What a worker keeps per request slot and per connection. A slot carries one request at a
// time; --max-tasks is the number of slots. Slot s lives on connection s / streams, so with
// HTTP/1.1 (one stream per connection) slots and connections are one to one, and with HTTP/2
// or HTTP/3 a connection carries up to `streams` slots at once.
#include <cstdint>
#include <memory>

#include "metrics/recorder.h"
#include "net/session.h"

namespace strest {

struct Slot {
  enum class Phase : uint8_t {
    kIdle,       // no request: waiting for work, or for a restart after this batch of events
    kQueued,     // issued, waiting for its connection to be ready (connecting, handshake, drain)
    kSubmitted,  // handed to the session, response not complete
  };
  Phase phase = Phase::kIdle;
  uint32_t variant = 0;       // which request body
  RequestTimes times;         // start (intended or issued), send and number of the current request
  int64_t sent_done_us = 0;   // last byte of the request out (0: not yet)
  int64_t first_byte_us = 0;  // first byte of the response in (0: not yet)
  bool retried = false;       // sent again once already after the server refused its stream
  bool in_iteration = false;  // scenario runs: an iteration is under way, between steps too

  bool in_flight() const { return phase != Phase::kIdle; }
};

struct ConnectionState {
  enum class State : uint8_t { kClosed, kOpening, kReady };
  std::unique_ptr<Session> session;
  State state = State::kClosed;
  int64_t opened_us = 0;   // when the current open() started, for the connect timeout
  uint32_t submitted = 0;  // slots handed to the session
  uint32_t queued = 0;     // slots waiting for it to be ready
  bool send_due = false;   // submitted to since the worker last called send_pending()
};

}  // namespace strest

#pragma once
// One keep-alive connection of a worker, with at most one request in flight.
#include <cstdint>
#include <string>

#include "http/response_parser.h"
#include "metrics/recorder.h"
#include "net/file_descriptor.h"

namespace strest {

struct Connection {
  enum class Phase : uint8_t {
    kIdle,        // no request: waiting for work, or for a restart after this batch of events
    kConnecting,  // non-blocking connect under way, a request waiting for it
    kWriting,     // request partly sent
    kReading,     // request sent, response not complete
  };

  FileDescriptor socket;
  Phase phase = Phase::kIdle;
  const std::string* request = nullptr;  // bytes being sent: a shared template or own_request
  std::string own_request;               // the request with its id, when ids are sent
  size_t written = 0;
  int64_t phase_started_us = 0;  // connect start or send start, for the timeouts
  RequestTimes times;     // start (intended or issued), send and number of the current request
  uint64_t bytes_in = 0;  // response bytes of the current request
  ResponseParser parser;

  bool in_flight() const { return phase != Phase::kIdle; }
};

}  // namespace strest

#pragma once
// One keep-alive connection of a worker, with at most one request in flight.
#include <cstdint>
#include <string>

#include "http/response_parser.h"
#include "net/file_descriptor.h"

namespace strest {

struct Connection {
  enum class Phase : uint8_t {
    kIdle,        // no socket work pending (budget spent, or waiting to restart)
    kConnecting,  // non-blocking connect under way
    kWriting,     // request partly sent
    kReading,     // request sent, response not complete
  };

  FileDescriptor socket;
  Phase phase = Phase::kIdle;
  const std::string* request = nullptr;  // bytes being sent (owned by the worker's request set)
  size_t written = 0;
  int64_t started_us = 0;  // connect start while connecting, else request send start
  uint64_t bytes_in = 0;   // response bytes of the current request
  ResponseParser parser;

  bool in_flight() const { return phase != Phase::kIdle; }
};

}  // namespace strest

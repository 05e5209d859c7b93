#pragma once
// Collects what strest logs (log/log.h) while it lives, at the given level, then puts the
// previous stream and level back, so tests can assert on warnings without touching stderr.
#include <sstream>
#include <string>

#include "log/log.h"

namespace strest {

class LogCapture {
 public:
  explicit LogCapture(LogLevel level = kDefaultLogLevel)
      : previous_stream_(set_log_stream(lines_)), previous_level_(log_level()) {
    set_log_level(level);
  }
  ~LogCapture() {
    set_log_stream(previous_stream_);
    set_log_level(previous_level_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;
  std::ostream& previous_stream_;
  LogLevel previous_level_;
};

}  // namespace strest

#pragma once
// The wall clock in µs since the Unix epoch: what agents and the controller agree on a start
// instant in (each side corrects for the other's offset, measured at the handshake).
#include <chrono>
#include <cstdint>

namespace strest::dist {

inline int64_t unix_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace strest::dist

#pragma once
// What the metrics know of a connection that became ready: the protocol it speaks and when its
// opening phases ended. Sessions (net/) fill it in, the Recorder counts it and the summary
// names the protocol; it lives here so that metrics/ does not depend on net/.
#include <cstdint>
#include <string_view>

namespace strest {

enum class Protocol : uint8_t { kHttp1, kHttp2, kHttp3 };

// "HTTP/1.1", "HTTP/2" or "HTTP/3".
std::string_view protocol_name(Protocol protocol);

// How a connection was opened, for the phase timings and the connection counts.
struct OpenedTimes {
  int64_t started_us = 0;    // open() was called
  int64_t connected_us = 0;  // TCP connected (and any proxy tunnel set up); QUIC: handshake done
  int64_t handshake_us = 0;  // TLS or QUIC handshake done; connected_us when there is no TLS
  bool tls = false;
  bool resumed = false;  // the TLS session was resumed
  Protocol protocol = Protocol::kHttp1;
};

}  // namespace strest

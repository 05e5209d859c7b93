// libFuzzer target: a proxy's answer to CONNECT must never crash the reader, and a complete
// head never claims more bytes than it was given.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/proxy_tunnel.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view received(reinterpret_cast<const char*>(data), size);
  const strest::ConnectReply reply = strest::parse_connect_reply(received);
  if (reply.state != strest::ConnectReply::State::kIncomplete && reply.head_size > size) {
    __builtin_trap();
  }
  return 0;
}

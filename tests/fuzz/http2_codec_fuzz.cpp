// libFuzzer target: whatever a server sends, the HTTP/2 codec must not crash, must report each
// submitted slot at most once, and must never report a slot it was not given.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "net/http2_codec.h"

namespace {

constexpr uint32_t kSlots = 4;

class CountingListener final : public strest::SessionListener {
 public:
  std::vector<int> ends = std::vector<int>(kSlots, 0);
  void on_session_ready(uint32_t, const strest::OpenedTimes&, int64_t) override {}
  void on_request_sent(uint32_t slot, uint64_t, int64_t) override { check(slot); }
  void on_first_byte(uint32_t slot, int64_t) override { check(slot); }
  void on_response(uint32_t slot, int, uint64_t, int64_t) override { end(slot); }
  void on_stream_failed(uint32_t slot, strest::TransportError, uint64_t, std::string_view,
                        int64_t) override {
    end(slot);
  }
  void on_session_closed(uint32_t, strest::TransportError, std::string_view, int64_t) override {}

 private:
  static void check(uint32_t slot) {
    if (slot >= kSlots) __builtin_trap();
  }
  void end(uint32_t slot) {
    check(slot);
    if (++ends[slot] > 1) __builtin_trap();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  strest::RequestParts request;
  request.method = "GET";
  request.scheme = "http";
  request.authority = "fuzz";
  request.path = "/";
  request.id_header = "x-request-id";
  const std::vector<strest::RequestParts> requests = {request};
  CountingListener listener;
  strest::Http2Codec codec(listener, requests, kSlots, false);
  codec.start();
  for (uint32_t slot = 0; slot < kSlots; ++slot) codec.submit(slot, 0, slot, 0);
  while (!codec.next_output(0).empty()) {
  }
  // The server preface-free bytes of the input, in two pieces.
  const char* bytes = reinterpret_cast<const char*>(data);
  const size_t split = size == 0 ? 0 : data[0] % size;
  if (codec.receive(bytes, split, 1) && codec.receive(bytes + split, size - split, 2)) {
    while (!codec.next_output(3).empty()) {
    }
  }
  return 0;
}

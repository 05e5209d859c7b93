// libFuzzer target: the response parser must never crash, read out of bounds, or report
// consuming more bytes than it was given, however the input is split.
#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "http/response_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = data[0] % size;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  const size_t length = size - 1;
  strest::ResponseParser parser;
  parser.reset((data[0] & 0x80) != 0);
  size_t at = 0;
  for (size_t piece : {split, length}) {
    if (piece <= at || at >= length) continue;
    const auto progress = parser.feed(bytes + at, piece - at);
    if (progress.consumed > piece - at) __builtin_trap();
    if (progress.state != strest::ResponseParser::State::kIncomplete) return 0;
    at = piece;
  }
  parser.finish();
  return 0;
}

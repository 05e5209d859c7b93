#pragma once
// Standard base64 (RFC 4648 section 4: "+/" alphabet, "=" padding), as used by HdrHistogram log
// files to carry compressed histograms on one text line.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plan/result.h"

namespace strest {

// Encodes bytes with padding, no line breaks.
std::string base64_encode(std::span<const uint8_t> bytes);

// Decodes padded base64. Strict: rejects a length that is not a multiple of 4, characters
// outside the alphabet (whitespace included), misplaced padding and non-zero padding bits, so a
// damaged log line fails here instead of decoding to different bytes.
Result<std::vector<uint8_t>> base64_decode(std::string_view text);

}  // namespace strest

#include "metrics/base64.h"

#include <array>

namespace strest {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int8_t kInvalid = -1;

constexpr std::array<int8_t, 256> make_decode_table() {
  std::array<int8_t, 256> table{};
  table.fill(kInvalid);
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr std::array<int8_t, 256> kDecodeTable = make_decode_table();

// Number of '=' at the end of a quantum-aligned text (0, 1 or 2 when well formed).
size_t padding_length(std::string_view text) {
  size_t pad = 0;
  while (pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return pad;
}

Error decode_error(std::string_view what, size_t position) {
  return Error{"base64: " + std::string(what) + " at offset " + std::to_string(position)};
}

}  // namespace

std::string base64_encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(n >> shift) & 0x3f]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  uint32_t n = uint32_t{bytes[i]} << 16;
  if (rest == 2) n |= uint32_t{bytes[i + 1]} << 8;
  out.push_back(kAlphabet[(n >> 18) & 0x3f]);
  out.push_back(kAlphabet[(n >> 12) & 0x3f]);
  out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 0x3f] : '=');
  out.push_back('=');
  return out;
}

Result<std::vector<uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Error{"base64: length " + std::to_string(text.size()) + " is not a multiple of 4"};
  }
  const size_t pad = padding_length(text);
  if (pad > 2) return decode_error("too much '=' padding", text.size() - pad);
  const size_t data_chars = text.size() - pad;
  std::vector<uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < data_chars; ++i) {
    const int8_t sextet = kDecodeTable[static_cast<uint8_t>(text[i])];
    if (sextet == kInvalid) return decode_error("invalid character", i);
    bits = (bits << 6) | static_cast<uint32_t>(sextet);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<uint8_t>(bits >> bit_count));
      bits &= (1u << bit_count) - 1;
    }
  }
  // Leftover bits come from the last character before the padding and must be zero in
  // canonical base64.
  if (bits != 0) return decode_error("non-zero padding bits", data_chars - 1);
  return out;
}

}  // namespace strest

#include "metrics/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace strest {
namespace {

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

// RFC 4648 section 10 test vectors.
const std::vector<std::pair<std::string, std::string>> kRfc4648 = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64Test, EncodesRfc4648Vectors) {
  for (const auto& [plain, encoded] : kRfc4648) {
    EXPECT_EQ(base64_encode(bytes_of(plain)), encoded) << plain;
  }
}

TEST(Base64Test, DecodesRfc4648Vectors) {
  for (const auto& [plain, encoded] : kRfc4648) {
    const Result<std::vector<uint8_t>> decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.error();
    EXPECT_EQ(*decoded, bytes_of(plain)) << encoded;
  }
}

TEST(Base64Test, UsesPlusAndSlashAlphabet) {
  const std::vector<uint8_t> bytes = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(*base64_decode("+/+/"), bytes);
}

TEST(Base64Test, RoundTripsEveryByteValueAtEveryLength) {
  std::vector<uint8_t> bytes;
  for (int length = 0; length <= 260; ++length) {
    const std::string encoded = base64_encode(bytes);
    EXPECT_EQ(encoded.size(), static_cast<size_t>((length + 2) / 3 * 4));
    const Result<std::vector<uint8_t>> decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.ok()) << decoded.error();
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<uint8_t>(length * 7 + 3));
  }
}

TEST(Base64Test, RejectsLengthNotMultipleOfFour) {
  for (const char* text : {"Z", "Zg", "Zg=", "Zm9vY"}) {
    const Result<std::vector<uint8_t>> decoded = base64_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().find("multiple of 4"), std::string::npos) << decoded.error();
  }
}

TEST(Base64Test, RejectsCharactersOutsideTheAlphabet) {
  for (const char* text : {"Zm9*", "Zm 9", "Zm9v\nYg=", "Zm-_", "Zg=a", "Z=g="}) {
    const Result<std::vector<uint8_t>> decoded = base64_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().find("invalid character"), std::string::npos) << decoded.error();
  }
}

TEST(Base64Test, RejectsTooMuchPadding) {
  for (const char* text : {"Z===", "====", "Zm9v===="}) {
    EXPECT_FALSE(base64_decode(text).ok()) << text;
  }
}

TEST(Base64Test, RejectsNonZeroPaddingBits) {
  // "Zh==" and "Zm9=" carry bits past the last whole byte; canonical encoders never emit them.
  for (const char* text : {"Zh==", "Zm9="}) {
    const Result<std::vector<uint8_t>> decoded = base64_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().find("padding bits"), std::string::npos) << decoded.error();
  }
}

}  // namespace
}  // namespace strest

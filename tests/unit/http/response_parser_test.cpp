#include "http/response_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace strest {
namespace {

using State = ResponseParser::State;

struct Parsed {
  State state = State::kIncomplete;
  size_t consumed = 0;
  int status = 0;
  bool keep_alive = false;
};

// Feeds `bytes` in pieces of `piece` bytes, as a socket might deliver them.
Parsed parse_in_pieces(const std::string& bytes, size_t piece, bool head = false) {
  ResponseParser parser;
  parser.reset(head);
  Parsed parsed;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    const size_t length = std::min(piece, bytes.size() - at);
    const auto progress = parser.feed(bytes.data() + at, length);
    parsed.consumed += progress.consumed;
    parsed.state = progress.state;
    if (progress.state != State::kIncomplete) break;
  }
  parsed.status = parser.status();
  parsed.keep_alive = parser.keep_alive();
  return parsed;
}

const std::string kContentLength =
    "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!";
const std::string kChunked =
    "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nHello\r\n8;ext=1\r\n, world!\r\n0\r\nTrailer: x\r\n\r\n";

TEST(ResponseParser, ContentLengthBodyAtEverySplit) {
  for (size_t piece = 1; piece <= kContentLength.size(); ++piece) {
    const Parsed parsed = parse_in_pieces(kContentLength, piece);
    ASSERT_EQ(parsed.state, State::kComplete) << "piece " << piece;
    EXPECT_EQ(parsed.status, 200);
    EXPECT_EQ(parsed.consumed, kContentLength.size());
    EXPECT_TRUE(parsed.keep_alive);
  }
}

TEST(ResponseParser, ChunkedBodyAtEverySplit) {
  for (size_t piece = 1; piece <= kChunked.size(); ++piece) {
    const Parsed parsed = parse_in_pieces(kChunked, piece);
    ASSERT_EQ(parsed.state, State::kComplete) << "piece " << piece;
    EXPECT_EQ(parsed.status, 201);
    EXPECT_EQ(parsed.consumed, kChunked.size());
  }
}

TEST(ResponseParser, EverySplitPointOfTwoFeeds) {
  for (size_t split = 0; split <= kChunked.size(); ++split) {
    ResponseParser parser;
    parser.reset(false);
    auto first = parser.feed(kChunked.data(), split);
    if (split < kChunked.size()) {
      ASSERT_EQ(first.state, State::kIncomplete) << split;
      auto second = parser.feed(kChunked.data() + split, kChunked.size() - split);
      ASSERT_EQ(second.state, State::kComplete) << split;
      EXPECT_EQ(first.consumed + second.consumed, kChunked.size());
    } else {
      EXPECT_EQ(first.state, State::kComplete);
    }
  }
}

TEST(ResponseParser, StopsAtEndOfResponseBeforePipelinedGarbage) {
  const std::string bytes = kContentLength + "GARBAGE that is not HTTP\r\n\r\n";
  const Parsed parsed = parse_in_pieces(bytes, bytes.size());
  EXPECT_EQ(parsed.state, State::kComplete);
  EXPECT_EQ(parsed.consumed, kContentLength.size());
}

TEST(ResponseParser, GarbageIsAnError) {
  EXPECT_EQ(parse_in_pieces("NOT-HTTP garbage\r\n\r\n", 4).state, State::kError);
  EXPECT_EQ(parse_in_pieces("HTTP/1.1 abc OK\r\n\r\n", 1).state, State::kError);
  EXPECT_EQ(parse_in_pieces("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 3).state,
            State::kError);
  EXPECT_EQ(parse_in_pieces("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 5).state,
            State::kError);
}

TEST(ResponseParser, HeadResponseHasNoBodyDespiteContentLength) {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n";
  const Parsed parsed = parse_in_pieces(head, 1, /*head=*/true);
  EXPECT_EQ(parsed.state, State::kComplete);
  EXPECT_EQ(parsed.consumed, head.size());
}

TEST(ResponseParser, BodilessStatuses) {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    const std::string bytes = std::string("HTTP/1.1 ") + status + "\r\nETag: x\r\n\r\n";
    const Parsed parsed = parse_in_pieces(bytes, 2);
    EXPECT_EQ(parsed.state, State::kComplete) << status;
    EXPECT_EQ(parsed.consumed, bytes.size());
  }
}

TEST(ResponseParser, SkipsInterimContinue) {
  const std::string bytes = "HTTP/1.1 100 Continue\r\n\r\n" + kContentLength;
  const Parsed parsed = parse_in_pieces(bytes, 3);
  EXPECT_EQ(parsed.state, State::kComplete);
  EXPECT_EQ(parsed.status, 200);
  EXPECT_EQ(parsed.consumed, bytes.size());
}

TEST(ResponseParser, CloseDelimitedBodyCompletesAtEof) {
  ResponseParser parser;
  parser.reset(false);
  const std::string bytes = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nclose-delimited body";
  EXPECT_EQ(parser.feed(bytes.data(), bytes.size()).state, State::kIncomplete);
  EXPECT_EQ(parser.finish(), State::kComplete);
  EXPECT_EQ(parser.status(), 200);
  EXPECT_FALSE(parser.keep_alive());
}

TEST(ResponseParser, EofMidBodyIsAnError) {
  ResponseParser parser;
  parser.reset(false);
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
  EXPECT_EQ(parser.feed(bytes.data(), bytes.size()).state, State::kIncomplete);
  EXPECT_EQ(parser.finish(), State::kError);
}

TEST(ResponseParser, EofBeforeAnyByteIsAnError) {
  ResponseParser parser;
  parser.reset(false);
  EXPECT_FALSE(parser.started());
  EXPECT_EQ(parser.finish(), State::kError);
}

TEST(ResponseParser, ConnectionCloseHeaderMeansNoReuse) {
  const std::string bytes = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  const Parsed parsed = parse_in_pieces(bytes, bytes.size());
  EXPECT_EQ(parsed.state, State::kComplete);
  EXPECT_FALSE(parsed.keep_alive);
}

TEST(ResponseParser, ReusableAfterReset) {
  ResponseParser parser;
  for (int round = 0; round < 3; ++round) {
    parser.reset(false);
    const auto progress = parser.feed(kContentLength.data(), kContentLength.size());
    EXPECT_EQ(progress.state, State::kComplete);
    EXPECT_EQ(progress.consumed, kContentLength.size());
  }
}

}  // namespace
}  // namespace strest

#include "net/http2_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "net/http2_test_server.h"

namespace strest {
namespace {

// What the codec told its listener, in order.
struct Event {
  enum class Kind { kSent, kFirstByte, kResponse, kFailed, kOther };
  Kind kind = Kind::kOther;
  uint32_t slot = 0;
  int status = 0;
  uint64_t bytes = 0;
  TransportError error = TransportError::kNone;
  int64_t now = 0;
};
using Kind = Event::Kind;

class RecordingListener final : public SessionListener {
 public:
  void on_session_ready(uint32_t, const OpenedTimes&, int64_t now) override {
    events.push_back({Kind::kOther, 0, 0, 0, TransportError::kNone, now});
  }
  void on_request_sent(uint32_t slot, uint64_t bytes, int64_t now) override {
    events.push_back({Kind::kSent, slot, 0, bytes, TransportError::kNone, now});
  }
  void on_first_byte(uint32_t slot, int64_t now) override {
    events.push_back({Kind::kFirstByte, slot, 0, 0, TransportError::kNone, now});
  }
  void on_response(uint32_t slot, int status, uint64_t bytes, int64_t now) override {
    events.push_back({Kind::kResponse, slot, status, bytes, TransportError::kNone, now});
    if (after_response) after_response(slot);
  }
  void on_stream_failed(uint32_t slot, TransportError kind, uint64_t bytes, std::string_view,
                        int64_t now) override {
    events.push_back({Kind::kFailed, slot, 0, bytes, kind, now});
  }
  void on_session_closed(uint32_t, TransportError kind, std::string_view, int64_t now) override {
    events.push_back({Kind::kOther, 0, 0, 0, kind, now});
  }

  std::vector<Event> of_slot(uint32_t slot) const {
    std::vector<Event> found;
    for (const Event& event : events) {
      if (event.slot == slot && event.kind != Kind::kOther) found.push_back(event);
    }
    return found;
  }
  size_t count(Kind kind) const {
    size_t found = 0;
    for (const Event& event : events) found += event.kind == kind ? 1 : 0;
    return found;
  }
  // The single end (response or failure) reported for slot; kOther when none or several.
  Event end_of(uint32_t slot) const {
    Event end;
    size_t ends = 0;
    for (const Event& event : of_slot(slot)) {
      if (event.kind == Kind::kResponse || event.kind == Kind::kFailed) {
        end = event;
        ++ends;
      }
    }
    return ends == 1 ? end : Event{};
  }

  std::vector<Event> events;
  std::function<void(uint32_t slot)> after_response;  // runs inside on_response
};

RequestParts get_request(std::string path = "/") {
  RequestParts request;
  request.method = "GET";
  request.scheme = "http";
  request.authority = "example.test:8080";
  request.path = std::move(path);
  request.headers = {{"user-agent", "strest"}, {"accept", "*/*"}};
  return request;
}

// Moves bytes both ways until neither side has more to say. The server's bytes reach the codec
// in pieces of `piece` bytes, as a socket might deliver them. False when the codec rejects them.
bool exchange(Http2Codec& codec, InMemoryHttp2Server& server, int64_t now,
              size_t piece = SIZE_MAX) {
  for (int round = 0; round < 1000; ++round) {
    bool moved = false;
    for (std::string_view out; !(out = codec.next_output(now)).empty();) {
      EXPECT_TRUE(server.receive(out));
      moved = true;
    }
    const std::string in = server.take_output();
    for (size_t at = 0; at < in.size(); at += piece) {
      if (!codec.receive(in.data() + at, std::min(piece, in.size() - at), now)) return false;
      moved = true;
    }
    if (!moved) return true;
  }
  ADD_FAILURE() << "the two sides never went quiet";
  return true;
}

// A codec wired to a recording listener, with one request variant unless told otherwise.
struct Http2CodecTest : ::testing::Test {
  void make_codec(std::vector<RequestParts> variants, uint32_t max_streams = 8, bool head = false) {
    requests = std::move(variants);
    codec = std::make_unique<Http2Codec>(listener, requests, max_streams, head);
    codec->start();
  }

  RecordingListener listener;
  std::vector<RequestParts> requests;
  std::unique_ptr<Http2Codec> codec;
};

TEST_F(Http2CodecTest, OneGetReportsSentFirstByteAndResponse) {
  for (size_t piece : {SIZE_MAX, size_t{1}}) {
    listener.events.clear();
    make_codec({get_request("/hello")});
    InMemoryHttp2Server server({.body_size = 1000});
    ASSERT_TRUE(codec->submit(7, 0, 1, 10));
    EXPECT_EQ(codec->open_streams(), 1u);
    ASSERT_TRUE(exchange(*codec, server, 20, piece));

    const auto events = listener.of_slot(7);
    ASSERT_EQ(events.size(), 3u) << "piece " << piece;
    EXPECT_EQ(events[0].kind, Kind::kSent);
    EXPECT_GT(events[0].bytes, 9u);
    EXPECT_EQ(events[1].kind, Kind::kFirstByte);
    EXPECT_EQ(events[2].kind, Kind::kResponse);
    EXPECT_EQ(events[2].status, 200);
    EXPECT_GE(events[2].bytes, 1000u);
    for (const Event& event : events) EXPECT_EQ(event.now, 20);
    EXPECT_EQ(codec->open_streams(), 0u);
    EXPECT_TRUE(codec->accepting());
    EXPECT_FALSE(codec->finished());

    ASSERT_EQ(server.requests().size(), 1u);
    const auto& headers = server.requests().begin()->second.headers;
    EXPECT_EQ(headers.at(":method"), "GET");
    EXPECT_EQ(headers.at(":scheme"), "http");
    EXPECT_EQ(headers.at(":authority"), "example.test:8080");
    EXPECT_EQ(headers.at(":path"), "/hello");
    EXPECT_EQ(headers.at("user-agent"), "strest");
    EXPECT_EQ(headers.count("x-request-id"), 0u);
  }
}

TEST_F(Http2CodecTest, ManyConcurrentStreamsCompleteOnTheirSlots) {
  make_codec({get_request("/a"), get_request("/b")}, 50);
  InMemoryHttp2Server server({.status = 204});
  for (uint32_t slot = 100; slot < 150; ++slot) {
    ASSERT_TRUE(codec->submit(slot, slot % 2, slot, 1));
  }
  EXPECT_EQ(codec->open_streams(), 50u);
  ASSERT_TRUE(exchange(*codec, server, 2));

  EXPECT_EQ(listener.count(Kind::kResponse), 50u);
  for (uint32_t slot = 100; slot < 150; ++slot) {
    const Event end = listener.end_of(slot);
    EXPECT_EQ(end.kind, Kind::kResponse) << slot;
    EXPECT_EQ(end.status, 204);
  }
  EXPECT_EQ(server.requests().size(), 50u);
  EXPECT_EQ(server.most_streams_open(), 50u);
  EXPECT_EQ(codec->open_streams(), 0u);
}

TEST_F(Http2CodecTest, SubmitRefusedBeyondMaxStreams) {
  make_codec({get_request()}, 2);
  InMemoryHttp2Server server({});
  EXPECT_TRUE(codec->submit(1, 0, 1, 0));
  EXPECT_TRUE(codec->submit(2, 0, 2, 0));
  EXPECT_FALSE(codec->submit(3, 0, 3, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));
  EXPECT_TRUE(listener.of_slot(3).empty());
  EXPECT_EQ(listener.count(Kind::kResponse), 2u);
  EXPECT_TRUE(codec->submit(3, 0, 3, 2));  // room again once they completed
}

TEST_F(Http2CodecTest, NextRequestMaySubmitFromInsideOnResponse) {
  make_codec({get_request()}, 1);
  InMemoryHttp2Server server({});
  listener.after_response = [&](uint32_t slot) {
    if (slot < 3) {
      EXPECT_TRUE(codec->submit(slot + 1, 0, slot + 1, 1));
    }
  };
  ASSERT_TRUE(codec->submit(0, 0, 0, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));
  EXPECT_EQ(listener.count(Kind::kResponse), 4u);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(Http2CodecTest, PostBodyArrivesIntactWithContentLength) {
  RequestParts post = get_request("/upload");
  post.method = "POST";
  for (size_t i = 0; i < 100'000; ++i) post.body.push_back(static_cast<char>('a' + i % 26));
  post.headers.emplace_back("content-type", "text/plain");
  post.headers.emplace_back("content-length", std::to_string(post.body.size()));
  make_codec({post});
  InMemoryHttp2Server server({.status = 201});
  ASSERT_TRUE(codec->submit(0, 0, 1, 5));
  ASSERT_TRUE(exchange(*codec, server, 6));

  ASSERT_EQ(server.requests().size(), 1u);
  const SeenHttp2Request& seen = server.requests().begin()->second;
  EXPECT_TRUE(seen.complete);
  EXPECT_EQ(seen.headers.at(":method"), "POST");
  EXPECT_EQ(seen.headers.at("content-length"), "100000");
  EXPECT_EQ(seen.body, requests[0].body);
  const auto events = listener.of_slot(0);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, Kind::kSent);
  EXPECT_GT(events[0].bytes, 100'000u);
  EXPECT_EQ(events[2].status, 201);
}

TEST_F(Http2CodecTest, RequestIdHeaderCarriesEachStreamsSequence) {
  RequestParts request = get_request();
  request.id_header = "x-request-id";
  make_codec({request});
  InMemoryHttp2Server server({});
  ASSERT_TRUE(codec->submit(0, 0, 42, 0));
  ASSERT_TRUE(codec->submit(1, 0, UINT64_MAX, 0));
  ASSERT_TRUE(codec->submit(2, 0, 0, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));

  ASSERT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests().at(1).headers.at("x-request-id"), "42");
  EXPECT_EQ(server.requests().at(3).headers.at("x-request-id"), "18446744073709551615");
  EXPECT_EQ(server.requests().at(5).headers.at("x-request-id"), "0");
  EXPECT_EQ(listener.count(Kind::kResponse), 3u);
}

TEST_F(Http2CodecTest, HeadResponseWithoutBodyCompletes) {
  RequestParts head = get_request();
  head.method = "HEAD";
  make_codec({head}, 8, true);
  InMemoryHttp2Server server({.body_size = 5000});  // content-length: 5000, no DATA
  ASSERT_TRUE(codec->submit(3, 0, 1, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));
  const Event end = listener.end_of(3);
  EXPECT_EQ(end.kind, Kind::kResponse);
  EXPECT_EQ(end.status, 200);
  EXPECT_LT(end.bytes, 5000u);
}

TEST_F(Http2CodecTest, LargeResponseIsNotThrottledByFlowControl) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.body_size = 5'000'000});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));
  for (std::string_view out; !(out = codec->next_output(0)).empty();) {
    ASSERT_TRUE(server.receive(out));
  }
  // The client's first flight raised both windows: the server sends the whole body at once.
  const std::string in = server.take_output();
  EXPECT_GT(in.size(), 5'000'000u);
  ASSERT_TRUE(codec->receive(in.data(), in.size(), 1));
  ASSERT_TRUE(exchange(*codec, server, 1));
  const Event end = listener.end_of(0);
  EXPECT_EQ(end.kind, Kind::kResponse);
  EXPECT_GE(end.bytes, 5'000'000u);
}

TEST_F(Http2CodecTest, ServerResetIsStreamReset) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.reset_streams = {1}});
  ASSERT_TRUE(codec->submit(10, 0, 1, 0));  // stream 1
  ASSERT_TRUE(codec->submit(11, 0, 2, 0));  // stream 3
  ASSERT_TRUE(exchange(*codec, server, 4));
  EXPECT_EQ(listener.end_of(10).kind, Kind::kFailed);
  EXPECT_EQ(listener.end_of(10).error, TransportError::kStreamReset);
  EXPECT_EQ(listener.end_of(10).now, 4);
  EXPECT_EQ(listener.end_of(11).kind, Kind::kResponse);
  EXPECT_TRUE(codec->accepting());
}

TEST_F(Http2CodecTest, MalformedResponseIsMalformed) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.omit_status = true});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));
  EXPECT_EQ(listener.end_of(0).kind, Kind::kFailed);
  EXPECT_EQ(listener.end_of(0).error, TransportError::kMalformed);
  EXPECT_TRUE(codec->accepting());
}

TEST_F(Http2CodecTest, GoawayRefusesStreamsAboveLastStreamId) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.goaway_last_stream_id = 1});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));  // stream 1
  ASSERT_TRUE(codec->submit(1, 0, 2, 0));  // stream 3
  ASSERT_TRUE(codec->submit(2, 0, 3, 0));  // stream 5
  ASSERT_TRUE(exchange(*codec, server, 1));

  EXPECT_EQ(listener.end_of(0).kind, Kind::kResponse);
  for (uint32_t slot : {1u, 2u}) {
    EXPECT_EQ(listener.end_of(slot).kind, Kind::kFailed) << slot;
    EXPECT_EQ(listener.end_of(slot).error, TransportError::kRefusedStream) << slot;
  }
  EXPECT_FALSE(codec->accepting());
  EXPECT_TRUE(codec->finished());
  EXPECT_EQ(codec->open_streams(), 0u);
  EXPECT_FALSE(codec->submit(3, 0, 4, 2));
  EXPECT_TRUE(codec->error_detail().empty());
}

TEST_F(Http2CodecTest, GoawayRefusesRequestsStillQueued) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.hold = true, .goaway_last_stream_id = 1});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));  // stream 1
  ASSERT_TRUE(exchange(*codec, server, 1));
  ASSERT_TRUE(codec->submit(1, 0, 2, 1));  // queued in the codec while GOAWAY arrives
  server.release();                        // GOAWAY(1) and stream 1's response
  const std::string in = server.take_output();
  ASSERT_TRUE(codec->receive(in.data(), in.size(), 2));
  ASSERT_TRUE(exchange(*codec, server, 3));

  EXPECT_EQ(listener.end_of(0).kind, Kind::kResponse);
  EXPECT_EQ(listener.end_of(1).error, TransportError::kRefusedStream);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(codec->finished());
}

TEST_F(Http2CodecTest, AbandonReportsNothingAndResetsTheStream) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.hold = true});
  ASSERT_TRUE(codec->submit(1, 0, 1, 0));  // stream 1
  ASSERT_TRUE(codec->submit(2, 0, 2, 0));  // stream 3
  ASSERT_TRUE(exchange(*codec, server, 1));
  ASSERT_EQ(listener.count(Kind::kSent), 2u);

  const size_t reported_before = listener.of_slot(1).size();
  codec->abandon(1);
  EXPECT_EQ(codec->open_streams(), 1u);
  ASSERT_TRUE(exchange(*codec, server, 2));
  EXPECT_EQ(server.requests().at(1).reset_code, NGHTTP2_CANCEL);
  server.release();
  ASSERT_TRUE(exchange(*codec, server, 3));

  EXPECT_EQ(listener.of_slot(1).size(), reported_before);
  EXPECT_EQ(listener.end_of(2).kind, Kind::kResponse);
  EXPECT_EQ(codec->open_streams(), 0u);
}

TEST_F(Http2CodecTest, AbandonBeforeSendingDropsTheRequest) {
  make_codec({get_request()}, 1);
  InMemoryHttp2Server server({});
  ASSERT_TRUE(codec->submit(1, 0, 1, 0));
  codec->abandon(1);
  EXPECT_EQ(codec->open_streams(), 0u);
  ASSERT_TRUE(codec->submit(1, 0, 2, 0));  // the slot is reused at once
  ASSERT_TRUE(exchange(*codec, server, 1));

  EXPECT_EQ(server.requests().size(), 1u);
  const auto events = listener.of_slot(1);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].kind, Kind::kResponse);
  EXPECT_EQ(codec->open_streams(), 0u);
}

TEST_F(Http2CodecTest, GarbageIsAProtocolError) {
  make_codec({get_request()});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));
  EXPECT_FALSE(codec->next_output(0).empty());
  const std::string garbage = "HTTP/1.1 400 Bad Request\r\n\r\n";
  EXPECT_FALSE(codec->receive(garbage.data(), garbage.size(), 1));
  EXPECT_NE(codec->error_detail().find("HTTP/2 protocol error"), std::string::npos);
  EXPECT_TRUE(codec->finished());
  EXPECT_FALSE(codec->accepting());
  EXPECT_TRUE(listener.of_slot(0).size() <= 1u);  // at most on_request_sent
}

TEST_F(Http2CodecTest, BadFrameAfterHandshakeIsAProtocolError) {
  make_codec({get_request()});
  InMemoryHttp2Server server({});
  ASSERT_TRUE(exchange(*codec, server, 0));
  // A SETTINGS frame of 4 bytes: its length must be a multiple of 6.
  const std::string bad_settings("\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00", 13);
  EXPECT_FALSE(codec->receive(bad_settings.data(), bad_settings.size(), 1));
  EXPECT_FALSE(codec->error_detail().empty());
  EXPECT_TRUE(codec->finished());
}

TEST_F(Http2CodecTest, ServerLimitOfOneStreamQueuesTheRest) {
  make_codec({get_request()});
  InMemoryHttp2Server server({.max_concurrent_streams = 1});
  ASSERT_TRUE(exchange(*codec, server, 0));  // the client learns the limit first
  for (uint32_t slot = 0; slot < 3; ++slot) ASSERT_TRUE(codec->submit(slot, 0, slot, 1));
  ASSERT_TRUE(exchange(*codec, server, 2));
  for (uint32_t slot = 0; slot < 3; ++slot) {
    EXPECT_EQ(listener.end_of(slot).kind, Kind::kResponse) << slot;
  }
  EXPECT_EQ(server.most_streams_open(), 1u);
}

TEST_F(Http2CodecTest, StopAndStartReuseTheCodecWithoutReports) {
  make_codec({get_request()});
  {
    InMemoryHttp2Server server({.hold = true});
    ASSERT_TRUE(codec->submit(0, 0, 1, 0));
    ASSERT_TRUE(codec->submit(1, 0, 2, 0));
    ASSERT_TRUE(exchange(*codec, server, 1));
    codec->abandon(1);
    const size_t reported = listener.events.size();
    codec->stop();
    EXPECT_EQ(listener.events.size(), reported);
    EXPECT_EQ(codec->open_streams(), 0u);
    EXPECT_FALSE(codec->accepting());
    EXPECT_TRUE(codec->next_output(2).empty());
  }
  listener.events.clear();
  codec->start();
  InMemoryHttp2Server server({});
  for (uint32_t slot = 0; slot < 8; ++slot) ASSERT_TRUE(codec->submit(slot, 0, slot, 3));
  ASSERT_TRUE(exchange(*codec, server, 4));
  EXPECT_EQ(listener.count(Kind::kResponse), 8u);
  EXPECT_EQ(server.requests().count(1), 1u);  // a new connection starts again at stream 1

  codec->submit(0, 0, 9, 5);
  codec.reset();  // destroying a codec with a stream open reports nothing either
  EXPECT_EQ(listener.count(Kind::kResponse), 8u);
  EXPECT_EQ(listener.count(Kind::kFailed), 0u);
}

TEST_F(Http2CodecTest, HeaderBlockTooLargeFailsTheRequest) {
  RequestParts request = get_request();
  request.headers.emplace_back("x-huge", std::string(100'000, 'h'));
  make_codec({request});
  InMemoryHttp2Server server({});
  ASSERT_TRUE(codec->submit(0, 0, 1, 0));
  ASSERT_TRUE(exchange(*codec, server, 1));
  EXPECT_EQ(listener.end_of(0).kind, Kind::kFailed);
  EXPECT_EQ(listener.end_of(0).error, TransportError::kOther);
  EXPECT_EQ(codec->open_streams(), 0u);
  EXPECT_TRUE(codec->accepting());
}

TEST_F(Http2CodecTest, NothingHappensBeforeStart) {
  requests = {get_request()};
  Http2Codec idle(listener, requests, 4, false);
  EXPECT_FALSE(idle.accepting());
  EXPECT_TRUE(idle.finished());
  EXPECT_FALSE(idle.submit(0, 0, 1, 0));
  EXPECT_TRUE(idle.next_output(0).empty());
  EXPECT_TRUE(listener.events.empty());
}

}  // namespace
}  // namespace strest

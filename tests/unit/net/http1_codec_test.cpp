#include "net/http1_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strest {
namespace {

// Records what the codec reports, as "event slot value".
class Recording final : public SessionListener {
 public:
  std::vector<std::string> events;
  void on_session_ready(uint32_t, const OpenedTimes&, int64_t) override {}
  void on_request_sent(uint32_t slot, uint64_t bytes, int64_t) override {
    events.push_back("sent " + std::to_string(slot) + " " + std::to_string(bytes));
  }
  void on_first_byte(uint32_t slot, int64_t) override {
    events.push_back("first " + std::to_string(slot));
  }
  void on_response(uint32_t slot, int status, uint64_t bytes, int64_t) override {
    events.push_back("response " + std::to_string(slot) + " " + std::to_string(status) + " " +
                     std::to_string(bytes));
  }
  void on_stream_failed(uint32_t slot, TransportError kind, uint64_t, std::string_view,
                        int64_t) override {
    events.push_back("failed " + std::to_string(slot) + " " +
                     std::string(transport_error_name(kind)));
  }
  void on_session_closed(uint32_t, TransportError, std::string_view, int64_t) override {}
};

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";

class Http1CodecTest : public ::testing::Test {
 protected:
  std::vector<RequestTemplate> requests{{"GET / HTTP/1.1\r\nX-Id: \r\n\r\n", 22}};
  Recording listener;
  Http1Codec codec{listener, requests, false};
};

TEST_F(Http1CodecTest, WritesInPiecesAndReportsTheResponse) {
  codec.submit(3, 0, 42);
  EXPECT_TRUE(codec.busy());
  EXPECT_EQ(codec.next_output(), "GET / HTTP/1.1\r\nX-Id: 42\r\n\r\n");
  codec.wrote(5, 0);
  EXPECT_TRUE(listener.events.empty());
  EXPECT_EQ(codec.next_output(), " HTTP/1.1\r\nX-Id: 42\r\n\r\n");
  codec.wrote(codec.next_output().size(), 0);
  EXPECT_EQ(codec.next_output(), "");
  EXPECT_EQ(codec.feed(kOk.data(), 10, 0), Http1Codec::Next::kContinue);
  EXPECT_EQ(codec.feed(kOk.data() + 10, kOk.size() - 10, 0), Http1Codec::Next::kContinue);
  EXPECT_FALSE(codec.busy());
  EXPECT_EQ(listener.events,
            (std::vector<std::string>{"sent 3 28", "first 3",
                                      "response 3 200 " + std::to_string(kOk.size())}));
}

TEST_F(Http1CodecTest, ConnectionCloseAndExtraBytesEndTheConnection) {
  codec.submit(0, 0, 1);
  const std::string closing = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(codec.feed(closing.data(), closing.size(), 0), Http1Codec::Next::kClose);
  codec.submit(0, 0, 2);
  const std::string extra = kOk + "HTTP/1.1";
  EXPECT_EQ(codec.feed(extra.data(), extra.size(), 0), Http1Codec::Next::kClose);
  // Bytes with no request waiting answer nothing.
  EXPECT_EQ(codec.feed(kOk.data(), kOk.size(), 0), Http1Codec::Next::kClose);
}

TEST_F(Http1CodecTest, FailuresAreReported) {
  codec.submit(1, 0, 1);
  const std::string garbage = "SSH-2.0\r\n\r\n";
  EXPECT_EQ(codec.feed(garbage.data(), garbage.size(), 0), Http1Codec::Next::kFailed);
  codec.submit(2, 0, 1);
  EXPECT_EQ(codec.feed(kOk.data(), 20, 0), Http1Codec::Next::kContinue);
  EXPECT_EQ(codec.peer_closed(0), Http1Codec::Next::kFailed);
  EXPECT_EQ(listener.events.back(), "failed 2 closed_early");
  EXPECT_EQ(listener.events[1], "failed 1 malformed_response");
}

TEST_F(Http1CodecTest, CloseDelimitedBodyCompletesAtClose) {
  codec.submit(0, 0, 1);
  const std::string open_ended = "HTTP/1.1 200 OK\r\n\r\nbody";
  EXPECT_EQ(codec.feed(open_ended.data(), open_ended.size(), 0), Http1Codec::Next::kContinue);
  EXPECT_EQ(codec.peer_closed(0), Http1Codec::Next::kClose);
  EXPECT_EQ(listener.events.back(), "response 0 200 " + std::to_string(open_ended.size()));
}

}  // namespace
}  // namespace strest

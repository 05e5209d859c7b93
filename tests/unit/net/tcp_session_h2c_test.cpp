// --http2 over cleartext against servers that do and do not speak h2c: a real TcpSession on a
// loopback socket, with the test playing the server by hand. The loop is pumped in short waits
// until the next step can happen, within a generous bound; nothing asserts a duration.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/request_builder.h"
#include "net/epoll_loop.h"
#include "net/h2c_fallback.h"
#include "net/tcp_session.h"
#include "net/transport_config.h"
#include "plan/url.h"

namespace strest {
namespace {

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr int kPumpRounds = 3000;  // of 10 ms at most: a bound for a broken session only

// What the session reported.
struct Reports final : SessionListener {
  std::optional<Protocol> ready;
  std::vector<int> statuses;
  std::vector<TransportError> closed;
  std::vector<TransportError> failed;

  void on_session_ready(uint32_t, const OpenedTimes& times, int64_t) override {
    ready = times.protocol;
  }
  void on_request_sent(uint32_t, uint64_t, int64_t) override {}
  void on_first_byte(uint32_t, int64_t) override {}
  void on_response(uint32_t, int status, uint64_t, int64_t) override { statuses.push_back(status); }
  void on_stream_failed(uint32_t, TransportError kind, uint64_t, std::string_view,
                        int64_t) override {
    failed.push_back(kind);
  }
  void on_session_closed(uint32_t, TransportError kind, std::string_view, int64_t) override {
    closed.push_back(kind);
  }
};

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

class TcpSessionH2cTest : public ::testing::Test {
 protected:
  void SetUp() override {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(::listen(listener_, 8), 0);
    ASSERT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    const uint16_t port = ntohs(address.sin_port);

    auto url = parse_url("http://127.0.0.1:" + std::to_string(port) + "/");
    ASSERT_TRUE(url.ok());
    plan_.url = *url;
    plan_.transport.http2 = true;
    auto endpoint = resolve_endpoint("127.0.0.1", port);
    ASSERT_TRUE(endpoint.ok());
    config_.endpoint = *endpoint;
    config_.server_name = "127.0.0.1";
    config_.wanted = Protocol::kHttp2;
    config_.http1_requests = build_requests(plan_);
    config_.requests = build_request_parts(plan_);
    auto loop = EpollLoop::create();
    ASSERT_TRUE(loop.ok());
    loop_.emplace(std::move(*loop));
    session_.emplace(SessionContext{.loop = &*loop_,
                                    .listener = &reports_,
                                    .config = &config_,
                                    .read_buffer = read_buffer_,
                                    .clock = nullptr,
                                    .h2c_fallback = &fallback_},
                     0);
  }
  void TearDown() override {
    for (int fd : accepted_) ::close(fd);
    if (listener_ >= 0) ::close(listener_);
  }

  // Runs the session's event loop until `done`, within the bound.
  bool pump_until(const std::function<bool()>& done) {
    std::array<epoll_event, 8> events;
    for (int round = 0; round < kPumpRounds; ++round) {
      if (done()) return true;
      const int ready = loop_->wait(events, 10'000);
      for (int e = 0; e < ready; ++e) session_->on_io(events[e].events, ++now_);
    }
    return done();
  }
  // The server's side of the next connection the session makes.
  int accept_next() {
    if (!pump_until([&] { return readable(listener_); })) return -1;
    accepted_.push_back(::accept(listener_, nullptr, nullptr));
    return accepted_.back();
  }
  std::string read_from(int fd) {
    if (!pump_until([&] { return readable(fd); })) return "";
    char buffer[4096];
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<size_t>(got)) : "";
  }
  void write_to(int fd, std::string_view bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // After a fallback: the next connection speaks HTTP/1.1 and carries a request to the end.
  void expect_http1_exchange(int server) {
    ASSERT_TRUE(pump_until([&] { return reports_.ready.has_value(); }));
    EXPECT_EQ(*reports_.ready, Protocol::kHttp1);
    session_->submit(0, 0, 0, ++now_);
    EXPECT_EQ(read_from(server).substr(0, 16), "GET / HTTP/1.1\r\n");
    write_to(server, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    ASSERT_TRUE(pump_until([&] { return !reports_.statuses.empty(); }));
    EXPECT_EQ(reports_.statuses, std::vector<int>{200});
    EXPECT_TRUE(reports_.failed.empty());
    EXPECT_TRUE(reports_.closed.empty()) << "the h2c attempt is not reported";
  }

  Plan plan_;
  TransportConfig config_;
  H2cFallback fallback_;
  Reports reports_;
  std::vector<char> read_buffer_ = std::vector<char>(65536);
  std::optional<EpollLoop> loop_;
  std::optional<TcpSession> session_;
  int listener_ = -1;
  std::vector<int> accepted_;
  int64_t now_ = 0;
};

TEST_F(TcpSessionH2cTest, AnHttp2ServerMakesItReadyAsHttp2) {
  ASSERT_EQ(session_->open(now_), TransportError::kNone);
  const int server = accept_next();
  ASSERT_GE(server, 0);
  EXPECT_EQ(read_from(server).substr(0, kPreface.size()), kPreface);
  EXPECT_FALSE(reports_.ready) << "not ready before the server's first frame";
  write_to(server, std::string("\0\0\0\x04\0\0\0\0\0", 9));  // an empty SETTINGS frame
  ASSERT_TRUE(pump_until([&] { return reports_.ready.has_value(); }));
  EXPECT_EQ(*reports_.ready, Protocol::kHttp2);
  EXPECT_FALSE(fallback_.known());
}

TEST_F(TcpSessionH2cTest, AStatusLineAnswerFallsBackToHttp1) {
  ASSERT_EQ(session_->open(now_), TransportError::kNone);
  const int first = accept_next();
  ASSERT_GE(first, 0);
  EXPECT_EQ(read_from(first).substr(0, kPreface.size()), kPreface);
  write_to(first, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  const int second = accept_next();
  ASSERT_GE(second, 0);
  EXPECT_TRUE(fallback_.known());
  expect_http1_exchange(second);
}

TEST_F(TcpSessionH2cTest, ACloseBeforeSettingsFallsBackToHttp1) {
  ASSERT_EQ(session_->open(now_), TransportError::kNone);
  const int first = accept_next();
  ASSERT_GE(first, 0);
  EXPECT_EQ(read_from(first).substr(0, kPreface.size()), kPreface);
  ::shutdown(first, SHUT_RDWR);
  const int second = accept_next();
  ASSERT_GE(second, 0);
  EXPECT_TRUE(fallback_.known());
  expect_http1_exchange(second);
}

TEST_F(TcpSessionH2cTest, AKnownFallbackGoesStraightToHttp1) {
  fallback_.note();
  ASSERT_EQ(session_->open(now_), TransportError::kNone);
  const int server = accept_next();
  ASSERT_GE(server, 0);
  expect_http1_exchange(server);
  EXPECT_EQ(accepted_.size(), 1u) << "no h2c attempt first";
}

}  // namespace
}  // namespace strest

#include "demo_target/target_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strest {
namespace {

using namespace std::chrono_literals;

const std::string kHello =
    "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\nHello, world!";

// One parsed response; header names in lower case.
struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};

// A blocking test client on 127.0.0.1. Its reads give up after 30 s: a bound for a broken server,
// generous enough for a slow machine; no test asserts how long anything took.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{30, 0};
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return ADD_FAILURE() << "send failed";
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  void get(std::string_view path, std::string_view extra_headers = "") {
    send("GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra_headers) +
         "\r\n");
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
  // Exactly n bytes, or fewer on EOF or timeout.
  std::string read_exact(size_t n) {
    while (buffer_.size() < n && fill()) {
    }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, out.size());
    return out;
  }
  // Everything up to EOF; `eof` tells whether EOF (rather than a timeout) ended it.
  std::string read_to_eof(bool* eof = nullptr) {
    while (fill()) {
    }
    if (eof) *eof = eof_;
    return std::exchange(buffer_, {});
  }
  std::string read_line() {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos && fill()) {
    }
    return end == std::string::npos ? read_exact(buffer_.size()) : read_exact(end + 2);
  }
  Reply read_reply(bool head_request = false);
  // The last read gave up after the 30 s bound (rather than reading, or seeing EOF or a reset).
  bool timed_out() const { return timed_out_; }
  bool readable_now() { return readable_within(0ms); }
  bool readable_within(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    return !buffer_.empty() || ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }

 private:
  bool fill() {
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
    eof_ = n == 0;
    timed_out_ = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    return n > 0;
  }
  std::string chunked_body() {
    std::string body;
    for (;;) {
      size_t size = std::stoul(read_line(), nullptr, 16);
      body += read_exact(size);
      EXPECT_EQ(read_line(), "\r\n");
      if (size == 0) return body;
    }
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  bool timed_out_ = false;
  std::string buffer_;
};

Reply Client::read_reply(bool head_request) {
  Reply reply;
  std::string status_line = read_line();
  if (status_line.size() < 12) return reply;
  reply.status = std::stoi(status_line.substr(9, 3));
  for (std::string line = read_line(); line.size() > 2; line = read_line()) {
    std::string name = line.substr(0, line.find(':'));
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    reply.headers[name] = line.substr(name.size() + 2, line.size() - name.size() - 4);
  }
  bool no_body = head_request || reply.status < 200 || reply.status == 204 || reply.status == 304;
  if (no_body) return reply;
  if (reply.headers.count("content-length")) {
    reply.body = read_exact(std::stoul(reply.headers["content-length"]));
  } else if (reply.headers["transfer-encoding"] == "chunked") {
    reply.body = chunked_body();
  } else {
    reply.body = read_to_eof();
  }
  return reply;
}

class TargetServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = server_.start();
    ASSERT_TRUE(port.ok()) << port.error();
    port_ = *port;
  }
  Reply fetch(std::string_view path) {
    Client client(port_);
    client.get(path);
    return client.read_reply();
  }

  TargetServer server_{TargetOptions{}};
  uint16_t port_ = 0;
};

TEST_F(TargetServerTest, RootAnswersHelloWorldExactly) {
  Client client(port_);
  client.get("/");
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  EXPECT_FALSE(client.readable_now());
}

TEST_F(TargetServerTest, HeadSendsHeadersOnlyAndKeepsTheConnection) {
  Client client(port_);
  client.send("HEAD / HTTP/1.1\r\n\r\nHEAD /bytes/50 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  EXPECT_EQ(client.read_exact(kHello.size() - 13), kHello.substr(0, kHello.size() - 13));
  Reply bytes = client.read_reply(/*head_request=*/true);
  EXPECT_EQ(bytes.headers["content-length"], "50");
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
}

TEST_F(TargetServerTest, StatusRouteAnswersTheCode) {
  for (int code : {101, 201, 404, 500, 503, 599}) {
    Reply reply = fetch("/status/" + std::to_string(code));
    EXPECT_EQ(reply.status, code);
    if (code >= 200) {
      EXPECT_EQ(reply.body, "status " + std::to_string(code));
    }
  }
  for (int code : {204, 304}) {
    Client client(port_);
    client.get("/status/" + std::to_string(code));
    client.get("/");
    Reply reply = client.read_reply();
    EXPECT_EQ(reply.status, code);
    EXPECT_EQ(reply.headers.count("content-length"), 0u);
    EXPECT_EQ(client.read_exact(kHello.size()), kHello) << "no body after " << code;
  }
  for (std::string bad : {"100", "600", "abc", "", "20x", "-200"}) {
    EXPECT_EQ(fetch("/status/" + bad).status, 400) << bad;
  }
}

TEST_F(TargetServerTest, UnknownPathIs404) {
  Reply reply = fetch("/nope");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, "not found");
  EXPECT_EQ(fetch("/bytes/10/").status, 400);
}

TEST_F(TargetServerTest, DelayAnswersHelloAndIgnoresTheQuery) {
  Client client(port_);
  client.get("/delay/20?ignored=query");
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  EXPECT_EQ(server_.requests_served(), 1u);
}

// The delay is ten minutes: it cannot have passed while the test runs, however slow the machine.
TEST_F(TargetServerTest, DelayHoldsItsAnswerWithoutBlockingOtherConnections) {
  Client slow(port_);
  slow.get("/delay/600000");
  Client fast(port_);
  fast.get("/");
  EXPECT_EQ(fast.read_exact(kHello.size()), kHello);
  EXPECT_FALSE(slow.readable_now());
  EXPECT_EQ(server_.requests_served(), 1u) << "a delayed request counts once answered";
}

TEST_F(TargetServerTest, CapacityAnswersHelloInOrderAndCountsOnceAnswered) {
  Client client(port_);
  client.send(
      "GET /capacity/1000 HTTP/1.1\r\n\r\nGET /capacity/5 HTTP/1.1\r\n\r\n"
      "GET /status/201 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  EXPECT_EQ(client.read_reply().status, 201);
  EXPECT_EQ(server_.requests_served(), 3u);
  EXPECT_EQ(fetch("/capacity/0").status, 400);
}

// The longest stall there is (60 s): "held" below cannot be the stall having ended. Each such
// test ends with the fixture's stop(), which ends the stall.
constexpr std::string_view kLongStall = "/stall/60000";
constexpr auto kHeldCheck = 200ms;  // how long a held connection is watched: a bound, not a claim

TEST_F(TargetServerTest, StallAnswersAtOnceThenHoldsConnectionsOpenedBefore) {
  Client waiting(port_);  // connected and served before the stall, kept open through it
  waiting.get("/");
  EXPECT_EQ(waiting.read_exact(kHello.size()), kHello);
  Client staller(port_);
  staller.get(kLongStall);
  Reply reply = staller.read_reply();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "stalled 60000ms");
  waiting.get("/");
  EXPECT_FALSE(waiting.readable_within(kHeldCheck)) << "the stall is in force after its answer";
  EXPECT_EQ(server_.requests_served(), 1u);
}

TEST_F(TargetServerTest, StallHoldsPipelinedRequestsNewConnectionsAndDelays) {
  Client delayed(port_);
  Client staller(port_);
  staller.send("GET " + std::string(kLongStall) + " HTTP/1.1\r\n\r\nGET /bytes/3 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(staller.read_reply().body, "stalled 60000ms");
  delayed.get("/delay/1");  // due long before the stall ends
  Client late(port_);       // the kernel completes the handshake; the server accepts after
  ASSERT_TRUE(late.connected());
  late.get("/");
  EXPECT_FALSE(staller.readable_within(kHeldCheck)) << "the pipelined request";
  EXPECT_FALSE(late.readable_now()) << "the new connection";
  EXPECT_FALSE(delayed.readable_now()) << "the delay";
  EXPECT_EQ(server_.requests_served(), 0u);
}

TEST_F(TargetServerTest, StallEndsAndEveryHeldRequestIsAnsweredInOrder) {
  Client waiting(port_);
  Client staller(port_);
  staller.send("GET /stall/50 HTTP/1.1\r\n\r\nGET /bytes/3 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(staller.read_reply().body, "stalled 50ms");
  waiting.get("/delay/1");
  Client late(port_);
  late.get("/");
  // Each read waits for the stall's end (at most the client's 30 s bound).
  EXPECT_EQ(staller.read_reply().body, "xxx");
  EXPECT_EQ(waiting.read_exact(kHello.size()), kHello);
  EXPECT_EQ(late.read_exact(kHello.size()), kHello);
  waiting.get("/");
  EXPECT_EQ(waiting.read_exact(kHello.size()), kHello) << "the connection is kept";
  EXPECT_EQ(server_.requests_served(), 4u);
}

TEST_F(TargetServerTest, StallIsNotCountedAndItsLengthIsChecked) {
  for (std::string bad : {"0", "60001", "abc", ""}) {
    EXPECT_EQ(fetch("/stall/" + bad).status, 400) << bad;
  }
  Reply reply = fetch("/stall/1");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "stalled 1ms");
  EXPECT_EQ(fetch("/").status, 200);
  EXPECT_EQ(server_.requests_served(), 5u) << "four 400s and one /, not the stall";
}

TEST(TargetServerStall, StallsEveryThread) {
  TargetServer server(TargetOptions{.threads = 4});
  auto port = server.start();
  ASSERT_TRUE(port.ok()) << port.error();
  std::vector<std::unique_ptr<Client>> clients;  // SO_REUSEPORT spreads them over the loops
  for (int i = 0; i < 32; ++i) clients.push_back(std::make_unique<Client>(*port));
  for (auto& client : clients) client->get("/");
  for (auto& client : clients) ASSERT_EQ(client->read_exact(kHello.size()), kHello);
  Client staller(*port);
  staller.get(kLongStall);
  EXPECT_EQ(staller.read_reply().body, "stalled 60000ms");
  for (auto& client : clients) client->get("/");
  EXPECT_FALSE(clients[0]->readable_within(kHeldCheck));
  for (auto& client : clients) EXPECT_FALSE(client->readable_now());
  EXPECT_EQ(server.requests_served(), 32u) << "only the answers before the stall";
}

TEST(TargetServerStall, StopEndsAStallAndARestartIsNotStalled) {
  TargetServer server(TargetOptions{});
  auto port = server.start();
  ASSERT_TRUE(port.ok()) << port.error();
  Client staller(*port);
  staller.get(kLongStall);
  EXPECT_EQ(staller.read_reply().status, 200);
  Client held(*port);
  held.get("/");
  // Had stop() waited for the stall to end, it would have served the held request first. The
  // bound only keeps a broken stop() from hanging the suite.
  auto stopped = std::async(std::launch::async, [&server] { server.stop(); });
  ASSERT_EQ(stopped.wait_for(30s), std::future_status::ready) << "stop() waited for the stall";
  // It was never accepted (the loop was stalled), so the kernel ends it with EOF or a reset.
  EXPECT_EQ(held.read_to_eof(), "") << "the held request was never answered";
  EXPECT_FALSE(held.timed_out()) << "stop() closed the held connection";
  port = server.start();
  ASSERT_TRUE(port.ok()) << port.error();
  Client client(*port);
  client.get("/");
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
}

TEST_F(TargetServerTest, BytesSendsNBytes) {
  for (uint64_t n : {0ull, 10ull, 16384ull, 100000ull, 64ull << 20}) {
    Reply reply = fetch("/bytes/" + std::to_string(n));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers["content-length"], std::to_string(n));
    ASSERT_EQ(reply.body.size(), n);
    EXPECT_EQ(reply.body.find_first_not_of('x'), std::string::npos);
  }
  EXPECT_EQ(fetch("/bytes/" + std::to_string((64 << 20) + 1)).status, 400);
}

TEST_F(TargetServerTest, ChunkedSendsThousandByteChunks) {
  Client client(port_);
  client.get("/chunked/2500");
  std::string head =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
  std::string k = std::string(1000, 'x');
  std::string body =
      "3e8\r\n" + k + "\r\n3e8\r\n" + k + "\r\n1f4\r\n" + k.substr(500) + "\r\n0\r\n\r\n";
  EXPECT_EQ(client.read_exact(head.size() + body.size()), head + body);
  client.get("/chunked/0");
  EXPECT_EQ(client.read_exact(head.size() + 5), head + "0\r\n\r\n");
  client.get("/chunked/3000001");
  EXPECT_EQ(client.read_reply().body.size(), 3000001u);
}

TEST_F(TargetServerTest, CloseMidSendsTenOfThousandBytesThenCloses) {
  Client client(port_);
  client.get("/close-mid");
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof), "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, CloseClosesWithoutAResponse) {
  Client client(port_);
  client.get("/close");
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof), "");
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, MalformedSendsGarbageThenCloses) {
  Client client(port_);
  client.get("/malformed");
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof), "NOT-HTTP garbage\r\n\r\n");
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, EofBodyIsDelimitedByClose) {
  Client client(port_);
  client.get("/eof-body");
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof),
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nclose-delimited body");
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, StatsCountsEveryRouteButItself) {
  fetch("/");
  fetch("/nope");
  fetch("/status/500");
  Client client(port_);
  client.get("/close");
  client.read_to_eof();
  for (int i = 0; i < 2; ++i) {
    Reply reply = fetch("/__stats");
    EXPECT_EQ(reply.headers["content-type"], "application/json");
    EXPECT_EQ(reply.body, "{\"requests\": 4}");
  }
  EXPECT_EQ(server_.requests_served(), 4u);
}

TEST_F(TargetServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Client client(port_);
  for (int i = 0; i < 100; ++i) {
    client.get(i % 2 ? "/" : "/bytes/3");
    EXPECT_EQ(client.read_reply().body, i % 2 ? "Hello, world!" : "xxx");
  }
  EXPECT_EQ(server_.requests_served(), 100u);
}

TEST_F(TargetServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client client(port_);
  std::string batch;
  for (std::string path :
       {"/status/201", "/bytes/1000000", "/delay/1", "/chunked/20000", "/nope", "/bytes/5", "/"}) {
    batch += "GET " + path + " HTTP/1.1\r\n\r\n";
  }
  client.send(batch);
  std::vector<int> statuses;
  std::vector<size_t> sizes;
  for (int i = 0; i < 7; ++i) {
    Reply reply = client.read_reply();
    statuses.push_back(reply.status);
    sizes.push_back(reply.body.size());
  }
  EXPECT_EQ(statuses, (std::vector<int>{201, 200, 200, 200, 404, 200, 200}));
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 1000000, 13, 20000, 9, 5, 13}));
}

TEST_F(TargetServerTest, ManyPipelinedRequestsWithoutReadingComplete) {
  Client client(port_);
  std::string batch;
  for (int i = 0; i < 5000; ++i) batch += "GET / HTTP/1.1\r\n\r\n";
  client.send(batch);  // the server stops parsing while its output is full, then resumes
  std::string all = client.read_exact(kHello.size() * 5000);
  EXPECT_EQ(all.size(), kHello.size() * 5000);
  EXPECT_EQ(all.substr(all.size() - kHello.size()), kHello);
}

TEST_F(TargetServerTest, PipelinedRequestsResumeAfterTheClientStartsReading) {
  Client client(port_);
  std::string batch;
  for (int i = 0; i < 1000; ++i) batch += "GET /bytes/16000 HTTP/1.1\r\n\r\n";
  client.send(batch);
  // 16 MB of answers fill the socket buffers long before the client reads: the server's writes
  // block, and it must stop parsing and resume once the client drains them.
  ASSERT_TRUE(client.readable_within(30s)) << "the server started answering";
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(client.read_reply().body.size(), 16000u) << i;
}

TEST_F(TargetServerTest, RequestSplitByteByByteIsParsed) {
  Client client(port_);
  std::string request = "GET /bytes/4 HTTP/1.1\r\nHost: t\r\nX-Long: abcdefgh\r\n\r\n";
  // One send per byte with TCP_NODELAY: the server sees the request in pieces (how many bytes
  // each read gets is the kernel's business), and nothing may be answered before the last one.
  for (size_t i = 0; i + 1 < request.size(); ++i) {
    client.send(std::string_view(&request[i], 1));
    EXPECT_FALSE(client.readable_now()) << "answered after " << i + 1 << " bytes";
  }
  client.send(std::string_view(&request.back(), 1));
  EXPECT_EQ(client.read_reply().body, "xxxx");
}

TEST_F(TargetServerTest, RequestBodiesAreDiscarded) {
  Client client(port_);
  client.send("POST /status/201 HTTP/1.1\r\nContent-Length: 20\r\n\r\nGET / HTTP/1.1\r\n\r\nxx");
  std::string big(1 << 20, 'b');
  client.send("PUT / HTTP/1.1\r\ncontent-length: " + std::to_string(big.size()) + "\r\n\r\n");
  client.send(big);
  client.get("/bytes/2");
  EXPECT_EQ(client.read_reply().status, 201);
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  EXPECT_EQ(client.read_reply().body, "xx");
  EXPECT_EQ(server_.requests_served(), 3u);
}

TEST_F(TargetServerTest, ConnectionCloseIsHonoured) {
  Client client(port_);
  client.send("POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof),
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, world!");
  EXPECT_TRUE(eof);
  Client old(port_);
  old.send("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.read_reply().headers["connection"], "close");
  old.read_to_eof(&eof);
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, HalfClosedClientStillGetsItsAnswers) {
  Client client(port_);
  client.send("GET /bytes/200000 HTTP/1.1\r\n\r\nGET /delay/5 HTTP/1.1\r\n\r\n");
  client.shutdown_write();
  EXPECT_EQ(client.read_reply().body.size(), 200000u);
  EXPECT_EQ(client.read_exact(kHello.size()), kHello);
  bool eof = false;
  EXPECT_EQ(client.read_to_eof(&eof), "");
  EXPECT_TRUE(eof);
}

TEST_F(TargetServerTest, BadRequestsAreRejectedAndClosed) {
  struct Case {
    std::string request;
    int status;
  };
  for (const Case& c :
       {Case{"NOT-HTTP garbage\r\n\r\n", 400}, Case{"GET / HTTP/1.1\r\nno colon\r\n\r\n", 400},
        Case{"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400},
        Case{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        Case{"GET / HTTP/1.1\r\nX: " + std::string(20000, 'a') + "\r\n\r\n", 431}}) {
    Client client(port_);
    client.send(c.request);
    Reply reply = client.read_reply();
    EXPECT_EQ(reply.status, c.status) << c.request.substr(0, 40);
    EXPECT_EQ(reply.headers["connection"], "close");
    bool eof = false;
    client.read_to_eof(&eof);
    EXPECT_TRUE(eof);
  }
}

TEST_F(TargetServerTest, ServesManyConnectionsAtOnce) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 200; ++i) clients.push_back(std::make_unique<Client>(port_));
  for (auto& client : clients) client->get("/");
  for (auto& client : clients) EXPECT_EQ(client->read_exact(kHello.size()), kHello);
}

TEST(TargetServerLifecycle, StartsAndStopsTwice) {
  TargetServer server(TargetOptions{});
  for (int round = 0; round < 2; ++round) {
    auto port = server.start();
    ASSERT_TRUE(port.ok()) << port.error();
    EXPECT_FALSE(server.start().ok()) << "already running";
    Client idle(*port);
    Client client(*port);
    client.get("/");
    EXPECT_EQ(client.read_exact(kHello.size()), kHello);
    server.stop();
    server.stop();
    bool eof = false;
    idle.read_to_eof(&eof);
    EXPECT_TRUE(eof) << "stop closes open connections";
    EXPECT_FALSE(Client(*port).connected());
  }
  EXPECT_EQ(server.requests_served(), 2u);
}

TEST(TargetServerLifecycle, PortZeroPicksAFreePortAndABusyPortFails) {
  TargetServer first(TargetOptions{});
  TargetServer second(TargetOptions{});
  auto a = first.start();
  auto b = second.start();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, 0);
  EXPECT_NE(*a, *b);
  TargetServer clash(TargetOptions{.port = *a});
  auto c = clash.start();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("bind 127.0.0.1:" + std::to_string(*a)), std::string::npos);
  EXPECT_FALSE(TargetServer(TargetOptions{.threads = 0}).start().ok());
}

TEST(TargetServerLifecycle, SeveralThreadsShareOnePort) {
  TargetServer server(TargetOptions{.threads = 4});
  auto port = server.start();
  ASSERT_TRUE(port.ok()) << port.error();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 64; ++i) clients.push_back(std::make_unique<Client>(*port));
  for (auto& client : clients) client->get("/");
  for (auto& client : clients) EXPECT_EQ(client->read_exact(kHello.size()), kHello);
  clients[0]->get("/__stats");
  EXPECT_EQ(clients[0]->read_reply().body, "{\"requests\": 64}");
  EXPECT_EQ(server.requests_served(), 64u);
}

// A POST with a body, as one string.
std::string post(std::string_view path, std::string_view body, std::string_view headers = "") {
  return "POST " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(headers) +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

TEST_F(TargetServerTest, LoginWaitsForItsBodyAndPipelinesAfterIt) {
  Client client(port_);
  std::string request = post("/login", R"({"user": "carol"})") + "GET /health HTTP/1.1\r\n\r\n";
  size_t body_at = request.find('{');
  client.send(request.substr(0, body_at + 3));  // the head and part of the body
  EXPECT_FALSE(client.readable_within(50ms)) << "answered before the body arrived";
  client.send(request.substr(body_at + 3));
  Reply login = client.read_reply();
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_NE(login.body.find("\"token\": \"tok-carol-"), std::string::npos) << login.body;
  EXPECT_TRUE(login.headers["set-cookie"].starts_with("session=sess-carol-"));
  EXPECT_EQ(client.read_reply().body, "ok");
}

TEST_F(TargetServerTest, TokenAndCookieFromLoginOpenProfileAndCheckout) {
  Client client(port_);
  client.send(post("/login", R"({"user": "dave"})"));
  Reply login = client.read_reply();
  size_t start = login.body.find("tok-");
  std::string token = login.body.substr(start, login.body.find('"', start) - start);
  std::string cookie = login.headers["set-cookie"].substr(0, login.headers["set-cookie"].find(';'));
  client.get("/profile", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(client.read_reply().status, 200);
  client.send(
      post("/checkout", "{}", "Authorization: Bearer " + token + "\r\nCookie: " + cookie + "\r\n"));
  Reply checkout = client.read_reply();
  EXPECT_EQ(checkout.status, 200) << checkout.body;
  client.send(post("/checkout", "{}", "Authorization: Bearer " + token + "\r\n"));
  EXPECT_EQ(client.read_reply().status, 403);
  client.get("/profile");
  EXPECT_EQ(client.read_reply().status, 401);
}

TEST_F(TargetServerTest, ALoginBodyTooLargeToReadIsDiscardedAndRefused) {
  Client client(port_);
  std::string big(kTargetMaxReadBody + 1, ' ');
  client.send(post("/login", big));
  EXPECT_EQ(client.read_reply().status, 400);
  client.get("/health");
  EXPECT_EQ(client.read_reply().body, "ok");
}

TEST_F(TargetServerTest, RouteStatsCountRequestsPerRoute) {
  Client client(port_);
  for (std::string path :
       {"/health", "/health", "/items/1", "/items/x", "/", "/nope", "/search?q=a", "/profile"}) {
    client.get(path);
    client.read_reply();
  }
  client.send(post("/login", R"({"user": "erin"})"));
  client.read_reply();
  client.get("/__stats");
  client.read_reply();
  client.get("/stats");
  Reply stats = client.read_reply();
  EXPECT_EQ(stats.headers["content-type"], "application/json");
  EXPECT_EQ(stats.body,
            "{\"requests\": 9, \"routes\": {\"/\": 1, \"/health\": 2, \"/login\": 1, "
            "\"/profile\": 1, \"/search\": 1, \"/items\": 2, \"/checkout\": 0, \"other\": 1}}");
  EXPECT_EQ(server_.route_requests(RouteCounter::kHealth), 2u);
}

TEST(TargetServerLifecycle, RouteStatsAddUpOverThreads) {
  TargetServer server(TargetOptions{.threads = 3});
  auto port = server.start();
  ASSERT_TRUE(port.ok()) << port.error();
  for (int i = 0; i < 12; ++i) {
    Client client(*port);
    client.get("/health");
    EXPECT_EQ(client.read_reply().status, 200);
  }
  EXPECT_EQ(server.route_requests(RouteCounter::kHealth), 12u);
}

}  // namespace
}  // namespace strest

// HTTP/3 sessions against the ngtcp2 example server (gtlsserver, Debian's ngtcp2-server) on
// 127.0.0.1, driven by a small epoll loop like the worker's. Skipped when gtlsserver or the
// openssl CLI is missing.
#include "net/http3_session.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/epoll_loop.h"
#include "net/http3_request_fields.h"
#include "net/quic_close_reason.h"
#include "net/quic_tls.h"
#include "net/transport_config.h"

namespace strest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kServer = "/usr/sbin/gtlsserver";
constexpr size_t kFileSize = 100'000;  // several flights of packets
constexpr int64_t kBoundUs = 5'000'000;

int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A UDP port nothing is bound to right now.
uint16_t free_udp_port() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool udp_port_bound(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0;
  ::close(fd);
  return bound;
}

// Every report, in order, as text ("ready", "sent 3", "response 3 200"), plus the details.
class RecordingListener final : public SessionListener {
 public:
  void on_session_ready(uint32_t, const OpenedTimes& times, int64_t) override {
    log.push_back("ready");
    opened = times;
    if (on_ready) on_ready();
  }
  void on_request_sent(uint32_t slot, uint64_t bytes, int64_t) override {
    log.push_back("sent " + std::to_string(slot));
    sent_bytes[slot] = bytes;
  }
  void on_first_byte(uint32_t slot, int64_t) override {
    log.push_back("first " + std::to_string(slot));
  }
  void on_response(uint32_t slot, int status, uint64_t bytes, int64_t) override {
    log.push_back("response " + std::to_string(slot) + " " + std::to_string(status));
    responses[slot] = {status, bytes};
    if (on_done) on_done(slot);
  }
  void on_stream_failed(uint32_t slot, TransportError kind, uint64_t, std::string_view,
                        int64_t) override {
    log.push_back("failed " + std::to_string(slot) + " " + std::to_string(static_cast<int>(kind)));
    if (on_done) on_done(slot);
  }
  void on_session_closed(uint32_t, TransportError kind, std::string_view text, int64_t) override {
    log.push_back("closed");
    closed = kind;
    detail = text;
  }

  std::vector<std::string> log;
  OpenedTimes opened;
  std::map<uint32_t, uint64_t> sent_bytes;
  std::map<uint32_t, std::pair<int, uint64_t>> responses;
  std::optional<TransportError> closed;
  std::string detail;
  std::function<void()> on_ready;
  std::function<void(uint32_t)> on_done;
};

class Http3SessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kServer) || std::system("openssl version > /dev/null 2>&1") != 0) return;
    std::string pattern = (fs::temp_directory_path() / "strest_h3_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return;
    dir_ = new fs::path(pattern);
    fs::create_directory(*dir_ / "htdocs");
    std::ofstream(*dir_ / "htdocs" / "file", std::ios::binary) << std::string(kFileSize, 'x');
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
        (*dir_ / "key.pem").string() + " -out " + (*dir_ / "cert.pem").string() +
        " > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return;
    port_ = free_udp_port();
    server_ = start_server(port_, {});
  }

  static void TearDownTestSuite() {
    stop_server(server_);
    server_ = -1;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }

  // gtlsserver on 127.0.0.1:port serving htdocs/, once it has bound the port (-1: it did not).
  static pid_t start_server(uint16_t port, std::vector<std::string> options) {
    std::vector<std::string> args = {kServer, "-q", "-d", (*dir_ / "htdocs").string()};
    args.insert(args.end(), options.begin(), options.end());
    for (const char* name : {"127.0.0.1", "", "key.pem", "cert.pem"}) args.emplace_back(name);
    args[args.size() - 3] = std::to_string(port);
    args[args.size() - 2] = (*dir_ / "key.pem").string();
    args[args.size() - 1] = (*dir_ / "cert.pem").string();
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test binary that dies early
      if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
      execv(kServer, argv.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && !udp_port_bound(port); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (udp_port_bound(port)) return pid;
    stop_server(pid);
    return -1;
  }

  static void stop_server(pid_t pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 100 && waitpid(pid, nullptr, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (waitpid(pid, nullptr, WNOHANG) == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }

  void SetUp() override {
    if (server_ <= 0 || !udp_port_bound(port_)) GTEST_SKIP() << "gtlsserver or openssl missing";
    auto loop = EpollLoop::create();
    ASSERT_TRUE(loop.ok()) << loop.error();
    loop_.emplace(std::move(*loop));
    config_.server_name = "127.0.0.1";
    config_.tls = true;
    config_.wanted = Protocol::kHttp3;
    config_.tls_settings.verify = false;
    config_.tls_settings.alpn = {"h3"};
    config_.requests = {request("/file")};
    target(port_);
  }

  RequestParts request(const std::string& path) const {
    RequestParts parts;
    parts.method = "GET";
    parts.scheme = "https";
    parts.authority = "127.0.0.1:" + std::to_string(port_);
    parts.path = path;
    parts.headers = {{"user-agent", "strest-test"}};
    return parts;
  }

  void target(uint16_t port) {
    auto endpoint = resolve_endpoint("127.0.0.1", port);
    ASSERT_TRUE(endpoint.ok()) << endpoint.error();
    config_.endpoint = *endpoint;
  }

  std::unique_ptr<Session> make() {
    SessionContext context;
    context.loop = &*loop_;
    context.listener = &listener_;
    context.config = &config_;
    context.read_buffer = read_buffer_;
    return make_http3_session(context, 7);
  }

  int64_t now() const { return steady_us() - start_us_; }

  // Runs the session like the worker does until `done` or the bound; false on the bound.
  bool drive(Session& session, const std::function<bool()>& done) {
    const int64_t deadline = now() + kBoundUs;
    std::array<epoll_event, 8> events{};
    while (!done()) {
      int64_t t = now();
      if (t >= deadline) return false;
      const int64_t due = session.timer_due_us();
      const int64_t wait = std::clamp<int64_t>(std::min(due, deadline) - t, 0, 50'000);
      const int ready = loop_->wait(events, wait);
      for (int i = 0; i < ready; ++i) {
        EXPECT_EQ(events[i].data.u64, 7u);
        session.on_io(events[i].events, now());
      }
      t = now();
      if (session.timer_due_us() <= t) session.on_timer(t);
    }
    return true;
  }

  bool closed() const { return listener_.closed.has_value(); }

  static inline fs::path* dir_ = nullptr;
  static inline pid_t server_ = -1;
  static inline uint16_t port_ = 0;

  int64_t start_us_ = steady_us();
  std::optional<EpollLoop> loop_;
  TransportConfig config_;
  RecordingListener listener_;
  std::vector<char> read_buffer_ = std::vector<char>(65536);
};

TEST_F(Http3SessionTest, GetsAFile) {
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  EXPECT_FALSE(session->accepting());
  listener_.on_ready = [&] {
    EXPECT_TRUE(session->accepting());
    session->submit(3, 0, 1, now());  // from inside the report, as the worker does
  };
  ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(3) > 0 || closed(); }));
  ASSERT_FALSE(closed()) << listener_.detail;
  EXPECT_EQ(listener_.responses[3].first, 200);
  EXPECT_GE(listener_.responses[3].second, kFileSize);
  EXPECT_GT(listener_.sent_bytes[3], 0u);
  EXPECT_EQ(listener_.log,
            (std::vector<std::string>{"ready", "sent 3", "first 3", "response 3 200"}));
  EXPECT_EQ(listener_.opened.protocol, Protocol::kHttp3);
  EXPECT_TRUE(listener_.opened.tls);
  EXPECT_GE(listener_.opened.handshake_us, listener_.opened.started_us);
  EXPECT_TRUE(session->accepting());
  EXPECT_LT(session->timer_due_us(), INT64_MAX);  // idle timeout, at least
}

TEST_F(Http3SessionTest, UnknownPathIsA404Response) {
  config_.requests = {request("/missing")};
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  listener_.on_ready = [&] { session->submit(1, 0, 1, now()); };
  ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(1) > 0 || closed(); }));
  EXPECT_EQ(listener_.responses[1].first, 404);
}

TEST_F(Http3SessionTest, ConcurrentStreamsAllComplete) {
  config_.streams_per_connection = 4;
  config_.requests = {request("/file"), request("/missing")};
  config_.requests[0].id_header = "x-request-id";
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  uint32_t next = 0;
  listener_.on_ready = [&] {
    for (; next < 4; ++next) session->submit(next, next % 2, next, now());
  };
  // Each completion frees a stream for the next request: 12 requests through a pool of 4.
  listener_.on_done = [&](uint32_t) {
    if (next < 12) session->submit(next, next % 2, next, now()), ++next;
  };
  ASSERT_TRUE(drive(*session, [&] { return listener_.responses.size() == 12 || closed(); }));
  ASSERT_FALSE(closed()) << listener_.detail;
  for (uint32_t slot = 0; slot < 12; ++slot) {
    EXPECT_EQ(listener_.responses[slot].first, slot % 2 == 0 ? 200 : 404) << slot;
  }
}

TEST_F(Http3SessionTest, UntrustedCertificateFailsTheHandshake) {
  config_.tls_settings.verify = true;  // the system store does not know our self-signed cert
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  ASSERT_TRUE(drive(*session, [&] { return closed(); }));
  EXPECT_EQ(listener_.closed, TransportError::kTlsHandshake);
  EXPECT_NE(listener_.detail.find("certificate verify failed"), std::string::npos)
      << listener_.detail;
  EXPECT_EQ(listener_.log, std::vector<std::string>{"closed"});
}

TEST_F(Http3SessionTest, CertificateTrustedThroughCaFile) {
  config_.tls_settings.verify = true;
  config_.tls_settings.ca_file = (*dir_ / "cert.pem").string();
  for (const char* name : {"localhost", "127.0.0.1"}) {
    listener_ = RecordingListener{};
    config_.server_name = name;
    config_.tls_settings.server_name = name;
    auto session = make();
    ASSERT_EQ(session->open(now()), TransportError::kNone);
    listener_.on_ready = [&] { session->submit(1, 0, 1, now()); };
    ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(1) > 0 || closed(); }));
    EXPECT_FALSE(closed()) << name << ": " << listener_.detail;
    EXPECT_EQ(listener_.responses[1].first, 200) << name;
  }
}

TEST_F(Http3SessionTest, WrongNameFailsVerification) {
  config_.tls_settings.verify = true;
  config_.tls_settings.ca_file = (*dir_ / "cert.pem").string();
  config_.tls_settings.server_name = "example.com";
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  ASSERT_TRUE(drive(*session, [&] { return closed(); }));
  EXPECT_EQ(listener_.closed, TransportError::kTlsHandshake);
  EXPECT_NE(listener_.detail.find("name in the certificate does not match"), std::string::npos)
      << listener_.detail;
}

TEST_F(Http3SessionTest, NoServerIsAQuicError) {
  target(free_udp_port());
  auto session = make();
  const int64_t started = now();
  ASSERT_EQ(session->open(started), TransportError::kNone);
  ASSERT_TRUE(drive(*session, [&] { return closed(); }));
  EXPECT_EQ(listener_.closed, TransportError::kQuic);
  EXPECT_NE(listener_.detail.find("does the server speak HTTP/3?"), std::string::npos)
      << listener_.detail;
  EXPECT_NE(listener_.detail.find(config_.endpoint.text), std::string::npos);
  EXPECT_LT(now() - started, 1'000'000);  // ECONNREFUSED from the kernel, no timeout
}

TEST_F(Http3SessionTest, SilentServerTimesOutTheHandshake) {
  // A UDP socket that never answers: the handshake times out on our timer, after the connect
  // timeout.
  const int silent = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length);
  target(ntohs(address.sin_port));
  config_.connect_timeout_us = 300'000;
  auto session = make();
  const int64_t started = now();
  ASSERT_EQ(session->open(started), TransportError::kNone);
  const bool done = drive(*session, [&] { return closed(); });
  ::close(silent);
  ASSERT_TRUE(done);
  EXPECT_EQ(listener_.closed, TransportError::kQuic);
  EXPECT_NE(listener_.detail.find("did not complete"), std::string::npos) << listener_.detail;
  EXPECT_GE(now() - started, 300'000);
}

TEST_F(Http3SessionTest, WithoutKeepAliveClosesAfterTheResponse) {
  config_.keepalive = false;
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  listener_.on_ready = [&] { session->submit(2, 0, 1, now()); };
  ASSERT_TRUE(drive(*session, [&] { return closed(); }));
  EXPECT_EQ(listener_.closed, TransportError::kNone);
  EXPECT_EQ(listener_.log.back(), "closed");
  EXPECT_EQ(listener_.responses[2].first, 200);
  EXPECT_FALSE(session->accepting());
  EXPECT_EQ(session->timer_due_us(), INT64_MAX);
}

TEST_F(Http3SessionTest, AbandonedStreamReportsNothingAndTheConnectionGoesOn) {
  config_.streams_per_connection = 2;
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  listener_.on_ready = [&] {
    session->submit(1, 0, 1, now());
    EXPECT_TRUE(session->abandon(1, now()));
    session->submit(2, 0, 2, now());
  };
  ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(2) > 0 || closed(); }));
  EXPECT_EQ(listener_.responses[2].first, 200);
  for (const std::string& entry : listener_.log) EXPECT_EQ(entry.find(" 1"), std::string::npos);
}

TEST_F(Http3SessionTest, UploadsALargeBody) {
  constexpr size_t kBody = 1'000'000;  // beyond the server's first stream window (256 KiB)
  config_.requests[0].method = "POST";
  config_.requests[0].body = std::string(kBody, 'b');
  config_.requests[0].headers.push_back({"content-length", std::to_string(kBody)});
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  listener_.on_ready = [&] { session->submit(5, 0, 1, now()); };
  ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(5) > 0 || closed(); }));
  ASSERT_FALSE(closed()) << listener_.detail;
  EXPECT_EQ(listener_.responses[5].first, 200);
  EXPECT_GE(listener_.sent_bytes[5], kBody);
}

TEST_F(Http3SessionTest, IdleConnectionClosesInOrder) {
  // A second server whose idle timeout (1 s) is shorter than ours: the connection, left idle
  // after its response, times out on our timer, an orderly close.
  const uint16_t port = free_udp_port();
  const pid_t server = start_server(port, {"--timeout=1s"});
  ASSERT_GT(server, 0);
  target(port);
  config_.requests = {request("/file")};
  auto session = make();
  ASSERT_EQ(session->open(now()), TransportError::kNone);
  listener_.on_ready = [&] { session->submit(1, 0, 1, now()); };
  const bool done = drive(*session, [&] { return closed(); });
  stop_server(server);
  ASSERT_TRUE(done);
  EXPECT_EQ(listener_.closed, TransportError::kNone) << listener_.detail;
  EXPECT_EQ(listener_.responses[1].first, 200);
}

TEST_F(Http3SessionTest, ReopensAfterClose) {
  auto session = make();
  for (int round = 0; round < 3; ++round) {
    listener_ = RecordingListener{};
    ASSERT_EQ(session->open(now()), TransportError::kNone);
    listener_.on_ready = [&] { session->submit(1, 0, 1, now()); };
    ASSERT_TRUE(drive(*session, [&] { return listener_.responses.count(1) > 0 || closed(); }));
    EXPECT_EQ(listener_.responses[1].first, 200) << round;
    session->close();
    EXPECT_FALSE(session->accepting());
    EXPECT_EQ(session->timer_due_us(), INT64_MAX);
  }
  EXPECT_FALSE(closed());  // close() reports nothing
}

TEST(QuicTlsTest, PreloadNamesABadCaFile) {
  TlsSettings settings;
  settings.ca_file = "/nonexistent/ca.pem";
  const std::string error = preload_quic_credentials(settings);
  EXPECT_EQ(error.rfind("--cacert: cannot load '/nonexistent/ca.pem'", 0), 0u) << error;
  settings.verify = false;
  EXPECT_EQ(preload_quic_credentials(settings), "");  // nothing to load
}

TEST(Http3RequestFieldsTest, PseudoHeadersFirstAndTheIdLast) {
  std::vector<RequestParts> requests(1);
  requests[0].method = "POST";
  requests[0].scheme = "https";
  requests[0].authority = "example.com";
  requests[0].path = "/a";
  requests[0].headers = {{"content-type", "text/plain"}};
  requests[0].id_header = "x-id";
  Http3RequestFields fields(requests);
  const auto nva = fields.fields(0, "42");
  auto text = [](const uint8_t* data, size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
  };
  ASSERT_EQ(nva.size(), 6u);
  EXPECT_EQ(text(nva[0].name, nva[0].namelen), ":method");
  EXPECT_EQ(text(nva[0].value, nva[0].valuelen), "POST");
  EXPECT_EQ(text(nva[3].value, nva[3].valuelen), "/a");
  EXPECT_EQ(text(nva[4].name, nva[4].namelen), "content-type");
  EXPECT_EQ(text(nva[5].name, nva[5].namelen), "x-id");
  EXPECT_EQ(text(nva[5].value, nva[5].valuelen), "42");
  EXPECT_EQ(nva[5].flags & NGHTTP3_NV_FLAG_NO_COPY_VALUE, 0);  // nghttp3 copies the id
  EXPECT_NE(nva[4].flags & NGHTTP3_NV_FLAG_NO_COPY_VALUE, 0);
}

TEST(QuicCloseReasonTest, NamesErrorCodes) {
  ngtcp2_connection_close_error error{};
  error.type = NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_TRANSPORT;
  error.error_code = 0xa;
  EXPECT_EQ(describe_close(error), "PROTOCOL_VIOLATION (0xa)");
  error.error_code = NGTCP2_CRYPTO_ERROR | 0x78;
  EXPECT_EQ(describe_close(error), "TLS alert no_application_protocol (0x178)");
  error.type = NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION;
  error.error_code = 0x102;
  uint8_t reason[] = {'o', 'o', 'p', 's'};
  error.reason = reason;
  error.reasonlen = sizeof reason;
  EXPECT_EQ(describe_close(error), "H3_INTERNAL_ERROR (0x102): oops");
  EXPECT_FALSE(is_graceful_close(error));
  error.error_code = 0x100;
  EXPECT_TRUE(is_graceful_close(error));
  EXPECT_EQ(http3_error_name(0x10c), "H3_REQUEST_CANCELLED");
  EXPECT_EQ(http3_error_name(0x1), "");
}

}  // namespace
}  // namespace strest

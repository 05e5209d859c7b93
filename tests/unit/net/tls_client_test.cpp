#include "net/tls_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "net/file_descriptor.h"
#include "net/tls_test_certs.h"

namespace strest {
namespace {

using ::testing::HasSubstr;
using Io = TlsStream::Io;

struct ServerOptions {
  std::string cert = test::test_cert_files().server_cert;
  std::string key = test::test_cert_files().server_key;
  int min_version = 0;
  int max_version = 0;
  bool require_client_cert = false;
};

// The server side of the test connections: a non-blocking OpenSSL server stepped in the same
// thread between client calls, so every exchange is deterministic. Its context lives across
// connections, so its session tickets resume.
class TestServer {
 public:
  explicit TestServer(const ServerOptions& options) : ctx_(SSL_CTX_new(TLS_server_method())) {
    SSL_CTX* ctx = ctx_.get();
    EXPECT_EQ(SSL_CTX_use_certificate_chain_file(ctx, options.cert.c_str()), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx, options.key.c_str(), SSL_FILETYPE_PEM), 1);
    SSL_CTX_set_min_proto_version(ctx, options.min_version);
    SSL_CTX_set_max_proto_version(ctx, options.max_version);
    const unsigned char id[] = "strest";
    SSL_CTX_set_session_id_context(ctx, id, sizeof id - 1);
    SSL_CTX_set_alpn_select_cb(ctx, select_h2_first, nullptr);
    if (options.require_client_cert) {
      SSL_CTX_load_verify_locations(ctx, test::test_cert_files().ca_cert.c_str(), nullptr);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
  }
  ~TestServer() { close(); }

  void accept(int fd) {
    close();
    ssl_ = SSL_new(ctx_.get());
    SSL_set_fd(ssl_, fd);
    SSL_set_accept_state(ssl_);
    accepted_ = failed_ = false;
  }
  // One non-blocking step of SSL_accept; a no-op once it is done or failed. Its errors are
  // cleared so they never reach the client (the error queue is per thread).
  void step() {
    if (accepted_ || failed_) return;
    ERR_clear_error();
    const int ret = SSL_accept(ssl_);
    accepted_ = ret == 1;
    const int error = SSL_get_error(ssl_, ret);
    failed_ = !accepted_ && error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE;
    ERR_clear_error();
  }
  // Reads what has arrived, "" when nothing has.
  std::string read() {
    std::string data;
    char buffer[16384];
    size_t bytes = 0;
    while (SSL_read_ex(ssl_, buffer, sizeof buffer, &bytes) == 1) data.append(buffer, bytes);
    ERR_clear_error();
    return data;
  }
  void write(const std::string& data) {
    size_t bytes = 0;
    EXPECT_EQ(SSL_write_ex(ssl_, data.data(), data.size(), &bytes), 1);
    ERR_clear_error();
  }
  bool accepted() const { return accepted_; }
  SSL* ssl() const { return ssl_; }

 private:
  static int select_h2_first(SSL*, const unsigned char** out, unsigned char* out_length,
                             const unsigned char* offered, unsigned offered_length, void*) {
    static const unsigned char kPreferred[] = "\x02h2\x08http/1.1";
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, out_length, kPreferred, sizeof kPreferred - 1, offered,
                              offered_length) != OPENSSL_NPN_NEGOTIATED) {
      return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
  }
  void close() {
    if (ssl_ == nullptr) return;
    SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl_);
    ssl_ = nullptr;
  }

  std::unique_ptr<SSL_CTX, test::OpenSslFree<SSL_CTX_free>> ctx_;
  SSL* ssl_ = nullptr;
  bool accepted_ = false;
  bool failed_ = false;
};

TlsSettings trusting_test_ca() {
  TlsSettings settings;
  settings.ca_file = test::test_cert_files().ca_cert;
  settings.server_name = "localhost";
  return settings;
}

std::shared_ptr<const TlsContext> make_context(const TlsSettings& settings) {
  auto context = TlsContext::create(settings);
  EXPECT_TRUE(context.ok()) << context.error();
  return context.ok() ? *context : nullptr;
}

class TlsClientTest : public ::testing::Test {
 protected:
  void SetUp() override { signal(SIGPIPE, SIG_IGN); }  // as the binary does (stop_signal.cpp)

  // A fresh socket pair with the server accepting on one end and the client started on the
  // other; the previous pair (if any) is closed.
  void connect(TlsStream& client, TestServer& server) {
    client.reset();
    int fds[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    client_fd_.reset(fds[0]);
    server_fd_.reset(fds[1]);
    server.accept(server_fd_.get());
    ASSERT_TRUE(client.start(client_fd_.get())) << client.error_detail();
  }
  // Client and server take turns until the client's handshake is done or failed.
  static Io handshake(TlsStream& client, TestServer& server) {
    for (int turn = 0; turn < 20; ++turn) {
      const Io io = client.handshake();
      server.step();
      if (io == Io::kOk || io == Io::kError) return io;
    }
    return Io::kWantRead;
  }
  // Reads until `size` bytes arrived or the read ends otherwise; returns how it ended.
  static Io read_until(TlsStream& client, TestServer& server, size_t size, std::string& data) {
    char buffer[4096];
    for (int turn = 0; turn < 1000 && data.size() < size; ++turn) {
      const TlsStream::IoResult result = client.read(buffer, sizeof buffer);
      if (result.io == Io::kOk) {
        data.append(buffer, result.bytes);
      } else if (result.io == Io::kWantRead) {
        server.step();
      } else {
        return result.io;
      }
    }
    return data.size() >= size ? Io::kOk : Io::kWantRead;
  }
  // Handshake, then a read: TLS 1.3 reports a refused client certificate only then.
  static Io handshake_and_read(TlsStream& client, TestServer& server) {
    const Io io = handshake(client, server);
    if (io != Io::kOk) return io;
    std::string data;
    return read_until(client, server, 1, data);
  }

  FileDescriptor client_fd_;
  FileDescriptor server_fd_;
};

TEST_F(TlsClientTest, HandshakeVerifiesServerAgainstCaFile) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
  EXPECT_TRUE(server.accepted());
  EXPECT_FALSE(client.resumed());
  EXPECT_EQ(client.alpn(), "");
  EXPECT_STREQ(SSL_get_servername(server.ssl(), TLSEXT_NAMETYPE_host_name), "localhost");
}

TEST_F(TlsClientTest, DataRoundTripsWithPartialWrites) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
  // Larger than the socket buffers, so writes return partial counts and kWantWrite.
  std::string request(1 << 20, '\0');
  for (size_t i = 0; i < request.size(); ++i) request[i] = static_cast<char>('a' + i % 26);
  std::string received;
  size_t sent = 0;
  for (int turn = 0; turn < 10000 && sent < request.size(); ++turn) {
    const TlsStream::IoResult result = client.write(request.data() + sent, request.size() - sent);
    ASSERT_TRUE(result.io == Io::kOk || result.io == Io::kWantWrite) << client.error_detail();
    sent += result.bytes;
    server.step();
    received += server.read();
  }
  received += server.read();
  ASSERT_EQ(sent, request.size());
  EXPECT_TRUE(received == request) << received.size() << " of " << request.size() << " bytes";
  server.write("pong");
  std::string reply;
  EXPECT_EQ(read_until(client, server, 4, reply), Io::kOk) << client.error_detail();
  EXPECT_EQ(reply, "pong");
}

// drained() lets the session stop reading without a last read that only hears EAGAIN. It must
// never say so while bytes wait, in the socket or inside OpenSSL (edge-triggered epoll would
// not wake us for them), and should say so once a read took everything.
TEST_F(TlsClientTest, DrainedOnlyWhenNothingIsLeftToRead) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
  server.step();
  std::string ticket_data;
  read_until(client, server, 1, ticket_data);  // takes the TLS 1.3 tickets in
  const std::vector<std::vector<size_t>> writes = {{100}, {100, 200, 300}, {20000}, {70000, 5}};
  for (const size_t read_size : {size_t{1}, size_t{10}, size_t{4096}, size_t{65536}}) {
    for (const std::vector<size_t>& records : writes) {
      std::string sent;
      for (const size_t size : records) {
        const std::string record(size, static_cast<char>('a' + sent.size() % 26));
        server.write(record);
        sent += record;
      }
      std::string received;
      std::vector<char> buffer(read_size);
      bool ever_drained_after_data = false;
      for (int turn = 0; turn < 100000 && received.size() < sent.size(); ++turn) {
        const TlsStream::IoResult result = client.read(buffer.data(), buffer.size());
        if (result.io != Io::kOk) {
          ASSERT_EQ(result.io, Io::kWantRead) << client.error_detail();
          EXPECT_TRUE(client.drained());
          break;
        }
        received.append(buffer.data(), result.bytes);
        if (!client.drained()) continue;
        ever_drained_after_data = true;
        int waiting = -1;
        ASSERT_EQ(ioctl(client_fd_.get(), FIONREAD, &waiting), 0);
        EXPECT_EQ(waiting, 0) << "drained with bytes in the socket";
        ASSERT_EQ(received.size(), sent.size())
            << "drained with " << sent.size() - received.size() << " bytes not read, " << read_size
            << "-byte reads";
      }
      EXPECT_TRUE(received == sent) << received.size() << " of " << sent.size() << " bytes";
      // Small writes fit one socket read: the read that returns their last byte knows it.
      if (sent.size() < 4096 && read_size >= sent.size()) {
        EXPECT_TRUE(ever_drained_after_data) << read_size << "-byte reads of " << sent.size();
      }
      EXPECT_EQ(client.read(buffer.data(), buffer.size()).io, Io::kWantRead);
    }
  }
}

TEST_F(TlsClientTest, SelfSignedServerFailsVerification) {
  TestServer server(
      {test::test_cert_files().self_signed_cert, test::test_cert_files().self_signed_key});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kError);
  EXPECT_THAT(client.error_detail(), HasSubstr("certificate verify failed: self"));
  EXPECT_THAT(client.error_detail(), HasSubstr("signed certificate"));
}

TEST_F(TlsClientTest, SystemStoreDoesNotTrustTestCa) {
  TestServer server({});
  TlsSettings settings;
  settings.server_name = "localhost";
  TlsStream client(make_context(settings));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kError);
  EXPECT_THAT(client.error_detail(), HasSubstr("certificate verify failed"));
}

TEST_F(TlsClientTest, InsecureAcceptsSelfSignedServer) {
  TestServer server(
      {test::test_cert_files().self_signed_cert, test::test_cert_files().self_signed_key});
  TlsSettings settings;
  settings.verify = false;
  settings.server_name = "other.example";
  TlsStream client(make_context(settings));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
}

TEST_F(TlsClientTest, HostnameMismatchFails) {
  TestServer server({});
  TlsSettings settings = trusting_test_ca();
  settings.server_name = "example.com";
  TlsStream client(make_context(settings));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kError);
  EXPECT_THAT(client.error_detail(), HasSubstr("certificate verify failed: hostname mismatch"));
}

TEST_F(TlsClientTest, IpLiteralIsVerifiedWithoutSni) {
  TestServer server({});
  for (const char* address : {"127.0.0.1", "[::1]"}) {
    TlsSettings settings = trusting_test_ca();
    settings.server_name = address;
    TlsStream client(make_context(settings));
    connect(client, server);
    EXPECT_EQ(handshake(client, server), Io::kOk) << address << ": " << client.error_detail();
    EXPECT_EQ(SSL_get_servername(server.ssl(), TLSEXT_NAMETYPE_host_name), nullptr) << address;
  }
}

TEST_F(TlsClientTest, IpLiteralMismatchFails) {
  TestServer server({});
  TlsSettings settings = trusting_test_ca();
  settings.server_name = "127.0.0.2";
  TlsStream client(make_context(settings));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kError);
  EXPECT_THAT(client.error_detail(), HasSubstr("certificate verify failed: IP address mismatch"));
}

TEST_F(TlsClientTest, AlpnReportsTheServersChoice) {
  TestServer server({});
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"h2", "http/1.1"}, "h2"}, {{"http/1.1"}, "http/1.1"}, {{}, ""}};
  for (const auto& [offered, selected] : cases) {
    TlsSettings settings = trusting_test_ca();
    settings.alpn = offered;
    TlsStream client(make_context(settings));
    connect(client, server);
    ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
    EXPECT_EQ(client.alpn(), selected);
  }
}

TEST_F(TlsClientTest, VersionBoundsApply) {
  ServerOptions options;
  options.min_version = TLS1_3_VERSION;
  TestServer server(options);
  TlsSettings settings = trusting_test_ca();
  settings.max_version = TLS1_2_VERSION;
  TlsStream client(make_context(settings));
  connect(client, server);
  EXPECT_EQ(handshake(client, server), Io::kError);
  EXPECT_THAT(client.error_detail(), HasSubstr("protocol version"));
}

TEST_F(TlsClientTest, MaxVersionIsNegotiated) {
  TestServer server({});
  TlsSettings settings = trusting_test_ca();
  settings.max_version = TLS1_2_VERSION;
  TlsStream client(make_context(settings));
  connect(client, server);
  ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
  EXPECT_EQ(SSL_version(server.ssl()), TLS1_2_VERSION);
}

TEST_F(TlsClientTest, MutualTlsSendsClientCertificate) {
  ServerOptions options;
  options.require_client_cert = true;
  TestServer server(options);
  TlsSettings settings = trusting_test_ca();
  settings.cert_file = test::test_cert_files().client_cert;
  settings.key_file = test::test_cert_files().client_key;
  TlsStream client(make_context(settings));
  connect(client, server);
  ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
  server.step();
  EXPECT_TRUE(server.accepted());
  X509* peer = SSL_get0_peer_certificate(server.ssl());
  EXPECT_NE(peer, nullptr);
}

TEST_F(TlsClientTest, MutualTlsFailsWithoutClientCertificate) {
  ServerOptions options;
  options.require_client_cert = true;
  TestServer server(options);
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TlsSettings settings = trusting_test_ca();
    settings.max_version = version;
    TlsStream client(make_context(settings));
    connect(client, server);
    EXPECT_EQ(handshake_and_read(client, server), Io::kError) << version;
    EXPECT_THAT(client.error_detail(), HasSubstr("alert")) << version;
  }
}

TEST_F(TlsClientTest, ReconnectsResumeTheSavedSession) {
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    TestServer server({});
    TlsSettings settings = trusting_test_ca();
    settings.min_version = settings.max_version = version;
    TlsStream client(make_context(settings));
    connect(client, server);
    ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
    EXPECT_FALSE(client.resumed());
    // Twice: closing without close_notify (reset()) must not spoil the saved session.
    for (int reconnect = 0; reconnect < 3; ++reconnect) {
      if (reconnect > 0) {
        connect(client, server);
        ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
        EXPECT_TRUE(client.resumed()) << version << " reconnect " << reconnect;
        server.step();
        EXPECT_EQ(SSL_session_reused(server.ssl()), 1) << version << " reconnect " << reconnect;
      }
      // A TLS 1.3 ticket serves once; the server's new tickets precede this reply.
      server.write("hello");
      std::string data;
      ASSERT_EQ(read_until(client, server, 5, data), Io::kOk) << client.error_detail();
    }
  }
}

TEST_F(TlsClientTest, PeerCloseIsReportedAsClosed) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  for (const bool close_notify : {true, false}) {
    connect(client, server);
    ASSERT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
    server.step();
    if (close_notify) SSL_shutdown(server.ssl());
    shutdown(server_fd_.get(), SHUT_WR);
    std::string data;
    EXPECT_EQ(read_until(client, server, 1, data), Io::kClosed) << client.error_detail();
  }
}

TEST_F(TlsClientTest, EofDuringHandshakeIsExplained) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  EXPECT_EQ(client.handshake(), Io::kWantRead);
  shutdown(server_fd_.get(), SHUT_WR);
  EXPECT_EQ(client.handshake(), Io::kError);
  EXPECT_EQ(client.error_detail(), "connection closed during TLS handshake");
}

TEST_F(TlsClientTest, StaleOpenSslErrorsDoNotLeakIntoNextConnection) {
  TestServer server({});
  TlsStream client(make_context(trusting_test_ca()));
  connect(client, server);
  ERR_raise(ERR_LIB_SSL, SSL_R_UNSUPPORTED_PROTOCOL);  // left over from someone else
  EXPECT_EQ(client.handshake(), Io::kWantRead) << client.error_detail();
  ERR_raise(ERR_LIB_SSL, SSL_R_UNSUPPORTED_PROTOCOL);
  server.step();
  EXPECT_EQ(handshake(client, server), Io::kOk) << client.error_detail();
}

TEST(TlsContextTest, MissingCaFileNamesFlagAndPath) {
  TlsSettings settings;
  settings.ca_file = "/nonexistent/ca.pem";
  auto context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.error(),
            "--cacert: cannot load '/nonexistent/ca.pem': no such file or directory");
}

TEST(TlsContextTest, FilesWithoutPemAreRejected) {
  const test::TestCertFiles& files = test::test_cert_files();
  TlsSettings settings;
  settings.ca_file = files.not_pem;
  auto context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_EQ(context.error(),
            "--cacert: cannot load '" + files.not_pem + "': no certificates in it (expected PEM)");
  settings.ca_file = "";
  settings.cert_file = files.not_pem;
  settings.key_file = files.client_key;
  context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("--cert: cannot load '" + files.not_pem + "'"));
  settings.cert_file = files.client_cert;
  settings.key_file = files.not_pem;
  context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("--key: cannot load '" + files.not_pem + "'"));
}

TEST(TlsContextTest, CertAndKeyComeTogether) {
  TlsSettings settings;
  settings.cert_file = test::test_cert_files().client_cert;
  auto context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("--cert needs --key"));
  settings.cert_file = "";
  settings.key_file = test::test_cert_files().client_key;
  context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("--key needs --cert"));
}

TEST(TlsContextTest, KeyMustMatchCertificate) {
  TlsSettings settings;
  settings.cert_file = test::test_cert_files().client_cert;
  settings.key_file = test::test_cert_files().server_key;
  auto context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("does not match the certificate in --cert"));
}

TEST(TlsContextTest, AlpnNamesMustFitTheWireFormat) {
  TlsSettings settings;
  settings.alpn = {"h2", ""};
  auto context = TlsContext::create(settings);
  ASSERT_FALSE(context.ok());
  EXPECT_THAT(context.error(), HasSubstr("--alpn"));
  settings.alpn = {"h2", std::string(256, 'x')};
  EXPECT_FALSE(TlsContext::create(settings).ok());
}

TEST(TlsContextTest, DefaultsBuildAVerifyingContext) {
  auto context = TlsContext::create(TlsSettings{});
  ASSERT_TRUE(context.ok()) << context.error();
  EXPECT_EQ(SSL_CTX_get_verify_mode((*context)->get()), SSL_VERIFY_PEER);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

}  // namespace
}  // namespace strest

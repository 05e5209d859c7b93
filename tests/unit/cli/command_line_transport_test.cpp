// How requests reach the target, from flags and config: TLS, HTTP/2 and HTTP/3, proxy, Unix
// socket, keep-alive; and the one-line errors for settings that cannot apply.
#include <gtest/gtest.h>

#include "cli/command_line.h"
#include "cli/command_line_fixture.h"
#include "net/tls_test_certs.h"

namespace strest {
namespace {

class CommandLineTransportTest : public CommandLineFixture {
 protected:
  static TransportPlan transport_of(std::vector<std::string> args) {
    return command_of(std::move(args), ParsedCommand::Mode::kRun).plan.transport;
  }
};

TEST_F(CommandLineTransportTest, DefaultsAreVerifiedHttp1) {
  const TransportPlan transport = transport_of({"-u", "https://h/"});
  EXPECT_FALSE(transport.insecure);
  EXPECT_FALSE(transport.http2);
  EXPECT_FALSE(transport.http3);
  EXPECT_EQ(transport.tls_min, 0);
  EXPECT_EQ(transport.tls_max, 0);
  EXPECT_TRUE(transport.alpn.empty());
  EXPECT_EQ(transport.streams_per_connection, 10u);
  EXPECT_FALSE(transport.proxy);
  EXPECT_FALSE(transport.disable_keepalive);
}

TEST_F(CommandLineTransportTest, TlsFlags) {
  const test::TestCertFiles& files = test::test_cert_files();
  const TransportPlan transport =
      transport_of({"-u", "https://h/", "--insecure", "--cacert", files.ca_cert, "--cert",
                    files.client_cert, "--key", files.client_key, "--tls-min", "1.2", "--tls-max",
                    "1.3", "--alpn", "h2", "--alpn", "http/1.1"});
  EXPECT_TRUE(transport.insecure);
  EXPECT_EQ(transport.cacert, files.ca_cert);
  EXPECT_EQ(transport.cert, files.client_cert);
  EXPECT_EQ(transport.key, files.client_key);
  EXPECT_EQ(transport.tls_min, 12);
  EXPECT_EQ(transport.tls_max, 13);
  EXPECT_EQ(transport.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
}

// Certificate files are loaded before anything is sent: a bad one is bad input (exit 2).
TEST_F(CommandLineTransportTest, CredentialFilesAreCheckedUpFront) {
  EXPECT_EQ(error_of({"-u", "https://h/", "--cacert", "absent.pem"}),
            "--cacert: cannot load 'absent.pem': no such file or directory");
  EXPECT_EQ(
      error_of({"-u", "https://h/", "--http3", "--cacert", "absent.pem"}).rfind("--cacert", 0), 0u);
  const test::TestCertFiles& files = test::test_cert_files();
  EXPECT_EQ(error_of({"-u", "https://h/", "--cert", files.client_cert, "--key", files.server_key})
                .rfind("--key: ", 0),
            0u);
}

TEST_F(CommandLineTransportTest, ConfigKeys) {
  write("strest.toml",
        "url = \"https://h/\"\ntls_min = \"1.1\"\ntls_max = \"1.2\"\nhttp2 = true\nalpn = "
        "[\"h2\"]\nstreams_per_connection = 4\ninsecure = true\n");
  const TransportPlan transport = transport_of({});
  EXPECT_EQ(transport.tls_min, 11);
  EXPECT_EQ(transport.tls_max, 12);
  EXPECT_TRUE(transport.http2);
  EXPECT_EQ(transport.alpn, (std::vector<std::string>{"h2"}));
  EXPECT_EQ(transport.streams_per_connection, 4u);
  EXPECT_TRUE(transport.insecure);
  write("strest.toml", "url = \"https://h/\"\ndisable_keepalive = true\n");
  EXPECT_TRUE(transport_of({}).disable_keepalive);
}

TEST_F(CommandLineTransportTest, TlsVersionErrors) {
  EXPECT_EQ(error_of({"-u", "https://h/", "--tls-min", "1.3", "--tls-max", "1.2"}),
            "--tls-min 1.3 is above --tls-max 1.2: no TLS version is left; lower the minimum");
  EXPECT_EQ(error_of({"-u", "https://h/", "--tls-min", "1.4"}),
            "--tls-min must be 1.0, 1.1, 1.2 or 1.3 (got '1.4')");
  write("strest.toml", "url = \"https://h/\"\ntls_max = \"1.0\"\ntls_min = \"1.2\"\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'tls_min' 1.2 is above strest.toml: key 'tls_max' 1.0: no TLS "
            "version is left; lower the minimum");
}

TEST_F(CommandLineTransportTest, TlsSettingsNeedHttps) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--insecure"}),
            "--insecure applies to https:// URLs only: use an https:// --url");
  EXPECT_EQ(error_of({"-u", "http://h/", "--cacert", "ca.pem"}),
            "--cacert applies to https:// URLs only: use an https:// --url");
  EXPECT_EQ(error_of({"-u", "http://h/", "--http3"}),
            "--http3 applies to https:// URLs only: use an https:// --url");
}

TEST_F(CommandLineTransportTest, CertNeedsKey) {
  EXPECT_EQ(error_of({"-u", "https://h/", "--cert", "c.pem"}),
            "--cert needs --key, the certificate's private key");
  EXPECT_EQ(error_of({"-u", "https://h/", "--key", "k.pem"}),
            "--key needs --cert, the client certificate it belongs to");
}

TEST_F(CommandLineTransportTest, ProtocolErrors) {
  EXPECT_EQ(error_of({"-u", "https://h/", "--http2", "--http3"}),
            "--http2 and --http3 exclude each other: pick one protocol");
  EXPECT_EQ(error_of({"-u", "https://h/", "--streams-per-connection", "4"}),
            "--streams-per-connection applies to HTTP/2 and HTTP/3 only: add --http2 or --http3");
  EXPECT_EQ(error_of({"-u", "https://h/", "--http2", "--streams-per-connection", "0"}),
            "--streams-per-connection must be between 1 and 10000 (got 0)");
  EXPECT_EQ(error_of({"-u", "https://h/", "--http2", "--streams-per-connection", "4",
                      "--disable-keepalive"}),
            "--streams-per-connection does nothing with --disable-keepalive: each connection "
            "carries one request");
  EXPECT_EQ(error_of({"-u", "https://h/", "--http3", "--alpn", "h2"}),
            "--alpn does not apply to --http3: QUIC always offers h3");
  EXPECT_EQ(error_of({"-u", "https://h/", "--http3", "--tls-max", "1.2"}),
            "--tls-max is below 1.3, which QUIC (--http3) always uses");
  EXPECT_TRUE(transport_of({"-u", "https://h/", "--http3", "--tls-min", "1.3"}).http3);
  EXPECT_EQ(error_of({"-u", "https://h/", "--alpn", "bad id"}),
            "--alpn: 'bad id' is not an ALPN protocol id: use e.g. h2 or http/1.1");
}

TEST_F(CommandLineTransportTest, Proxy) {
  const TransportPlan transport =
      transport_of({"-u", "http://h/", "-p", "http://u%40x:p%3Aw@proxy:3128"});
  ASSERT_TRUE(transport.proxy);
  EXPECT_EQ(transport.proxy->host, "proxy");
  EXPECT_EQ(transport.proxy->port, 3128);
  EXPECT_EQ(transport.proxy->user, "u@x");
  EXPECT_EQ(transport.proxy->password, "p:w");
  EXPECT_EQ(transport_of({"-u", "http://h/", "--proxy", "http://proxy"}).proxy->port, 80);
  EXPECT_EQ(error_of({"-u", "http://h/", "--proxy", "socks5://p:1080"}),
            "--proxy: 'socks5://p:1080' is not an http:// proxy URL: use "
            "http://[user:pass@]host:port");
  EXPECT_EQ(error_of({"-u", "http://h/", "--proxy", "http://p:1/path"}),
            "--proxy: a proxy URL has no path: use http://host:port");
  EXPECT_EQ(error_of({"-u", "https://h/", "--http3", "--proxy", "http://p:1"}),
            "--proxy does not work with --http3 (QUIC runs over UDP to the URL's host)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--unix-socket", "absent.sock"}),
            "--unix-socket: 'absent.sock' does not exist: start the server or fix the path");
  write("plain.txt", "x");
  EXPECT_EQ(error_of({"-u", "http://h/", "--unix-socket", "plain.txt"}),
            "--unix-socket: 'plain.txt' is not a socket");
  EXPECT_EQ(error_of({"-u", "http://h/", "--proxy", "http://p:1", "--unix-socket", "/s"}),
            "--proxy and --unix-socket exclude each other: the socket replaces the network");
}

TEST_F(CommandLineTransportTest, DemoRefusesRealTransports) {
  EXPECT_EQ(error_of({"demo", "--http2"}),
            "strest demo runs against its built-in HTTP/1.1 target: --http2, --http3, --proxy "
            "and --unix-socket need a real --url");
  EXPECT_EQ(error_of({"demo", "--insecure"}),
            "--insecure applies to https:// URLs only: use an https:// --url");
}

}  // namespace
}  // namespace strest

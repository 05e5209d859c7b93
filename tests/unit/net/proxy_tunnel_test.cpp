#include "net/proxy_tunnel.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(ProxyTunnel, ConnectRequest) {
  EXPECT_EQ(build_connect_request("h:443", ""), "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n");
  EXPECT_EQ(build_connect_request("[::1]:8443", "Basic dTpw"),
            "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nProxy-Authorization: Basic "
            "dTpw\r\n\r\n");
}

TEST(ProxyTunnel, ReplyArrivesInPieces) {
  const std::string reply = "HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\n";
  for (size_t cut = 0; cut < reply.size(); ++cut) {
    EXPECT_EQ(parse_connect_reply(reply.substr(0, cut)).state, ConnectReply::State::kIncomplete);
  }
  const ConnectReply done = parse_connect_reply(reply + "\x16\x03");  // TLS follows
  EXPECT_EQ(done.state, ConnectReply::State::kEstablished);
  EXPECT_EQ(done.head_size, reply.size());
  EXPECT_EQ(done.status_line, "HTTP/1.1 200 Connection established");
}

TEST(ProxyTunnel, RefusedAndMalformed) {
  const ConnectReply refused =
      parse_connect_reply("HTTP/1.0 407 Proxy Authentication Required\r\n\r\n");
  EXPECT_EQ(refused.state, ConnectReply::State::kRefused);
  EXPECT_EQ(refused.status_line, "HTTP/1.0 407 Proxy Authentication Required");
  EXPECT_EQ(parse_connect_reply("SSH-2.0-OpenSSH\r\n\r\n").state, ConnectReply::State::kMalformed);
  EXPECT_EQ(parse_connect_reply(std::string(20'000, 'x')).state, ConnectReply::State::kMalformed);
}

}  // namespace
}  // namespace strest

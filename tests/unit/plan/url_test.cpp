#include "plan/url.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

Url parsed(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.ok()) << text << ": " << (url.ok() ? "" : url.error());
  return url.ok() ? *url : Url{};
}

std::string error_of(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_FALSE(url.ok()) << text << " parsed";
  if (url.ok()) return "";
  EXPECT_EQ(url.error().find('\n'), std::string::npos);
  return url.error();
}

TEST(ParseUrl, PlainHttpGetsDefaultPortAndRootPath) {
  Url url = parsed("http://localhost");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "localhost");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.host_header, "localhost");
}

TEST(ParseUrl, ExplicitPortIsKeptInHostHeader) {
  Url url = parsed("http://127.0.0.1:3000/health");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 3000);
  EXPECT_EQ(url.target, "/health");
  EXPECT_EQ(url.host_header, "127.0.0.1:3000");
}

TEST(ParseUrl, HttpsDefaultsToPort443) {
  Url url = parsed("https://example.com/a");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.port, 443);
}

TEST(ParseUrl, SchemeIsCaseInsensitiveAndLowerCased) {
  EXPECT_EQ(parsed("HTTP://Example.com/").scheme, "http");
  EXPECT_EQ(parsed("HtTpS://example.com/").scheme, "https");
  EXPECT_EQ(parsed("HTTP://Example.com/").host, "Example.com");
}

TEST(ParseUrl, Ipv6LiteralInBrackets) {
  Url url = parsed("http://[::1]:8080/x");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.host_header, "[::1]:8080");
  EXPECT_EQ(url.target, "/x");
}

TEST(ParseUrl, Ipv6LiteralWithoutPort) {
  Url url = parsed("http://[2001:db8::2]");
  EXPECT_EQ(url.host, "2001:db8::2");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.host_header, "[2001:db8::2]");
  EXPECT_EQ(url.target, "/");
}

TEST(ParseUrl, QueryIsKept) {
  EXPECT_EQ(parsed("http://h/search?q=a&b=2").target, "/search?q=a&b=2");
}

TEST(ParseUrl, QueryWithoutPathGetsRootPath) {
  EXPECT_EQ(parsed("http://h?x=1").target, "/?x=1");
  EXPECT_EQ(parsed("http://h:81?x=1").port, 81);
}

TEST(ParseUrl, FragmentIsDropped) {
  EXPECT_EQ(parsed("http://h/page#section").target, "/page");
  EXPECT_EQ(parsed("http://h/p?q=1#frag").target, "/p?q=1");
  EXPECT_EQ(parsed("http://h#frag").target, "/");
}

TEST(ParseUrl, PercentEncodingIsKeptAsWritten) {
  EXPECT_EQ(parsed("http://h/a%20b").target, "/a%20b");
}

TEST(ParseUrl, HighestPortIsAccepted) { EXPECT_EQ(parsed("http://h:65535/").port, 65535); }

TEST(ParseUrl, UserInfoIsRefused) {
  EXPECT_NE(error_of("http://user:pass@h/").find("user info"), std::string::npos);
  EXPECT_NE(error_of("http://user@h/").find("-H"), std::string::npos);
}

TEST(ParseUrl, ErrorsQuoteTheUrl) {
  EXPECT_EQ(error_of("ftp://h/").rfind("invalid URL 'ftp://h/': ", 0), 0u);
}

TEST(ParseUrl, EmptyUrl) { EXPECT_EQ(error_of(""), "empty URL"); }

TEST(ParseUrl, MissingScheme) {
  EXPECT_NE(error_of("localhost:3000").find("missing scheme"), std::string::npos);
  EXPECT_NE(error_of("/path").find("missing scheme"), std::string::npos);
}

TEST(ParseUrl, UnsupportedScheme) {
  EXPECT_NE(error_of("ftp://h/").find("unsupported scheme 'ftp'"), std::string::npos);
  EXPECT_NE(error_of("ws://h/").find("unsupported scheme 'ws'"), std::string::npos);
}

TEST(ParseUrl, MissingHost) {
  EXPECT_NE(error_of("http://").find("no host"), std::string::npos);
  EXPECT_NE(error_of("http:///path").find("no host"), std::string::npos);
  EXPECT_NE(error_of("http://:80/").find("no host"), std::string::npos);
}

TEST(ParseUrl, BadPorts) {
  EXPECT_NE(error_of("http://h:abc/").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("http://h:0/").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("http://h:65536/").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("http://h:99999999999999999999/").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("http://h:/").find("empty port"), std::string::npos);
  EXPECT_NE(error_of("http://h:-1/").find("not a number"), std::string::npos);
}

TEST(ParseUrl, Ipv6Mistakes) {
  EXPECT_NE(error_of("http://::1/").find("brackets"), std::string::npos);
  EXPECT_NE(error_of("http://[::1/").find("closing ']'"), std::string::npos);
  EXPECT_NE(error_of("http://[::1]x/").find("after ']'"), std::string::npos);
  EXPECT_NE(error_of("http://[localhost]/").find("not an IPv6 address"), std::string::npos);
  EXPECT_NE(error_of("http://[::1]:0/").find("out of range"), std::string::npos);
}

TEST(ParseUrl, InvalidHostCharacters) {
  EXPECT_NE(error_of("http://ho st/").find("not a valid host name"), std::string::npos);
  EXPECT_NE(error_of("http://h!/").find("not a valid host name"), std::string::npos);
}

TEST(ParseUrl, TargetMustBeEscaped) {
  EXPECT_NE(error_of("http://h/a b").find("percent-encode"), std::string::npos);
  EXPECT_NE(error_of("http://h/a\tb").find("percent-encode"), std::string::npos);
  EXPECT_NE(error_of("http://h/caf\xc3\xa9").find("percent-encode"), std::string::npos);
  EXPECT_NE(error_of("http://h/?q=a\r\nX: y").find("a\\x0d\\x0aX"), std::string::npos);
}

TEST(ParseUrl, ControlCharactersInErrorsAreEscaped) {
  EXPECT_NE(error_of("http://h\n:1/").find("'h\\x0a' is not a valid host name"), std::string::npos);
  EXPECT_NE(error_of("http://h:1\n/").find("port '1\\x0a'"), std::string::npos);
}

TEST(UrlToString, OmitsDefaultPort) {
  EXPECT_EQ(parsed("http://h:80/a?b=1#c").to_string(), "http://h/a?b=1");
  EXPECT_EQ(parsed("https://h:443").to_string(), "https://h/");
}

TEST(UrlToString, KeepsOtherPorts) {
  EXPECT_EQ(parsed("http://h:8080/x").to_string(), "http://h:8080/x");
  EXPECT_EQ(parsed("http://h:443/").to_string(), "http://h:443/");
  EXPECT_EQ(parsed("https://h:80/").to_string(), "https://h:80/");
}

TEST(UrlToString, BracketsIpv6) {
  EXPECT_EQ(parsed("http://[::1]:9000/x").to_string(), "http://[::1]:9000/x");
  EXPECT_EQ(parsed("http://[::1]/").to_string(), "http://[::1]/");
}

TEST(UrlToString, RoundTrips) {
  for (const char* text :
       {"http://a/", "http://a:1/b?c=d", "https://[fe80::1]:8443/x", "http://h/%41"}) {
    Url url = parsed(text);
    Url again = parsed(url.to_string());
    EXPECT_EQ(again.to_string(), url.to_string());
    EXPECT_EQ(again.target, url.target);
    EXPECT_EQ(again.port, url.port);
  }
}

}  // namespace
}  // namespace strest

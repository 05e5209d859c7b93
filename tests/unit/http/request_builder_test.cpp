#include "http/request_builder.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

Plan plan_for(const std::string& target) {
  Plan plan;
  plan.url.scheme = "http";
  plan.url.host = "127.0.0.1";
  plan.url.port = 8080;
  plan.url.target = target;
  plan.url.host_header = "127.0.0.1:8080";
  return plan;
}

TEST(RequestBuilder, GetWithDefaultUserAgent) {
  const auto requests = build_requests(plan_for("/a?b=c"));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].bytes, "GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: " +
                                   default_user_agent() + "\r\n\r\n");
  EXPECT_EQ(default_user_agent().rfind("strest-loadtest/", 0), 0u);
}

TEST(RequestBuilder, HeadersInOrderAndNoUserAgentWhenDisabled) {
  Plan plan = plan_for("/");
  plan.send_user_agent = false;
  plan.headers = {{"X-One", "1"}, {"Accept", "application/json"}};
  EXPECT_EQ(
      build_requests(plan)[0].bytes,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-One: 1\r\nAccept: application/json\r\n\r\n");
}

TEST(RequestBuilder, UserSuppliedHostAndUserAgentWin) {
  Plan plan = plan_for("/");
  plan.headers = {{"host", "example.test"}, {"user-agent", "mine"}};
  EXPECT_EQ(build_requests(plan)[0].bytes,
            "GET / HTTP/1.1\r\nhost: example.test\r\nuser-agent: mine\r\n\r\n");
}

TEST(RequestBuilder, OneRequestPerBodyWithContentLength) {
  Plan plan = plan_for("/post");
  plan.method = "POST";
  plan.send_user_agent = false;
  plan.bodies = {"{\"a\":1}", "", "xyz"};
  const auto requests = build_requests(plan);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].bytes,
            "POST /post HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  EXPECT_NE(requests[1].bytes.find("Content-Length: 0\r\n\r\n"), std::string::npos);
  EXPECT_TRUE(requests[2].bytes.ends_with("Content-Length: 3\r\n\r\nxyz"));
}

TEST(RequestBuilder, RequestIdIsFilledIntoTheHeaderOfEveryBody) {
  Plan plan = plan_for("/");
  plan.send_user_agent = false;
  plan.method = "POST";
  plan.bodies = {"ab", "c"};
  plan.request_id_header = "X-Request-Id";
  const auto requests = build_requests(plan);
  ASSERT_EQ(requests.size(), 2u);
  std::string out = "leftover bytes from an earlier request";
  requests[0].fill(0, out);
  EXPECT_EQ(out,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Request-Id: 0\r\n"
            "Content-Length: 2\r\n\r\nab");
  requests[1].fill(18446744073709551615ull, out);
  EXPECT_EQ(out,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Request-Id: 18446744073709551615\r\n"
            "Content-Length: 1\r\n\r\nc");
}

TEST(RequestBuilder, NoIdSlotWithoutTheHeader) {
  EXPECT_FALSE(build_requests(plan_for("/"))[0].has_id());
}

TEST(RequestBuilder, HeadDetection) {
  Plan plan = plan_for("/");
  EXPECT_FALSE(is_head_request(plan));
  plan.method = "HEAD";
  EXPECT_TRUE(is_head_request(plan));
}

TEST(RequestBuilder, ForwardProxyGetsAbsoluteFormAndCredentials) {
  Plan plan = plan_for("/a");
  plan.send_user_agent = false;
  plan.transport.proxy =
      ProxyPlan{.host = "p", .port = 3128, .user = "u", .password = "pw", .text = ""};
  EXPECT_EQ(build_requests(plan)[0].bytes,
            "GET http://127.0.0.1:8080/a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Proxy-Authorization: Basic dTpwdw==\r\n\r\n");
  // https:// (and HTTP/2) go through a CONNECT tunnel: origin form, no proxy header.
  plan.url.scheme = "https";
  EXPECT_EQ(build_requests(plan)[0].bytes, "GET /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
}

TEST(RequestBuilder, DisabledKeepaliveAsksToClose) {
  Plan plan = plan_for("/");
  plan.send_user_agent = false;
  plan.transport.disable_keepalive = true;
  EXPECT_EQ(build_requests(plan)[0].bytes,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n");
}

TEST(RequestBuilder, PartsForHttp2DropConnectionFields) {
  Plan plan = plan_for("/p?q");
  plan.method = "POST";
  plan.headers = {{"Host", "example"}, {"X-A", "1"}, {"Connection", "keep-alive"}};
  plan.bodies = {"ab", "xyz"};
  plan.request_id_header = "X-Request-Id";
  const auto parts = build_request_parts(plan);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].method, "POST");
  EXPECT_EQ(parts[0].scheme, "http");
  EXPECT_EQ(parts[0].authority, "example");
  EXPECT_EQ(parts[0].path, "/p?q");
  using Fields = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(parts[0].headers,
            (Fields{{"x-a", "1"}, {"user-agent", default_user_agent()}, {"content-length", "2"}}));
  EXPECT_EQ(parts[1].body, "xyz");
  EXPECT_EQ(parts[1].headers.back(), (std::pair<std::string, std::string>{"content-length", "3"}));
  EXPECT_EQ(parts[0].id_header, "x-request-id");
}

}  // namespace
}  // namespace strest

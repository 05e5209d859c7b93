// The scenario routes as pure functions: a request in, response bytes out.
#include "demo_target/scenario_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "demo_target/scenario_auth.h"
#include "demo_target/target_routes.h"

namespace strest {
namespace {

// One routed request: status, one header's value and the body of the response bytes.
struct Routed {
  int status = 0;
  std::string head;
  std::string body;
  RouteCounter counter = RouteCounter::kOther;

  std::string header(std::string_view name) const {
    size_t at = head.find("\r\n" + std::string(name) + ": ");
    if (at == std::string::npos) return {};
    size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

Routed route(std::string_view method, std::string_view path, std::string_view query = {},
             std::string_view authorization = {}, std::string_view cookie = {},
             std::string_view body = {}) {
  TargetRequest request;
  request.method = method;
  request.path = path;
  request.query = query;
  request.authorization = authorization;
  request.cookie = cookie;
  request.body = body;
  std::string out;
  TargetRoute target = route_target_request(request, out);
  Routed routed;
  routed.counter = target.counter;
  routed.status = std::stoi(out.substr(9, 3));
  size_t blank = out.find("\r\n\r\n");
  routed.head = out.substr(0, blank + 2);
  routed.body = out.substr(blank + 4);
  return routed;
}

// The token and session cookie of a fresh login of `user`.
struct Login {
  std::string token;
  std::string cookie;  // "session=..."
};

Login login(std::string_view user) {
  Routed routed = route("POST", "/login", {}, {}, {}, R"({"user": ")" + std::string(user) + "\"}");
  EXPECT_EQ(routed.status, 200) << routed.body;
  std::string set_cookie = routed.header("Set-Cookie");
  return {routed.json()["token"], set_cookie.substr(0, set_cookie.find(';'))};
}

TEST(ScenarioRoutes, HealthIsOk) {
  Routed routed = route("GET", "/health");
  EXPECT_EQ(routed.status, 200);
  EXPECT_EQ(routed.body, "ok");
  EXPECT_EQ(routed.counter, RouteCounter::kHealth);
}

TEST(ScenarioRoutes, LoginIssuesATokenAndASessionCookie) {
  Routed routed = route("POST", "/login", {}, {}, {}, R"({"user": "alice"})");
  ASSERT_EQ(routed.status, 200) << routed.body;
  EXPECT_EQ(routed.header("Content-Type"), "application/json");
  nlohmann::json body = routed.json();
  EXPECT_EQ(body["user"], "alice");
  std::string token = body["token"];
  EXPECT_TRUE(token.starts_with("tok-alice-")) << token;
  auto identity = check_token(token);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->user, "alice");
  std::string cookie = routed.header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("session=sess-alice-")) << cookie;
  EXPECT_TRUE(cookie.ends_with("; Path=/; HttpOnly")) << cookie;
  EXPECT_EQ(routed.counter, RouteCounter::kLogin);
}

TEST(ScenarioRoutes, EachLoginGetsANewToken) { EXPECT_NE(login("bob").token, login("bob").token); }

TEST(ScenarioRoutes, LoginRejectsBadBodiesAndMethods) {
  for (std::string_view body : {"", "{", "[]", R"({"name": "x"})", R"({"user": 3})",
                                R"({"user": ""})", R"({"user": "a b"})", R"({"user": "a\"b"})"}) {
    EXPECT_EQ(route("POST", "/login", {}, {}, {}, body).status, 400) << body;
  }
  Routed get = route("GET", "/login");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("Allow"), "POST");
}

TEST(ScenarioRoutes, ProfileNeedsATokenOrTheSessionCookie) {
  Login alice = login("alice");
  Routed by_token = route("GET", "/profile", {}, "Bearer " + alice.token);
  EXPECT_EQ(by_token.status, 200);
  EXPECT_EQ(by_token.json()["user"], "alice");
  EXPECT_EQ(by_token.json()["via"], "token");
  Routed by_cookie = route("GET", "/profile", {}, {}, "theme=dark; " + alice.cookie);
  EXPECT_EQ(by_cookie.status, 200);
  EXPECT_EQ(by_cookie.json()["via"], "session");
  EXPECT_EQ(route("GET", "/profile").status, 401);
  EXPECT_EQ(route("GET", "/profile", {}, "Bearer tok-alice-1-0000000000000000").status, 401);
  EXPECT_EQ(route("GET", "/profile", {}, "Bearer " + alice.token + "x").status, 401);
  EXPECT_EQ(route("GET", "/profile", {}, "Basic " + alice.token).status, 401);
}

TEST(ScenarioRoutes, TokensCannotBeForgedByEditingTheirParts) {
  Login alice = login("alice");
  auto identity = check_token(alice.token);
  ASSERT_TRUE(identity);
  std::string check = alice.token.substr(alice.token.rfind('-'));
  EXPECT_FALSE(check_token("tok-mallory-" + std::to_string(identity->login) + check));
  EXPECT_FALSE(check_token("tok-alice-" + std::to_string(identity->login + 1) + check));
  EXPECT_FALSE(check_session(alice.token)) << "a token is not a session id";
  EXPECT_FALSE(check_token("tok--1-0"));
  EXPECT_FALSE(check_token("tok-"));
}

TEST(ScenarioRoutes, UsersWithDashesRoundTrip) {
  std::string token = issue_token("a-b-c", 7);
  auto identity = check_token(token);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->user, "a-b-c");
  EXPECT_EQ(identity->login, 7u);
}

TEST(ScenarioRoutes, CheckoutNeedsTheTokenAndItsSessionCookie) {
  Login alice = login("alice");
  Login bob = login("bob");
  std::string bearer = "Bearer " + alice.token;
  Routed ok = route("POST", "/checkout", {}, bearer, alice.cookie);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.json()["order"].get<std::string>().starts_with("ord-"));
  EXPECT_EQ(ok.json()["user"], "alice");
  EXPECT_EQ(route("POST", "/checkout", {}, {}, alice.cookie).status, 401);
  EXPECT_EQ(route("POST", "/checkout", {}, bearer).status, 403);
  EXPECT_EQ(route("POST", "/checkout", {}, bearer, bob.cookie).status, 403);
  EXPECT_EQ(route("GET", "/checkout", {}, bearer, alice.cookie).status, 405);
  EXPECT_EQ(ok.counter, RouteCounter::kCheckout);
}

TEST(ScenarioRoutes, SearchEchoesTheDecodedQuery) {
  Routed routed = route("GET", "/search", "page=2&q=red+shoes%21");
  ASSERT_EQ(routed.status, 200);
  nlohmann::json body = routed.json();
  EXPECT_EQ(body["q"], "red shoes!");
  ASSERT_EQ(body["results"].size(), 3u);
  EXPECT_EQ(body["results"][0]["title"], "red shoes! 1");
  EXPECT_EQ(route("GET", "/search").json()["results"].size(), 0u);
  EXPECT_EQ(route("GET", "/search", "q=%22%5C").json()["q"], "\"\\");
}

TEST(ScenarioRoutes, ItemsAnswerNumericIdsOnly) {
  Routed routed = route("GET", "/items/42");
  EXPECT_EQ(routed.status, 200);
  EXPECT_EQ(routed.json()["id"], 42);
  EXPECT_EQ(routed.counter, RouteCounter::kItems);
  EXPECT_EQ(route("GET", "/items/abc").status, 404);
  EXPECT_EQ(route("GET", "/items/").status, 404);
  EXPECT_EQ(route("GET", "/items/99999999999999999999999").status, 404);
}

TEST(ScenarioRoutes, HeadGetsHeadersOnly) {
  TargetRequest request;
  request.method = "HEAD";
  request.path = "/items/1";
  request.head = true;
  std::string out;
  route_target_request(request, out);
  EXPECT_TRUE(out.ends_with("\r\n\r\n")) << out;
  EXPECT_NE(out.find("Content-Length: 9\r\n"), std::string::npos) << out;
}

TEST(ScenarioRoutes, QueryParameterFindsWholeNamesOnly) {
  EXPECT_EQ(query_parameter("qq=1&q=2", "q"), "2");
  EXPECT_EQ(query_parameter("q", "q"), "");
  EXPECT_EQ(query_parameter("a=1", "q"), "");
  EXPECT_EQ(query_parameter("q=%zz%4", "q"), "%zz%4");
}

TEST(ScenarioRoutes, ParseKeepsQueryAuthorizationAndCookie) {
  TargetRequest request;
  ASSERT_EQ(parse_target_request("GET /search?q=a HTTP/1.1\r\nauthorization: Bearer t\r\n"
                                 "Cookie: session=s\r\n\r\n",
                                 request),
            TargetParse::kOk);
  EXPECT_EQ(request.path, "/search");
  EXPECT_EQ(request.query, "q=a");
  EXPECT_EQ(request.authorization, "Bearer t");
  EXPECT_EQ(request.cookie, "session=s");
}

}  // namespace
}  // namespace strest

#include "scenario/extract.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

CapturedResponse response(std::string body) {
  CapturedResponse captured;
  captured.status = 200;
  captured.headers = {{"Content-Type", "application/json"}, {"X-Session", "s-42"}};
  captured.body = std::move(body);
  return captured;
}

// The value `rule` extracts from `body`, or "<none>".
std::string run(std::string_view rule_text, const std::string& body) {
  auto rule = parse_extract_rule("v", rule_text);
  EXPECT_TRUE(rule.ok()) << rule.error();
  auto extractor = Extractor::compile(*rule);
  EXPECT_TRUE(extractor.ok()) << extractor.error();
  std::string out = "stale";
  return extractor->extract(response(body), out) ? out : "<none>";
}

constexpr const char* kBody =
    R"({"token":"abc","n":5,"items":[{"id":7},{"id":8,"tags":["x"]}],"odd key":true})";

TEST(Extract, JsonPaths) {
  EXPECT_EQ(run("json:$.token", kBody), "abc");
  EXPECT_EQ(run("json:$.n", kBody), "5");
  EXPECT_EQ(run("json:$.items[1].id", kBody), "8");
  EXPECT_EQ(run("json:$['items'][1].tags[0]", kBody), "x");
  EXPECT_EQ(run("json:$['odd key']", kBody), "true");
  EXPECT_EQ(run("json:$.items[0]", kBody), "{\"id\":7}");
  EXPECT_EQ(run("json:$.missing", kBody), "<none>");
  EXPECT_EQ(run("json:$.items[5]", kBody), "<none>");
  EXPECT_EQ(run("json:$.token.x", kBody), "<none>");
  EXPECT_EQ(run("json:$.token", "not json"), "<none>");
}

TEST(Extract, Headers) {
  EXPECT_EQ(run("header:x-session", ""), "s-42");
  EXPECT_EQ(run("header:X-Missing", ""), "<none>");
}

TEST(Extract, Regex) {
  EXPECT_EQ(run("regex:id=([0-9]+)", "a id=123 b id=9"), "123");
  EXPECT_EQ(run("regex:[a-z]+@x", "mail bob@x now"), "bob@x");
  EXPECT_EQ(run("regex:id=([0-9]+)", "none"), "<none>");
  EXPECT_EQ(run("regex:(a)|(b)", "b"), "<none>");  // group 1 did not take part
}

TEST(Extract, BadRules) {
  auto unknown = parse_extract_rule("token", "xml:/a");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(),
            "extract 'token': unknown source 'xml:', use json:, header: or regex:");
  auto bare = parse_extract_rule("token", "token");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error(), "extract 'token': unknown source 'token', use json:, header: or regex:");
  auto empty = parse_extract_rule("token", "json:");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("nothing after 'json:'"), std::string::npos);

  auto regex = Extractor::compile(*parse_extract_rule("id", "regex:id=([0-9]+"));
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.error().substr(0, 60),
            "extract 'id' (regex:id=([0-9]+): invalid regular expression ");
  auto path = Extractor::compile(*parse_extract_rule("t", "json:token"));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.error(), "extract 't' (json:token): a JSON path starts with '$'");
  auto index = Extractor::compile(*parse_extract_rule("t", "json:$.a[x]"));
  ASSERT_FALSE(index.ok());
  EXPECT_NE(index.error().find("neither an index"), std::string::npos);
  auto header = Extractor::compile(*parse_extract_rule("t", "header:A B"));
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.error(), "extract 't' (header:A B): 'A B' is not a header name");
}

TEST(Extract, KeepsTheRule) {
  auto extractor = Extractor::compile(*parse_extract_rule("sid", "header:X-Session"));
  ASSERT_TRUE(extractor.ok());
  Extractor moved = std::move(*extractor);
  EXPECT_EQ(moved.rule().var, "sid");
  EXPECT_EQ(moved.rule().source, ExtractRule::Source::kHeader);
  EXPECT_EQ(moved.rule().text, "header:X-Session");
}

}  // namespace
}  // namespace strest

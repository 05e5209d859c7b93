#include "plan/template.h"

#include <gtest/gtest.h>

#include <map>

namespace strest {
namespace {

// user and host are constants; seq (slot 0) and token (slot 1) are filled per request.
std::optional<TemplateVar> lookup(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> constants = {{"user", "demo"},
                                                                            {"host", "h"}};
  if (auto it = constants.find(name); it != constants.end()) return TemplateVar{it->second, 0};
  if (name == "seq") return TemplateVar{std::nullopt, 0};
  if (name == "token") return TemplateVar{std::nullopt, 1};
  return std::nullopt;
}

std::string fill(const Template& compiled, std::vector<std::string> values) {
  std::string out;
  compiled.append_to(values, out);
  return out;
}

TEST(Template, PlainTextIsLiteral) {
  auto compiled = Template::compile("/login?a=1", lookup);
  ASSERT_TRUE(compiled.ok());
  EXPECT_TRUE(compiled->is_literal());
  EXPECT_EQ(compiled->literal(), "/login?a=1");
  EXPECT_EQ(fill(*compiled, {}), "/login?a=1");
  EXPECT_TRUE(compiled->slots().empty());
}

TEST(Template, ConstantsAreFoldedAndSpacesTrimmed) {
  auto compiled = Template::compile("{\"user\":\"{{ user }}\",\"h\":\"{{host}}\"}", lookup);
  ASSERT_TRUE(compiled.ok());
  EXPECT_TRUE(compiled->is_literal());
  EXPECT_EQ(compiled->literal(), "{\"user\":\"demo\",\"h\":\"h\"}");
}

TEST(Template, SlotsAreFilledPerRequest) {
  auto compiled = Template::compile("Bearer {{token}} #{{seq}}/{{user}}/{{seq}}", lookup);
  ASSERT_TRUE(compiled.ok());
  EXPECT_FALSE(compiled->is_literal());
  EXPECT_EQ(compiled->slots(), (std::vector<uint32_t>{1, 0, 0}));
  EXPECT_EQ(fill(*compiled, {"7", "abc"}), "Bearer abc #7/demo/7");
  EXPECT_EQ(fill(*compiled, {"8", ""}), "Bearer  #8/demo/8");
}

TEST(Template, AppendsToWhatIsThere) {
  auto compiled = Template::compile("{{seq}}", lookup);
  ASSERT_TRUE(compiled.ok());
  std::string out = "x=";
  out.reserve(64);
  const char* before = out.data();
  compiled->append_to(std::vector<std::string>{"42"}, out);
  EXPECT_EQ(out, "x=42");
  EXPECT_EQ(out.data(), before);  // no reallocation within the reserved capacity
}

TEST(Template, Errors) {
  auto unknown = Template::compile("a {{ tokn }}", lookup);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), "unknown variable 'tokn'");
  auto open = Template::compile("a {{user", lookup);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error(), "'{{' without a closing '}}'");
  auto empty = Template::compile("a {{  }}", lookup);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error(), "empty variable name '{{}}'");
}

TEST(Template, LoneBracesAreText) {
  auto compiled = Template::compile("{\"a\":{}} }} {x}", lookup);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->literal(), "{\"a\":{}} }} {x}");
}

}  // namespace
}  // namespace strest

// libFuzzer target: any text compiles to a template or a one-line error, and filling it never
// crashes, reads out of bounds, or writes other than the literal text and slot values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plan/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // "c" is a constant, "a" and "b" slots 0 and 1; any other name is unknown.
  auto lookup = [](std::string_view name) -> std::optional<strest::TemplateVar> {
    if (name == "c") return strest::TemplateVar{std::string("CONST"), 0};
    if (name == "a") return strest::TemplateVar{std::nullopt, 0};
    if (name == "b") return strest::TemplateVar{std::nullopt, 1};
    return std::nullopt;
  };
  auto compiled = strest::Template::compile(text, lookup);
  if (!compiled) {
    if (compiled.error().empty() || compiled.error().find('\n') != std::string::npos) {
      __builtin_trap();
    }
    return 0;
  }
  const std::vector<std::string> values = {"x", "yy"};
  std::string out;
  compiled->append_to(values, out);
  if (compiled->is_literal() && out != compiled->literal()) __builtin_trap();
  // Text without "{{" is its own template.
  if (text.find("{{") == std::string_view::npos && out != text) __builtin_trap();
  return 0;
}

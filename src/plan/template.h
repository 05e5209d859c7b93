#pragma once
// {{var}} templates, compiled once before the run into literal fragments and variable slots,
// then filled per request into a reused buffer: nothing is parsed per request.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plan/result.h"

namespace strest {

// What a name in {{...}} stands for, as the compiler's lookup finds it.
struct TemplateVar {
  // A value known before the run (scenario and step vars): folded into the literal text.
  std::optional<std::string> constant;
  uint32_t slot = 0;  // otherwise the index into the values given to append_to()
};

// Finds a variable by name; nullopt when no variable of that name is in scope.
using TemplateLookup = std::function<std::optional<TemplateVar>(std::string_view name)>;

class Template {
 public:
  // Compiles `text`. Names are trimmed of spaces ("{{ user }}" is "user"). Errors, one line
  // each: "unknown variable 'x'", "'{{' without a closing '}}'", "empty variable name '{{}}'".
  static Result<Template> compile(std::string_view text, const TemplateLookup& lookup);

  // Appends the filled text to `out`: literals as compiled, each slot from values[slot].
  void append_to(std::span<const std::string> values, std::string& out) const;
  // No variable slots left after folding constants: the text is literal().
  bool is_literal() const { return slots_ == 0; }
  const std::string& literal() const { return text_; }
  // The slots used, in order of appearance (with repeats).
  std::vector<uint32_t> slots() const;

 private:
  struct Fragment {
    static constexpr uint32_t kLiteral = UINT32_MAX;
    uint32_t slot = kLiteral;  // kLiteral: text_[begin, begin + length)
    uint32_t begin = 0;
    uint32_t length = 0;
  };
  std::string text_;  // every literal fragment, back to back
  std::vector<Fragment> fragments_;
  uint32_t slots_ = 0;
};

}  // namespace strest

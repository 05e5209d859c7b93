#include "plan/template.h"

#include "plan/one_line.h"

namespace strest {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<Template> Template::compile(std::string_view text, const TemplateLookup& lookup) {
  Template compiled;
  // Literal text runs into the pending fragment until a slot ends it.
  auto add_literal = [&compiled](std::string_view literal) {
    if (literal.empty()) return;
    if (compiled.fragments_.empty() || compiled.fragments_.back().slot != Fragment::kLiteral) {
      compiled.fragments_.push_back(
          {Fragment::kLiteral, static_cast<uint32_t>(compiled.text_.size()), 0});
    }
    compiled.text_.append(literal);
    compiled.fragments_.back().length += static_cast<uint32_t>(literal.size());
  };
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return Error{"'{{' without a closing '}}'"};
    add_literal(text.substr(at, open - at));
    std::string_view name = trim_spaces(text.substr(open + 2, close - open - 2));
    if (name.empty()) return Error{"empty variable name '{{}}'"};
    std::optional<TemplateVar> var = lookup(name);
    if (!var) return Error{"unknown variable '" + one_line(name) + "'"};
    if (var->constant) {
      add_literal(*var->constant);
    } else {
      compiled.fragments_.push_back({var->slot, 0, 0});
      ++compiled.slots_;
    }
    at = close + 2;
  }
  if (at < text.size()) add_literal(text.substr(at));
  return compiled;
}

void Template::append_to(std::span<const std::string> values, std::string& out) const {
  for (const Fragment& fragment : fragments_) {
    if (fragment.slot == Fragment::kLiteral) {
      out.append(text_, fragment.begin, fragment.length);
    } else if (fragment.slot < values.size()) {
      out.append(values[fragment.slot]);
    }
  }
}

std::vector<uint32_t> Template::slots() const {
  std::vector<uint32_t> used;
  used.reserve(slots_);
  for (const Fragment& fragment : fragments_) {
    if (fragment.slot != Fragment::kLiteral) used.push_back(fragment.slot);
  }
  return used;
}

}  // namespace strest

#include "scenario/extract.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <nlohmann/json.hpp>
#include <variant>

#include "plan/one_line.h"
#include "text/ascii.h"

namespace strest {
namespace {

// One step of a JSON path: a member name or an array index.
using PathStep = std::variant<std::string, size_t>;

Result<std::vector<PathStep>> parse_json_path(std::string_view path) {
  if (path.empty() || path.front() != '$') return Error{"a JSON path starts with '$'"};
  std::vector<PathStep> steps;
  size_t at = 1;
  while (at < path.size()) {
    if (path[at] == '.') {
      size_t end = path.find_first_of(".[", at + 1);
      std::string_view name = path.substr(at + 1, end - at - 1);
      if (name.empty()) return Error{"an empty name after '.' at offset " + std::to_string(at)};
      steps.emplace_back(std::string(name));
      at = end == std::string_view::npos ? path.size() : end;
    } else if (path[at] == '[') {
      size_t close = path.find(']', at);
      if (close == std::string_view::npos) return Error{"'[' without a closing ']'"};
      std::string_view inside = path.substr(at + 1, close - at - 1);
      if (inside.size() >= 2 && (inside.front() == '\'' || inside.front() == '"') &&
          inside.back() == inside.front()) {
        steps.emplace_back(std::string(inside.substr(1, inside.size() - 2)));
      } else if (!inside.empty() && inside.size() <= 9 &&
                 inside.find_first_not_of("0123456789") == std::string_view::npos) {
        steps.emplace_back(static_cast<size_t>(std::stoul(std::string(inside))));
      } else {
        return Error{"'[" + one_line(inside) +
                     "]' is neither an index such as [0] nor a quoted name such as ['id']"};
      }
      at = close + 1;
    } else {
      return Error{"unexpected '" + std::string(1, path[at]) + "' at offset " + std::to_string(at) +
                   ": use .name, ['name'] or [index]"};
    }
  }
  return steps;
}

struct PcreDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};

}  // namespace

struct Extractor::Impl {
  ExtractRule rule;
  std::vector<PathStep> path;                      // kJsonPath
  std::unique_ptr<pcre2_code, PcreDeleter> regex;  // kRegex

  bool from_json(const std::string& body, std::string& out) const {
    nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_discarded()) return false;
    const nlohmann::json* node = &document;
    for (const PathStep& step : path) {
      if (const auto* name = std::get_if<std::string>(&step)) {
        if (!node->is_object()) return false;
        auto it = node->find(*name);
        if (it == node->end()) return false;
        node = &*it;
      } else {
        size_t index = std::get<size_t>(step);
        if (!node->is_array() || index >= node->size()) return false;
        node = &(*node)[index];
      }
    }
    out = node->is_string() ? node->get<std::string>() : node->dump();
    return true;
  }

  bool from_header(const CapturedResponse& response, std::string& out) const {
    for (const auto& [name, value] : response.headers) {
      if (same_name(name, rule.expression)) {
        out = value;
        return true;
      }
    }
    return false;
  }

  bool from_regex(const std::string& body, std::string& out) const {
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(regex.get(), nullptr), &pcre2_match_data_free);
    if (!match) return false;
    int found = pcre2_match(regex.get(), reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), 0,
                            0, match.get(), nullptr);
    if (found <= 0) return false;
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
    int group = found > 1 ? 1 : 0;  // the first capture group, else the whole match
    if (ovector[2 * group] == PCRE2_UNSET) return false;
    out.assign(body, ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]);
    return true;
  }
};

Result<ExtractRule> parse_extract_rule(std::string_view var, std::string_view text) {
  const std::string subject = "extract '" + one_line(var) + "'";
  ExtractRule rule;
  rule.var = std::string(var);
  rule.text = std::string(text);
  size_t colon = text.find(':');
  std::string_view source = text.substr(0, colon == std::string_view::npos ? 0 : colon + 1);
  if (source == "json:") {
    rule.source = ExtractRule::Source::kJsonPath;
  } else if (source == "header:") {
    rule.source = ExtractRule::Source::kHeader;
  } else if (source == "regex:") {
    rule.source = ExtractRule::Source::kRegex;
  } else {
    return Error{subject + ": unknown source '" + one_line(source.empty() ? text : source) +
                 "', use json:, header: or regex:"};
  }
  rule.expression = std::string(text.substr(colon + 1));
  if (rule.expression.empty()) {
    return Error{subject + ": nothing after '" + std::string(source) +
                 "'; e.g. json:$.token, header:X-Session, regex:id=([0-9]+)"};
  }
  return rule;
}

Result<Extractor> Extractor::compile(const ExtractRule& rule) {
  auto impl = std::make_unique<Impl>();
  impl->rule = rule;
  const std::string subject = "extract '" + one_line(rule.var) + "' (" + one_line(rule.text) + ")";
  switch (rule.source) {
    case ExtractRule::Source::kJsonPath: {
      auto path = parse_json_path(rule.expression);
      if (!path) return Error{subject + ": " + path.error()};
      impl->path = std::move(*path);
      break;
    }
    case ExtractRule::Source::kHeader:
      if (rule.expression.empty() || rule.expression.find_first_of(" :\r\n") != std::string::npos) {
        return Error{subject + ": '" + one_line(rule.expression) + "' is not a header name"};
      }
      break;
    case ExtractRule::Source::kRegex: {
      int code = 0;
      PCRE2_SIZE offset = 0;
      impl->regex.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(rule.expression.data()),
                                      rule.expression.size(), PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                      &code, &offset, nullptr));
      if (!impl->regex) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof(message));
        return Error{subject + ": invalid regular expression at offset " + std::to_string(offset) +
                     ": " + reinterpret_cast<const char*>(message)};
      }
      break;
    }
  }
  return Extractor(std::move(impl));
}

Extractor::Extractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Extractor::Extractor(Extractor&&) noexcept = default;
Extractor& Extractor::operator=(Extractor&&) noexcept = default;
Extractor::~Extractor() = default;

bool Extractor::extract(const CapturedResponse& response, std::string& out) const {
  switch (impl_->rule.source) {
    case ExtractRule::Source::kJsonPath:
      return impl_->from_json(response.body, out);
    case ExtractRule::Source::kHeader:
      return impl_->from_header(response, out);
    case ExtractRule::Source::kRegex:
      return impl_->from_regex(response.body, out);
  }
  return false;
}

const ExtractRule& Extractor::rule() const { return impl_->rule; }

}  // namespace strest

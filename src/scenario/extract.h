#pragma once
// Runs a step's `extract` rules on a response: a JSON path into the body, a header, or a
// regular expression (PCRE2) over the body. Compiled once before the run.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/result.h"
#include "plan/scenario.h"

namespace strest {

// A response as captured for a scenario step: header fields (names as received) and the body.
struct CapturedResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool body_truncated = false;  // longer than the capture limit; only the start is kept
};

// Parses "json:$.a.b[0]", "header:Name" or "regex:..." into a rule for `var`; the error names
// what is wrong ("extract 'token': unknown source 'xml:', use json:, header: or regex:").
Result<ExtractRule> parse_extract_rule(std::string_view var, std::string_view text);

class Extractor {
 public:
  // Compiles the rule (a JSON path's syntax, a regex); the error says what is wrong.
  static Result<Extractor> compile(const ExtractRule& rule);
  Extractor(Extractor&&) noexcept;
  Extractor& operator=(Extractor&&) noexcept;
  ~Extractor();

  // The value found in `response`, written to `out`; false when there is none (the JSON path
  // does not exist or the body is not JSON, no such header, no match). JSON strings give their
  // text, other JSON values their serialisation.
  bool extract(const CapturedResponse& response, std::string& out) const;
  const ExtractRule& rule() const;

 private:
  struct Impl;
  explicit Extractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strest

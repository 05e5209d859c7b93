#pragma once
// A scenario ready to run: every template compiled and every extract rule built once, before
// the run, then shared read-only by the workers. Per request a worker only fills templates
// into buffers it reuses (IterationState), so no text is parsed and, once the buffers have
// grown, nothing is allocated.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/request_builder.h"
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/template.h"
#include "scenario/cookie_jar.h"
#include "scenario/extract.h"

namespace strest {

struct CompiledStep {
  struct Field {
    std::string name;  // lower case: HTTP/2 and HTTP/3 require it, HTTP/1.1 does not mind
    Template value;
  };
  struct Capture {
    Extractor extractor;
    uint32_t slot = 0;  // the variable it fills
  };
  std::string name;
  std::string method;
  Template target;  // origin-form path and query, the base URL's path prefix included
  std::vector<Field> headers;
  std::optional<Template> body;
  std::optional<int> assert_status;
  std::optional<Template> assert_body_contains;
  int64_t think_us = 0;
  std::vector<Capture> extract;
  bool wants_body = false;     // a body assert or a json:/regex: rule reads the body
  bool wants_headers = false;  // a header: rule reads the headers
};

// What one slot keeps for the iteration it runs: variable values, cookies, the request being
// sent and the response being captured. Reused from iteration to iteration.
struct IterationState {
  std::vector<std::string> values;  // by template slot
  CookieJar cookies;
  RequestParts request;
  CapturedResponse response;
  std::string scratch;  // an extracted value or an expected body text
  uint64_t iteration = 0;
  uint16_t step = 0;
};

// How a step's response went.
struct StepVerdict {
  enum class Kind : uint8_t { kOk, kNonExpectedStatus, kAssertFailed };
  Kind kind = Kind::kOk;
  std::string_view detail;  // for kAssertFailed: what failed, in words (valid until next call)
};

class CompiledScenario {
 public:
  // Compiles plan.scenario (which plan/validate has checked) for plan.url, the base URL.
  static Result<CompiledScenario> compile(const Plan& plan);

  const std::vector<CompiledStep>& steps() const { return steps_; }
  std::vector<std::string> step_names() const;
  // Whether responses must be captured at all: headers for cookies (more than one step) and
  // header rules, bodies for body asserts and json:/regex: rules.
  bool wants_headers() const { return wants_headers_; }
  bool wants_body() const { return wants_body_; }

  // Sizes a slot's state (once, before the run).
  void prepare(IterationState& state) const;
  // Starts iteration number `iteration` of the run: {{seq}}, the CSV row, no cookies, no
  // extracted values.
  void begin_iteration(uint64_t iteration, IterationState& state) const;
  // Fills state.request with step `step` of the current iteration; `sequence` is the
  // request's number (for --request-id-header), `unix_us` the wall clock for {{timestamp_ms}}
  // and {{timestamp_s}}.
  void build_request(uint16_t step, uint64_t sequence, int64_t unix_us,
                     IterationState& state) const;
  // Judges the response captured in state.response against the step's asserts, runs its
  // extract rules and keeps its cookies. `expected_status` is --status, for steps without
  // assert_status.
  StepVerdict judge_response(uint16_t step, int expected_status, IterationState& state) const;

 private:
  std::vector<CompiledStep> steps_;
  std::string scheme_;
  std::string authority_;
  std::vector<std::pair<std::string, std::string>> fixed_headers_;  // -H, User-Agent, lower case
  std::string id_header_;  // lower-case --request-id-header name, "" when off
  std::optional<CsvVars> csv_;
  uint32_t csv_first_slot_ = 0;
  uint32_t slot_count_ = 0;
  bool wants_headers_ = false;
  bool wants_body_ = false;
};

}  // namespace strest

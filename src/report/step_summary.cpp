#include "report/step_summary.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "report/latency_bars.h"
#include "text/ansi_color.h"

namespace strest {

namespace {

constexpr size_t kCountWidth = 10;
constexpr size_t kMsWidth = 10;

std::string pad_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

std::string ms_cell(const HdrHistogram& latency, int64_t us) {
  return latency.total_count() == 0 ? "-" : format_ms(us);
}

size_t name_width(const RunResult& result) {
  size_t width = 4;  // "Step"
  for (size_t i = 0; i < result.totals.steps.size(); ++i) {
    width = std::max(width, step_name(result, i).size());
  }
  return width + 2;
}

const std::string& detail_of(const RunResult& result, size_t index) {
  static const std::string kNone;
  return index < result.assert_details.size() ? result.assert_details[index] : kNone;
}

}  // namespace

std::string step_name(const RunResult& result, size_t index) {
  if (index < result.step_names.size() && !result.step_names[index].empty()) {
    return result.step_names[index];
  }
  return "step " + std::to_string(index + 1);
}

void write_steps_text(const RunResult& result, std::ostream& out, bool color) {
  if (!has_steps(result)) return;
  const size_t width = name_width(result);
  out << '\n' << paint("Steps", kSgrBold, color) << '\n';
  out << "  " << pad_right("Step", width);
  for (const char* column : {"requests", "ok", "non_exp", "timeout", "transport", "assert"}) {
    out << pad_left(column, kCountWidth);
  }
  for (const char* column : {"p50 ms", "p90 ms", "p99 ms", "max ms"}) {
    out << pad_left(column, kMsWidth);
  }
  out << '\n';
  for (size_t i = 0; i < result.totals.steps.size(); ++i) {
    const StepTally& s = result.totals.steps[i];
    out << "  " << pad_right(step_name(result, i), width);
    for (uint64_t count : {s.completed(), s.ok, s.non_expected_status, s.timeouts,
                           s.transport_errors, s.assert_failures}) {
      out << pad_left(format_count(count), kCountWidth);
    }
    const HdrHistogram& h = s.latency_all;
    for (double p : {50.0, 90.0, 99.0})
      out << pad_left(ms_cell(h, h.value_at_percentile(p)), kMsWidth);
    out << pad_left(ms_cell(h, h.max()), kMsWidth) << '\n';
  }
  for (size_t i = 0; i < result.totals.steps.size(); ++i) {
    if (detail_of(result, i).empty()) continue;
    out << "  " << paint(step_name(result, i) + ": " + detail_of(result, i), kSgrDim, color)
        << '\n';
  }
}

std::string assert_failure_note(const RunResult& result) {
  for (size_t i = 0; i < result.totals.steps.size(); ++i) {
    if (result.totals.steps[i].assert_failures == 0) continue;
    const std::string& detail = detail_of(result, i);
    return step_name(result, i) + (detail.empty() ? "" : ": " + detail);
  }
  return "";
}

nlohmann::json steps_json(const RunResult& result) {
  nlohmann::json steps = nlohmann::json::array();
  const auto ms = [](int64_t us) { return static_cast<double>(us) / 1000.0; };
  for (size_t i = 0; i < result.totals.steps.size(); ++i) {
    const StepTally& s = result.totals.steps[i];
    const HdrHistogram& h = s.latency_all;
    steps.push_back({{"name", step_name(result, i)},
                     {"requests", s.completed()},
                     {"ok", s.ok},
                     {"non_expected_status", s.non_expected_status},
                     {"timeouts", s.timeouts},
                     {"transport_errors", s.transport_errors},
                     {"assert_failed", s.assert_failures},
                     {"assert_detail", detail_of(result, i)},
                     {"latency_ms",
                      {{"p50", ms(h.value_at_percentile(50.0))},
                       {"p90", ms(h.value_at_percentile(90.0))},
                       {"p99", ms(h.value_at_percentile(99.0))},
                       {"max", ms(h.max())},
                       {"mean", ms(std::llround(h.mean()))}}}});
  }
  return steps;
}

nlohmann::json iterations_json(const Tally& totals) {
  return {{"passed", totals.iterations_passed}, {"failed", totals.iterations_failed}};
}

}  // namespace strest

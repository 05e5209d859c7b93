#include "report/chart_data.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>

namespace strest {
namespace {

constexpr const char* kTimeLabel = "Time since start (s)";

// The run's seconds in order (the collector keeps them sorted, this makes sure of it), without
// the shutdown after the deadline.
std::vector<SecondSample> sorted_seconds(const RunResult& result) {
  std::vector<SecondSample> seconds = result.series;
  std::stable_sort(
      seconds.begin(), seconds.end(),
      [](const SecondSample& a, const SecondSample& b) { return a.second < b.second; });
  drop_shutdown_second(seconds);
  return seconds;
}

// The part of a second the run covered, on the x axis: the run's last second ends early; a
// partial earlier one (a --metrics-range window's first) starts late.
struct Covered {
  double start;
  double end;
};
Covered covered(const std::vector<SecondSample>& seconds, size_t i) {
  const SecondSample& s = seconds[i];
  const double second = static_cast<double>(s.second);
  const double span = static_cast<double>(s.span_us) / 1e6;
  if (i + 1 == seconds.size()) return {second, second + span};
  return {second + 1 - span, second + 1};
}

// A chart over time: a per-second value sits in the middle of the part of its second the run
// covered (x = second + 0.5 for a whole one); the axis runs from the start of the first second
// to the end of the last.
ChartSpec time_chart(const std::vector<SecondSample>& seconds, std::string file_name,
                     std::string title, std::string y_label) {
  ChartSpec spec{.file_name = std::move(file_name),
                 .title = std::move(title),
                 .x_label = kTimeLabel,
                 .y_label = std::move(y_label),
                 .no_data_note = seconds.empty() ? "the run recorded no seconds"
                                                 : "no responses were recorded"};
  spec.x_min = seconds.empty() ? 0 : static_cast<double>(seconds.front().second);
  spec.x_max = seconds.empty() ? 1 : covered(seconds, seconds.size() - 1).end;
  for (size_t i = 0; i < seconds.size(); ++i) {
    const Covered part = covered(seconds, i);
    spec.x.push_back((part.start + part.end) / 2);
  }
  return spec;
}

using SampleValue = std::function<double(const SecondSample&)>;

ChartLine line_of(const std::vector<SecondSample>& seconds, std::string label, ChartColor color,
                  const SampleValue& value) {
  ChartLine line{.label = std::move(label), .color = color};
  line.y.reserve(seconds.size());
  for (const SecondSample& s : seconds) line.y.push_back(value(s));
  return line;
}

// A running total at the end of each second, starting from 0 at the start of the first.
ChartSpec cumulative_chart(const std::vector<SecondSample>& seconds, std::string file_name,
                           std::string title, ChartColor color,
                           const std::function<uint64_t(const SecondSample&)>& count) {
  ChartSpec spec = time_chart(seconds, std::move(file_name), std::move(title), "Requests (count)");
  if (seconds.empty()) return spec;
  spec.x = {spec.x_min};
  for (size_t i = 0; i < seconds.size(); ++i) spec.x.push_back(covered(seconds, i).end);
  ChartLine line{.label = "requests", .y = {0.0}, .color = color};
  double total = 0;
  for (const SecondSample& s : seconds) {
    total += static_cast<double>(count(s));
    line.y.push_back(total);
  }
  spec.lines.push_back(std::move(line));
  return spec;
}

// Microseconds to milliseconds; 0 (no responses that second) becomes a gap in the line.
double ms_or_gap(int64_t us) { return us > 0 ? static_cast<double>(us) / 1000.0 : kChartGap; }

ChartSpec average_response_time(const std::vector<SecondSample>& seconds) {
  ChartSpec spec = time_chart(seconds, "average_response_time.png",
                              "Average response time per second", "Latency (ms)");
  spec.lines.push_back(line_of(seconds, "average", ChartColor::kBlue, [](const SecondSample& s) {
    if (s.latency_count == 0) return kChartGap;
    return static_cast<double>(s.latency_sum_us) / static_cast<double>(s.latency_count) / 1000.0;
  }));
  return spec;
}

ChartSpec cumulative_error_rate(const std::vector<SecondSample>& seconds) {
  ChartSpec spec =
      time_chart(seconds, "cumulative_error_rate.png",
                 "Cumulative error rate (errors / completed requests)", "Error rate (%)");
  spec.y_limit = 100;
  ChartLine line{.label = "error rate", .color = ChartColor::kRed};
  double errors = 0, completed = 0;
  for (const SecondSample& s : seconds) {
    errors += static_cast<double>(s.errors);
    completed += static_cast<double>(s.completed);
    line.y.push_back(completed > 0 ? 100.0 * errors / completed : kChartGap);
  }
  spec.lines.push_back(std::move(line));
  return spec;
}

ChartSpec requests_per_second(const std::vector<SecondSample>& seconds) {
  ChartSpec spec = time_chart(seconds, "requests_per_second.png", "Requests per second (completed)",
                              "Throughput (requests/s)");
  spec.lines.push_back(line_of(seconds, "completed", ChartColor::kBlue,
                               [](const SecondSample& s) { return second_rate(s, s.completed); }));
  return spec;
}

// One percentile per second, all responses against ok ones.
ChartSpec latency_percentile(const std::vector<SecondSample>& seconds, const std::string& name,
                             int64_t SecondSample::*all, int64_t SecondSample::*ok) {
  ChartSpec spec =
      time_chart(seconds, "latency_percentiles_" + name + ".png",
                 "Latency " + name + " per second: all vs ok responses", "Latency (ms)");
  spec.lines.push_back(line_of(seconds, "all responses", ChartColor::kBlue,
                               [all](const SecondSample& s) { return ms_or_gap(s.*all); }));
  spec.lines.push_back(line_of(seconds, "ok responses", ChartColor::kGreen,
                               [ok](const SecondSample& s) { return ms_or_gap(s.*ok); }));
  return spec;
}

ChartSpec timeouts_per_second(const std::vector<SecondSample>& seconds) {
  ChartSpec spec =
      time_chart(seconds, "timeouts_per_second.png", "Timeouts per second", "Timeouts (count/s)");
  spec.lines.push_back(line_of(seconds, "timeouts", ChartColor::kOrange,
                               [](const SecondSample& s) { return second_rate(s, s.timeouts); }));
  return spec;
}

ChartSpec error_rate_breakdown(const std::vector<SecondSample>& seconds) {
  ChartSpec spec = time_chart(seconds, "error_rate_breakdown.png", "Errors per second by kind",
                              "Errors (count/s)");
  spec.lines.push_back(line_of(seconds, "timeouts", ChartColor::kOrange,
                               [](const SecondSample& s) { return second_rate(s, s.timeouts); }));
  spec.lines.push_back(
      line_of(seconds, "transport errors", ChartColor::kRed,
              [](const SecondSample& s) { return second_rate(s, s.transport_errors); }));
  spec.lines.push_back(
      line_of(seconds, "non-expected status", ChartColor::kPurple,
              [](const SecondSample& s) { return second_rate(s, s.non_expected_status); }));
  return spec;
}

// 2xx green, 3xx teal, 4xx orange, 5xx red, anything else gray.
ChartColor status_color(int code) {
  switch (code / 100) {
    case 2:
      return ChartColor::kGreen;
    case 3:
      return ChartColor::kTeal;
    case 4:
      return ChartColor::kOrange;
    case 5:
      return ChartColor::kRed;
    default:
      return ChartColor::kGray;
  }
}

ChartSpec status_code_distribution(const Tally& totals) {
  ChartSpec spec{.file_name = "status_code_distribution.png",
                 .title = "Status code distribution",
                 .x_label = "HTTP status code",
                 .y_label = "Responses (count)",
                 .no_data_note = "no responses were recorded"};
  for (int code = 0; code <= kMaxStatusCode; ++code) {
    const uint64_t count = totals.status_counts[static_cast<size_t>(code)];
    if (count == 0) continue;
    spec.bars.push_back({std::to_string(code), static_cast<double>(count), status_color(code)});
  }
  return spec;
}

ChartSpec inflight_requests(const std::vector<SecondSample>& seconds) {
  ChartSpec spec =
      time_chart(seconds, "inflight_requests.png",
                 "Requests in flight (most at once in each second)", "In flight (requests)");
  spec.lines.push_back(
      line_of(seconds, "in flight", ChartColor::kPurple,
              [](const SecondSample& s) { return static_cast<double>(s.in_flight_max); }));
  return spec;
}

}  // namespace

bool ChartSpec::empty() const {
  if (!bars.empty()) return false;
  for (const ChartLine& line : lines) {
    if (std::any_of(line.y.begin(), line.y.end(), [](double v) { return std::isfinite(v); })) {
      return false;
    }
  }
  return true;
}

std::vector<ChartSpec> chart_specs(const RunResult& result) {
  const std::vector<SecondSample> seconds = sorted_seconds(result);
  std::vector<ChartSpec> specs;
  specs.push_back(average_response_time(seconds));
  specs.push_back(cumulative_chart(seconds, "cumulative_successful_requests.png",
                                   "Cumulative successful requests", ChartColor::kGreen,
                                   [](const SecondSample& s) { return s.ok; }));
  specs.push_back(cumulative_error_rate(seconds));
  specs.push_back(cumulative_chart(seconds, "cumulative_total_requests.png",
                                   "Cumulative total requests (completed)", ChartColor::kBlue,
                                   [](const SecondSample& s) { return s.completed; }));
  specs.push_back(requests_per_second(seconds));
  specs.push_back(
      latency_percentile(seconds, "P50", &SecondSample::p50_us, &SecondSample::p50_ok_us));
  specs.push_back(
      latency_percentile(seconds, "P90", &SecondSample::p90_us, &SecondSample::p90_ok_us));
  specs.push_back(
      latency_percentile(seconds, "P99", &SecondSample::p99_us, &SecondSample::p99_ok_us));
  specs.push_back(timeouts_per_second(seconds));
  specs.push_back(error_rate_breakdown(seconds));
  specs.push_back(status_code_distribution(result.totals));
  specs.push_back(inflight_requests(seconds));
  return specs;
}

std::vector<std::string> chart_file_names() {
  std::vector<std::string> names;
  for (const ChartSpec& spec : chart_specs(RunResult{})) names.push_back(spec.file_name);
  return names;
}

}  // namespace strest

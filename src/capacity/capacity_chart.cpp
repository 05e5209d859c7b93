#include "capacity/capacity_chart.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <system_error>

#include "report/chart_plot.h"

namespace strest {
namespace {

constexpr const char* kRateLabel = "Offered rate (requests/s)";

// The steps in order of offered rate (the search runs them out of order).
std::vector<const CapacityStep*> by_rate(const CapacityResult& result) {
  std::vector<const CapacityStep*> steps;
  for (const CapacityStep& step : result.steps) steps.push_back(&step);
  std::stable_sort(steps.begin(), steps.end(), [](const CapacityStep* a, const CapacityStep* b) {
    return a->offered_rps < b->offered_rps;
  });
  return steps;
}

ChartSpec rate_panel(const CapacityResult& result, const std::vector<const CapacityStep*>& steps,
                     std::string title, std::string y_label) {
  ChartSpec spec{.file_name = kCapacityChartFile,
                 .title = std::move(title),
                 .x_label = kRateLabel,
                 .y_label = std::move(y_label),
                 .no_data_note = "the search ran no steps"};
  for (const CapacityStep* step : steps) spec.x.push_back(step->offered_rps);
  spec.x_min = 0;
  spec.x_max = spec.x.empty() ? 1 : spec.x.back() * 1.05;
  const auto rate_of = [&](size_t index) { return result.steps[index].offered_rps; };
  if (result.knee) {
    spec.markers.push_back(
        {rate_of(*result.knee),
         "knee " + format_threshold_value(ThresholdMetric::kRps, rate_of(*result.knee)),
         ChartColor::kGreen});
  }
  if (result.first_failing) {
    spec.markers.push_back({.x = rate_of(*result.first_failing),
                            .label = "first failing",
                            .color = ChartColor::kRed,
                            .label_left = false});
  }
  return spec;
}

ChartLine line_of(const std::vector<const CapacityStep*>& steps, std::string label,
                  ChartColor color, const std::function<double(const CapacityStep&)>& value) {
  ChartLine line{.label = std::move(label), .color = color};
  for (const CapacityStep* step : steps) line.y.push_back(value(*step));
  return line;
}

double ms(double us) { return std::isnan(us) ? kChartGap : us / 1e3; }

}  // namespace

std::vector<ChartSpec> capacity_chart_panels(const CapacityResult& result) {
  const std::vector<const CapacityStep*> steps = by_rate(result);
  ChartSpec latency = rate_panel(result, steps, "Latency against offered rate", "Latency (ms)");
  latency.lines = {
      line_of(steps, "p99", ChartColor::kRed, [](const CapacityStep& s) { return ms(s.p99_us); }),
      line_of(steps, "p50", ChartColor::kBlue, [](const CapacityStep& s) { return ms(s.p50_us); }),
      line_of(steps, "p99 service", ChartColor::kOrange,
              [](const CapacityStep& s) { return ms(s.service_p99_us); }),
      line_of(steps, "p50 service", ChartColor::kTeal,
              [](const CapacityStep& s) { return ms(s.service_p50_us); }),
  };
  ChartSpec errors = rate_panel(result, steps, "Error rate against offered rate", "Errors (%)");
  errors.lines = {line_of(steps, "error rate", ChartColor::kPurple,
                          [](const CapacityStep& s) { return s.error_rate * 100; })};
  errors.y_limit = 100;
  return {latency, errors};
}

Result<std::string> write_capacity_chart(const CapacityResult& result,
                                         const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Error{"charts: cannot create '" + directory + "': " + error.message() +
                 " (choose another folder with --charts-path, or --no-charts)"};
  }
  const std::string path = (std::filesystem::path(directory) / kCapacityChartFile).string();
  Status drawn = draw_chart_panels(capacity_chart_panels(result), path, ChartCanvas{1000, 1200});
  if (!drawn) return Error{drawn.error()};
  return path;
}

}  // namespace strest

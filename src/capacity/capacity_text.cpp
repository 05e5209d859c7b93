#include "capacity/capacity_text.h"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

#include "text/ansi_color.h"

namespace strest {
namespace {

constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kBold = "1";

std::string rate_text(double rps) { return format_threshold_value(ThresholdMetric::kRps, rps); }

std::string latency_text(double us) {
  return format_threshold_value(ThresholdMetric::kP99, us);  // "n/a" when NaN
}

std::string errors_text(const CapacityStep& step) {
  if (step.errors == 0) return "0";
  return std::to_string(step.errors) + " (" +
         format_threshold_value(ThresholdMetric::kErrorRate, step.error_rate) + ")";
}

// "p99<20ms (p99 = 31.2ms)": a broken SLO and what the step measured.
std::string broken_text(const ThresholdResult& result) {
  const ThresholdMetric metric = result.threshold.metric;
  return result.threshold.expression + " (" + std::string(threshold_metric_name(metric)) + " = " +
         format_threshold_value(metric, result.actual) + ")";
}

// Why a step failed: the SLOs it broke, else its degradation.
std::string failure_text(const CapacityStep& step) {
  std::string text;
  for (const ThresholdResult& broken : broken_slos(step)) {
    text += (text.empty() ? "" : ", ") + broken_text(broken);
  }
  if (!step.degradation.empty()) {
    text += (text.empty() ? "degraded: " : "; degraded: ") + step.degradation;
  }
  return text;
}

void write_header_row(std::ostream& out) {
  out << std::left << std::setw(4) << "#" << std::setw(8) << "phase" << std::right << std::setw(10)
      << "offered" << std::setw(10) << "achieved" << std::setw(11) << "p50" << std::setw(11)
      << "p99" << std::setw(11) << "svc p50" << std::setw(11) << "svc p99" << std::setw(14)
      << "errors"
      << "  result\n";
}

const CapacityStep* step_at(const CapacityResult& result, std::optional<size_t> index) {
  return index ? &result.steps[*index] : nullptr;
}

void write_knee(const CapacityResult& result, std::ostream& out, bool color) {
  const CapacityStep* knee = step_at(result, result.knee);
  if (knee == nullptr) return;
  out << paint("Knee: " + rate_text(knee->offered_rps) + " req/s", kBold, color);
  if (result.outcome == CapacityOutcome::kMaxRateHeld) {
    out << ", which is --max-rate: every SLO held there, so the capacity is at least that "
           "(raise --max-rate to search higher)\n";
    return;
  }
  out << ", the highest rate that held every SLO (p99 " << latency_text(knee->p99_us)
      << ", achieved " << rate_text(knee->achieved_rps) << " req/s)\n";
}

void write_first_failing(const CapacityResult& result, std::ostream& out, bool color) {
  const CapacityStep* failing = step_at(result, result.first_failing);
  if (failing == nullptr) return;
  const std::string label = result.knee ? "First failing: " : "No passing rate: --min-rate ";
  out << paint(label + rate_text(failing->offered_rps) + " req/s", kBold, color)
      << " failed: " << failure_text(*failing) << "\n";
  if (!result.knee) out << "Lower --min-rate, or loosen the SLOs.\n";
}

}  // namespace

void write_capacity_step_line(const CapacityStep& step, size_t number, std::ostream& out,
                              bool color) {
  std::ostringstream row;
  row << std::left << std::setw(4) << number << std::setw(8) << phase_name(step.phase) << std::right
      << std::setw(10) << rate_text(step.offered_rps) << std::setw(10)
      << rate_text(step.achieved_rps) << std::setw(11) << latency_text(step.p50_us) << std::setw(11)
      << latency_text(step.p99_us) << std::setw(11) << latency_text(step.service_p50_us)
      << std::setw(11) << latency_text(step.service_p99_us) << std::setw(14) << errors_text(step)
      << "  ";
  out << row.str();
  if (step.passed()) {
    out << paint("pass", kGreen, color) << "\n";
  } else {
    out << paint("FAIL", kRed, color) << " " << failure_text(step) << "\n";
  }
}

void write_capacity_header(const CapacityResult& result, std::ostream& out) {
  out << "Capacity search of " << result.target << "\nSLOs:";
  for (const std::string& slo : result.slos) out << " " << slo;
  out << "\n\n";
  write_header_row(out);
}

void write_capacity_text(const CapacityResult& result, std::ostream& out, bool color) {
  write_capacity_header(result, out);
  for (size_t i = 0; i < result.steps.size(); ++i) {
    write_capacity_step_line(result.steps[i], i + 1, out, color);
  }
  out << "\n";
  write_capacity_verdict(result, out, color);
}

void write_capacity_verdict(const CapacityResult& result, std::ostream& out, bool color) {
  write_knee(result, out, color);
  write_first_failing(result, out, color);
  if (result.outcome == CapacityOutcome::kKneeFound) {
    out << "The capacity lies between the two, within "
        << format_threshold_value(ThresholdMetric::kErrorRate, result.settings.precision)
        << " (--precision) of the knee.\n";
  }
  if (result.outcome == CapacityOutcome::kInterrupted) {
    out << "The search was interrupted after " << result.steps.size()
        << " step(s): the rates above are what it had found.\n";
  }
}

}  // namespace strest

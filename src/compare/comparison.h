#pragma once
// ComparisonResult: everything `strest compare` found about two runs, as data, so the text
// table, the JSON file and an HTML report render the same facts (compare/comparison_text.h,
// compare/comparison_json.h).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compare/block_bootstrap.h"
#include "compare/delta_gate.h"
#include "compare/run_sample.h"

namespace strest {

// What a metric's difference means.
enum class Verdict {
  kNotSignificant,  // the interval holds 0 (or could not be computed)
  kWithinNoise,     // the interval leaves out 0, but the change is smaller than the noise
  kRegression,      // significant and worse: latency or error rate up, RPS down
  kImprovement,     // significant and better
};

// Two runs of one build on one machine differ by a few percent (CPU frequency, neighbours,
// cache state) in ways the bootstrap over one run's blocks cannot see; a change smaller than
// this share of A is reported as noise, never as a regression (criterion's noise threshold).
inline constexpr double kDefaultNoise = 0.05;

// One metric of A against B.
struct MetricComparison {
  CompareMetric metric = CompareMetric::kP99;
  double a = 0;  // NaN when the run cannot tell
  double b = 0;
  double delta = 0;           // b - a
  double delta_relative = 0;  // (b - a) / a; NaN when a is 0 or unknown
  DeltaInterval interval;     // of b - a, at the comparison's confidence
  Verdict verdict = Verdict::kNotSignificant;
};

// A gate held against the two runs.
struct GateOutcome {
  DeltaGate gate;
  double worsening = 0;     // in the gate's unit (gate_worsening)
  bool past_limit = false;  // the worsening breaks the limit
  bool failed = false;      // past the limit and a significant regression: exit 3
};

// One run as the table's header shows it.
struct RunOverview {
  std::string source;
  uint64_t requests = 0;
  uint64_t errors = 0;
  uint64_t responses = 0;
  double window_s = 0;
  size_t blocks = 0;
  int64_t block_us = 0;
  bool open_loop = false;
};

struct ComparisonResult {
  RunOverview a;
  RunOverview b;
  BootstrapOptions bootstrap;
  double noise = kDefaultNoise;           // a share of A
  std::vector<MetricComparison> metrics;  // in CompareMetric order
  std::vector<GateOutcome> gates;         // in the order given

  // Any metric with a significant regression, gated or not.
  bool has_regression() const;
  // A gate failed: the exit code is 3.
  bool gate_failed() const;
};

// Compares run B against run A with the bootstrap's confidence and seed, calls changes smaller
// than `noise` (a share of A) noise, and holds each gate against the result.
ComparisonResult compare_runs(const RunSample& a, const RunSample& b,
                              std::span<const DeltaGate> gates, const BootstrapOptions& options,
                              double noise = kDefaultNoise);

// The metric's name in the table and JSON: "rps", "error_rate", "avg", "p50", "p90", "p99".
std::string_view compare_metric_name(CompareMetric metric);
// "not significant", "within noise", "regression" or "improvement".
std::string_view verdict_name(Verdict verdict);

}  // namespace strest

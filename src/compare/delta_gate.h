#pragma once
// Delta gates: CI conditions on how much worse run B may be than run A ("p99_delta<10%",
// "p99_delta<5ms", "error_rate_delta<0.5%", "rps_delta<5%"). A gate bounds the worsening: the
// latency increase, the error rate increase, the RPS drop; an improvement always passes. Parsed
// with the pieces of the threshold parser (plan/threshold.h), so errors read the same.
#include <string>
#include <string_view>

#include "compare/block_bootstrap.h"
#include "plan/result.h"
#include "plan/threshold.h"

namespace strest {

// How a gate's limit is expressed.
enum class GateUnit {
  kRelative,  // a fraction of A's value ("10%" of a latency or of the RPS)
  kMicros,    // latency, absolute ("5ms")
  kPoints,    // error rate, absolute fraction points ("0.5%" = 0.005)
  kPerSecond  // RPS, absolute requests per second ("200")
};

struct DeltaGate {
  std::string expression;  // as the user wrote it, trimmed
  CompareMetric metric = CompareMetric::kP99;
  ThresholdOp op = ThresholdOp::kLess;  // kLess or kLessEqual
  GateUnit unit = GateUnit::kRelative;
  double limit = 0;
};

// Parses "METRIC_delta OP VALUE" with METRIC one of p50, p90, p99, avg, rps, error_rate and OP
// < or <=. Errors name the gate and the fix, e.g. "threshold 'p95_delta<5ms': unknown delta
// metric 'p95_delta' (use p50_delta, ...)".
Result<DeltaGate> parse_delta_gate(std::string_view expression);

// How much worse B is than A in the gate's unit (negative: better); NaN when it cannot be told
// (a relative gate on a zero A, a metric one run lacks).
double gate_worsening(const DeltaGate& gate, double a, double b);

// True when the worsening is within the gate's limit (NaN: within, nothing to hold against).
bool gate_holds(const DeltaGate& gate, double worsening);

// The gate's metric as users write it ("p99_delta").
std::string delta_gate_name(CompareMetric metric);

}  // namespace strest

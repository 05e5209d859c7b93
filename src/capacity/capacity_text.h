#pragma once
// The search as people read it: a table of every step (offered and achieved rate, corrected and
// service latency, errors, pass or the SLO that broke), then the knee and the first failure.
#include <ostream>

#include "capacity/capacity_result.h"

namespace strest {

// "Capacity search of URL", the SLOs and the table's header row.
void write_capacity_header(const CapacityResult& result, std::ostream& out);

// One table row as soon as a step finishes, so a long search shows its progress.
void write_capacity_step_line(const CapacityStep& step, size_t number, std::ostream& out,
                              bool color);

// The whole report: a header naming the target and SLOs, the table, the verdict lines.
void write_capacity_text(const CapacityResult& result, std::ostream& out, bool color);

// Just the verdict: "Knee: 400 req/s ..." and "First failing: 425 req/s: p99<20ms broke ...",
// or what the outcome says instead when there is no knee or no failure.
void write_capacity_verdict(const CapacityResult& result, std::ostream& out, bool color);

}  // namespace strest

#pragma once
// The end-of-run summary for a terminal: what was tested, how it ended, every class of result,
// throughput, latency percentiles (all responses and ok ones), status codes, insight and a
// latency histogram, in aligned columns that read at a glance.
#include <ostream>

#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// Writes the summary; ANSI colour only when `color` is true (see use_color).
void write_summary_text(const RunResult& result, const Plan& plan, std::ostream& out, bool color);

// True when fd is a terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
// not "dumb".
bool use_color(int fd);

}  // namespace strest

#pragma once
// The end-of-run summary for a terminal: what was tested, how it ended, every class of result,
// throughput, latency percentiles (all responses and ok ones), status codes, insight and a
// latency histogram, in aligned columns that read at a glance.
#include <cstdint>
#include <ostream>
#include <string>

#include "metrics/run_result.h"
#include "plan/plan.h"

namespace strest {

// Writes the summary; ANSI colour only when `color` is true (see use_color).
void write_summary_text(const RunResult& result, const Plan& plan, std::ostream& out, bool color);

// How the run ended, in words: "duration reached", "interrupted by SIGINT", ...
std::string stop_description(const RunResult& result);

// The load the run applied, in words: "closed loop: 50 connections", "open loop: 100.0 req/s
// scheduled on average, up to 50 connections", or that it was a replay.
std::string load_description(const RunResult& result, const Plan& plan);

// A non-negative number with thousands separators and fixed decimals: 12345.678, 2 ->
// "12,345.68".
std::string format_grouped(double value, int decimals);

// Bytes in binary units: 512 -> "512 B", 123456 -> "120.56 KiB".
std::string human_bytes(uint64_t bytes);

// True when fd is a terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
// not "dumb".
bool use_color(int fd);

}  // namespace strest

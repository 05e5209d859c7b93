#pragma once
// Synthetic runs for the compare tests: closed-loop-like records at a steady pace with latencies
// drawn from a seeded generator, so every test is exact and needs no server.
#include <cstdint>
#include <random>

#include "compare/run_sample.h"
#include "metrics/run_log_format.h"

namespace strest {

// What a synthetic run looks like.
struct SyntheticRun {
  int64_t duration_us = 5'000'000;
  int64_t every_us = 500;          // one request started this often
  uint32_t base_latency_us = 200;  // plus an exponential tail of mean `tail_us`
  double tail_us = 100;
  double error_share = 0;  // this share of requests are transport errors
  uint64_t seed = 7;
};

inline RunSample synthetic_sample(const SyntheticRun& run) {
  std::mt19937_64 rng(run.seed);
  std::exponential_distribution<double> tail(1.0 / run.tail_us);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  RunSampleBuilder builder;
  uint64_t sequence = 0;
  for (int64_t start = 0; start < run.duration_us; start += run.every_us) {
    RunLogRecord record;
    record.sequence = ++sequence;
    record.start_us = start;
    record.latency_us = run.base_latency_us + static_cast<uint32_t>(tail(rng));
    record.service_us = record.latency_us;
    record.status = 200;
    if (unit(rng) < run.error_share) {
      record.outcome = LoggedOutcome::kTransport;
      record.status = 0;
    }
    builder.add(record);
  }
  return builder.finish("synthetic", run.duration_us, false);
}

}  // namespace strest

// Hot-path cost of the latency histogram: record() runs once per completed request on every
// worker; value_at_percentile() runs per reported percentile on merged run totals.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "metrics/hdr_histogram.h"

namespace strest {
namespace {

// Latency-like values, log-uniform over 1 µs .. 10 s, so every bucket magnitude is exercised.
std::vector<int64_t> latency_values(size_t n) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> exponent(0.0, 7.0);
  std::vector<int64_t> values(n);
  for (int64_t& v : values) v = static_cast<int64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

void BM_Record(benchmark::State& state) {
  const std::vector<int64_t> values = latency_values(4096);
  HdrHistogram histogram;
  size_t i = 0;
  for (auto _ : state) {
    histogram.record(values[i++ & 4095]);
  }
  benchmark::DoNotOptimize(histogram.total_count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Record);

// Argument: the percentile in tenths (500 = p50, 999 = p99.9).
void BM_ValueAtPercentile(benchmark::State& state) {
  HdrHistogram histogram;
  for (int64_t v : latency_values(1 << 20)) histogram.record(v);
  const double percentile = static_cast<double>(state.range(0)) / 10.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(histogram.value_at_percentile(percentile));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValueAtPercentile)->Arg(500)->Arg(990)->Arg(999)->Arg(1000);

}  // namespace
}  // namespace strest

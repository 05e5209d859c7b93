#include "compare/block_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace strest {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

uint64_t completed_of(const RunSample& sample) {
  uint64_t completed = 0;
  for (const RunBlock& block : sample.blocks) completed += block.completed;
  return completed;
}

// One bootstrap replicate of a run: as many blocks as it has, drawn with replacement.
MetricValues resampled(const RunSample& sample, BlockFold& fold, std::mt19937_64& rng) {
  fold.clear();
  const uint64_t count = sample.blocks.size();
  for (uint64_t drawn = 0; drawn < count; ++drawn) fold.add(sample.blocks[rng() % count]);
  return fold.metrics();
}

// The value at `quantile` of sorted `values` (nearest rank).
double quantile_of(const std::vector<double>& sorted, double quantile) {
  const double position = quantile * static_cast<double>(sorted.size() - 1);
  return sorted[static_cast<size_t>(std::llround(position))];
}

}  // namespace

BlockFold::BlockFold(const RunSample& sample)
    : sample_(sample),
      bucket_counts_(sample.bucket_us.size(), 0),
      run_completed_(completed_of(sample)) {}

void BlockFold::clear() {
  std::fill(bucket_counts_.begin(), bucket_counts_.end(), 0);
  responses_ = completed_ = errors_ = 0;
  latency_sum_us_ = 0;
}

void BlockFold::add(const RunBlock& block) {
  for (const BucketCount& bucket : block.latency) {
    bucket_counts_[bucket.bucket] += bucket.count;
    responses_ += bucket.count;
  }
  completed_ += block.completed;
  errors_ += block.errors;
  latency_sum_us_ += block.latency_sum_us;
}

// As HdrHistogram::value_at_percentile: the bucket holding the ceil(p% * count)-th response.
int64_t BlockFold::percentile_us(double percentile) const {
  const double requested = std::nextafter(percentile, -1.0);
  const auto wanted = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(requested * static_cast<double>(responses_) / 100.0)));
  uint64_t running = 0;
  for (size_t i = 0; i < bucket_counts_.size(); ++i) {
    running += bucket_counts_[i];
    if (running >= wanted) return sample_.bucket_us[i];
  }
  return sample_.bucket_us.back();
}

MetricValues BlockFold::metrics() const {
  MetricValues values;
  const bool responded = responses_ > 0;
  at(values, CompareMetric::kP50) = responded ? static_cast<double>(percentile_us(50)) : kNaN;
  at(values, CompareMetric::kP90) = responded ? static_cast<double>(percentile_us(90)) : kNaN;
  at(values, CompareMetric::kP99) = responded ? static_cast<double>(percentile_us(99)) : kNaN;
  at(values, CompareMetric::kAvg) =
      responded ? latency_sum_us_ / static_cast<double>(responses_) : kNaN;
  at(values, CompareMetric::kErrorRate) =
      completed_ > 0 ? static_cast<double>(errors_) / static_cast<double>(completed_) : kNaN;
  // A replicate's RPS: the run's, times the share of the run's requests the replicate drew.
  const double run_rps =
      sample_.window_s > 0 ? static_cast<double>(run_completed_) / sample_.window_s : kNaN;
  at(values, CompareMetric::kRps) =
      run_completed_ == 0
          ? run_rps
          : run_rps * static_cast<double>(completed_) / static_cast<double>(run_completed_);
  return values;
}

MetricValues run_metrics(const RunSample& sample) {
  BlockFold fold(sample);
  for (const RunBlock& block : sample.blocks) fold.add(block);
  return fold.metrics();
}

std::array<DeltaInterval, kCompareMetrics> bootstrap_delta_intervals(
    const RunSample& a, const RunSample& b, const BootstrapOptions& options) {
  std::array<DeltaInterval, kCompareMetrics> intervals;
  intervals.fill({kNaN, kNaN});
  if (a.blocks.size() < kMinBootstrapBlocks || b.blocks.size() < kMinBootstrapBlocks ||
      options.replicates < 1) {
    return intervals;
  }
  std::mt19937_64 rng(options.seed);
  BlockFold fold_a(a), fold_b(b);
  std::array<std::vector<double>, kCompareMetrics> deltas;
  for (int replicate = 0; replicate < options.replicates; ++replicate) {
    const MetricValues from_a = resampled(a, fold_a, rng);
    const MetricValues from_b = resampled(b, fold_b, rng);
    for (size_t m = 0; m < kCompareMetrics; ++m) {
      const double delta = from_b[m] - from_a[m];
      if (!std::isnan(delta)) deltas[m].push_back(delta);
    }
  }
  const double tail = (1.0 - options.confidence) / 2.0;
  for (size_t m = 0; m < kCompareMetrics; ++m) {
    // A metric one run cannot tell in some replicates (all its responses in unlucky blocks)
    // gets no interval rather than one from the lucky replicates only.
    if (deltas[m].size() != static_cast<size_t>(options.replicates)) continue;
    std::sort(deltas[m].begin(), deltas[m].end());
    intervals[m] = {quantile_of(deltas[m], tail), quantile_of(deltas[m], 1.0 - tail)};
  }
  return intervals;
}

}  // namespace strest

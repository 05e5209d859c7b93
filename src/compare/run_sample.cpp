#include "compare/run_sample.h"

#include <algorithm>

namespace strest {

namespace {

bool is_response(LoggedOutcome outcome) {
  return outcome == LoggedOutcome::kOk || outcome == LoggedOutcome::kNonExpectedStatus ||
         outcome == LoggedOutcome::kAssertFailed;
}

// Floor division, so that a negative start (none expected) still lands in a block.
int64_t block_index(int64_t start_us, int64_t block_us) {
  return start_us >= 0 ? start_us / block_us : -((-start_us + block_us - 1) / block_us);
}

}  // namespace

void RunSampleBuilder::PendingBlock::merge(const PendingBlock& other) {
  latency.merge(other.latency);
  completed += other.completed;
  errors += other.errors;
  latency_sum_us += other.latency_sum_us;
}

void RunSampleBuilder::add(const RunLogRecord& record) {
  if (is_event(record)) return;
  PendingBlock& block = blocks_[block_index(record.start_us, block_us_)];
  ++block.completed;
  if (record.outcome != LoggedOutcome::kOk) ++block.errors;
  if (is_response(record.outcome)) {
    block.latency.record(record.latency_us);
    block.latency_sum_us += record.latency_us;
    all_latency_.record(record.latency_us);
  }
  first_start_us_ = std::min(first_start_us_, record.start_us);
  last_done_us_ = std::max(last_done_us_, completion_us(record));
  if (blocks_.size() > 1 && blocks_.rbegin()->first - blocks_.begin()->first >= kMaxRunBlocks) {
    widen_blocks();
  }
}

// Doubles the block width, merging neighbours, until the blocks span kMaxRunBlocks or fewer.
void RunSampleBuilder::widen_blocks() {
  while (blocks_.rbegin()->first - blocks_.begin()->first >= kMaxRunBlocks) {
    std::map<int64_t, PendingBlock> wider;
    for (auto& [index, block] : blocks_) {
      const int64_t half = index >= 0 ? index / 2 : -((-index + 1) / 2);
      auto [at, inserted] = wider.try_emplace(half);
      if (inserted) {
        at->second = std::move(block);
      } else {
        at->second.merge(block);
      }
    }
    blocks_ = std::move(wider);
    block_us_ *= 2;
  }
}

RunBlock RunSampleBuilder::compact(const PendingBlock& pending,
                                   const std::vector<int64_t>& raw_bucket_us) const {
  RunBlock block;
  block.completed = pending.completed;
  block.errors = pending.errors;
  block.latency_sum_us = pending.latency_sum_us;
  for (const HdrHistogram::Bucket& bucket : pending.latency.recorded_buckets()) {
    const auto at = std::lower_bound(raw_bucket_us.begin(), raw_bucket_us.end(), bucket.value);
    block.latency.push_back(
        {static_cast<uint32_t>(at - raw_bucket_us.begin()), static_cast<uint64_t>(bucket.count)});
  }
  return block;
}

RunSample RunSampleBuilder::finish(std::string source, std::optional<int64_t> measured_us,
                                   bool open_loop) {
  RunSample sample;
  sample.source = std::move(source);
  sample.open_loop = open_loop;
  sample.block_us = block_us_;
  std::vector<int64_t> raw_bucket_us;
  for (const HdrHistogram::Bucket& bucket : all_latency_.recorded_buckets()) {
    raw_bucket_us.push_back(bucket.value);
  }
  sample.bucket_us = raw_bucket_us;
  if (!sample.bucket_us.empty()) {
    sample.bucket_us.back() = std::min(sample.bucket_us.back(), all_latency_.max());
  }
  if (!blocks_.empty()) {
    const int64_t first = blocks_.begin()->first;
    sample.blocks.resize(static_cast<size_t>(blocks_.rbegin()->first - first + 1));
    for (const auto& [index, pending] : blocks_) {
      sample.blocks[static_cast<size_t>(index - first)] = compact(pending, raw_bucket_us);
    }
  }
  if (measured_us && *measured_us > 0) {
    sample.window_s = static_cast<double>(*measured_us) / 1e6;
  } else if (last_done_us_ > first_start_us_) {
    sample.window_s = static_cast<double>(last_done_us_ - first_start_us_) / 1e6;
  }
  return sample;
}

}  // namespace strest

#pragma once
// RunSample: what `strest compare` keeps of one run, in memory that does not grow with the run's
// record count: the run cut into at most kMaxRunBlocks time blocks, each holding its responses'
// latencies as counts per latency bucket (the HDR buckets of the summary, 0.1 % wide) and its
// request and error counts. Blocks are what the bootstrap resamples (compare/block_bootstrap.h):
// neighbouring requests share the machine's mood, so whole blocks, not single requests, are the
// independent units.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "metrics/hdr_histogram.h"
#include "metrics/run_log_format.h"

namespace strest {

// Blocks start this wide and double (neighbours merged) whenever a run needs more than
// kMaxRunBlocks of them, so a run keeps between kMaxRunBlocks / 2 and kMaxRunBlocks blocks
// once it lasts longer than kMaxRunBlocks * kMinRunBlockUs.
inline constexpr int64_t kMinRunBlockUs = 100'000;
inline constexpr int64_t kMaxRunBlocks = 64;

// How many responses of a block fell in one latency bucket of the run.
struct BucketCount {
  uint32_t bucket = 0;  // index into RunSample::bucket_us
  uint64_t count = 0;
};

// The requests that started within one block of the run.
struct RunBlock {
  std::vector<BucketCount> latency;  // responses per bucket, ascending, non-zero counts only
  uint64_t completed = 0;            // every outcome
  uint64_t errors = 0;               // every outcome but ok
  double latency_sum_us = 0;         // exact sum of the responses' latencies
};

struct RunSample {
  std::string source;  // the path as the user gave it
  // The run's latency buckets, ascending: the value each reports, as the summary's percentiles
  // do (the bucket's highest equivalent value, the last one capped at the exact max).
  std::vector<int64_t> bucket_us;
  // Consecutive blocks from the first that holds a request to the last (empty ones between
  // are kept: a stall is part of the run).
  std::vector<RunBlock> blocks;
  int64_t block_us = kMinRunBlockUs;
  // The window RPS is measured over: the run's measured window when the source says it (a run
  // log's end facts, an export's summary), else first start to last completion. 0: unknown.
  double window_s = 0;
  bool open_loop = false;
};

// Folds records, in any order, into a RunSample. Latency samples are the responses (ok,
// non-expected status, failed asserts), as in the summary; timeouts and transport errors count
// as requests and errors only. Event records are ignored.
class RunSampleBuilder {
 public:
  void add(const RunLogRecord& record);
  // The sample; `measured_us` (when known and positive) is the window RPS divides by.
  RunSample finish(std::string source, std::optional<int64_t> measured_us, bool open_loop);

 private:
  // A block while records still arrive: a full histogram, compacted by finish().
  struct PendingBlock {
    HdrHistogram latency;
    uint64_t completed = 0;
    uint64_t errors = 0;
    double latency_sum_us = 0;
    void merge(const PendingBlock& other);
  };
  void widen_blocks();
  RunBlock compact(const PendingBlock& pending, const std::vector<int64_t>& raw_bucket_us) const;

  HdrHistogram all_latency_;
  std::map<int64_t, PendingBlock> blocks_;  // by start_us / block_us_
  int64_t block_us_ = kMinRunBlockUs;
  int64_t first_start_us_ = INT64_MAX;
  int64_t last_done_us_ = INT64_MIN;
};

}  // namespace strest

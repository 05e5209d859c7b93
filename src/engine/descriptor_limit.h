#pragma once
// Open descriptors a run needs, and the soft RLIMIT_NOFILE raised to them before anything is
// sent, so that a large --max-tasks either gets its sockets or is refused up front instead of
// failing every connect with EMFILE.
#include <cstdint>
#include <optional>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// The process's descriptor limits (RLIM_INFINITY reads as UINT64_MAX).
struct DescriptorLimits {
  uint64_t soft = 0;
  uint64_t hard = 0;
};

// Descriptors a run needs: one socket per connection (HTTP/2 and HTTP/3 carry
// --streams-per-connection slots on each) plus a reserve for the rest of the process: standard
// streams, each worker's event loop, run-log shards, sinks, charts.
struct DescriptorNeed {
  uint32_t max_tasks = 0;                       // --max-tasks, for the message
  uint64_t streams = 1;                         // slots per connection
  uint64_t reserve = 0;                         // descriptors that are not connections
  uint64_t total() const;                       // connections + reserve
  uint64_t tasks_within(uint64_t limit) const;  // the largest --max-tasks `limit` allows
};

DescriptorNeed descriptors_needed(const Plan& plan);

// The soft limit to set: none when the soft limit already suffices, the need when the hard limit
// allows it, else an error naming --max-tasks, the need, the limit and the fix.
Result<std::optional<uint64_t>> soft_limit_for(const DescriptorNeed& need,
                                               const DescriptorLimits& limits);

// Reads RLIMIT_NOFILE and raises the soft limit to what the plan needs; an error (nothing
// changed) when the hard limit is too low.
Status ensure_descriptor_limit(const Plan& plan);

}  // namespace strest

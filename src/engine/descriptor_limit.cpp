#include "engine/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace strest {

namespace {

// What the process holds besides its connections: stdin/out/err, files and sockets of sinks,
// charts, the run log and the control plane.
constexpr uint64_t kFixedReserve = 64;
// Per worker: its epoll descriptor and wake-up descriptors, with room to spare.
constexpr uint64_t kPerWorkerReserve = 4;

uint64_t from_rlim(rlim_t value) { return value == RLIM_INFINITY ? UINT64_MAX : value; }

}  // namespace

uint64_t DescriptorNeed::total() const { return (max_tasks + streams - 1) / streams + reserve; }

uint64_t DescriptorNeed::tasks_within(uint64_t limit) const {
  return limit > reserve ? (limit - reserve) * streams : 0;
}

DescriptorNeed descriptors_needed(const Plan& plan) {
  const bool multiplexed = plan.transport.http2 || plan.transport.http3;
  const uint64_t workers = std::max<uint32_t>(1, std::min(plan.threads, plan.max_tasks));
  return DescriptorNeed{
      .max_tasks = plan.max_tasks,
      .streams = multiplexed ? std::max<uint32_t>(1, plan.transport.streams_per_connection) : 1,
      .reserve = kFixedReserve + kPerWorkerReserve * workers + plan.log_shards};
}

Result<std::optional<uint64_t>> soft_limit_for(const DescriptorNeed& need,
                                               const DescriptorLimits& limits) {
  const uint64_t total = need.total();
  if (total <= limits.soft) return std::optional<uint64_t>{};
  if (total <= limits.hard) return std::optional<uint64_t>{total};
  const uint64_t fits = need.tasks_within(limits.hard);
  const std::string lower = fits > 0 ? "lower --max-tasks to " + std::to_string(fits) + " or " : "";
  return Error{"--max-tasks " + std::to_string(need.max_tasks) + " needs " + std::to_string(total) +
               " open descriptors but their hard limit is " + std::to_string(limits.hard) + ": " +
               lower + "raise the hard limit (ulimit -Hn, LimitNOFILE= for a service)"};
}

Status ensure_descriptor_limit(const Plan& plan) {
  rlimit current{};
  if (getrlimit(RLIMIT_NOFILE, &current) != 0) return Ok{};  // unknown: let the run find out
  const DescriptorLimits limits{.soft = from_rlim(current.rlim_cur),
                                .hard = from_rlim(current.rlim_max)};
  auto raise_to = soft_limit_for(descriptors_needed(plan), limits);
  if (!raise_to) return Error{raise_to.error()};
  if (!*raise_to) return Ok{};
  current.rlim_cur = static_cast<rlim_t>(**raise_to);
  if (setrlimit(RLIMIT_NOFILE, &current) != 0) {
    return Error{"--max-tasks " + std::to_string(plan.max_tasks) +
                 ": cannot raise the open descriptor limit to " + std::to_string(**raise_to) +
                 ": " + std::strerror(errno)};
  }
  return Ok{};
}

}  // namespace strest

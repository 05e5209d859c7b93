#pragma once
// TargetServer: the built-in HTTP/1.1 target for `strest demo` and the end-to-end tests. A
// small epoll server with keep-alive and pipelining, fast enough not to bottleneck a demo,
// plus routes that misbehave on purpose (delays, truncated bodies, garbage, early closes).
// Routes are described in target_routes.h.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "demo_target/capacity_queue.h"
#include "demo_target/target_routes.h"
#include "plan/result.h"

namespace strest {

struct TargetOptions {
  std::string host = "127.0.0.1";  // IPv4 or IPv6 literal, or a name that resolves locally
  uint16_t port = 0;               // 0 picks a free port; start() returns the one bound
  int threads = 1;                 // event loops; above 1 each has its own SO_REUSEPORT socket
};

// One loop's count of answered requests and of requests per route (/stats), on its own cache
// lines so loops never share one.
struct alignas(64) TargetServedCounter {
  std::atomic<uint64_t> value{0};
  std::array<std::atomic<uint64_t>, static_cast<size_t>(RouteCounter::kCount)> routes{};
};

// When a /stall ends, shared by every loop: steady_clock ticks since its epoch, 0 when none was
// requested. Loops read it once per wake-up, so a stall costs the hot path one relaxed load.
struct alignas(64) TargetStallClock {
  std::atomic<int64_t> until{0};
};

class TargetLoop;

// Owns the listening sockets, one event loop thread per TargetOptions::threads, and every
// connection. start() and stop() are called from one controlling thread.
class TargetServer {
 public:
  explicit TargetServer(TargetOptions options);
  // Stops and joins.
  ~TargetServer();
  TargetServer(const TargetServer&) = delete;
  TargetServer& operator=(const TargetServer&) = delete;

  // Binds, listens and starts the loops; returns the bound port. May be called again after
  // stop(); with port 0 each start picks a new free port.
  Result<uint16_t> start();
  // Closes the listeners and every connection and joins the loops; does nothing if stopped.
  void stop();
  // Requests answered over this object's lifetime (every route except /__stats; /delay once
  // answered). Incremented before the response bytes are written; safe from any thread.
  uint64_t requests_served() const;
  // Requests received for `counter`'s routes over this object's lifetime (what /stats shows).
  uint64_t route_requests(RouteCounter counter) const;

 private:
  Result<std::vector<std::unique_ptr<TargetLoop>>> open_loops(uint16_t& port);

  TargetOptions options_;
  std::vector<TargetServedCounter> served_;  // one per loop, kept across restarts
  TargetStallClock stall_;                   // cleared by start()
  CapacityQueue capacity_;                   // /capacity/{n}; cleared by start()
  std::vector<std::unique_ptr<TargetLoop>> loops_;
  std::vector<std::jthread> threads_;  // declared last: joined before the loops are destroyed
};

}  // namespace strest

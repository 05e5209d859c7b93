#pragma once
// RunLogWriter: streams every completed request to disk while the run goes on, off the hot
// path. Each worker has its own ring; `shards` writer threads each drain a share of the rings
// into their own file (worker w goes to shard w % shards). finish() drains everything, flushes
// and closes, so the files hold exactly the requests the summary counts.
#include <atomic>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "metrics/run_log_ring.h"
#include "plan/result.h"

namespace strest {

class RunLogWriter {
 public:
  // Creates `directory` if needed and opens one file per shard.
  static Result<std::unique_ptr<RunLogWriter>> open(const std::string& directory, uint32_t shards,
                                                    uint32_t workers, bool open_loop);
  ~RunLogWriter();

  RunLogRing& ring(uint32_t worker) { return *rings_[worker]; }
  void start();
  // Stops the writer threads after draining every ring, then appends `trailer` (the run's end
  // events) to the first shard; returns false if a write failed. Later calls only flush.
  bool finish(std::span<const RunLogRecord> trailer = {});

  const std::vector<std::string>& paths() const { return paths_; }
  // Requests written (event records are not counted): equals the summary's total.
  uint64_t records_written() const { return records_written_.load(); }
  uint64_t full_waits() const;

 private:
  struct Shard {
    std::FILE* file = nullptr;
    std::vector<RunLogRing*> rings;
    std::vector<uint8_t> buffer;  // encoded records of one drain
    bool failed = false;
  };
  RunLogWriter() = default;
  void drain_loop(Shard& shard);
  static size_t drain(Shard& shard);  // returns the requests drained

  std::vector<std::unique_ptr<RunLogRing>> rings_;
  std::vector<Shard> shards_;
  std::vector<std::string> paths_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> records_written_{0};
};

// The default run log folder, ~/.strest/tmp.
std::string default_tmp_path();

}  // namespace strest

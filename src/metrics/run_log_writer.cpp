#include "metrics/run_log_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "plan/default_paths.h"

namespace strest {

namespace {

// Each wake-up costs a context switch on the workers' core; with several strest processes on
// one core (agents) 2 ms pauses cost about a tenth of the rate (bench/dist).
constexpr auto kDrainPause = std::chrono::milliseconds(10);
constexpr size_t kFileBufferBytes = 64 * 1024;  // small, so a killed run still leaves most records

int64_t unix_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string shard_path(const std::string& directory, int64_t start_ms, uint32_t shard) {
  return directory + "/strest-run-" + std::to_string(start_ms) + "-" + std::to_string(getpid()) +
         "-" + std::to_string(shard) + kRunLogExtension;
}

}  // namespace

std::string default_tmp_path() { return default_folder(kDefaultTmpPath); }

Result<std::unique_ptr<RunLogWriter>> RunLogWriter::open(const std::string& directory,
                                                         uint32_t shards, uint32_t workers,
                                                         bool open_loop) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Error{"cannot create --tmp-path '" + directory + "': " + error.message()};
  }
  std::unique_ptr<RunLogWriter> writer(new RunLogWriter());
  shards = std::max<uint32_t>(1, std::min(shards, workers));
  const int64_t start_us = unix_now_us();
  RunLogHeader header;
  header.flags = open_loop ? kRunLogOpenLoop : 0;
  header.run_start_unix_us = start_us;
  uint8_t header_bytes[kRunLogHeaderBytes];
  encode_header(header, header_bytes);
  writer->shards_.resize(shards);
  for (uint32_t s = 0; s < shards; ++s) {
    const std::string path = shard_path(directory, start_us / 1000, s);
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
      return Error{"cannot write run log '" + path + "': " + std::strerror(errno) +
                   " (choose another --tmp-path)"};
    }
    std::setvbuf(file, nullptr, _IOFBF, kFileBufferBytes);
    std::fwrite(header_bytes, 1, sizeof header_bytes, file);
    writer->shards_[s].file = file;
    writer->paths_.push_back(path);
  }
  for (uint32_t w = 0; w < workers; ++w) {
    writer->rings_.push_back(std::make_unique<RunLogRing>());
    writer->shards_[w % shards].rings.push_back(writer->rings_.back().get());
  }
  return writer;
}

RunLogWriter::~RunLogWriter() {
  finish();
  for (Shard& shard : shards_) {
    if (shard.file != nullptr) std::fclose(shard.file);
  }
}

void RunLogWriter::start() {
  for (Shard& shard : shards_) threads_.emplace_back([this, &shard] { drain_loop(shard); });
}

// Encodes what the rings hold into one buffer and writes it with a single call, so the cost
// per record is the encoding alone.
size_t RunLogWriter::drain(Shard& shard) {
  size_t drained = 0;
  for (RunLogRing* ring : shard.rings) {
    shard.buffer.clear();
    ring->pop_all([&](const RunLogRecord& record) {
      if (!is_event(record)) ++drained;
      const size_t at = shard.buffer.size();
      shard.buffer.resize(at + kRunLogRecordBytes);
      encode_record(record, shard.buffer.data() + at);
    });
    if (!shard.buffer.empty() && std::fwrite(shard.buffer.data(), 1, shard.buffer.size(),
                                             shard.file) != shard.buffer.size()) {
      shard.failed = true;
    }
  }
  return drained;
}

// Drains, then pauses: the rings hold seconds of records, so batching costs no waiting, and a
// writer that re-polled at once would only steal CPU from the workers. It goes on without a
// pause only while a ring was more than half full.
void RunLogWriter::drain_loop(Shard& shard) {
  const size_t busy = shard.rings.empty() ? 1 : shard.rings.front()->capacity() / 2;
  while (!stopping_.load(std::memory_order_acquire)) {
    const size_t drained = drain(shard);
    records_written_.fetch_add(drained, std::memory_order_relaxed);
    if (drained < busy) std::this_thread::sleep_for(kDrainPause);
  }
  records_written_.fetch_add(drain(shard), std::memory_order_relaxed);  // what came last
}

bool RunLogWriter::finish(std::span<const RunLogRecord> trailer) {
  stopping_.store(true, std::memory_order_release);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  if (!trailer.empty() && !shards_.empty() && shards_.front().file != nullptr) {
    Shard& first = shards_.front();
    uint8_t bytes[kRunLogRecordBytes];
    for (const RunLogRecord& record : trailer) {
      encode_record(record, bytes);
      if (std::fwrite(bytes, 1, sizeof bytes, first.file) != sizeof bytes) first.failed = true;
    }
  }
  bool ok = true;
  for (Shard& shard : shards_) {
    if (shard.file == nullptr) continue;
    if (std::fflush(shard.file) != 0 || shard.failed) ok = false;
  }
  return ok;
}

uint64_t RunLogWriter::full_waits() const {
  uint64_t waits = 0;
  for (const auto& ring : rings_) waits += ring->full_waits();
  return waits;
}

}  // namespace strest

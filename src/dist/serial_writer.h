#pragma once
// SerialWriter: the one thread that writes a gRPC stream. A stream's Write is not thread-safe,
// and several threads have something to send (heartbeats, ticks, orders), so they queue
// messages here and this thread writes them in order. Writing blocks while the peer is slow;
// queueing never does.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace strest::dist {

template <typename Message>
class SerialWriter {
 public:
  // `write` is the stream's Write; it returns false once the stream is broken, after which
  // queued messages are dropped (the reader side notices the break and reports it).
  explicit SerialWriter(std::function<bool(const Message&)> write)
      : write_(std::move(write)), thread_([this] { loop(); }) {}
  ~SerialWriter() { close(); }
  SerialWriter(const SerialWriter&) = delete;
  SerialWriter& operator=(const SerialWriter&) = delete;

  void push(Message message) {
    {
      std::lock_guard lock(mutex_);
      if (closing_) return;
      queue_.push_back(std::move(message));
    }
    wake_.notify_one();
  }
  // Writes what is queued (unless the stream broke), then stops the thread. No Write runs
  // after it returns, so the stream may then be finished.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  bool broken() const {
    std::lock_guard lock(mutex_);
    return broken_;
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, all written
      Message next = std::move(queue_.front());
      queue_.pop_front();
      if (broken_) continue;
      lock.unlock();
      const bool written = write_(next);
      lock.lock();
      if (!written) broken_ = true;
    }
  }

  std::function<bool(const Message&)> write_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Message> queue_;
  bool closing_ = false;
  bool broken_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace strest::dist

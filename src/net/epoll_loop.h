#pragma once
// A thin owner of one epoll instance. Sockets are registered once, edge-triggered, for both
// directions, so the steady state needs no epoll_ctl per request (wrk re-arms per request).
#include <sys/epoll.h>

#include <cstdint>
#include <span>

#include "net/file_descriptor.h"
#include "plan/result.h"

namespace strest {

class EpollLoop {
 public:
  static Result<EpollLoop> create();

  // Registers fd for EPOLLIN|EPOLLOUT|EPOLLRDHUP, edge-triggered, with `tag` handed back.
  bool watch(int fd, uint64_t tag);
  // Waits up to timeout_us (µs precision, for open-loop pacing) and fills `events`; returns
  // how many are ready.
  int wait(std::span<epoll_event> events, int64_t timeout_us);

 private:
  explicit EpollLoop(FileDescriptor fd) : fd_(std::move(fd)) {}
  FileDescriptor fd_;
};

}  // namespace strest

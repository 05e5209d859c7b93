#include "net/epoll_loop.h"

#include <cerrno>
#include <cstring>

namespace strest {

Result<EpollLoop> EpollLoop::create() {
  const int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return Error{std::string("epoll_create1: ") + std::strerror(errno)};
  return EpollLoop(FileDescriptor(fd));
}

bool EpollLoop::watch(int fd, uint64_t tag) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.u64 = tag;
  return epoll_ctl(fd_.get(), EPOLL_CTL_ADD, fd, &event) == 0;
}

int EpollLoop::wait(std::span<epoll_event> events, int64_t timeout_us) {
  const timespec timeout{.tv_sec = static_cast<time_t>(timeout_us / 1'000'000),
                         .tv_nsec = static_cast<long>(timeout_us % 1'000'000) * 1'000};
  const int n =
      epoll_pwait2(fd_.get(), events.data(), static_cast<int>(events.size()), &timeout, nullptr);
  return n < 0 ? 0 : n;  // EINTR: the caller re-checks its stop conditions anyway
}

}  // namespace strest

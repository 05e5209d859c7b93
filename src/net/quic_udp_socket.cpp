#include "net/quic_udp_socket.h"

#include <sys/uio.h>

#include <cerrno>

namespace strest {

QuicUdpSocket::QuicUdpSocket() : buffer_(kBatch * kMaxDatagram) {}

int QuicUdpSocket::open(const Endpoint& endpoint) {
  close();
  const int fd = ::socket(endpoint.address.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  fd_.reset(fd);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length) != 0) {
    const int error = errno;
    close();
    return error;
  }
  local_length_ = sizeof(local_);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local_), &local_length_) != 0) {
    const int error = errno;
    close();
    return error;
  }
  return 0;
}

void QuicUdpSocket::close() {
  fd_.reset();
  queued_ = 0;
  sent_ = 0;
}

ssize_t QuicUdpSocket::receive(std::span<uint8_t> buffer) {
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
    if (n > 0) return n;
    if (n == 0 || errno == EINTR) continue;  // an empty datagram carries no QUIC packet
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
  }
}

std::span<uint8_t> QuicUdpSocket::next() {
  return {buffer_.data() + queued_ * kMaxDatagram, kMaxDatagram};
}

void QuicUdpSocket::commit(size_t size) { sizes_[queued_++] = size; }

int QuicUdpSocket::flush() {
  while (sent_ < queued_) {
    std::array<iovec, kBatch> iov{};
    std::array<mmsghdr, kBatch> messages{};
    const size_t count = queued_ - sent_;
    for (size_t i = 0; i < count; ++i) {
      iov[i] = {buffer_.data() + (sent_ + i) * kMaxDatagram, sizes_[sent_ + i]};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::sendmmsg(fd_.get(), messages.data(), static_cast<unsigned>(count), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    sent_ += static_cast<size_t>(n);
  }
  queued_ = 0;
  sent_ = 0;
  return 0;
}

}  // namespace strest

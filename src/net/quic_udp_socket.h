#pragma once
// The UDP side of one QUIC connection: a non-blocking socket connected to the target (so the
// kernel reports ICMP errors such as "port unreachable" as ECONNREFUSED) and a small batch of
// outgoing datagrams sent with one sendmmsg() call.
#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "net/endpoint.h"
#include "net/file_descriptor.h"

namespace strest {

class QuicUdpSocket {
 public:
  // The largest datagram queued for sending (ngtcp2's default maximum UDP payload).
  static constexpr size_t kMaxDatagram = 1452;
  // Datagrams sent per sendmmsg() call.
  static constexpr size_t kBatch = 16;

  QuicUdpSocket();

  // A new socket connected to `endpoint` (dropping any previous one and its queued datagrams).
  // Returns 0 or errno.
  int open(const Endpoint& endpoint);
  void close();
  int fd() const { return fd_.get(); }
  const sockaddr_storage& local_address() const { return local_; }
  socklen_t local_length() const { return local_length_; }

  // One datagram into `buffer`: its size (> 0), 0 when none is waiting, or -errno.
  ssize_t receive(std::span<uint8_t> buffer);

  // Room for the next datagram (kMaxDatagram bytes); commit() queues the first `size` bytes.
  std::span<uint8_t> next();
  void commit(size_t size);
  bool full() const { return queued_ == kBatch; }
  // Sends what is queued: 0 when all left, EAGAIN when the kernel buffer is full (the rest stays
  // queued for the next flush, on EPOLLOUT), or another errno (the connection is broken).
  int flush();
  bool blocked() const { return sent_ < queued_; }

 private:
  FileDescriptor fd_;
  sockaddr_storage local_{};
  socklen_t local_length_ = 0;
  std::vector<uint8_t> buffer_;  // kBatch slots of kMaxDatagram bytes
  std::array<size_t, kBatch> sizes_{};
  size_t queued_ = 0;  // datagrams in the batch
  size_t sent_ = 0;    // of which already sent
};

}  // namespace strest

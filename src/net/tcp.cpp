#include "net/tcp.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace strest {

ConnectStart start_connect(const Endpoint& endpoint) {
  ConnectStart result;
  const int fd = socket(endpoint.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    result.error = errno;
    return result;
  }
  result.fd.reset(fd);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length) == 0) {
    return result;
  }
  if (errno == EINPROGRESS) {
    result.in_progress = true;
    return result;
  }
  result.error = errno;
  result.fd.reset();
  return result;
}

int pending_socket_error(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

TransportError classify_connect_error(int error) {
  switch (error) {
    case ECONNREFUSED:
      return TransportError::kConnectRefused;
    case ECONNRESET:
      return TransportError::kReset;
    case EMFILE:
      return TransportError::kDescriptorLimit;
    case ENFILE:
      return TransportError::kSystemDescriptorLimit;
    default:
      return TransportError::kConnectFailed;
  }
}

TransportError classify_io_error(int error) {
  switch (error) {
    case ECONNRESET:
    case EPIPE:
      return TransportError::kReset;
    case ECONNREFUSED:
      return TransportError::kConnectRefused;
    default:
      return TransportError::kOther;
  }
}

}  // namespace strest

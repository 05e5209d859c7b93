#pragma once
// Non-blocking TCP client sockets and the mapping of socket errors to transport error kinds.
#include "metrics/outcome.h"
#include "net/endpoint.h"
#include "net/file_descriptor.h"

namespace strest {

struct ConnectStart {
  FileDescriptor fd;         // valid when the connect is under way or done
  bool in_progress = false;  // EINPROGRESS: wait for writability
  int error = 0;             // errno when the connect failed at once
};

// Opens a non-blocking socket with TCP_NODELAY and starts connecting it.
ConnectStart start_connect(const Endpoint& endpoint);

// The pending error of a connecting socket (SO_ERROR), 0 when connected.
int pending_socket_error(int fd);

// How an errno from connect/send/recv is reported.
TransportError classify_connect_error(int error);
TransportError classify_io_error(int error);

}  // namespace strest

#include "metrics/protocol.h"

namespace strest {

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::kHttp1:
      return "HTTP/1.1";
    case Protocol::kHttp2:
      return "HTTP/2";
    case Protocol::kHttp3:
      return "HTTP/3";
  }
  return "unknown";
}

}  // namespace strest

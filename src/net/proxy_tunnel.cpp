#include "net/proxy_tunnel.h"

namespace strest {

namespace {
// A proxy's reply head longer than this is not a reply to CONNECT.
constexpr size_t kMaxReplyHead = 16 * 1024;
}  // namespace

std::string build_connect_request(std::string_view authority, std::string_view authorization) {
  std::string request = "CONNECT ";
  request.append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
  if (!authorization.empty()) {
    request.append("Proxy-Authorization: ").append(authorization).append("\r\n");
  }
  request.append("\r\n");
  return request;
}

ConnectReply parse_connect_reply(std::string_view received) {
  ConnectReply reply;
  const size_t end = received.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (received.size() > kMaxReplyHead) reply.state = ConnectReply::State::kMalformed;
    return reply;
  }
  reply.head_size = end + 4;
  reply.status_line = std::string(received.substr(0, received.find("\r\n")));
  // "HTTP/1.x NNN reason"
  const std::string_view line = reply.status_line;
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') {
    reply.state = ConnectReply::State::kMalformed;
    return reply;
  }
  reply.state = line[9] == '2' ? ConnectReply::State::kEstablished : ConnectReply::State::kRefused;
  return reply;
}

}  // namespace strest

#include "net/session.h"

#include "net/http3_session.h"
#include "net/tcp_session.h"

namespace strest {

std::unique_ptr<Session> make_session(const SessionContext& context, uint32_t connection) {
  if (context.config->wanted == Protocol::kHttp3) return make_http3_session(context, connection);
  return std::make_unique<TcpSession>(context, connection);
}

}  // namespace strest

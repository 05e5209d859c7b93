#include "net/session.h"

#include "net/http3_module.h"
#include "net/tcp_session.h"

namespace strest {

std::unique_ptr<Session> make_session(const SessionContext& context, uint32_t connection) {
  // build_transport loaded the HTTP/3 module already, or refused the run.
  if (context.config->wanted == Protocol::kHttp3) {
    return http3_module().value()->make_session(context, connection);
  }
  return std::make_unique<TcpSession>(context, connection);
}

}  // namespace strest

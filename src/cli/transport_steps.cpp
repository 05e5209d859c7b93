// The plan step for how requests reach the target: TLS, HTTP/2 and HTTP/3, proxy, Unix socket.
// Whether they fit the URL and each other is plan/validate.h's to say.
#include "cli/plan_steps.h"
#include "net/transport_setup.h"
#include "plan/proxy_url.h"

namespace strest {
namespace {

int version_code(const std::string& text) {  // "1.2" -> 12; the setting's rule checked the text
  return (text[0] - '0') * 10 + (text[2] - '0');
}

}  // namespace

Status apply_transport(const RawOptions& options, const Origins& origins, Plan& plan) {
  TransportPlan& transport = plan.transport;
  transport.insecure = options.insecure.value_or(false);
  transport.cacert = options.cacert.value_or("");
  transport.cert = options.cert.value_or("");
  transport.key = options.key.value_or("");
  if (options.tls_min) transport.tls_min = version_code(*options.tls_min);
  if (options.tls_max) transport.tls_max = version_code(*options.tls_max);
  transport.alpn = options.alpn.value_or(std::vector<std::string>{});
  transport.http2 = options.http2.value_or(false);
  transport.http3 = options.http3.value_or(false);
  if (options.streams_per_connection) {
    transport.streams_per_connection = static_cast<uint32_t>(*options.streams_per_connection);
  }
  transport.disable_keepalive = options.disable_keepalive.value_or(false);
  transport.unix_socket = options.unix_socket;
  if (options.proxy) {
    auto proxy = parse_proxy_url(*options.proxy);
    if (!proxy) return Error{origins.of(&RawOptions::proxy) + ": " + proxy.error()};
    transport.proxy = std::move(*proxy);
  }
  return Ok{};
}

}  // namespace strest

#include "net/transport_setup.h"

#include <sys/un.h>

#include <cstring>

#include "net/http3_module.h"
#include "net/proxy_tunnel.h"

namespace strest {

namespace {

int openssl_version(int version) {
  switch (version) {
    case 10:
      return TLS1_VERSION;
    case 11:
      return TLS1_1_VERSION;
    case 12:
      return TLS1_2_VERSION;
    case 13:
      return TLS1_3_VERSION;
    default:
      return 0;
  }
}

Result<Endpoint> unix_endpoint(const std::string& path) {
  Endpoint endpoint;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    return Error{"--unix-socket: '" + path + "' is longer than the " +
                 std::to_string(sizeof address.sun_path - 1) +
                 " bytes a socket path may have; use a shorter path"};
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  std::memcpy(&endpoint.address, &address, sizeof address);
  endpoint.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  endpoint.text = "unix:" + path;
  return endpoint;
}

Result<Endpoint> connect_endpoint(const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  if (transport.unix_socket) return unix_endpoint(*transport.unix_socket);
  if (transport.proxy) {
    auto endpoint = resolve_endpoint(transport.proxy->host, transport.proxy->port);
    if (!endpoint) return Error{"--proxy: " + endpoint.error()};
    return endpoint;
  }
  return resolve_endpoint(plan.url.host, plan.url.port);
}

}  // namespace

std::vector<std::string> alpn_for(const TransportPlan& transport) {
  if (!transport.alpn.empty()) return transport.alpn;
  if (transport.http3) return {"h3"};
  if (transport.http2) return {"h2", "http/1.1"};
  return {"http/1.1"};
}

TlsSettings tls_settings_for(const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  return TlsSettings{.verify = !transport.insecure,
                     .ca_file = transport.cacert,
                     .cert_file = transport.cert,
                     .key_file = transport.key,
                     .min_version = openssl_version(transport.tls_min),
                     .max_version = openssl_version(transport.tls_max),
                     .alpn = alpn_for(transport),
                     .server_name = plan.url.host};
}

Status check_tls_credentials(const Plan& plan) {
  if (plan.url.scheme != "https") return Ok{};
  const TlsSettings settings = tls_settings_for(plan);
  if (plan.transport.http3) {
    auto module = http3_module();
    if (!module) return Error{module.error()};
    const std::string problem = (*module)->preload_credentials(settings);
    if (!problem.empty()) return Error{problem};
    return Ok{};
  }
  auto context = TlsContext::create(settings);
  if (!context) return Error{context.error()};
  return Ok{};
}

Result<TransportConfig> build_transport(const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  TransportConfig config;
  auto endpoint = connect_endpoint(plan);
  if (!endpoint) return Error{endpoint.error()};
  config.endpoint = std::move(*endpoint);
  config.server_name = plan.url.host;
  config.tls = plan.url.scheme == "https";
  config.wanted = transport.http3   ? Protocol::kHttp3
                  : transport.http2 ? Protocol::kHttp2
                                    : Protocol::kHttp1;
  config.keepalive = !transport.disable_keepalive;
  // One stream per connection where a connection carries one request at a time: HTTP/1.1, and
  // --disable-keepalive (a new connection per request) whatever the protocol.
  const bool multiplexed = transport.http2 || transport.http3;
  config.streams_per_connection =
      multiplexed && !transport.disable_keepalive ? transport.streams_per_connection : 1;
  config.tls_settings = tls_settings_for(plan);
  if (transport.http3) {
    auto module = http3_module();
    if (!module) return Error{module.error()};
    // A bad --cacert is reported now, naming the flag, not as handshake failures later.
    const std::string problem = (*module)->preload_credentials(config.tls_settings);
    if (!problem.empty()) return Error{problem};
  } else if (config.tls) {
    auto context = TlsContext::create(config.tls_settings);
    if (!context) return Error{context.error()};
    config.tls_context = std::move(*context);
  }
  if (transport.proxy && !uses_forward_proxy(plan.url, transport)) {
    ProxySettings proxy;
    proxy.tunnel = true;
    if (!transport.proxy->user.empty()) proxy.authorization = proxy_authorization(*transport.proxy);
    const std::string authority =
        (plan.url.host.find(':') != std::string::npos ? "[" + plan.url.host + "]" : plan.url.host) +
        ":" + std::to_string(plan.url.port);
    proxy.connect_request = build_connect_request(authority, proxy.authorization);
    config.proxy = std::move(proxy);
  }
  config.http1_requests = build_requests(plan);
  config.http1_form = http1_form(plan);
  config.requests = build_request_parts(plan);
  config.head_request = is_head_request(plan);
  config.connect_timeout_us = plan.connect_timeout.count();
  return config;
}

}  // namespace strest

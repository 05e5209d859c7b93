// The plan step for how requests reach the target: TLS, HTTP/2 and HTTP/3, proxy, Unix socket.
// Settings that cannot apply to the URL are refused rather than ignored.
#include <sys/stat.h>

#include "cli/plan_steps.h"
#include "net/transport_setup.h"
#include "plan/proxy_url.h"

namespace strest {

namespace {

int version_code(const std::string& text) {  // "1.2" -> 12
  return (text[0] - '0') * 10 + (text[2] - '0');
}

// TLS settings given for a cleartext URL (or in demo mode) would do nothing.
Status check_tls_only(const RawOptions& options, const Origins& origins, bool https) {
  if (https) return Ok{};
  const std::pair<bool, std::string> tls_settings[] = {
      {options.insecure.has_value(), origins.of(&RawOptions::insecure, "--insecure", "insecure")},
      {options.cacert.has_value(), origins.of(&RawOptions::cacert, "--cacert", "cacert")},
      {options.cert.has_value(), origins.of(&RawOptions::cert, "--cert", "cert")},
      {options.key.has_value(), origins.of(&RawOptions::key, "--key", "key")},
      {options.tls_min.has_value(), origins.of(&RawOptions::tls_min, "--tls-min", "tls_min")},
      {options.tls_max.has_value(), origins.of(&RawOptions::tls_max, "--tls-max", "tls_max")},
      {options.alpn.has_value(), origins.of(&RawOptions::alpn, "--alpn", "alpn")},
      {options.http3.value_or(false), origins.of(&RawOptions::http3, "--http3", "http3")}};
  for (const auto& [given, origin] : tls_settings) {
    if (given) return Error{origin + " applies to https:// URLs only: use an https:// --url"};
  }
  return Ok{};
}

Status apply_tls(const RawOptions& options, const Origins& origins, TransportPlan& transport) {
  transport.insecure = options.insecure.value_or(false);
  transport.cacert = options.cacert.value_or("");
  transport.cert = options.cert.value_or("");
  transport.key = options.key.value_or("");
  if (options.cert.has_value() != options.key.has_value()) {
    return Error{options.cert ? origins.of(&RawOptions::cert, "--cert", "cert") +
                                    " needs --key, the certificate's private key"
                              : origins.of(&RawOptions::key, "--key", "key") +
                                    " needs --cert, the client certificate it belongs to"};
  }
  if (options.tls_min) transport.tls_min = version_code(*options.tls_min);
  if (options.tls_max) transport.tls_max = version_code(*options.tls_max);
  if (transport.tls_min != 0 && transport.tls_max != 0 && transport.tls_min > transport.tls_max) {
    return Error{origins.of(&RawOptions::tls_min, "--tls-min", "tls_min") + " " + *options.tls_min +
                 " is above " + origins.of(&RawOptions::tls_max, "--tls-max", "tls_max") + " " +
                 *options.tls_max + ": no TLS version is left; lower the minimum"};
  }
  transport.alpn = options.alpn.value_or(std::vector<std::string>{});
  return Ok{};
}

Status apply_protocol(const RawOptions& options, const Origins& origins, TransportPlan& transport) {
  transport.http2 = options.http2.value_or(false);
  transport.http3 = options.http3.value_or(false);
  if (options.streams_per_connection) {
    transport.streams_per_connection = static_cast<uint32_t>(*options.streams_per_connection);
  }
  transport.disable_keepalive = options.disable_keepalive.value_or(false);
  if (transport.http2 && transport.http3) {
    return Error{"--http2 and --http3 exclude each other: pick one protocol"};
  }
  if (options.streams_per_connection && !transport.http2 && !transport.http3) {
    return Error{origins.of(&RawOptions::streams_per_connection, "--streams-per-connection",
                            "streams_per_connection") +
                 " applies to HTTP/2 and HTTP/3 only: add --http2 or --http3"};
  }
  if (options.streams_per_connection && transport.disable_keepalive) {
    return Error{origins.of(&RawOptions::streams_per_connection, "--streams-per-connection",
                            "streams_per_connection") +
                 " does nothing with --disable-keepalive: each connection carries one request"};
  }
  return Ok{};
}

Status apply_route(const RawOptions& options, const Origins& origins, TransportPlan& transport) {
  if (options.proxy) {
    const std::string origin = origins.of(&RawOptions::proxy, "--proxy", "proxy");
    auto proxy = parse_proxy_url(*options.proxy);
    if (!proxy) return Error{origin + ": " + proxy.error()};
    transport.proxy = std::move(*proxy);
  }
  transport.unix_socket = options.unix_socket;
  if (transport.proxy && transport.unix_socket) {
    return Error{"--proxy and --unix-socket exclude each other: the socket replaces the network"};
  }
  if (transport.http3 && !transport.alpn.empty()) {
    return Error{origins.of(&RawOptions::alpn, "--alpn", "alpn") +
                 " does not apply to --http3: QUIC always offers h3"};
  }
  if (transport.http3 && transport.tls_max != 0 && transport.tls_max < 13) {
    return Error{origins.of(&RawOptions::tls_max, "--tls-max", "tls_max") +
                 " is below 1.3, which QUIC (--http3) always uses"};
  }
  if (transport.http3 && (transport.proxy || transport.unix_socket)) {
    return Error{std::string(transport.proxy ? "--proxy" : "--unix-socket") +
                 " does not work with --http3 (QUIC runs over UDP to the URL's host)"};
  }
  if (transport.unix_socket) {
    // A typo would otherwise show only as every request failing to connect.
    struct stat info {};
    const std::string origin = origins.of(&RawOptions::unix_socket, "--unix-socket", "unix_socket");
    if (stat(transport.unix_socket->c_str(), &info) != 0) {
      return Error{origin + ": '" + *transport.unix_socket +
                   "' does not exist: start the server or fix the path"};
    }
    if (!S_ISSOCK(info.st_mode)) {
      return Error{origin + ": '" + *transport.unix_socket + "' is not a socket"};
    }
  }
  return Ok{};
}

}  // namespace

Status apply_transport(const RawOptions& options, const Origins& origins, Plan& plan) {
  TransportPlan& transport = plan.transport;
  const bool demo = plan.url.scheme.empty();  // the built-in target: cleartext HTTP/1.1
  if (demo && (options.http2 || options.http3 || options.proxy || options.unix_socket)) {
    return Error{
        "strest demo runs against its built-in HTTP/1.1 target: --http2, --http3, --proxy and "
        "--unix-socket need a real --url"};
  }
  for (auto step : {apply_tls, apply_protocol, apply_route}) {
    auto status = step(options, origins, transport);
    if (!status) return status;
  }
  auto status = check_tls_only(options, origins, plan.url.scheme == "https");
  if (!status) return status;
  return check_tls_credentials(plan);
}

}  // namespace strest

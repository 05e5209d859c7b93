// How requests reach the target: settings that cannot apply to the URL, or to each other, are
// refused rather than ignored; from a config file, TLS keys for a cleartext URL only warn.
#include <sys/stat.h>

#include "log/log.h"
#include "plan/validate_parts.h"

namespace strest {
namespace {

std::string version_text(int code) {  // 12 -> "1.2"
  return std::to_string(code / 10) + "." + std::to_string(code % 10);
}

Status check_demo(const Plan& plan, const SettingOrigins&) {
  const TransportPlan& transport = plan.transport;
  const bool demo = plan.url.scheme.empty();  // the built-in target: cleartext HTTP/1.1
  if (!demo || !(transport.http2 || transport.http3 || transport.proxy || transport.unix_socket)) {
    return Ok{};
  }
  return Error{
      "strest demo runs against its built-in HTTP/1.1 target: --http2, --http3, --proxy and "
      "--unix-socket need a real --url"};
}

// How the TLS settings fit together; for a cleartext URL check_tls_only speaks instead.
Status check_tls(const Plan& plan, const SettingOrigins& origins) {
  if (plan.url.scheme != "https") return Ok{};
  const TransportPlan& transport = plan.transport;
  if (transport.cert.empty() != transport.key.empty()) {
    return Error{!transport.cert.empty()
                     ? origins.name("--cert") + " needs --key, the certificate's private key"
                     : origins.name("--key") +
                           " needs --cert, the client certificate it belongs to"};
  }
  if (transport.tls_min != 0 && transport.tls_max != 0 && transport.tls_min > transport.tls_max) {
    return Error{origins.name("--tls-min") + " " + version_text(transport.tls_min) + " is above " +
                 origins.name("--tls-max") + " " + version_text(transport.tls_max) +
                 ": no TLS version is left; lower the minimum"};
  }
  return Ok{};
}

Status check_protocol(const Plan& plan, const SettingOrigins& origins) {
  const TransportPlan& transport = plan.transport;
  if (transport.http2 && transport.http3) {
    return Error{origins.name("--http2") + " and " + origins.name("--http3") +
                 " exclude each other: pick one protocol"};
  }
  if (!origins.given("--streams-per-connection")) return Ok{};
  if (!transport.http2 && !transport.http3) {
    return Error{origins.name("--streams-per-connection") +
                 " applies to HTTP/2 and HTTP/3 only: add --http2 or --http3"};
  }
  if (transport.disable_keepalive) {
    return Error{origins.name("--streams-per-connection") +
                 " does nothing with --disable-keepalive: each connection carries one request"};
  }
  return Ok{};
}

Status check_route(const Plan& plan, const SettingOrigins& origins) {
  const TransportPlan& transport = plan.transport;
  if (transport.proxy && transport.unix_socket) {
    return Error{origins.name("--proxy") + " and " + origins.name("--unix-socket") +
                 " exclude each other: the socket replaces the network"};
  }
  if (transport.http3 && !transport.alpn.empty()) {
    return Error{origins.name("--alpn") + " does not apply to --http3: QUIC always offers h3"};
  }
  if (transport.http3 && transport.tls_max != 0 && transport.tls_max < 13) {
    return Error{origins.name("--tls-max") + " is below 1.3, which QUIC (--http3) always uses"};
  }
  if (transport.http3 && (transport.proxy || transport.unix_socket)) {
    return Error{origins.name(transport.proxy ? "--proxy" : "--unix-socket") +
                 " does not work with --http3 (QUIC runs over UDP to the URL's host)"};
  }
  return Ok{};
}

// A typo would otherwise show only as every request failing to connect.
Status check_unix_socket(const Plan& plan, const SettingOrigins& origins) {
  if (!plan.transport.unix_socket) return Ok{};
  const std::string& path = *plan.transport.unix_socket;
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    return Error{origins.name("--unix-socket") + ": '" + path +
                 "' does not exist: start the server or fix the path"};
  }
  if (!S_ISSOCK(info.st_mode)) {
    return Error{origins.name("--unix-socket") + ": '" + path + "' is not a socket"};
  }
  return Ok{};
}

// TLS settings for a cleartext URL (or in demo mode) would do nothing. On the command line that
// is a mistake; in a config file it is a shared setting meant for https:// runs, so it warns.
Status check_tls_only(const Plan& plan, const SettingOrigins& origins) {
  if (plan.url.scheme == "https") return Ok{};
  const TransportPlan& transport = plan.transport;
  const std::pair<bool, const char*> tls_settings[] = {
      {transport.insecure, "--insecure"},    {!transport.cacert.empty(), "--cacert"},
      {!transport.cert.empty(), "--cert"},   {!transport.key.empty(), "--key"},
      {transport.tls_min != 0, "--tls-min"}, {transport.tls_max != 0, "--tls-max"},
      {!transport.alpn.empty(), "--alpn"}};
  for (const auto& [value_set, flag] : tls_settings) {
    if (!value_set && !origins.given(flag)) continue;
    if (!origins.from_config(flag)) {
      return Error{origins.name(flag) + " applies to https:// URLs only: use an https:// --url"};
    }
    log_warning(origins.name(flag) + " applies to https:// URLs only; ignored for this " +
                (plan.url.scheme.empty() ? "demo" : plan.url.scheme + "://") + " run");
  }
  if (transport.http3) {
    return Error{origins.name("--http3") + " applies to https:// URLs only: use an https:// --url"};
  }
  return Ok{};
}

}  // namespace

Status validate_transport(const Plan& plan, const SettingOrigins& origins) {
  for (auto check :
       {check_demo, check_tls, check_protocol, check_route, check_unix_socket, check_tls_only}) {
    auto status = check(plan, origins);
    if (!status) return status;
  }
  return Ok{};
}

}  // namespace strest

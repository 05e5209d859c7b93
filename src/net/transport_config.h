#pragma once
// How the run reaches its target: where to connect, TLS, the protocol wanted, proxy, and the
// requests in the structured form HTTP/2 and HTTP/3 need. Built once from the Plan before the
// run (see transport_setup.h) and shared read-only by every worker and session.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.h"
#include "net/session.h"
#include "net/tls_client.h"

namespace strest {

// One request variant (one per body with --data-lines) as header fields, for HTTP/2 and HTTP/3.
// HTTP/1.1 sends RequestTemplate bytes instead.
struct RequestParts {
  std::string method;     // "GET"
  std::string scheme;     // "https" or "http"
  std::string authority;  // host[:port] as in the Host header
  std::string path;       // origin-form target, "/" at least
  // Lower-case names, without Host, Connection, Keep-Alive, Proxy-Connection,
  // Transfer-Encoding or Upgrade (connection-specific fields HTTP/2 forbids); includes
  // User-Agent and Content-Length when the HTTP/1.1 request has them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string id_header;  // lower-case --request-id-header name, "" when ids are off
};

// An HTTP forward proxy (--proxy): http:// targets are sent to it in absolute form; https://
// targets (and HTTP/2 cleartext) go through a CONNECT tunnel.
struct ProxySettings {
  std::string authorization;  // "Basic <base64(user:pass)>", or "" when the URL has no user
  bool tunnel = false;        // CONNECT first
  std::string connect_request;  // the CONNECT request bytes, built once
};

struct TransportConfig {
  Endpoint endpoint;          // where sockets connect: the target, the proxy or a Unix socket
  std::string server_name;    // the URL host: SNI, certificate check, :authority
  bool tls = false;           // https://
  TlsSettings tls_settings;   // as given; HTTP/3 builds its GnuTLS session from these
  std::shared_ptr<const TlsContext> tls_context;  // OpenSSL, set when tls and not HTTP/3
  // kHttp1: HTTP/1.1 unless TLS ALPN selects h2 (only when --alpn offers it). kHttp2: --http2,
  // adaptive: ALPN h2 over TLS with fallback to HTTP/1.1, prior knowledge (h2c) over cleartext.
  // kHttp3: --http3, QUIC.
  Protocol wanted = Protocol::kHttp1;
  bool keepalive = true;                // --disable-keepalive: a new connection per request
  uint32_t streams_per_connection = 1;  // requests in flight on one connection (HTTP/2 and 3)
  std::optional<ProxySettings> proxy;
  std::vector<RequestParts> requests;  // same order as the RequestTemplates
  bool head_request = false;           // HEAD: responses have no body
  int64_t connect_timeout_us = 5'000'000;
};

}  // namespace strest

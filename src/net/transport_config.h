#pragma once
// How the run reaches its target: where to connect, TLS, the protocol wanted, proxy, and the
// requests in the structured form HTTP/2 and HTTP/3 need. Built once from the Plan before the
// run (see transport_setup.h) and shared read-only by every worker and session.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/request_builder.h"
#include "net/endpoint.h"
#include "net/session.h"
#include "net/tls_client.h"

namespace strest {

// An HTTP forward proxy (--proxy): http:// targets are sent to it in absolute form; https://
// targets (and HTTP/2 cleartext) go through a CONNECT tunnel.
struct ProxySettings {
  std::string authorization;    // "Basic <base64(user:pass)>", or "" when the URL has no user
  bool tunnel = false;          // CONNECT first
  std::string connect_request;  // the CONNECT request bytes, built once
};

struct TransportConfig {
  Endpoint endpoint;         // where sockets connect: the target, the proxy or a Unix socket
  std::string server_name;   // the URL host: SNI, certificate check, :authority
  bool tls = false;          // https://
  TlsSettings tls_settings;  // as given; HTTP/3 builds its GnuTLS session from these
  std::shared_ptr<const TlsContext> tls_context;  // OpenSSL, set when tls and not HTTP/3
  // kHttp1: HTTP/1.1 unless TLS ALPN selects h2 (only when --alpn offers it). kHttp2: --http2,
  // adaptive: ALPN h2 over TLS with fallback to HTTP/1.1, prior knowledge (h2c) over cleartext.
  // kHttp3: --http3, QUIC.
  Protocol wanted = Protocol::kHttp1;
  bool keepalive = true;                // --disable-keepalive: a new connection per request
  uint32_t streams_per_connection = 1;  // requests in flight on one connection (HTTP/2 and 3)
  std::optional<ProxySettings> proxy;
  std::vector<RequestTemplate> http1_requests;  // HTTP/1.1 bytes, one per variant
  std::vector<RequestParts> requests;           // the same variants as fields (HTTP/2, HTTP/3)
  bool head_request = false;                    // HEAD: responses have no body
  Http1Form http1_form;  // how requests built per request (scenario steps) go out as HTTP/1.1
  // What sessions hand the listener of each response besides its status (scenario runs).
  struct Capture {
    bool headers = false;
    bool body = false;
  } capture;
  int64_t connect_timeout_us = 5'000'000;
};

}  // namespace strest

#pragma once
// Request bytes are built once, before the run: one complete HTTP/1.1 request per body variant
// (one, or one per line with --data-lines). Workers only send these bytes.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace strest {

// The default User-Agent, "strest-loadtest/<version>".
std::string default_user_agent();

// One request's bytes. With --request-id-header, `id_at` is where the id's digits go: the
// bytes are copied around them into a per-connection buffer, never re-built.
struct RequestTemplate {
  std::string bytes;
  size_t id_at = std::string::npos;

  bool has_id() const { return id_at != std::string::npos; }
  // The request carrying `id`, written into `out` (its capacity is reused: no allocation once
  // it has grown to size).
  void fill(uint64_t id, std::string& out) const;
};

// The request for each body (a single bodiless request when the plan has no body).
std::vector<RequestTemplate> build_requests(const Plan& plan);

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

// The same requests as header fields for HTTP/2 and HTTP/3 (no connection-specific fields).
std::vector<RequestParts> build_request_parts(const Plan& plan);

// How HTTP/1.1 requests built per request (scenario steps) are framed: what a plain run bakes
// into its RequestTemplate bytes besides the fields.
struct Http1Form {
  std::string absolute_prefix;      // "http://host[:port]" through a forward proxy, else ""
  std::string proxy_authorization;  // Proxy-Authorization value for a forward proxy, or ""
  bool close = false;               // --disable-keepalive: "Connection: close"
};
Http1Form http1_form(const Plan& plan);

// Writes `request` (fields as for HTTP/2) as HTTP/1.1 bytes into `out`, replacing what it held
// and reusing its capacity: the request line, Host from the authority, the fields, the body.
void write_http1_request(const RequestParts& request, const Http1Form& form, std::string& out);

// Fields HTTP/2 and HTTP/3 forbid (RFC 9113 section 8.2.2) or carry as :authority, by
// lower-case name.
bool is_connection_specific(std::string_view lower_name);

// "Basic <base64(user:password)>" for Proxy-Authorization.
std::string proxy_authorization(const ProxyPlan& proxy);

// Whether the plan's method gets a response without a body (HEAD).
bool is_head_request(const Plan& plan);

}  // namespace strest

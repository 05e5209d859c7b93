#include "http/request_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "metrics/base64.h"
#include "text/ascii.h"

#ifndef STREST_VERSION
#define STREST_VERSION "0.0.0"
#endif

namespace strest {

namespace {

bool has_header(const Plan& plan, std::string_view name) {
  return std::any_of(plan.headers.begin(), plan.headers.end(),
                     [&](const Header& h) { return same_name(h.name, name); });
}

// A forward proxy gets the absolute form (RFC 9112 section 3.2.2) and its credentials.
std::string build_head(const Plan& plan) {
  const bool forward = uses_forward_proxy(plan.url, plan.transport);
  const std::string target =
      forward ? plan.url.scheme + "://" + plan.url.host_header + plan.url.target : plan.url.target;
  std::string head = plan.method + " " + target + " HTTP/1.1\r\n";
  if (!has_header(plan, "Host")) head += "Host: " + plan.url.host_header + "\r\n";
  for (const Header& header : plan.headers) head += header.name + ": " + header.value + "\r\n";
  if (plan.send_user_agent && !has_header(plan, "User-Agent")) {
    head += "User-Agent: " + default_user_agent() + "\r\n";
  }
  if (plan.transport.disable_keepalive && !has_header(plan, "Connection")) {
    head += "Connection: close\r\n";
  }
  if (forward && !plan.transport.proxy->user.empty()) {
    head += "Proxy-Authorization: " + proxy_authorization(*plan.transport.proxy) + "\r\n";
  }
  return head;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool is_connection_specific(std::string_view lower_name) {
  for (std::string_view name : {"host", "connection", "keep-alive", "proxy-connection",
                                "transfer-encoding", "upgrade", "te"}) {
    if (lower_name == name) return true;
  }
  return false;
}

Http1Form http1_form(const Plan& plan) {
  Http1Form form;
  if (uses_forward_proxy(plan.url, plan.transport)) {
    form.absolute_prefix = plan.url.scheme + "://" + plan.url.host_header;
    if (!plan.transport.proxy->user.empty()) {
      form.proxy_authorization = proxy_authorization(*plan.transport.proxy);
    }
  }
  form.close = plan.transport.disable_keepalive;
  return form;
}

void write_http1_request(const RequestParts& request, const Http1Form& form, std::string& out) {
  out.clear();
  out += request.method;
  out += ' ';
  out += form.absolute_prefix;
  out += request.path;
  out += " HTTP/1.1\r\nHost: ";
  out += request.authority;
  out += "\r\n";
  for (const auto& [name, value] : request.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (form.close) out += "Connection: close\r\n";
  if (!form.proxy_authorization.empty()) {
    out += "Proxy-Authorization: ";
    out += form.proxy_authorization;
    out += "\r\n";
  }
  out += "\r\n";
  out += request.body;
}

std::string default_user_agent() { return std::string("strest-loadtest/") + STREST_VERSION; }

void RequestTemplate::fill(uint64_t id, std::string& out) const {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, id).ptr;
  out.assign(bytes, 0, id_at);
  out.append(digits, end);
  out.append(bytes, id_at, std::string::npos);
}

std::vector<RequestTemplate> build_requests(const Plan& plan) {
  std::string head = build_head(plan);
  size_t id_at = std::string::npos;
  if (plan.request_id_header) {
    head += *plan.request_id_header + ": ";
    id_at = head.size();
    head += "\r\n";
  }
  if (plan.bodies.empty()) return {RequestTemplate{head + "\r\n", id_at}};
  std::vector<RequestTemplate> requests;
  requests.reserve(plan.bodies.size());
  for (const std::string& body : plan.bodies) {
    std::string bytes = head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    requests.push_back(RequestTemplate{std::move(bytes), id_at});
  }
  return requests;
}

bool is_head_request(const Plan& plan) { return plan.method == "HEAD"; }

std::string proxy_authorization(const ProxyPlan& proxy) {
  const std::string credentials = proxy.user + ":" + proxy.password;
  return "Basic " + base64_encode(std::span(reinterpret_cast<const uint8_t*>(credentials.data()),
                                            credentials.size()));
}

std::vector<RequestParts> build_request_parts(const Plan& plan) {
  RequestParts base;
  base.method = plan.method;
  base.scheme = plan.url.scheme;
  base.authority = plan.url.host_header;
  base.path = plan.url.target;
  for (const Header& header : plan.headers) {
    std::string name = lower(header.name);
    if (name == "host") base.authority = header.value;
    if (is_connection_specific(name)) continue;
    base.headers.emplace_back(std::move(name), header.value);
  }
  if (plan.send_user_agent && !has_header(plan, "User-Agent")) {
    base.headers.emplace_back("user-agent", default_user_agent());
  }
  if (plan.request_id_header) base.id_header = lower(*plan.request_id_header);
  if (plan.bodies.empty()) return {base};
  std::vector<RequestParts> parts;
  parts.reserve(plan.bodies.size());
  for (const std::string& body : plan.bodies) {
    RequestParts request = base;
    request.headers.emplace_back("content-length", std::to_string(body.size()));
    request.body = body;
    parts.push_back(std::move(request));
  }
  return parts;
}

}  // namespace strest

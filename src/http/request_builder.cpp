#include "http/request_builder.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#ifndef STREST_VERSION
#define STREST_VERSION "0.0.0"
#endif

namespace strest {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const Plan& plan, std::string_view name) {
  return std::any_of(plan.headers.begin(), plan.headers.end(),
                     [&](const Header& h) { return same_name(h.name, name); });
}

std::string build_head(const Plan& plan) {
  std::string head = plan.method + " " + plan.url.target + " HTTP/1.1\r\n";
  if (!has_header(plan, "Host")) head += "Host: " + plan.url.host_header + "\r\n";
  for (const Header& header : plan.headers) head += header.name + ": " + header.value + "\r\n";
  if (plan.send_user_agent && !has_header(plan, "User-Agent")) {
    head += "User-Agent: " + default_user_agent() + "\r\n";
  }
  return head;
}

}  // namespace

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

}  // namespace strest

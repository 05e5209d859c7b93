#include "http/request_builder.h"

#include <algorithm>
#include <cctype>

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

std::vector<std::string> build_requests(const Plan& plan) {
  const std::string head = build_head(plan);
  if (plan.bodies.empty()) return {head + "\r\n"};
  std::vector<std::string> requests;
  requests.reserve(plan.bodies.size());
  for (const std::string& body : plan.bodies) {
    requests.push_back(head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  return requests;
}

bool is_head_request(const Plan& plan) { return plan.method == "HEAD"; }

}  // namespace strest

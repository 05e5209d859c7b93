#include "demo_target/scenario_routes.h"

#include <atomic>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "demo_target/scenario_auth.h"

namespace strest {
namespace {

constexpr std::string_view kJson = "Content-Type: application/json\r\n";
constexpr std::string_view kSessionCookie = "session";

void append_json(std::string& out, const TargetRequest& request, int code, std::string_view body,
                 std::string_view extra_headers = {}) {
  std::string headers(kJson);
  headers += extra_headers;
  append_response(out, request, code, body, headers);
}

void append_error(std::string& out, const TargetRequest& request, int code,
                  std::string_view message) {
  append_json(out, request, code, "{\"error\": \"" + std::string(message) + "\"}");
}

bool allow_post(const TargetRequest& request, std::string& out) {
  if (request.method == "POST") return true;
  append_json(out, request, 405, "{\"error\": \"use POST\"}", "Allow: POST\r\n");
  return false;
}

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    header = semicolon == header.npos ? std::string_view() : header.substr(semicolon + 1);
    size_t first = pair.find_first_not_of(' ');
    if (first == pair.npos) continue;
    pair.remove_prefix(first);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

std::optional<LoginIdentity> bearer_identity(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size()) return {};
  for (size_t i = 0; i < kBearer.size(); ++i) {
    if ((authorization[i] | 0x20) != (kBearer[i] | 0x20)) return {};
  }
  return check_token(authorization.substr(kBearer.size()));
}

std::optional<LoginIdentity> session_identity(const TargetRequest& request) {
  return check_session(cookie_value(request.cookie, kSessionCookie));
}

std::string json_text(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void route_login(const TargetRequest& request, std::string& out) {
  if (!allow_post(request, out)) return;
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("user") ||
      !body["user"].is_string()) {
    return append_error(out, request, 400, "body must be JSON {\\\"user\\\": \\\"name\\\"}");
  }
  std::string user = body["user"].get<std::string>();
  if (!valid_login_user(user)) {
    return append_error(out, request, 400, "user must be 1-64 of A-Z a-z 0-9 _ . @ -");
  }
  uint64_t login = next_login_number();
  std::string cookie =
      "Set-Cookie: session=" + issue_session(user, login) + "; Path=/; HttpOnly\r\n";
  append_json(out, request, 200,
              "{\"token\": \"" + issue_token(user, login) + "\", \"user\": \"" + user + "\"}",
              cookie);
}

void route_profile(const TargetRequest& request, std::string& out) {
  std::optional<LoginIdentity> identity = bearer_identity(request.authorization);
  std::string_view via = "token";
  if (!identity) {
    identity = session_identity(request);
    via = "session";
  }
  if (!identity) return append_error(out, request, 401, "login first");
  append_json(
      out, request, 200,
      "{\"user\": \"" + std::string(identity->user) + "\", \"via\": \"" + std::string(via) + "\"}");
}

void route_search(const TargetRequest& request, std::string& out) {
  std::string q = query_parameter(request.query, "q");
  std::string quoted = json_text(q);
  std::string body = "{\"q\": " + quoted + ", \"results\": [";
  for (int i = 1; !q.empty() && i <= 3; ++i) {
    if (i > 1) body += ", ";
    body += "{\"id\": " + std::to_string(i) +
            ", \"title\": " + json_text(q + " " + std::to_string(i)) + "}";
  }
  body += "]}";
  append_json(out, request, 200, body);
}

void route_item(const TargetRequest& request, std::string_view id, std::string& out) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (id.empty() || error != std::errc() || end != id.data() + id.size()) {
    return append_error(out, request, 404, "no such item");
  }
  append_json(out, request, 200, "{\"id\": " + std::to_string(value) + "}");
}

void route_checkout(const TargetRequest& request, std::string& out) {
  static std::atomic<uint64_t> orders{0};
  if (!allow_post(request, out)) return;
  std::optional<LoginIdentity> token = bearer_identity(request.authorization);
  if (!token) return append_error(out, request, 401, "a valid bearer token is required");
  std::optional<LoginIdentity> session = session_identity(request);
  if (!session || session->login != token->login || session->user != token->user) {
    return append_error(out, request, 403, "the session cookie of this login is required");
  }
  uint64_t order = orders.fetch_add(1, std::memory_order_relaxed) + 1;
  append_json(out, request, 200,
              "{\"order\": \"ord-" + std::to_string(order) + "\", \"user\": \"" +
                  std::string(token->user) + "\"}");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (text[i] == '%' && high >= 0 && low >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

}  // namespace

std::string query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == query.npos ? std::string_view() : query.substr(amp + 1);
    if (pair.starts_with(name) && (pair.size() == name.size() || pair[name.size()] == '=')) {
      return percent_decode(pair.substr(std::min(pair.size(), name.size() + 1)));
    }
  }
  return {};
}

bool route_scenario(const TargetRequest& request, std::string& out, TargetRoute& route) {
  std::string_view path = request.path;
  if (path == "/health") {
    route.counter = RouteCounter::kHealth;
    append_response(out, request, 200, "ok");
  } else if (path == "/login") {
    route.counter = RouteCounter::kLogin;
    route_login(request, out);
  } else if (path == "/profile") {
    route.counter = RouteCounter::kProfile;
    route_profile(request, out);
  } else if (path == "/search") {
    route.counter = RouteCounter::kSearch;
    route_search(request, out);
  } else if (path.starts_with("/items/")) {
    route.counter = RouteCounter::kItems;
    route_item(request, path.substr(7), out);
  } else if (path == "/checkout") {
    route.counter = RouteCounter::kCheckout;
    route_checkout(request, out);
  } else {
    return false;
  }
  return true;
}

}  // namespace strest

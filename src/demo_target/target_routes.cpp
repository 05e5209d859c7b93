#include "demo_target/target_routes.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "demo_target/scenario_routes.h"

namespace strest {
namespace {

// Bodies up to this size are appended at once, so pipelined requests behind them keep flowing.
constexpr size_t kInlineBodyMax = 16 * 1024;
// Size of the shared body buffer; larger bodies send it repeatedly.
constexpr size_t kSharedBodySize = 64 * 1024;

constexpr std::string_view kHelloKeepAlive =
    "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\nHello, world!";
constexpr std::string_view kHelloClose =
    "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, world!";
constexpr std::string_view kCloseMidHead = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
constexpr std::string_view kCloseMidBody = "0123456789";
constexpr std::string_view kEofBodyHead = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
constexpr std::string_view kEofBody = "close-delimited body";
constexpr std::string_view kMalformed = "NOT-HTTP garbage\r\n\r\n";

std::string_view reason_phrase(int code) {
  switch (code) {
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

void append_number(std::string& out, uint64_t value, int base = 10) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value, base).ptr;
  out.append(digits, end);
}

// Status line and headers; no Content-Length when `length` is empty.
void append_head(std::string& out, int code, bool keep_alive, std::optional<uint64_t> length,
                 std::string_view extra_headers = {}) {
  out += "HTTP/1.1 ";
  append_number(out, static_cast<uint64_t>(code));
  out += ' ';
  out += reason_phrase(code);
  out += "\r\n";
  out += extra_headers;
  if (length) {
    out += "Content-Length: ";
    append_number(out, *length);
    out += "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
}

// A complete response with a short text body.
void append_text(std::string& out, const TargetRequest& request, int code, std::string_view body) {
  append_head(out, code, request.keep_alive, body.size());
  if (!request.head) out += body;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim(std::string_view text) {
  size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// A whole decimal number, digits only.
std::optional<uint64_t> parse_decimal(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return {};
  return value;
}

bool is_token_text(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

bool parse_request_line(std::string_view line, TargetRequest& request) {
  size_t method_end = line.find(' ');
  size_t target_end = line.find(' ', method_end == line.npos ? line.npos : method_end + 1);
  if (target_end == line.npos) return false;
  request.method = line.substr(0, method_end);
  std::string_view target = line.substr(method_end + 1, target_end - method_end - 1);
  std::string_view version = line.substr(target_end + 1);
  if (!is_token_text(request.method) || !is_token_text(target)) return false;
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' ||
      version[7] > '9') {
    return false;
  }
  if (size_t scheme = target.find("://"); target[0] != '/' && scheme != target.npos) {
    size_t path = target.find('/', scheme + 3);
    target = path == target.npos ? std::string_view("/") : target.substr(path);
  }
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != target.npos) request.query = target.substr(question + 1);
  request.keep_alive = version[7] != '0';
  request.head = request.method == "HEAD";
  return true;
}

void apply_connection(std::string_view value, TargetRequest& request) {
  bool close = false;
  bool keep_alive = false;
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view token = trim(value.substr(0, comma));
    close |= iequals(token, "close");
    keep_alive |= iequals(token, "keep-alive");
    value = comma == value.npos ? std::string_view() : value.substr(comma + 1);
  }
  if (close || keep_alive) request.keep_alive = !close;
}

TargetParse apply_header(std::string_view line, TargetRequest& request) {
  size_t colon = line.find(':');
  if (colon == line.npos || !is_token_text(line.substr(0, colon))) return TargetParse::kMalformed;
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (iequals(name, "content-length")) {
    auto length = parse_decimal(value);
    if (!length) return TargetParse::kMalformed;
    request.content_length = *length;
  } else if (iequals(name, "transfer-encoding")) {
    return TargetParse::kBodyEncoding;
  } else if (iequals(name, "connection")) {
    apply_connection(value, request);
  } else if (iequals(name, "authorization")) {
    request.authorization = value;
  } else if (iequals(name, "cookie")) {
    request.cookie = value;
  }
  return TargetParse::kOk;
}

// Cuts the next line (without CR LF) from the front of `text`.
std::string_view next_line(std::string_view& text) {
  size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == text.npos ? std::string_view() : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Routes with a number after a prefix: /status/{code} and friends.
void route_status(const TargetRequest& request, uint64_t code, std::string& out, TargetRoute&) {
  int status = static_cast<int>(code);
  if (code < 200 || code == 204 || code == 304) {
    append_head(out, status, request.keep_alive, std::nullopt);
    return;
  }
  char body[] = "status 000";  // every allowed code has three digits
  std::to_chars(body + 7, body + 10, code);
  append_head(out, status, request.keep_alive, sizeof body - 1);
  if (!request.head) out.append(body, sizeof body - 1);
}

void route_delay(const TargetRequest&, uint64_t ms, std::string&, TargetRoute& route) {
  route.action = TargetAction::kDelay;
  route.delay_ms = ms;
  route.counted = false;
}

void route_capacity(const TargetRequest&, uint64_t n, std::string&, TargetRoute& route) {
  route.action = TargetAction::kCapacity;
  route.per_second = n;
  route.counted = false;
}

void route_stall(const TargetRequest& request, uint64_t ms, std::string& out, TargetRoute& route) {
  route.action = TargetAction::kStall;
  route.stall_ms = ms;
  route.counted = false;
  std::string body = "stalled " + std::to_string(ms) + "ms";
  append_text(out, request, 200, body);
}

void route_bytes(const TargetRequest& request, uint64_t n, std::string& out, TargetRoute& route) {
  append_head(out, 200, request.keep_alive, n);
  if (request.head) return;
  if (n <= kInlineBodyMax) {
    out += shared_body(n);
  } else {
    route.stream = BodyStream{n, false, true};
  }
}

void route_chunked(const TargetRequest& request, uint64_t n, std::string& out, TargetRoute& route) {
  append_head(out, 200, request.keep_alive, std::nullopt, "Transfer-Encoding: chunked\r\n");
  if (request.head) return;
  route.stream = BodyStream{n, true, true};
  fill_chunks(route.stream, out, kInlineBodyMax);
}

struct PrefixRoute {
  std::string_view prefix;
  uint64_t min;
  uint64_t max;
  void (*handle)(const TargetRequest&, uint64_t, std::string&, TargetRoute&);
};

constexpr PrefixRoute kPrefixRoutes[] = {
    {"/status/", 101, 599, route_status},
    {"/delay/", 0, kTargetMaxDelayMs, route_delay},
    {"/stall/", 1, kTargetMaxStallMs, route_stall},
    {"/capacity/", 1, kTargetMaxCapacity, route_capacity},
    {"/bytes/", 0, kTargetMaxBody, route_bytes},
    {"/chunked/", 0, kTargetMaxBody, route_chunked},
};

// Routes without a parameter; each may force the connection closed.
void route_fixed(const TargetRequest& request, std::string& out, TargetRoute& route) {
  std::string_view path = request.path;
  if (path == "/") {
    route.counter = RouteCounter::kRoot;
    return append_hello(out, request.keep_alive, request.head);
  }
  if (path == "/__stats" || path == "/stats") {
    route.action = path == "/stats" ? TargetAction::kRouteStats : TargetAction::kStats;
    route.counted = false;
    return;
  }
  if (route_scenario(request, out, route)) return;
  if (path == "/close") {
    route.close_after = true;
  } else if (path == "/close-mid") {
    route.close_after = true;
    out += kCloseMidHead;
    if (!request.head) out += kCloseMidBody;
  } else if (path == "/malformed") {
    route.close_after = true;
    out += kMalformed;
  } else if (path == "/eof-body") {
    route.close_after = true;
    out += kEofBodyHead;
    if (!request.head) out += kEofBody;
  } else {
    append_text(out, request, 404, "not found");
  }
}

}  // namespace

size_t find_head_end(std::string_view input, size_t scan_from) {
  size_t i = scan_from > 2 ? scan_from - 2 : 0;
  while ((i = input.find('\n', i)) != input.npos) {
    if (i + 1 < input.size() && input[i + 1] == '\n') return i + 2;
    if (i + 2 < input.size() && input[i + 1] == '\r' && input[i + 2] == '\n') return i + 3;
    ++i;
  }
  return 0;
}

TargetParse parse_target_request(std::string_view head, TargetRequest& request) {
  if (!parse_request_line(next_line(head), request)) return TargetParse::kMalformed;
  for (std::string_view line = next_line(head); !line.empty(); line = next_line(head)) {
    if (TargetParse result = apply_header(line, request); result != TargetParse::kOk) {
      return result;
    }
  }
  return TargetParse::kOk;
}

TargetRoute route_target_request(const TargetRequest& request, std::string& out) {
  TargetRoute route;
  route.close_after = !request.keep_alive;
  for (const PrefixRoute& prefixed : kPrefixRoutes) {
    if (!request.path.starts_with(prefixed.prefix)) continue;
    auto value = parse_decimal(request.path.substr(prefixed.prefix.size()));
    if (!value || *value < prefixed.min || *value > prefixed.max) {
      append_text(out, request, 400, "bad parameter");
    } else {
      prefixed.handle(request, *value, out, route);
    }
    return route;
  }
  route_fixed(request, out, route);
  return route;
}

void append_hello(std::string& out, bool keep_alive, bool head) {
  std::string_view response = keep_alive ? kHelloKeepAlive : kHelloClose;
  out += head ? response.substr(0, response.size() - 13) : response;
}

void append_stats(std::string& out, uint64_t requests, bool keep_alive, bool head) {
  std::string body = "{\"requests\": " + std::to_string(requests) + "}";
  append_head(out, 200, keep_alive, body.size(), "Content-Type: application/json\r\n");
  if (!head) out += body;
}

void append_route_stats(std::string& out, uint64_t requests, std::span<const uint64_t> counts,
                        bool keep_alive, bool head) {
  std::string body = "{\"requests\": " + std::to_string(requests) + ", \"routes\": {";
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) body += ", ";
    body += '"';
    body += route_counter_name(static_cast<RouteCounter>(i));
    body += "\": " + std::to_string(counts[i]);
  }
  body += "}}";
  append_head(out, 200, keep_alive, body.size(), "Content-Type: application/json\r\n");
  if (!head) out += body;
}

void append_response(std::string& out, const TargetRequest& request, int code,
                     std::string_view body, std::string_view extra_headers) {
  append_head(out, code, request.keep_alive, body.size(), extra_headers);
  if (!request.head) out += body;
}

std::string_view route_counter_name(RouteCounter counter) {
  constexpr std::string_view kNames[] = {"/",       "/health", "/login",    "/profile",
                                         "/search", "/items",  "/checkout", "other"};
  static_assert(std::size(kNames) == static_cast<size_t>(RouteCounter::kCount));
  return kNames[static_cast<size_t>(counter)];
}

void append_rejection(std::string& out, int code) {
  std::string_view reason = reason_phrase(code);
  append_head(out, code, false, reason.size());
  out += reason;
}

std::string_view shared_body(uint64_t max) {
  static const std::string body(kSharedBodySize, 'x');
  return std::string_view(body).substr(0, std::min<uint64_t>(max, body.size()));
}

void fill_chunks(BodyStream& stream, std::string& out, size_t budget) {
  size_t produced = 0;
  while (stream.left > 0 && produced < budget) {
    size_t size = std::min<uint64_t>(stream.left, kTargetChunkSize);
    append_number(out, size, 16);
    out += "\r\n";
    out += shared_body(size);
    out += "\r\n";
    stream.left -= size;
    produced += size;
  }
  if (stream.left == 0) {
    out += "0\r\n\r\n";
    stream.active = false;
  }
}

}  // namespace strest

#pragma once
// The Plan: everything a run needs, merged from flags and config, validated once, then
// read-only. Every other part takes a const Plan&.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/url.h"

namespace strest {

using Micros = std::chrono::microseconds;

enum class OutputFormat { kJson, kText };

struct Header {
  std::string name;
  std::string value;
};

struct Plan {
  Url url;
  std::string method = "GET";
  // User headers in the order given (-H, then -A/-T shortcuts); no User-Agent unless the user
  // set one. Host, User-Agent and Content-Length are added by the request builder.
  std::vector<Header> headers;
  // Request bodies: empty means no body; with --data-lines one entry per line, sent round robin.
  std::vector<std::string> bodies;
  bool send_user_agent = true;

  // Stop conditions: whichever comes first. Neither set means the default duration.
  std::optional<Micros> duration;
  std::optional<uint64_t> max_requests;

  int expected_status = 200;
  Micros timeout = std::chrono::seconds(10);
  Micros connect_timeout = std::chrono::seconds(5);
  uint32_t max_tasks = 50;  // concurrent connections, one request in flight each
  uint32_t threads = 1;     // worker threads; never more than max_tasks

  bool summary = false;
  bool no_tui = false;
  bool verbose = false;
  std::optional<std::string> output_path;
  OutputFormat output_format = OutputFormat::kJson;
};

inline constexpr Micros kDefaultDuration = std::chrono::seconds(10);

}  // namespace strest

#pragma once
// Request parsing and response building for the built-in target server, kept apart from its
// sockets: these functions only read bytes and append bytes, so TargetServer owns all I/O.
//
// Routes (any method; HEAD gets the same headers without a body; the query string is ignored;
// every response carries "Connection: keep-alive" or "Connection: close" unless noted):
//   /                200 "Hello, world!" (pre-built)
//   /status/{code}   101..599; 1xx, 204 and 304 without body or Content-Length, others with
//                    the 10-byte body "status {code}"
//   /delay/{ms}      the / response after {ms} (0..3600000)
//   /stall/{ms}      200 "stalled {ms}ms" at once, then the WHOLE server (every loop thread)
//                    stops for {ms} (1..60000): no reads, answers, accepts or /delay
//                    responses until it ends; connections stay open and whatever arrived
//                    meanwhile is answered after it, in order (a stop-the-world pause, to
//                    show coordinated omission). Not counted in /__stats
//   /capacity/{n}    the / response, from a server that serves at most {n} requests a second
//                    (1..10000000): every /capacity request, whatever its {n}, joins one queue
//                    shared by all loop threads and takes 1/{n} s of it, in arrival order, so
//                    past {n} a second the queue and the latency grow (demo_target/
//                    capacity_queue.h); counted when answered. A request whose client closes
//                    (even half-closes) before its turn is dropped and gives its time back
//   /bytes/{n}       200, n bytes of 'x' (n <= 64 MiB), Content-Length
//   /chunked/{n}     200, Transfer-Encoding: chunked, n bytes of 'x' in 1000-byte chunks
//   /close-mid       "Content-Length: 1000" (no Connection header), body "0123456789", close
//   /close           close without a byte
//   /malformed       "NOT-HTTP garbage\r\n\r\n", close
//   /eof-body        200 "Connection: close" without Content-Length, "close-delimited body"
//   /__stats         200 application/json {"requests": N}
//   /stats           200 application/json: the /__stats count plus requests per route
// plus the scenario routes of scenario_routes.h (/health, /login, /profile, /search, /items/{id},
// /checkout), which read the query, Authorization, Cookie and a small request body.
// A bad number in a route is 400 "bad parameter"; any other path is 404 "not found".
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace strest {

// Largest request head (request line and headers) accepted; a larger one gets a 431 and close.
inline constexpr size_t kTargetMaxHead = 16 * 1024;
// Largest body /bytes/{n} and /chunked/{n} produce (64 MiB); larger n is a 400.
inline constexpr uint64_t kTargetMaxBody = uint64_t{64} << 20;
// Payload bytes per chunk of /chunked/{n}; the last chunk carries the remainder.
inline constexpr size_t kTargetChunkSize = 1000;
// Longest /delay/{ms} (one hour); longer is a 400.
inline constexpr uint64_t kTargetMaxDelayMs = 3'600'000;
// Longest /stall/{ms} (one minute); longer, or 0, is a 400.
inline constexpr uint64_t kTargetMaxStallMs = 60'000;
// Largest {n} of /capacity/{n}; larger, or 0, is a 400.
inline constexpr uint64_t kTargetMaxCapacity = 10'000'000;
// Request bodies up to this size are read and handed to the route (when head and body fit the
// read buffer); larger ones are discarded unread, as routes other than /login ignore them.
inline constexpr uint64_t kTargetMaxReadBody = 8 * 1024;

// Which counter of /stats a request adds to.
enum class RouteCounter : uint8_t {
  kRoot,
  kHealth,
  kLogin,
  kProfile,
  kSearch,
  kItems,
  kCheckout,
  kOther,  // every other route, 404s included
  kCount,
};

// The name of a counter in the /stats JSON ("/", "/health", ..., "other").
std::string_view route_counter_name(RouteCounter counter);

// One parsed request head; the views point into the caller's read buffer.
struct TargetRequest {
  std::string_view method;
  std::string_view path;           // request target without its query string
  std::string_view query;          // what follows '?' in the target (without it), or empty
  std::string_view authorization;  // the Authorization header's value, or empty
  std::string_view cookie;         // the Cookie header's value, or empty
  std::string_view body;           // the body when it was read (see kTargetMaxReadBody), else empty
  uint64_t content_length = 0;     // body bytes after the head still to discard (0 once read)
  bool keep_alive = true;          // HTTP/1.1 unless "Connection: close"; 1.0 only with keep-alive
  bool head = false;               // HEAD: same headers as GET, no body
};

enum class TargetParse { kOk, kMalformed, kBodyEncoding };

// Length of the head at the front of `input` including its blank line (CRLF or bare LF), or 0
// while incomplete. Bytes before `scan_from` were searched already and are skipped.
size_t find_head_end(std::string_view input, size_t scan_from);

// Parses a complete head found by find_head_end. kBodyEncoding: a Transfer-Encoding request
// body, which the target does not read.
TargetParse parse_target_request(std::string_view head, TargetRequest& request);

// What the connection does after route_target_request appended the bytes that are ready.
enum class TargetAction {
  kDone,        // everything is appended (or streamed via `stream`)
  kDelay,       // append_hello after `delay_ms`
  kStats,       // append_stats with the current request count
  kRouteStats,  // append_route_stats with the current counts
  kStall,       // answer appended; the whole server stalls `stall_ms` from now, this answer aside
  kCapacity,    // append_hello once the capacity queue has served it at `per_second`
};

// A body produced piece by piece as the socket drains, so no request copies megabytes.
struct BodyStream {
  uint64_t left = 0;     // payload bytes still owed
  bool chunked = false;  // framed as chunks of kTargetChunkSize, then the final 0 chunk
  bool active = false;   // bytes are still owed (chunked: at least the final chunk)
};

// The outcome of routing one request.
struct TargetRoute {
  TargetAction action = TargetAction::kDone;
  bool counted =
      true;  // served now (/delay, /capacity when answered; /stats, /__stats, /stall never)
  bool close_after = false;                     // close once every queued byte is written
  RouteCounter counter = RouteCounter::kOther;  // /stats counter (unless the route is a stats one)
  uint64_t delay_ms = 0;                        // kDelay only
  uint64_t stall_ms = 0;                        // kStall only
  uint64_t per_second = 0;                      // kCapacity only
  BodyStream stream;                            // body owed after the appended bytes
};

// Appends the response bytes that are ready now for `request` to `out`.
TargetRoute route_target_request(const TargetRequest& request, std::string& out);

// Appends the pre-built 200 "Hello, world!" response.
void append_hello(std::string& out, bool keep_alive, bool head);

// Appends the /__stats response: 200 with {"requests": N}.
void append_stats(std::string& out, uint64_t requests, bool keep_alive, bool head);

// Appends the /stats response: 200 with {"requests": N, "routes": {"/": n, ...}}; `counts` holds
// one value per RouteCounter.
void append_route_stats(std::string& out, uint64_t requests, std::span<const uint64_t> counts,
                        bool keep_alive, bool head);

// Appends a complete response with `body` (headers only for HEAD) and `extra_headers` (each
// ending in CRLF) before Content-Length.
void append_response(std::string& out, const TargetRequest& request, int code,
                     std::string_view body, std::string_view extra_headers = {});

// Appends a response to a request that cannot be answered normally (400, 431, 501), with
// "Connection: close": the caller closes afterwards since the byte stream is not trusted.
void append_rejection(std::string& out, int code);

// Up to `max` bytes of the shared body buffer ('x' bytes), without copying.
std::string_view shared_body(uint64_t max);

// Appends chunk frames for up to about `budget` payload bytes and, once the payload is all
// out, the final "0\r\n\r\n" (which clears `stream.active`).
void fill_chunks(BodyStream& stream, std::string& out, size_t budget);

}  // namespace strest

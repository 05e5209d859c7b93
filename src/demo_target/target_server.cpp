#include "demo_target/target_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <queue>
#include <span>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "demo_target/target_routes.h"

namespace strest {
namespace {

using Clock = std::chrono::steady_clock;

// Requests are parsed only while less than this much output waits, bounding memory per
// connection when a client pipelines without reading.
constexpr size_t kOutputHighWater = 64 * 1024;
// Chunked payload framed per refill of the output buffer.
constexpr size_t kChunkRefill = 64 * kTargetChunkSize;
constexpr int kMaxEvents = 256;

// Owns one file descriptor and closes it once.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

Error system_error(const std::string& what) {
  return Error{"target server: " + what + ": " + std::generic_category().message(errno)};
}

std::string endpoint(const TargetOptions& options, uint16_t port) {
  return options.host + ":" + std::to_string(port);
}

// A non-blocking listening socket on host:port.
Result<UniqueFd> open_listener(const TargetOptions& options, uint16_t port, bool reuse_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return Error{"target server: cannot resolve host '" + options.host + "': " + gai_strerror(rc)};
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  UniqueFd fd(::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return system_error("socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    return system_error("SO_REUSEPORT");
  }
  if (::bind(fd.get(), found->ai_addr, found->ai_addrlen) != 0) {
    return system_error("bind " + endpoint(options, port));
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) return system_error("listen");
  return Result<UniqueFd>(std::move(fd));
}

uint16_t bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

// One client connection: its read buffer, its queued output and what it still owes.
struct Connection {
  Connection(UniqueFd socket, uint64_t id)
      : fd(std::move(socket)),
        serial(id),
        input(std::make_unique_for_overwrite<char[]>(kTargetMaxHead)) {}
  // A /capacity request still waiting for its turn gives its slot back.
  ~Connection() {
    if (timer_pending && capacity_queue != nullptr) capacity_queue->cancel(capacity_per_second);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::string_view pending_input() const { return {input.get() + in_begin, in_end - in_begin}; }
  bool output_idle() const { return out_sent == out.size() && !stream.active; }
  bool busy() const { return timer_pending || !output_idle(); }
  bool finished() const { return close_after && discard == 0 && !busy(); }
  bool can_answer() const {
    return !timer_pending && !close_after && !stream.active &&
           out.size() - out_sent < kOutputHighWater;
  }
  void consume(size_t n) {
    in_begin += n;
    scanned = 0;
    if (in_begin == in_end) in_begin = in_end = 0;
  }

  UniqueFd fd;
  uint64_t serial;                // tells a live connection from an older one on the same fd
  std::unique_ptr<char[]> input;  // kTargetMaxHead bytes; [in_begin, in_end) not yet parsed
  size_t in_begin = 0;
  size_t in_end = 0;
  size_t scanned = 0;    // pending input already searched for the end of a head
  uint64_t discard = 0;  // request body bytes still to drop
  std::string out;       // response bytes; [out_sent, size) not yet written
  size_t out_sent = 0;
  BodyStream stream;  // a large body owed after `out`
  bool timer_pending = false;
  CapacityQueue* capacity_queue = nullptr;  // set while a /capacity answer is pending
  uint64_t capacity_per_second = 0;
  bool delayed_keep_alive = true;
  bool delayed_head = false;
  bool close_after = false;  // answer nothing more; close once the output is written
  bool peer_eof = false;
};

// A /delay response due at `deadline` for connection `fd` if it still has `serial`.
struct DelayTimer {
  Clock::time_point deadline;
  int fd;
  uint64_t serial;
  bool operator>(const DelayTimer& other) const { return deadline > other.deadline; }
};

enum class ReadOutcome { kData, kWouldBlock, kFull, kEof, kError };

uint64_t sum_served(std::span<const TargetServedCounter> counters) {
  uint64_t total = 0;
  for (const TargetServedCounter& counter : counters) {
    total += counter.value.load(std::memory_order_relaxed);
  }
  return total;
}

uint64_t sum_route(std::span<const TargetServedCounter> counters, RouteCounter route) {
  uint64_t total = 0;
  for (const TargetServedCounter& counter : counters) {
    total += counter.routes[static_cast<size_t>(route)].load(std::memory_order_relaxed);
  }
  return total;
}

// Whether a request's body is read and handed to the route rather than discarded: small enough
// to sit in the read buffer right behind its head.
bool body_is_read(size_t head_size, uint64_t content_length) {
  return content_length > 0 && content_length <= kTargetMaxReadBody &&
         head_size + content_length <= kTargetMaxHead;
}

}  // namespace

// One epoll loop (edge-triggered) with its listener, connections and delay timers. During a
// stall (any loop's /stall) it only watches its wake fd: the events it skips are edge-triggered
// and will not come again, so afterwards it serves every connection once (resume_all).
class TargetLoop {
 public:
  TargetLoop(UniqueFd listener, TargetServedCounter& served,
             std::span<const TargetServedCounter> all_served, TargetStallClock& stall,
             CapacityQueue& capacity)
      : listener_(std::move(listener)),
        served_(served),
        all_served_(all_served),
        stall_(stall),
        capacity_(capacity) {}

  Status init();
  // Serves until request_stop(); runs on its own thread.
  void run();
  // Wakes the loop and makes run() return; callable from any thread.
  void request_stop() {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
  }

 private:
  bool watch(int fd, uint32_t events);
  void handle(const epoll_event& event);
  void accept_all();
  bool drive(Connection& c);
  bool answer_pending(Connection& c);
  bool answer_next(Connection& c);
  void answer(Connection& c, const TargetRequest& request);
  void answer_later(Connection& c, const TargetRequest& request, Clock::time_point due);
  void reject(Connection& c, int code);
  bool flush(Connection& c);
  bool close_gracefully(Connection& c);
  ReadOutcome read_some(Connection& c);
  void fire_timers();
  bool stall_in_force();
  void start_stall(uint64_t ms);
  void resume_all();
  int timeout_ms() const;
  void count_served() { served_.value.fetch_add(1, std::memory_order_relaxed); }
  uint64_t total_served() const { return sum_served(all_served_); }

  UniqueFd listener_;
  UniqueFd epoll_;
  UniqueFd wake_;
  TargetServedCounter& served_;
  std::span<const TargetServedCounter> all_served_;
  TargetStallClock& stall_;
  CapacityQueue& capacity_;
  int64_t stall_over_ = 0;  // a stall end already passed, so no clock read is needed
  bool stalled_ = false;    // hold every read, answer, accept and timer
  bool held_work_ = false;  // events were skipped while stalled: resume_all() after
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::priority_queue<DelayTimer, std::vector<DelayTimer>, std::greater<>> timers_;
  uint64_t next_serial_ = 0;
  bool stopping_ = false;
};

Status TargetLoop::init() {
  epoll_ = UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  wake_ = UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!epoll_ || !wake_) return system_error("epoll/eventfd");
  if (!watch(wake_.get(), EPOLLIN) || !watch(listener_.get(), EPOLLIN | EPOLLET)) {
    return system_error("epoll_ctl");
  }
  return Ok{};
}

bool TargetLoop::watch(int fd, uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  return ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) == 0;
}

void TargetLoop::run() {
  std::array<epoll_event, kMaxEvents> events;
  while (!stopping_) {
    int n = ::epoll_wait(epoll_.get(), events.data(), kMaxEvents, timeout_ms());
    if (n < 0 && errno != EINTR) return;
    stalled_ = stall_in_force();
    if (!stalled_ && held_work_) resume_all();
    for (int i = 0; i < n; ++i) handle(events[i]);
    fire_timers();
  }
}

// Whether a stall (this loop's or another's) lasts past now; reads the clock only while a
// stall end is newer than the last one seen to pass.
bool TargetLoop::stall_in_force() {
  int64_t until = stall_.until.load(std::memory_order_relaxed);
  if (until == stall_over_) return false;
  if (Clock::now().time_since_epoch().count() < until) return true;
  stall_over_ = until;
  return false;
}

// Stalls every loop for `ms` from now, extending a longer stall in force rather than shortening
// it. Published before the /stall answer is written, so whoever reads that answer finds the
// stall in force; the answer itself is still written at once (drive flushes before it holds).
void TargetLoop::start_stall(uint64_t ms) {
  int64_t until = (Clock::now() + std::chrono::milliseconds(ms)).time_since_epoch().count();
  int64_t seen = stall_.until.load(std::memory_order_relaxed);
  while (seen < until && !stall_.until.compare_exchange_weak(seen, until)) {
  }
  stalled_ = true;
  held_work_ = true;
}

// After a stall: accepts and serves every connection once, since the edge-triggered events
// skipped meanwhile are not reported again. Stops early if a served request stalls anew.
void TargetLoop::resume_all() {
  held_work_ = false;
  accept_all();
  for (auto it = connections_.begin(); it != connections_.end() && !stalled_;) {
    if (drive(*it->second)) {
      ++it;
    } else {
      it = connections_.erase(it);
    }
  }
}

void TargetLoop::handle(const epoll_event& event) {
  int fd = event.data.fd;
  if (fd == wake_.get()) {
    stopping_ = true;
  } else if (stalled_) {
    held_work_ = true;  // resume_all() serves it once the stall ends
  } else if (fd == listener_.get()) {
    accept_all();
  } else if (auto it = connections_.find(fd); it != connections_.end() && !drive(*it->second)) {
    connections_.erase(it);  // closing the fd also removes it from epoll
  }
}

void TargetLoop::accept_all() {
  for (;;) {
    int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) continue;
    if (fd < 0) return;  // EAGAIN, or out of descriptors until a connection closes
    UniqueFd socket(fd);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!watch(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)) continue;
    connections_[fd] = std::make_unique<Connection>(std::move(socket), ++next_serial_);
  }
}

// Writes, answers and reads until the socket would block or a stall holds it; false when it
// should be closed. Requests are answered right after a flush, so waiting for an event below
// is safe: nothing buffered can be answered until the socket drains, a timer fires or more
// input arrives (or, when stalled, until resume_all()).
bool TargetLoop::drive(Connection& c) {
  for (;;) {
    if (!flush(c)) return false;
    if (c.finished()) return close_gracefully(c);
    if (stalled_) return true;
    if (answer_pending(c)) continue;
    // A client that leaves while its /capacity request waits gives the slot back (~Connection).
    if (c.peer_eof) return c.busy() && c.capacity_queue == nullptr;
    switch (read_some(c)) {
      case ReadOutcome::kData:
        continue;
      case ReadOutcome::kEof:
        c.peer_eof = true;
        continue;
      case ReadOutcome::kWouldBlock:
      case ReadOutcome::kFull:
        return true;  // a write or timer event resumes
      case ReadOutcome::kError:
        return false;
    }
  }
}

// Drops request body bytes, then answers complete requests in order while output may queue;
// true if input was consumed.
bool TargetLoop::answer_pending(Connection& c) {
  bool consumed = false;
  while (!stalled_ && (c.discard > 0 || c.can_answer()) && answer_next(c)) consumed = true;
  return consumed;
}

bool TargetLoop::answer_next(Connection& c) {
  std::string_view input = c.pending_input();
  if (c.discard > 0) {
    size_t n = std::min<uint64_t>(c.discard, input.size());
    c.discard -= n;
    c.consume(n);
    return n > 0;
  }
  if (size_t blank = std::min(input.find_first_not_of("\r\n"), input.size()); blank > 0) {
    c.consume(blank);  // stray line ends between pipelined requests
    return true;
  }
  size_t end = find_head_end(input, c.scanned);
  if (end == 0) {
    c.scanned = input.size();
    if (input.size() >= kTargetMaxHead) reject(c, 431);
    return input.size() >= kTargetMaxHead;
  }
  TargetRequest request;
  TargetParse parsed = parse_target_request(input.substr(0, end), request);
  if (parsed != TargetParse::kOk) {
    reject(c, parsed == TargetParse::kMalformed ? 400 : 501);
    return true;
  }
  if (body_is_read(end, request.content_length)) {
    // Waits for the whole body (the head is parsed again then; c.scanned still precedes it).
    if (input.size() - end < request.content_length) return false;
    request.body = input.substr(end, request.content_length);
    end += request.content_length;
    request.content_length = 0;
  }
  answer(c, request);
  c.consume(end);
  c.discard = request.content_length;
  return true;
}

void TargetLoop::answer(Connection& c, const TargetRequest& request) {
  TargetRoute route = route_target_request(request, c.out);
  if (route.counted) count_served();
  if (route.action != TargetAction::kStats && route.action != TargetAction::kRouteStats) {
    served_.routes[static_cast<size_t>(route.counter)].fetch_add(1, std::memory_order_relaxed);
  }
  c.close_after = route.close_after;
  c.stream = route.stream;
  if (route.action == TargetAction::kStats) {
    append_stats(c.out, total_served(), request.keep_alive, request.head);
  } else if (route.action == TargetAction::kRouteStats) {
    std::array<uint64_t, static_cast<size_t>(RouteCounter::kCount)> counts{};
    for (size_t i = 0; i < counts.size(); ++i) {
      counts[i] = sum_route(all_served_, static_cast<RouteCounter>(i));
    }
    append_route_stats(c.out, total_served(), counts, request.keep_alive, request.head);
  } else if (route.action == TargetAction::kDelay) {
    answer_later(c, request, Clock::now() + std::chrono::milliseconds(route.delay_ms));
  } else if (route.action == TargetAction::kCapacity) {
    const auto now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch());
    const std::chrono::nanoseconds due(capacity_.reserve(now.count(), route.per_second));
    answer_later(c, request, Clock::time_point(std::chrono::duration_cast<Clock::duration>(due)));
    c.capacity_queue = &capacity_;
    c.capacity_per_second = route.per_second;
  } else if (route.action == TargetAction::kStall) {
    start_stall(route.stall_ms);  // nothing more is answered; drive() still flushes the answer
  }
}

// The hello answer at `due` (fire_timers appends it); the connection answers nothing else before.
void TargetLoop::answer_later(Connection& c, const TargetRequest& request, Clock::time_point due) {
  c.timer_pending = true;
  c.delayed_keep_alive = request.keep_alive;
  c.delayed_head = request.head;
  timers_.push({due, c.fd.get(), c.serial});
}

void TargetLoop::reject(Connection& c, int code) {
  append_rejection(c.out, code);
  count_served();
  c.close_after = true;
}

// Writes queued output until done or the socket is full; false on a socket error.
bool TargetLoop::flush(Connection& c) {
  for (;;) {
    std::string_view bytes;
    if (c.out_sent < c.out.size()) {
      bytes = std::string_view(c.out).substr(c.out_sent);
    } else {
      c.out.clear();
      c.out_sent = 0;
      if (!c.stream.active) return true;
      if (c.stream.chunked) fill_chunks(c.stream, c.out, kChunkRefill);
      // Raw bodies are uniform bytes, so after a partial write the buffer starts over.
      bytes = c.stream.chunked ? std::string_view(c.out) : shared_body(c.stream.left);
    }
    ssize_t n = ::send(c.fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;  // EPOLLOUT resumes
    if (c.out_sent < c.out.size()) {
      c.out_sent += static_cast<size_t>(n);
    } else {
      c.stream.left -= static_cast<uint64_t>(n);
      c.stream.active = c.stream.left > 0;
    }
  }
}

// Sends FIN after the queued bytes and reads what the client already sent: closing with
// unread input would send a reset, which can destroy the response before the client reads it.
// Returns false, for drive() to pass on.
bool TargetLoop::close_gracefully(Connection& c) {
  ::shutdown(c.fd.get(), SHUT_WR);
  char scratch[4096];
  for (int i = 0; i < 64 && ::recv(c.fd.get(), scratch, sizeof scratch, 0) > 0; ++i) {
  }
  return false;
}

ReadOutcome TargetLoop::read_some(Connection& c) {
  if (c.in_end == kTargetMaxHead && c.in_begin > 0) {
    std::memmove(c.input.get(), c.input.get() + c.in_begin, c.in_end - c.in_begin);
    c.in_end -= c.in_begin;
    c.in_begin = 0;
  }
  if (c.in_end == kTargetMaxHead) return ReadOutcome::kFull;
  ssize_t n = ::recv(c.fd.get(), c.input.get() + c.in_end, kTargetMaxHead - c.in_end, 0);
  if (n > 0) {
    c.in_end += static_cast<size_t>(n);
    return ReadOutcome::kData;
  }
  if (n == 0) return ReadOutcome::kEof;
  if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadOutcome::kWouldBlock;
  return errno == EINTR ? ReadOutcome::kData : ReadOutcome::kError;
}

void TargetLoop::fire_timers() {
  Clock::time_point now = Clock::now();
  while (!stalled_ && !timers_.empty() && timers_.top().deadline <= now) {
    DelayTimer timer = timers_.top();
    timers_.pop();
    auto it = connections_.find(timer.fd);
    if (it == connections_.end() || it->second->serial != timer.serial) continue;
    Connection& c = *it->second;
    c.timer_pending = false;
    c.capacity_queue = nullptr;
    append_hello(c.out, c.delayed_keep_alive, c.delayed_head);
    count_served();
    if (!drive(c)) connections_.erase(it);
  }
}

// Until the next timer, or while stalled until the stall ends (timers wait for it too).
int TargetLoop::timeout_ms() const {
  Clock::time_point deadline;
  if (stalled_) {
    deadline = Clock::time_point(Clock::duration(stall_.until.load(std::memory_order_relaxed)));
  } else if (!timers_.empty()) {
    deadline = timers_.top().deadline;
  } else {
    return -1;
  }
  auto wait = deadline - Clock::now();
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 60'000));
}

TargetServer::TargetServer(TargetOptions options)
    : options_(std::move(options)), served_(static_cast<size_t>(std::max(options_.threads, 1))) {}

TargetServer::~TargetServer() { stop(); }

Result<std::vector<std::unique_ptr<TargetLoop>>> TargetServer::open_loops(uint16_t& port) {
  std::vector<std::unique_ptr<TargetLoop>> loops;
  for (size_t i = 0; i < served_.size(); ++i) {
    auto listener = open_listener(options_, port, served_.size() > 1);
    if (!listener) return Error{listener.error()};
    port = bound_port(listener->get());
    loops.push_back(
        std::make_unique<TargetLoop>(std::move(*listener), served_[i], served_, stall_, capacity_));
    if (Status ready = loops.back()->init(); !ready) return Error{ready.error()};
  }
  return loops;
}

Result<uint16_t> TargetServer::start() {
  if (!loops_.empty()) return Error{"target server: already running"};
  if (options_.threads < 1) return Error{"target server: threads must be at least 1"};
  uint16_t port = options_.port;
  stall_.until.store(0, std::memory_order_relaxed);
  capacity_.reset();
  auto loops = open_loops(port);
  if (!loops) return Error{loops.error()};
  loops_ = std::move(*loops);
  try {
    for (auto& loop : loops_) threads_.emplace_back([&loop = *loop] { loop.run(); });
  } catch (const std::system_error& e) {
    stop();
    return Error{std::string("target server: cannot start a thread: ") + e.what()};
  }
  return port;
}

void TargetServer::stop() {
  for (auto& loop : loops_) loop->request_stop();
  threads_.clear();  // joins
  loops_.clear();    // closes the listeners and every connection
}

uint64_t TargetServer::requests_served() const { return sum_served(served_); }

uint64_t TargetServer::route_requests(RouteCounter counter) const {
  return sum_route(served_, counter);
}

}  // namespace strest

#include "dist/agent.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "clock/run_clock.h"
#include "dist/link_credentials.h"
#include "dist/plan_share.h"
#include "dist/proto/dist.grpc.pb.h"
#include "dist/serial_writer.h"
#include "dist/tick_stream.h"
#include "dist/unix_time.h"
#include "engine/descriptor_limit.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "plan/exit_codes.h"
#include "report/run_outputs.h"

namespace strest::dist {

namespace {

enum class SessionEnd {
  kRanOnce,      // ran the one run it stays for (no standby)
  kRunFailed,    // that run could not be made (its plan did not validate, the target did not
                 // resolve): the controller was told why
  kLost,         // the stream broke or the controller went silent
  kUnreachable,  // no stream could be opened
  kRefused,      // the controller said no (token, id, version)
  kStopped,      // SIGINT/SIGTERM
};

struct SessionReport {
  SessionEnd end;
  std::string message;
};

bool refusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::ALREADY_EXISTS ||
         code == grpc::StatusCode::FAILED_PRECONDITION ||
         code == grpc::StatusCode::INVALID_ARGUMENT;
}

// One connection to the controller: the handshake, then a reader thread (orders, stops,
// heartbeats), a pulse thread (our heartbeats, and the watch on the controller's), and the
// calling thread, which runs the orders.
class AgentSession {
 public:
  AgentSession(const Plan& local, const std::shared_ptr<grpc::Channel>& channel)
      : local_(local), dist_(*local.distributed), stub_(Coordinator::NewStub(channel)) {}

  SessionReport serve() {
    if (!dist_.auth_token.empty())
      context_.AddMetadata("authorization", "Bearer " + dist_.auth_token);
    stream_ = stub_->Session(&context_);
    if (std::optional<SessionReport> failed = handshake()) return *failed;
    writer_.emplace([this](const AgentMessage& message) { return stream_->Write(message); });
    reader_ = std::thread([this] { read_loop(); });
    pulse_ = std::thread([this] { pulse_loop(); });
    SessionReport report = serve_orders();
    close();
    return report;
  }

 private:
  // Hello, then Welcome; the round trip bounds the controller's clock, whose midpoint we take.
  std::optional<SessionReport> handshake() {
    AgentMessage hello;
    hello.mutable_hello()->set_agent_id(dist_.agent_id);
    hello.mutable_hello()->set_weight(dist_.weight);
    hello.mutable_hello()->set_version(STREST_VERSION);
    const int64_t sent_us = unix_now_us();
    ControllerMessage welcome;
    if (!stream_->Write(hello) || !stream_->Read(&welcome)) {
      const grpc::Status status = stream_->Finish();
      return SessionReport{
          refusal(status.error_code()) ? SessionEnd::kRefused : SessionEnd::kUnreachable,
          status.error_message()};
    }
    if (!welcome.has_welcome()) {
      context_.TryCancel();
      stream_->Finish();
      return SessionReport{SessionEnd::kRefused, "the controller did not answer Hello"};
    }
    const int64_t received_us = unix_now_us();
    offset_us_ = welcome.welcome().controller_unix_us() - (sent_us + received_us) / 2;
    // Our own timeout, unless the controller beats so rarely that it would call it lost.
    silence_limit_us_ = std::max(dist_.heartbeat_timeout.count() * 1'000,
                                 3 * welcome.welcome().heartbeat_interval_us());
    last_heard_us_ = monotonic_us();
    std::cerr << "strest agent: joined the controller at " << dist_.join << " as "
              << welcome.welcome().agent_id() << "\n";
    return std::nullopt;
  }

  SessionReport serve_orders() {
    for (;;) {
      std::optional<RunOrder> order;
      {
        std::unique_lock lock(mutex_);
        while (orders_.empty() && !lost_ && stop_signal() <= 0) {
          changed_.wait_for(lock, std::chrono::milliseconds(100));
        }
        if (stop_signal() > 0) return {SessionEnd::kStopped, ""};
        if (lost_) return {SessionEnd::kLost, lost_reason_};
        order = std::move(orders_.front());
        orders_.pop_front();
      }
      const bool ran = run_order(*order);
      std::lock_guard lock(mutex_);
      if (lost_) return {SessionEnd::kLost, lost_reason_};
      if (!dist_.standby) return {ran ? SessionEnd::kRanOnce : SessionEnd::kRunFailed, ""};
    }
  }

  // False when the run could not be made (the controller is told why).
  bool run_order(const RunOrder& order) {
    AgentMessage finished;
    RunFinished& report = *finished.mutable_finished();
    report.set_run_id(order.run_id());
    Result<Plan> plan = plan_from_share(order.plan(), local_);
    if (plan) {
      // This machine's descriptor limit decides whether its share of connections fits.
      if (Status descriptors = ensure_descriptor_limit(*plan); !descriptors) {
        plan = Error{descriptors.error()};
      }
    }
    if (!plan) {
      std::cerr << "strest agent: refused run " << order.run_id() << ": " << plan.error() << "\n";
      report.set_error(plan.error());
      writer_->push(std::move(finished));
      return false;
    }
    if (!wait_for_start(order)) {
      writer_->push(std::move(finished));  // stopped before it began: nothing measured
      return true;
    }
    const int64_t interval_us =
        order.stream_summaries() ? std::max<int64_t>(order.stream_interval_us(), 1'000) : 0;
    TickStream ticks(order.run_id(), interval_us,
                     [this](AgentMessage message) { writer_->push(std::move(message)); });
    std::cerr << "strest agent: run " << order.run_id() << " started\n";
    Result<RunResult> result = run_load_test(*plan, {}, &ticks);
    {
      std::lock_guard lock(mutex_);
      running_ = 0;
    }
    report.set_completed(ticks.finish());
    if (!result) {
      report.set_error(result.error());
    } else {
      for (const std::string& detail : result->error_details) report.add_error_details(detail);
      for (const std::string& detail : result->assert_details) report.add_assert_details(detail);
      report.set_wall_us(result->wall.count());
      finish_run_log(*result, *plan);
    }
    std::cerr << "strest agent: run " << order.run_id() << " ended, " << report.completed()
              << " requests" << (result ? "" : ": " + result.error()) << "\n";
    writer_->push(std::move(finished));
    return result.ok();
  }

  // Sleeps until the agreed instant (the controller's clock, corrected by our offset); false
  // when the controller was lost or stopped the run first. Marks the run as running, so a
  // stop or a loss from now on stops the engine.
  bool wait_for_start(const RunOrder& order) {
    const int64_t start_us = order.start_unix_us() - offset_us_;
    std::unique_lock lock(mutex_);
    for (;;) {
      if (lost_ || stopped_runs_.contains(order.run_id()) || stop_signal() > 0) return false;
      const int64_t left_us = start_us - unix_now_us();
      if (left_us <= 0) break;
      changed_.wait_for(lock, std::chrono::microseconds(std::min<int64_t>(left_us, 100'000)));
    }
    // A stop left from an earlier run would end this one at once; a signal stays.
    if (stop_signal() == kStopByController) clear_stop_request();
    running_ = order.run_id();
    return true;
  }

  void read_loop() {
    ControllerMessage message;
    while (stream_->Read(&message)) {
      std::lock_guard lock(mutex_);
      last_heard_us_ = monotonic_us();
      if (message.has_run()) {
        orders_.push_back(message.run());
      } else if (message.has_stop()) {
        stopped_runs_.insert(message.stop().run_id());
        if (running_ == message.stop().run_id()) request_stop(kStopByController);
      }
      changed_.notify_all();
    }
    std::lock_guard lock(mutex_);
    if (!closing_) lose("the controller closed the link");
    reader_done_ = true;
    changed_.notify_all();
  }

  void pulse_loop() {
    std::unique_lock lock(mutex_);
    while (!closing_) {
      AgentMessage beat;
      beat.mutable_heartbeat()->set_unix_us(unix_now_us());
      writer_->push(std::move(beat));
      if (monotonic_us() - last_heard_us_ > silence_limit_us_) {
        lose("no heartbeat from the controller for " + std::to_string(silence_limit_us_ / 1'000) +
             " ms");
        context_.TryCancel();  // the reader's Read fails and it ends too
      }
      changed_.wait_for(lock, dist_.heartbeat_interval);
    }
  }

  // Caller holds mutex_. Stops a run at once: a load generator never runs orphaned.
  void lose(const std::string& reason) {
    if (!lost_) lost_reason_ = reason;
    lost_ = true;
    if (running_ != 0) request_stop(kStopByController);
    changed_.notify_all();
  }

  // Sends what is queued (RunFinished), says we are done writing, and waits for the controller
  // to end the stream (bounded: a controller gone silent is not waited for).
  void close() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      changed_.notify_all();
    }
    pulse_.join();
    writer_->close();
    if (!writer_->broken()) stream_->WritesDone();
    {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, dist_.heartbeat_timeout, [this] { return reader_done_; });
    }
    context_.TryCancel();
    reader_.join();
    stream_->Finish();
  }

  const Plan& local_;
  const DistributedPlan& dist_;
  std::unique_ptr<Coordinator::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<AgentMessage, ControllerMessage>> stream_;
  std::optional<SerialWriter<AgentMessage>> writer_;
  std::thread reader_;
  std::thread pulse_;
  int64_t offset_us_ = 0;         // the controller's wall clock minus ours
  int64_t silence_limit_us_ = 0;  // the controller is lost after this long unheard

  std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::deque<RunOrder> orders_;
  std::set<uint64_t> stopped_runs_;
  uint64_t running_ = 0;  // the run the engine is on, 0 when none
  int64_t last_heard_us_ = 0;
  bool lost_ = false;
  std::string lost_reason_;
  bool closing_ = false;
  bool reader_done_ = false;
};

// Sleeps `interval` unless SIGINT/SIGTERM comes first; false then.
bool sleep_unless_stopped(std::chrono::milliseconds interval) {
  const int64_t until_us = monotonic_us() + interval.count() * 1'000;
  while (stop_signal() <= 0) {
    const int64_t left_us = until_us - monotonic_us();
    if (left_us <= 0) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int64_t>(left_us, 50'000)));
  }
  return false;
}

}  // namespace

int run_agent(const Plan& local) {
  const DistributedPlan& dist = *local.distributed;
  auto credentials = agent_credentials(dist);
  if (!credentials) {
    std::cerr << "strest: error: " << credentials.error() << "\n";
    return kExitUsage;
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  bool said_unreachable = false;  // standby: say so once, not at every retry
  for (;;) {
    const SessionReport report =
        AgentSession(local, grpc::CreateCustomChannel(dist.join, *credentials, arguments)).serve();
    switch (report.end) {
      case SessionEnd::kRefused:
        std::cerr << "strest: error: --agent-join: the controller at " << dist.join
                  << " refused this agent: " << report.message << "\n";
        return kExitUsage;
      case SessionEnd::kStopped:
        return 128 + stop_signal();
      case SessionEnd::kRanOnce:
        return kExitOk;
      case SessionEnd::kRunFailed:
        return kExitFailure;
      case SessionEnd::kLost:
      case SessionEnd::kUnreachable: {
        const std::string what = report.end == SessionEnd::kLost
                                     ? "lost the controller at "
                                     : "cannot reach the controller at ";
        if (!dist.standby) {
          std::cerr << "strest: error: --agent-join: " << what << dist.join << ": "
                    << report.message << "\n";
          return kExitFailure;
        }
        const bool unreachable = report.end == SessionEnd::kUnreachable;
        if (!unreachable || !said_unreachable) {
          std::cerr << "strest agent: " << what << dist.join << " (" << report.message
                    << "); retrying every " << dist.reconnect.count() << " ms\n";
        }
        said_unreachable = unreachable;
        break;
      }
    }
    if (!sleep_unless_stopped(dist.reconnect)) return 128 + stop_signal();
  }
}

}  // namespace strest::dist

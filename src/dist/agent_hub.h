#pragma once
// AgentHub: the controller's side of the gRPC link. It serves every agent's Session (token,
// Hello, Welcome, then what the agent streams) and keeps the registry of agents: id, weight,
// when they joined, when they were last heard from, and their part in the current run (the
// Recorder their ticks are handed to, what they reported at the end). The controller (see
// controller.h) decides runs; the hub only moves messages and keeps state, under one mutex.
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dist/proto/dist.grpc.pb.h"
#include "dist/serial_writer.h"
#include "metrics/recorder.h"
#include "metrics/run_result.h"
#include "plan/distributed.h"

namespace strest::dist {

// One agent's session. Fields below `writer` are guarded by the hub's mutex.
struct AgentLink {
  AgentLink(std::string id, uint32_t weight, int64_t joined_unix_us, grpc::ServerContext* context,
            grpc::ServerReaderWriter<ControllerMessage, AgentMessage>* stream)
      : id(std::move(id)),
        weight(weight),
        joined_unix_us(joined_unix_us),
        context(context),
        writer([stream](const ControllerMessage& message) { return stream->Write(message); }) {}

  const std::string id;
  const uint32_t weight;
  const int64_t joined_unix_us;
  grpc::ServerContext* const context;  // cancelled to drop the agent
  SerialWriter<ControllerMessage> writer;

  int64_t last_heard_us = 0;  // monotonic
  // Its Session is handling a message it sent: it is not silent, however long the handling
  // takes (a run's ticks sent at the end queue its heartbeats behind them).
  bool handling = false;
  bool connected = true;
  std::optional<int64_t> lost_unix_us;  // when it was dropped or its stream ended
  std::string lost_reason;
  // The run it takes part in (run_id 0: none).
  uint64_t run_id = 0;
  Recorder* recorder = nullptr;  // its ticks go here while the run is collected
  uint64_t requests = 0;
  uint64_t errors = 0;
  std::optional<RunFinished> finished;
};

// How often the controller beats: three times per heartbeat timeout, so one late beat never
// drops a link.
std::chrono::milliseconds heartbeat_interval(const DistributedPlan& plan);

class AgentHub final : public Coordinator::Service {
 public:
  explicit AgentHub(const DistributedPlan& plan);

  grpc::Status Session(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<ControllerMessage, AgentMessage>* stream) override;

  // GET /status's view of a connected agent.
  struct Roster {
    std::string id;
    uint32_t weight = 1;
    int64_t joined_unix_us = 0;
    int64_t silent_us = 0;  // since it was last heard from
    bool in_run = false;    // takes part in the run going on
  };
  std::vector<Roster> roster() const;

  // The agents connected now, in join order.
  std::vector<std::shared_ptr<AgentLink>> connected() const;
  // Waits up to `wait` (or a change: a join, a report, a loss) and returns how many are
  // connected.
  size_t wait_for_change(std::chrono::milliseconds wait);

  // Starts `link`'s part in run `run_id`: its ticks go to `recorder` from now on.
  void begin_run(AgentLink& link, uint64_t run_id, Recorder* recorder);
  // True when every one of `links` has finished run `run_id` or was lost.
  bool run_done(const std::vector<std::shared_ptr<AgentLink>>& links) const;
  // Ends `link`'s part in the run: no tick reaches its recorder after this. Returns its report
  // (times relative to `start_unix_us`) and what it sent at the end, if it did.
  struct RunPart {
    AgentReport report;
    std::optional<RunFinished> finished;
  };
  RunPart end_run(AgentLink& link, int64_t start_unix_us);

  void send(AgentLink& link, ControllerMessage message);
  // Drops `link` (the run goes on without it; what it sent is kept).
  void drop(AgentLink& link, const std::string& reason);
  // Sends every agent a heartbeat and drops those silent for the heartbeat timeout.
  void pulse();

 private:
  // Hello: the link, or why it is refused.
  std::variant<std::shared_ptr<AgentLink>, grpc::Status> join(
      const Hello& hello, grpc::ServerContext* context,
      grpc::ServerReaderWriter<ControllerMessage, AgentMessage>* stream);
  void on_ticks(AgentLink& link, const TickBatch& batch);
  void lose(AgentLink& link, const std::string& reason);  // mutex_ held

  const DistributedPlan& plan_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<AgentLink>> links_;  // every agent that joined, in order
  uint64_t named_ = 0;                             // "agent-N" names given so far
};

}  // namespace strest::dist

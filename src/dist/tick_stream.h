#pragma once
// TickStream: an agent's TickListener. Every tick its run's Collector folds is put on the wire
// and sent to the controller, every stream interval when the controller asked for streaming,
// else all at the end (finish()). Batches stay under ~1 MB so no message nears gRPC's limit.
#include <cstdint>
#include <functional>
#include <vector>

#include "dist/proto/dist.pb.h"
#include "metrics/collector.h"

namespace strest::dist {

class TickStream : public TickListener {
 public:
  using Send = std::function<void(AgentMessage)>;
  // `interval_us` 0: hold every tick until finish().
  TickStream(uint64_t run_id, int64_t interval_us, Send send);

  // Collector thread.
  void on_tick(const TickTally& tick) override;
  // After the run: sends what is left. Returns the requests in every tick sent.
  uint64_t finish();

 private:
  void close_batch();
  void send_held();

  uint64_t run_id_;
  int64_t interval_us_;
  Send send_;
  int64_t last_send_us_;
  AgentMessage batch_;
  std::vector<AgentMessage> held_;  // full batches waiting for the next send
  uint64_t completed_ = 0;
};

}  // namespace strest::dist

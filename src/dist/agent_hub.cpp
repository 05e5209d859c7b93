#include "dist/agent_hub.h"

#include <algorithm>
#include <iostream>

#include "clock/run_clock.h"
#include "dist/token.h"
#include "dist/unix_time.h"
#include "dist/wire_tally.h"

namespace strest::dist {

std::chrono::milliseconds heartbeat_interval(const DistributedPlan& plan) {
  return std::max(plan.heartbeat_timeout / 3, std::chrono::milliseconds(10));
}

AgentHub::AgentHub(const DistributedPlan& plan) : plan_(plan) {}

grpc::Status AgentHub::Session(grpc::ServerContext* context,
                               grpc::ServerReaderWriter<ControllerMessage, AgentMessage>* stream) {
  // Every session shows the token, compared in constant time; no token set: none may be shown.
  std::string_view given;
  const auto& metadata = context->client_metadata();
  if (auto found = metadata.find("authorization"); found != metadata.end()) {
    given = bearer_token(std::string_view(found->second.data(), found->second.size()));
  }
  if (!token_matches(given, plan_.auth_token)) {
    return {grpc::StatusCode::UNAUTHENTICATED,
            "wrong or missing token: give the agent the controller's --auth-token"};
  }
  AgentMessage message;
  if (!stream->Read(&message) || !message.has_hello()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "a session starts with Hello"};
  }
  auto joined = join(message.hello(), context, stream);
  if (auto* refused = std::get_if<grpc::Status>(&joined)) return *refused;
  std::shared_ptr<AgentLink> link = std::get<std::shared_ptr<AgentLink>>(joined);
  std::cerr << "strest controller: " << link->id << " joined (weight " << link->weight << ")\n";

  while (stream->Read(&message)) {
    {
      std::lock_guard lock(mutex_);
      link->last_heard_us = monotonic_us();
      link->handling = true;
    }
    if (message.has_ticks()) on_ticks(*link, message.ticks());
    std::lock_guard lock(mutex_);
    link->handling = false;
    link->last_heard_us = monotonic_us();
    if (message.has_finished() && message.finished().run_id() == link->run_id) {
      link->finished = message.finished();
      changed_.notify_all();
    }
  }
  // No Write after we return: the writer is closed first.
  link->writer.close();
  std::lock_guard lock(mutex_);
  const bool had_finished = link->run_id == 0 || link->finished.has_value();
  if (had_finished && link->connected) {
    link->connected = false;  // it left between runs: nothing lost
    std::cerr << "strest controller: " << link->id << " left\n";
  }
  lose(*link, "its stream broke");
  std::erase(links_, link);
  changed_.notify_all();
  return grpc::Status::OK;
}

std::variant<std::shared_ptr<AgentLink>, grpc::Status> AgentHub::join(
    const Hello& hello, grpc::ServerContext* context,
    grpc::ServerReaderWriter<ControllerMessage, AgentMessage>* stream) {
  if (hello.version() != STREST_VERSION) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "agent runs strest " + hello.version() + ", the controller " +
                            STREST_VERSION + ": run the same version");
  }
  if (hello.weight() == 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "--agent-weight must be at least 1");
  }
  std::unique_lock lock(mutex_);
  const auto taken = [&](const std::string& id) {
    return std::any_of(links_.begin(), links_.end(),
                       [&](const auto& link) { return link->id == id; });
  };
  std::string id = hello.agent_id();
  if (id.empty()) {
    do {
      id = "agent-" + std::to_string(++named_);
    } while (taken(id));
  } else if (taken(id)) {
    return grpc::Status(
        grpc::StatusCode::ALREADY_EXISTS,
        "an agent with id '" + id + "' is already connected: give --agent-id another");
  }
  auto link = std::make_shared<AgentLink>(id, hello.weight(), unix_now_us(), context, stream);
  link->last_heard_us = monotonic_us();
  links_.push_back(link);
  ControllerMessage welcome;
  welcome.mutable_welcome()->set_agent_id(id);
  welcome.mutable_welcome()->set_controller_unix_us(unix_now_us());
  welcome.mutable_welcome()->set_heartbeat_interval_us(heartbeat_interval(plan_).count() * 1'000);
  link->writer.push(std::move(welcome));
  changed_.notify_all();
  return link;
}

void AgentHub::on_ticks(AgentLink& link, const TickBatch& batch) {
  // Empty ticks from the run's recorder (the buffers its Collector gave back), filled outside
  // the lock: the histograms are the expensive part.
  std::vector<std::unique_ptr<TickTally>> ticks;
  {
    std::lock_guard lock(mutex_);
    if (batch.run_id() != link.run_id || link.recorder == nullptr) return;
    for (int i = 0; i < batch.ticks_size(); ++i) ticks.push_back(link.recorder->spare_tick());
  }
  for (int i = 0; i < batch.ticks_size(); ++i) {
    if (Status filled = tick_from_wire(batch.ticks(i), *ticks[static_cast<size_t>(i)]); !filled) {
      std::cerr << "strest controller: " << link.id << " sent a tick this version cannot read ("
                << filled.error() << "): dropped\n";
      ticks[static_cast<size_t>(i)].reset();
    }
  }
  std::lock_guard lock(mutex_);
  if (batch.run_id() != link.run_id || link.recorder == nullptr) return;
  for (auto& tick : ticks) {
    if (!tick) continue;
    link.requests += tick->tally.completed();
    link.errors += tick->tally.errors();
    link.recorder->hand_over(std::move(tick));
  }
}

std::vector<std::shared_ptr<AgentLink>> AgentHub::connected() const {
  std::lock_guard lock(mutex_);
  return links_;
}

std::vector<AgentHub::Roster> AgentHub::roster() const {
  std::lock_guard lock(mutex_);
  const int64_t now_us = monotonic_us();
  std::vector<Roster> roster;
  for (const auto& link : links_) {
    roster.push_back({.id = link->id,
                      .weight = link->weight,
                      .joined_unix_us = link->joined_unix_us,
                      .silent_us = now_us - link->last_heard_us,
                      .in_run = link->recorder != nullptr});
  }
  return roster;
}

size_t AgentHub::wait_for_change(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait);
  return links_.size();
}

void AgentHub::begin_run(AgentLink& link, uint64_t run_id, Recorder* recorder) {
  std::lock_guard lock(mutex_);
  link.run_id = run_id;
  link.recorder = recorder;
  link.requests = 0;
  link.errors = 0;
  link.finished.reset();
}

bool AgentHub::run_done(const std::vector<std::shared_ptr<AgentLink>>& links) const {
  std::lock_guard lock(mutex_);
  return std::all_of(links.begin(), links.end(), [](const auto& link) {
    return link->finished.has_value() || !link->connected;
  });
}

AgentHub::RunPart AgentHub::end_run(AgentLink& link, int64_t start_unix_us) {
  std::lock_guard lock(mutex_);
  link.recorder = nullptr;
  RunPart part;
  AgentReport& report = part.report;
  report.agent_id = link.id;
  report.weight = link.weight;
  report.requests = link.requests;
  report.errors = link.errors;
  report.joined_us = link.joined_unix_us - start_unix_us;
  if (link.finished && !link.finished->error().empty()) {
    report.health = "failed";
    report.note = link.finished->error();
  } else if (!link.finished) {
    report.health = "dropped";
    report.note = link.lost_reason;
    if (link.lost_unix_us) report.dropped_us = *link.lost_unix_us - start_unix_us;
  }
  part.finished = link.finished;
  return part;
}

void AgentHub::send(AgentLink& link, ControllerMessage message) {
  link.writer.push(std::move(message));
}

void AgentHub::drop(AgentLink& link, const std::string& reason) {
  std::lock_guard lock(mutex_);
  lose(link, reason);
}

void AgentHub::pulse() {
  ControllerMessage beat;
  beat.mutable_heartbeat()->set_unix_us(unix_now_us());
  std::lock_guard lock(mutex_);
  const int64_t now_us = monotonic_us();
  for (const auto& link : links_) {
    if (!link->connected) continue;
    if (!link->handling && now_us - link->last_heard_us > plan_.heartbeat_timeout.count() * 1'000) {
      lose(*link, "no heartbeat for " + std::to_string(plan_.heartbeat_timeout.count()) + " ms");
      continue;
    }
    link->writer.push(beat);
  }
}

void AgentHub::lose(AgentLink& link, const std::string& reason) {
  if (!link.connected) return;
  link.connected = false;
  link.lost_unix_us = unix_now_us();
  link.lost_reason = reason;
  link.context->TryCancel();  // its Session's Read fails, and the session ends
  changed_.notify_all();
  std::cerr << "strest controller: " << link.id << " lost: " << reason << "\n";
}

}  // namespace strest::dist

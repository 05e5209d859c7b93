// A controller and its agents in one process, over 127.0.0.1, against the built-in target.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "dist/agent.h"
#include "dist/controller.h"
#include "dist/proto/dist.grpc.pb.h"
#include "dist_test_plans.h"
#include "engine/stop_signal.h"
#include "plan/exit_codes.h"

namespace strest {
namespace {

class DistributedRun : public DistributedFixture {};

TEST_F(DistributedRun, MergedTotalsAreTheAgentsSumAndTheBudgetSplitByWeight) {
  Plan plan = controller_plan(2);
  plan.max_requests = 2000;
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  const Plan light = agent_plan(*port, 1);
  const Plan heavy = agent_plan(*port, 3);
  auto light_exit = std::async(std::launch::async, [&] { return dist::run_agent(light); });
  auto heavy_exit = std::async(std::launch::async, [&] { return dist::run_agent(heavy); });

  auto result = controller.run(plan, {.agent_wait_timeout = milliseconds(30'000)}, {});
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(light_exit.get(), kExitOk);
  EXPECT_EQ(heavy_exit.get(), kExitOk);

  ASSERT_EQ(result->agents.size(), 2u);
  uint64_t by_weight[4] = {};
  uint64_t sum = 0;
  for (const AgentReport& agent : result->agents) {
    EXPECT_EQ(agent.health, "healthy") << agent.agent_id << ": " << agent.note;
    by_weight[agent.weight] = agent.requests;
    sum += agent.requests;
  }
  EXPECT_EQ(result->totals.completed(), sum);
  EXPECT_EQ(result->totals.completed(), 2000u);
  EXPECT_EQ(by_weight[1], 500u);
  EXPECT_EQ(by_weight[3], 1500u);
  EXPECT_EQ(result->totals.latency_all.total_count(), static_cast<int64_t>(sum));
  EXPECT_EQ(result->stop_reason, StopReason::kRequestCount);
}

TEST_F(DistributedRun, WithoutStreamingEveryTickArrivesAtTheEnd) {
  Plan plan = controller_plan(1);
  plan.distributed->stream_summaries = false;
  plan.max_requests = 300;
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  const Plan local = agent_plan(*port, 1);
  auto agent_exit = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  auto result = controller.run(plan, {}, {});
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(agent_exit.get(), kExitOk);
  EXPECT_EQ(result->totals.completed(), 300u);
  uint64_t in_series = 0;
  for (const SecondSample& second : result->series) in_series += second.completed;
  EXPECT_EQ(in_series, 300u);
  ASSERT_EQ(result->agents.size(), 1u);
  EXPECT_EQ(result->agents[0].requests, 300u);
}

TEST_F(DistributedRun, AShareTheAgentCannotRunIsReportedAsFailed) {
  Plan plan = controller_plan(1);
  plan.max_requests = 10;
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  Plan local = agent_plan(*port, 1);
  local.log_shards = 0;  // its own settings do not validate
  auto agent_exit = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  auto result = controller.run(plan, {}, {});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("--log-shards"), std::string::npos) << result.error();
  EXPECT_EQ(agent_exit.get(), kExitFailure);
}

TEST_F(DistributedRun, TooFewAgentsInTimeIsAnError) {
  Plan plan = controller_plan(2);
  dist::Controller controller(plan);
  ASSERT_TRUE(controller.listen());
  auto result = controller.run(plan, {.agent_wait_timeout = milliseconds(50)}, {});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("--agent-wait-timeout-ms"), std::string::npos) << result.error();
}

// An agent that joins and beats until it gets its order, then stalls: it neither beats nor
// reports again.
class StalledAgent {
 public:
  explicit StalledAgent(uint16_t controller_port)
      : stub_(dist::Coordinator::NewStub(grpc::CreateChannel(
            "127.0.0.1:" + std::to_string(controller_port), grpc::InsecureChannelCredentials()))),
        stream_(stub_->Session(&context_)) {
    dist::AgentMessage hello;
    hello.mutable_hello()->set_agent_id("stalled");
    hello.mutable_hello()->set_weight(1);
    hello.mutable_hello()->set_version(STREST_VERSION);
    stream_->Write(hello);
    reader_ = std::thread([this] {
      dist::ControllerMessage message;
      while (stream_->Read(&message)) {
        if (message.has_run()) ordered_ = true;
      }
      ordered_ = true;
    });
    beater_ = std::thread([this] {  // the only writer after Hello
      while (!ordered_) {
        dist::AgentMessage beat;
        beat.mutable_heartbeat()->set_unix_us(1);
        stream_->Write(beat);
        std::this_thread::sleep_for(milliseconds(20));
      }
    });
  }
  ~StalledAgent() {
    context_.TryCancel();
    reader_.join();
    beater_.join();
    stream_->Finish();
  }

 private:
  std::unique_ptr<dist::Coordinator::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<dist::AgentMessage, dist::ControllerMessage>> stream_;
  std::atomic<bool> ordered_{false};
  std::thread reader_;
  std::thread beater_;
};

TEST_F(DistributedRun, ASilentAgentIsDroppedAndTheRunFinishesWithTheOthers) {
  Plan plan = controller_plan(2);
  plan.max_requests = 400;
  plan.distributed->heartbeat_timeout = milliseconds(300);
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  StalledAgent stalled(*port);
  ASSERT_TRUE(eventually([&] { return controller.hub().connected().size() == 1; }));
  const Plan local = agent_plan(*port, 1);
  auto agent_exit = std::async(std::launch::async, [&] { return dist::run_agent(local); });

  auto result = controller.run(plan, {}, {});
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(agent_exit.get(), kExitOk);
  ASSERT_EQ(result->agents.size(), 2u);
  const AgentReport& silent = result->agents[0];
  EXPECT_EQ(silent.agent_id, "stalled");
  EXPECT_EQ(silent.health, "dropped");
  EXPECT_TRUE(silent.dropped_us.has_value());
  EXPECT_NE(silent.note.find("no heartbeat"), std::string::npos) << silent.note;
  EXPECT_EQ(silent.requests, 0u);
  EXPECT_EQ(result->agents[1].health, "healthy");
  EXPECT_EQ(result->agents[1].requests, 200u);  // its half of the budget
  EXPECT_EQ(result->totals.completed(), 200u);
}

TEST_F(DistributedRun, AStandbyAgentFindsARestartedController) {
  Plan plan = controller_plan(1);
  plan.max_requests = 50;
  uint16_t port = 0;
  {
    dist::Controller first(plan);
    auto bound = first.listen();
    ASSERT_TRUE(bound) << bound.error();
    port = *bound;
  }  // the first controller is gone before any agent joined
  Plan local = agent_plan(port, 1);
  local.distributed->standby = true;
  local.distributed->reconnect = milliseconds(50);
  auto agent = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  for (int restart = 0; restart < 2; ++restart) {
    plan.distributed->listen = "127.0.0.1:" + std::to_string(port);
    dist::Controller controller(plan);
    auto bound = controller.listen();
    ASSERT_TRUE(bound) << bound.error();
    auto result = controller.run(plan, {.agent_wait_timeout = milliseconds(60'000)}, {});
    ASSERT_TRUE(result) << result.error();
    EXPECT_EQ(result->totals.completed(), 50u);
  }
  EXPECT_EQ(stop_agent(agent), 128 + SIGTERM);
}

TEST_F(DistributedRun, TheIdOfAConnectedAgentIsNotGivenTwice) {
  const Plan plan = controller_plan(1);
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  Plan first = agent_plan(*port, 1);
  first.distributed->agent_id = "same";
  first.distributed->standby = true;
  auto staying = std::async(std::launch::async, [&] { return dist::run_agent(first); });
  ASSERT_TRUE(eventually([&] { return controller.hub().connected().size() == 1; }));
  Plan second = agent_plan(*port, 2);
  second.distributed->agent_id = "same";
  EXPECT_EQ(dist::run_agent(second), kExitUsage);
  ASSERT_EQ(controller.hub().connected().size(), 1u);
  EXPECT_EQ(controller.hub().connected()[0]->weight, 1u);
  EXPECT_EQ(stop_agent(staying), 128 + SIGTERM);
}

TEST_F(DistributedRun, AWrongTokenIsRefused) {
  const Plan plan = controller_plan(1, "secret");
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  EXPECT_EQ(dist::run_agent(agent_plan(*port, 1, "guess")), kExitUsage);
  EXPECT_EQ(dist::run_agent(agent_plan(*port, 1, "")), kExitUsage);
  EXPECT_TRUE(controller.hub().connected().empty());
}

TEST_F(DistributedRun, AnAgentStopsWhenItsControllerGoesAway) {
  Plan plan = controller_plan(1);
  plan.duration = std::chrono::minutes(10);  // only the controller's loss ends it
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  const Plan local = agent_plan(*port, 1);
  auto agent_exit = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  auto result = std::async(std::launch::async, [&] { return controller.run(plan, {}, {}); });

  ASSERT_TRUE(eventually([&] { return target_.requests_served() > 0; }));
  controller.shutdown();
  ASSERT_EQ(agent_exit.wait_for(std::chrono::minutes(1)), std::future_status::ready);
  EXPECT_EQ(agent_exit.get(), kExitFailure);  // lost its controller
  ASSERT_EQ(result.wait_for(std::chrono::minutes(1)), std::future_status::ready);
  auto finished = result.get();
  ASSERT_TRUE(finished) << finished.error();
  ASSERT_EQ(finished->agents.size(), 1u);
  EXPECT_EQ(finished->agents[0].health, "dropped");
}

}  // namespace
}  // namespace strest

// Manual mode's runs, driven through the ControlHandler as the HTTP control plane drives it.
#include "dist/manual_controller.h"

#include <gtest/gtest.h>

#include <future>

#include "dist/agent.h"
#include "dist_test_plans.h"
#include "plan/exit_codes.h"

namespace strest {
namespace {

class ManualRuns : public DistributedFixture {};

TEST_F(ManualRuns, RunsOneAfterAnotherWithAStandbyAgent) {
  Plan plan = controller_plan(1);
  plan.max_requests = 100;
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  Plan local = agent_plan(*port, 1);
  local.distributed->standby = true;
  auto agent = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  dist::ManualController manual(plan, controller);

  EXPECT_EQ(manual.stop()->http_status, 409);  // nothing runs yet
  for (int run = 1; run <= 2; ++run) {
    ASSERT_FALSE(manual.start({})) << run;
    manual.wait_idle();
    EXPECT_EQ(manual.runs(), static_cast<uint64_t>(run));
    EXPECT_EQ(manual.last_exit_code(), kExitOk);
    const nlohmann::json status = manual.status();
    EXPECT_EQ(status["state"], "idle");
    EXPECT_EQ(status["totals"]["requests"], 100) << status.dump();
    ASSERT_EQ(status["agents"].size(), 1u) << status.dump();
    EXPECT_EQ(status["agents"][0]["weight"], 1);
  }
  EXPECT_EQ(stop_agent(agent), 128 + SIGTERM);
}

TEST_F(ManualRuns, StopEndsTheRunAndASecondStartIsRefusedMeanwhile) {
  Plan plan = controller_plan(1);
  plan.duration = std::chrono::minutes(10);  // only /stop ends it
  dist::Controller controller(plan);
  auto port = controller.listen();
  ASSERT_TRUE(port) << port.error();
  Plan local = agent_plan(*port, 1);
  local.distributed->standby = true;
  auto agent = std::async(std::launch::async, [&] { return dist::run_agent(local); });
  dist::ManualController manual(plan, controller);

  ASSERT_FALSE(manual.start({}));
  ASSERT_TRUE(eventually([&] { return manual.status()["state"] == "running"; }));
  EXPECT_EQ(manual.start({})->http_status, 409);
  ASSERT_TRUE(eventually([&] { return target_.requests_served() > 0; }));
  EXPECT_FALSE(manual.stop());
  manual.wait_idle();
  EXPECT_EQ(manual.last_exit_code(), kExitOk);  // stopped by the user: results kept
  EXPECT_GT(manual.status()["totals"]["requests"].get<uint64_t>(), 0u);
  EXPECT_EQ(stop_agent(agent), 128 + SIGTERM);
}

TEST_F(ManualRuns, AnUnknownScenarioNameIsRefused) {
  const Plan plan = controller_plan(1);
  dist::Controller controller(plan);
  ASSERT_TRUE(controller.listen());
  dist::ManualController manual(plan, controller);
  StartRequest request;
  request.scenario_name = "nope";
  auto refused = manual.start(request);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->http_status, 404);
  EXPECT_EQ(manual.runs(), 0u);
}

}  // namespace
}  // namespace strest

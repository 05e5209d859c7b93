#pragma once
// What the in-process distributed tests share: the built-in target, a controller's and an
// agent's Plan as the CLI would make them, and a bounded wait for a condition.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "demo_target/target_server.h"
#include "engine/stop_signal.h"
#include "plan/plan.h"
#include "plan/url.h"

namespace strest {

using std::chrono::milliseconds;

// Waits for `done` (polled), giving up after a minute so a broken run fails instead of hanging.
template <typename Done>
bool eventually(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

class DistributedFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    clear_stop_request();
    auto port = target_.start();
    ASSERT_TRUE(port) << port.error();
    target_port_ = *port;
  }
  void TearDown() override { clear_stop_request(); }

  Plan controller_plan(uint32_t min_agents, const std::string& token = "") const {
    Plan plan;
    plan.url = *parse_url("http://127.0.0.1:" + std::to_string(target_port_) + "/");
    plan.max_tasks = 4;
    plan.run_log = false;
    plan.no_charts = true;
    DistributedPlan dist;
    dist.role = DistributedPlan::Role::kController;
    dist.listen = "127.0.0.1:0";
    dist.auth_token = token;
    dist.min_agents = min_agents;
    dist.agent_wait_timeout = milliseconds(30'000);
    dist.stream_summaries = true;
    dist.stream_interval = milliseconds(200);
    plan.distributed = dist;
    return plan;
  }

  static Plan agent_plan(uint16_t controller_port, uint32_t weight, const std::string& token = "") {
    Plan plan;
    plan.run_log = false;
    plan.no_charts = true;
    DistributedPlan dist;
    dist.role = DistributedPlan::Role::kAgent;
    dist.join = "127.0.0.1:" + std::to_string(controller_port);
    dist.auth_token = token;
    dist.weight = weight;
    dist.heartbeat_interval = milliseconds(200);
    plan.distributed = dist;
    return plan;
  }

  // A standby agent stays for every run; SIGTERM (as the process would get) ends it. Returns
  // its exit code (-1 if it did not end).
  static int stop_agent(std::future<int>& agent) {
    request_stop(SIGTERM);
    if (agent.wait_for(std::chrono::minutes(1)) != std::future_status::ready) return -1;
    const int code = agent.get();
    clear_stop_request();
    return code;
  }

  TargetServer target_{TargetOptions{}};
  uint16_t target_port_ = 0;
};

}  // namespace strest

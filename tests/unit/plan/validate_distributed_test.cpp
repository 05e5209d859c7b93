// validate() on Plans built in code with Plan::distributed set: the checks every entry point
// (the command line, a controller's message) shares.
#include <gtest/gtest.h>

#include "plan/distributed.h"
#include "plan/validate.h"

namespace strest {
namespace {

Plan controller_plan(const std::string& listen) {
  Plan plan;
  plan.url.scheme = "http";
  plan.url.host = "h";
  plan.url.port = 80;
  DistributedPlan dist;
  dist.role = DistributedPlan::Role::kController;
  dist.listen = listen;
  plan.distributed = dist;
  return plan;
}

std::string error_of(const Plan& plan) {
  auto status = validate(plan);
  EXPECT_FALSE(status.ok());
  return status.ok() ? "" : status.error();
}

TEST(IsLoopbackAddress, Hosts) {
  for (const char* address : {"127.0.0.1:9009", "127.5.6.7:1", "[::1]:9009", "localhost:80"}) {
    EXPECT_TRUE(is_loopback_address(address)) << address;
  }
  for (const char* address : {"0.0.0.0:9009", "[::]:9009", "10.0.0.5:9009", "example.com:1",
                              "128.0.0.1:1", "localhost.evil:1"}) {
    EXPECT_FALSE(is_loopback_address(address)) << address;
  }
}

TEST(ValidateDistributed, LoopbackControllerNeedsNoToken) {
  EXPECT_TRUE(validate(controller_plan("127.0.0.1:9009")).ok());
  EXPECT_TRUE(validate(controller_plan("[::1]:9009")).ok());
}

TEST(ValidateDistributed, OpenControllerNeedsAToken) {
  Plan plan = controller_plan("0.0.0.0:9009");
  EXPECT_EQ(error_of(plan),
            "--controller-listen 0.0.0.0:9009 is not loopback: set --auth-token (or "
            "STREST_AUTH_TOKEN) so only your agents can join");
  plan.distributed->auth_token = "t";
  EXPECT_TRUE(validate(plan).ok());
}

TEST(ValidateDistributed, ControlPlane) {
  Plan plan = controller_plan("127.0.0.1:9009");
  plan.distributed->mode = DistributedPlan::ControllerMode::kManual;
  EXPECT_NE(error_of(plan).find("needs --control-listen"), std::string::npos);
  plan.distributed->control_listen = "[::]:9010";
  EXPECT_NE(error_of(plan).find("set --control-auth-token"), std::string::npos);
  plan.distributed->control_auth_token = "c";
  EXPECT_TRUE(validate(plan).ok());
}

TEST(ValidateDistributed, NumbersInCodeBuiltPlans) {
  Plan plan = controller_plan("127.0.0.1:9009");
  plan.distributed->min_agents = 0;
  EXPECT_EQ(error_of(plan), "--min-agents must be at least 1");
  Plan agent;
  agent.distributed = DistributedPlan{};
  agent.distributed->role = DistributedPlan::Role::kAgent;
  agent.distributed->join = "h:1";
  EXPECT_TRUE(validate(agent).ok());
  agent.distributed->weight = 0;
  EXPECT_EQ(error_of(agent), "--agent-weight must be at least 1");
  agent.distributed->weight = 1;
  agent.distributed->join.clear();
  EXPECT_EQ(error_of(agent), "an agent needs --agent-join HOST:PORT");
}

TEST(ValidateDistributed, ControllerWritesNoPerRequestRecords) {
  Plan plan = controller_plan("127.0.0.1:9009");
  plan.db_url = "x.db";
  EXPECT_NE(error_of(plan).find("--db-url does not apply to a controller"), std::string::npos);
}

}  // namespace
}  // namespace strest

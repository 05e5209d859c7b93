#include "engine/descriptor_limit.h"

#include <gtest/gtest.h>

#include "metrics/outcome.h"
#include "net/tcp.h"

namespace strest {
namespace {

Plan plan_with(uint32_t max_tasks, uint32_t threads = 1) {
  Plan plan;
  plan.max_tasks = max_tasks;
  plan.threads = threads;
  return plan;
}

TEST(DescriptorsNeeded, OneSocketPerConnectionPlusAReserve) {
  const DescriptorNeed one = descriptors_needed(plan_with(1000));
  const DescriptorNeed two = descriptors_needed(plan_with(2000));
  EXPECT_EQ(two.total() - one.total(), 1000u);
  EXPECT_GT(one.total(), 1000u);
  // Each worker has its own event loop.
  EXPECT_GT(descriptors_needed(plan_with(1000, 4)).total(), one.total());
}

TEST(DescriptorsNeeded, MultiplexedConnectionsCarrySeveralSlots) {
  Plan plan = plan_with(10'000);
  plan.transport.http2 = true;
  plan.transport.streams_per_connection = 10;
  const DescriptorNeed need = descriptors_needed(plan);
  EXPECT_EQ(need.total(), 1000 + need.reserve);
  plan.transport.streams_per_connection = 3;  // 3334 connections, the last one partly used
  EXPECT_EQ(descriptors_needed(plan).total(), 3334 + need.reserve);
}

TEST(SoftLimitFor, KeepsASoftLimitThatSuffices) {
  const DescriptorNeed need = descriptors_needed(plan_with(50));
  auto decision = soft_limit_for(need, {.soft = 1024, .hard = 4096});
  ASSERT_TRUE(decision) << decision.error();
  EXPECT_FALSE(decision->has_value());
}

TEST(SoftLimitFor, RaisesTheSoftLimitToTheNeedWhenTheHardLimitAllows) {
  const DescriptorNeed need = descriptors_needed(plan_with(10'000));
  auto decision = soft_limit_for(need, {.soft = 1024, .hard = 20'000});
  ASSERT_TRUE(decision) << decision.error();
  EXPECT_EQ(decision->value_or(0), need.total());
  auto unlimited = soft_limit_for(need, {.soft = 1024, .hard = UINT64_MAX});
  ASSERT_TRUE(unlimited);
  EXPECT_EQ(unlimited->value_or(0), need.total());
}

TEST(SoftLimitFor, RefusesBeyondTheHardLimitNamingTheFlagTheNeedAndTheLimit) {
  const DescriptorNeed need = descriptors_needed(plan_with(100'000));
  auto decision = soft_limit_for(need, {.soft = 20'000, .hard = 20'000});
  ASSERT_FALSE(decision);
  const std::string& message = decision.error();
  EXPECT_NE(message.find("--max-tasks 100000"), std::string::npos) << message;
  EXPECT_NE(message.find(std::to_string(need.total())), std::string::npos) << message;
  EXPECT_NE(message.find("hard limit is 20000"), std::string::npos) << message;
  const std::string fits = "lower --max-tasks to " + std::to_string(20'000 - need.reserve);
  EXPECT_NE(message.find(fits), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(SoftLimitFor, ALimitBelowTheReserveOffersOnlyRaisingIt) {
  const DescriptorNeed need = descriptors_needed(plan_with(10));
  auto decision = soft_limit_for(need, {.soft = 16, .hard = 16});
  ASSERT_FALSE(decision);
  EXPECT_EQ(decision.error().find("lower --max-tasks"), std::string::npos) << decision.error();
  EXPECT_NE(decision.error().find("ulimit -Hn"), std::string::npos) << decision.error();
}

TEST(ClassifyConnectError, DescriptorLimitsAreTheirOwnKinds) {
  EXPECT_EQ(classify_connect_error(EMFILE), TransportError::kDescriptorLimit);
  EXPECT_EQ(classify_connect_error(ENFILE), TransportError::kSystemDescriptorLimit);
  EXPECT_EQ(classify_connect_error(ENETUNREACH), TransportError::kConnectFailed);
  EXPECT_EQ(transport_error_name(TransportError::kDescriptorLimit), "emfile");
  EXPECT_EQ(transport_error_name(TransportError::kSystemDescriptorLimit), "enfile");
  // Appended after the kinds old run logs know, so their numbers stay.
  EXPECT_EQ(static_cast<int>(TransportError::kQuic), 13);
  EXPECT_EQ(static_cast<int>(TransportError::kDescriptorLimit), 14);
}

}  // namespace
}  // namespace strest

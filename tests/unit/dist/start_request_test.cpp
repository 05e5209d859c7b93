#include "dist/start_request.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

Scenario scenario_with_path(const std::string& path) {
  Scenario scenario;
  ScenarioStep step;
  step.path = path;
  scenario.steps.push_back(step);
  return scenario;
}

std::string first_path(const std::optional<Scenario>& scenario) {
  return scenario && !scenario->steps.empty() ? scenario->steps.front().path : "<none>";
}

class ResolveStartScenario : public ::testing::Test {
 protected:
  ScenarioRegistry registry{{"login", scenario_with_path("/login")},
                            {"browse", scenario_with_path("/browse")}};
  std::optional<Scenario> startup = scenario_with_path("/health");
};

TEST_F(ResolveStartScenario, InlineScenarioWithoutNameRunsOnceAndIsNotStored) {
  StartRequest request;
  request.scenario = scenario_with_path("/once");
  auto resolved = resolve_start_scenario(request, registry, startup);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_EQ(first_path(*resolved), "/once");
  ASSERT_EQ(registry.size(), 2u);
  EXPECT_EQ(first_path(registry[0].second), "/login");
  EXPECT_EQ(first_path(registry[1].second), "/browse");
}

TEST_F(ResolveStartScenario, InlineScenarioWithNewNameIsStoredAndRun) {
  StartRequest request;
  request.scenario_name = "checkout";
  request.scenario = scenario_with_path("/checkout");
  auto resolved = resolve_start_scenario(request, registry, startup);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_EQ(first_path(*resolved), "/checkout");
  ASSERT_EQ(registry.size(), 3u);
  EXPECT_EQ(registry[2].first, "checkout");
  EXPECT_EQ(first_path(registry[2].second), "/checkout");

  // The stored entry now runs by name alone.
  StartRequest by_name;
  by_name.scenario_name = "checkout";
  auto again = resolve_start_scenario(by_name, registry, startup);
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(first_path(*again), "/checkout");
}

TEST_F(ResolveStartScenario, InlineScenarioWithKnownNameReplacesTheEntryInPlace) {
  StartRequest request;
  request.scenario_name = "login";
  request.scenario = scenario_with_path("/login/v2");
  auto resolved = resolve_start_scenario(request, registry, startup);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_EQ(first_path(*resolved), "/login/v2");
  ASSERT_EQ(registry.size(), 2u);
  EXPECT_EQ(registry[0].first, "login");
  EXPECT_EQ(first_path(registry[0].second), "/login/v2");
}

TEST_F(ResolveStartScenario, NameOnlyRunsTheRegistryEntry) {
  StartRequest request;
  request.scenario_name = "browse";
  auto resolved = resolve_start_scenario(request, registry, startup);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_EQ(first_path(*resolved), "/browse");
}

TEST_F(ResolveStartScenario, UnknownNameIsAnErrorListingTheKnownNames) {
  StartRequest request;
  request.scenario_name = "nope";
  auto resolved = resolve_start_scenario(request, registry, startup);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error(), "unknown scenario 'nope'; known: login, browse");
  EXPECT_EQ(registry.size(), 2u);
}

TEST_F(ResolveStartScenario, UnknownNameWithAnEmptyRegistrySaysNoneAreRegistered) {
  ScenarioRegistry empty;
  StartRequest request;
  request.scenario_name = "login";
  auto resolved = resolve_start_scenario(request, empty, startup);
  ASSERT_FALSE(resolved);
  EXPECT_EQ(resolved.error(), "unknown scenario 'login'; no scenarios are registered");
}

TEST_F(ResolveStartScenario, NeitherRunsTheStartupScenario) {
  auto resolved = resolve_start_scenario(StartRequest{}, registry, startup);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_EQ(first_path(*resolved), "/health");
}

TEST_F(ResolveStartScenario, NeitherWithoutAStartupScenarioRunsThePlainUrl) {
  auto resolved = resolve_start_scenario(StartRequest{}, registry, std::nullopt);
  ASSERT_TRUE(resolved) << resolved.error();
  EXPECT_FALSE(resolved->has_value());
}

}  // namespace
}  // namespace strest

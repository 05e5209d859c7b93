// The Worker running scenario iterations, event by event through fake sessions and a manual
// clock: the requests each step builds, extraction and cookies carried to the next step, think
// time, and a failed assert ending the iteration.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine/worker_harness.h"
#include "scenario/compiled_scenario.h"

namespace strest {
namespace {

constexpr int64_t kMs = 1'000;

WorkerSetup one_slot() {
  WorkerSetup result;
  result.slots = 1;
  return result;
}

std::string field(const RequestParts& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<none>";
}

// login (POST, extracts the token) then profile (uses it), as the reference's example.
Scenario login_flow(int64_t think_us = 0) {
  Scenario scenario;
  scenario.vars = {{"user", "demo"}};
  ScenarioStep login;
  login.name = "login";
  login.method = "POST";
  login.path = "/login";
  login.headers = {"Content-Type: application/json"};
  login.data = R"({"user":"{{user}}","seq":"{{seq}}"})";
  login.assert_status = 200;
  login.think_time = std::chrono::microseconds(think_us);
  login.extract = {ExtractRule{.var = "token",
                               .source = ExtractRule::Source::kJsonPath,
                               .expression = "$.token",
                               .text = "json:$.token"}};
  ScenarioStep profile;
  profile.name = "profile";
  profile.path = "/profile";
  profile.headers = {"Authorization: Bearer {{token}}"};
  scenario.steps = {login, profile};
  return scenario;
}

class WorkerScenario : public ::testing::Test {
 protected:
  void SetUp() override { run.plan.url = *parse_url("http://127.0.0.1:8080/"); }

  void use(Scenario scenario) {
    run.plan.scenario = std::move(scenario);
    auto made = CompiledScenario::compile(run.plan);
    ASSERT_TRUE(made) << made.error();
    compiled.emplace(std::move(*made));
    run.use_scenario(*compiled);
  }

  WorkerHarness run{one_slot()};
  std::optional<CompiledScenario> compiled;
};

TEST_F(WorkerScenario, CarriesTheExtractedTokenAndCookiesToTheNextStep) {
  use(login_flow());
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(1 * kMs);
  ASSERT_EQ(connection.built.size(), 1u);
  const RequestParts& login = connection.built[0];
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.path, "/login");
  EXPECT_EQ(login.body, R"({"user":"demo","seq":"0"})");
  EXPECT_EQ(field(login, "content-type"), "application/json");
  EXPECT_EQ(field(login, "content-length"), "25");

  connection.respond_with(0, 200, {{"Set-Cookie", "session=s1; Path=/; HttpOnly"}},
                          R"({"token":"tok-9"})", 2 * kMs);
  run.advance(2 * kMs);
  ASSERT_EQ(connection.built.size(), 2u) << "the next step follows at once without think time";
  const RequestParts& profile = connection.built[1];
  EXPECT_EQ(profile.method, "GET");
  EXPECT_EQ(profile.path, "/profile");
  EXPECT_EQ(field(profile, "authorization"), "Bearer tok-9");
  EXPECT_EQ(field(profile, "cookie"), "session=s1");
  EXPECT_EQ(connection.sequences[1], 1u) << "iteration 0, step 1";

  connection.respond_with(0, 200, {}, "{}", 3 * kMs);
  run.advance(3 * kMs);
  ASSERT_EQ(connection.built.size(), 3u) << "a new iteration starts at step 1";
  EXPECT_EQ(connection.built[2].path, "/login");
  EXPECT_EQ(field(connection.built[2], "cookie"), "<none>") << "cookies are per iteration";
  EXPECT_EQ(connection.built[2].body, R"({"user":"demo","seq":"1"})");

  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 2u);
  ASSERT_EQ(totals.steps.size(), 2u);
  EXPECT_EQ(totals.steps[0].ok, 1u);
  EXPECT_EQ(totals.steps[1].ok, 1u);
  EXPECT_EQ(totals.iterations_passed, 1u);
}

TEST_F(WorkerScenario, WaitsTheThinkTimeBeforeTheNextStep) {
  use(login_flow(/*think_us=*/500 * kMs));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond_with(0, 200, {}, R"({"token":"t"})", 10 * kMs);
  run.advance(10 * kMs);
  EXPECT_EQ(connection.built.size(), 1u) << "thinking";
  EXPECT_EQ(run.worker->wait_timeout_us(10 * kMs), 10 * kMs) << "the loop's longest sleep";
  run.advance(509 * kMs);
  EXPECT_EQ(run.worker->wait_timeout_us(509 * kMs), 1 * kMs) << "wakes when the think time ends";
  EXPECT_EQ(connection.built.size(), 1u);
  run.advance(510 * kMs);
  ASSERT_EQ(connection.built.size(), 2u);
  EXPECT_EQ(connection.built[1].path, "/profile");
}

TEST_F(WorkerScenario, AFailedAssertEndsTheIterationAndIsCountedOnItsStep) {
  use(login_flow());
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond_with(0, 401, {}, "no", 1 * kMs);
  run.advance(1 * kMs);
  ASSERT_EQ(connection.built.size(), 2u);
  EXPECT_EQ(connection.built[1].path, "/login") << "the profile step is skipped";

  const Tally totals = run.totals();
  EXPECT_EQ(totals.assert_failures, 1u);
  EXPECT_EQ(totals.ok, 0u);
  EXPECT_EQ(totals.steps[0].assert_failures, 1u);
  EXPECT_EQ(totals.steps[1].completed(), 0u);
  EXPECT_EQ(totals.iterations_failed, 1u);
}

TEST_F(WorkerScenario, AnExtractThatFindsNothingFailsTheStep) {
  use(login_flow());
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond_with(0, 200, {}, R"({"other":1})", 1 * kMs);
  run.advance(1 * kMs);
  const Tally totals = run.totals();
  EXPECT_EQ(totals.assert_failures, 1u);
  EXPECT_EQ(connection.built.back().path, "/login");
}

TEST_F(WorkerScenario, ATransportErrorEndsTheIteration) {
  use(login_flow());
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond_with(0, 200, {}, R"({"token":"t"})", 1 * kMs);
  run.advance(1 * kMs);
  connection.peer_closed(TransportError::kReset, 2 * kMs);
  run.advance(2 * kMs);
  connection.ready(3 * kMs);
  ASSERT_EQ(connection.built.size(), 3u);
  EXPECT_EQ(connection.built[2].path, "/login");
  const Tally totals = run.totals();
  EXPECT_EQ(totals.steps[1].transport_errors, 1u);
  EXPECT_EQ(totals.iterations_failed, 1u);
}

}  // namespace
}  // namespace strest

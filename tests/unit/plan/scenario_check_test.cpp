#include "plan/scenario_check.h"

#include <gtest/gtest.h>

#include "plan/validate.h"

namespace strest {
namespace {

ScenarioStep step(std::string name, std::string path) {
  ScenarioStep step;
  step.name = std::move(name);
  step.path = std::move(path);
  return step;
}

// The reference's two-step example: log in, then use the profile.
Scenario login_flow() {
  Scenario scenario;
  scenario.base_url = "http://localhost:3000";
  scenario.vars = {{"user", "demo"}};
  ScenarioStep login = step("login", "/login");
  login.method = "POST";
  login.headers = {"Content-Type: application/json"};
  login.data = "{\"user\":\"{{user}}\",\"seq\":\"{{seq}}\"}";
  login.assert_status = 200;
  login.assert_body_contains = "token";
  login.extract = {{"token", ExtractRule::Source::kJsonPath, "$.token", "json:$.token"}};
  ScenarioStep profile = step("profile", "/profile");
  profile.headers = {"Authorization: Bearer {{token}}"};
  scenario.steps = {login, profile};
  return scenario;
}

std::string error_of(const Scenario& scenario) {
  auto status = check_scenario(scenario, "scenario");
  EXPECT_FALSE(status.ok());
  return status.ok() ? "" : status.error();
}

TEST(CheckScenario, ReferenceExampleIsFine) {
  auto status = check_scenario(login_flow(), "scenario");
  EXPECT_TRUE(status.ok()) << status.error();
}

TEST(CheckScenario, UnknownVariableNamesStepAndVariable) {
  Scenario scenario = login_flow();
  scenario.steps[1].headers = {"Authorization: Bearer {{tokn}}"};
  EXPECT_EQ(error_of(scenario),
            "scenario step 'profile': unknown variable 'tokn' in header 'Authorization'; known: "
            "seq, step, timestamp_ms, timestamp_s, token, user");
}

TEST(CheckScenario, ExtractedVarsAreInScopeOnlyAfterTheirStep) {
  Scenario scenario = login_flow();
  scenario.steps[0].data = "{{token}}";
  EXPECT_EQ(error_of(scenario),
            "scenario step 'login': unknown variable 'token' in data; known: seq, step, "
            "timestamp_ms, timestamp_s, user");
}

TEST(CheckScenario, CsvColumnsAndStepVarsAreInScope) {
  Scenario scenario = login_flow();
  scenario.vars_from_csv = CsvVars{"users.csv", {"name", "pass"}, {{"a", "b"}}};
  scenario.steps[0].vars = {{"extra", "1"}};
  scenario.steps[0].data = "{{name}}:{{pass}}:{{extra}}:{{step}}:{{timestamp_ms}}";
  EXPECT_TRUE(check_scenario(scenario, "scenario").ok());
  scenario.steps[1].path = "/p/{{extra}}";  // step 1's own var, not step 2's
  EXPECT_EQ(error_of(scenario).substr(0, 62),
            "scenario step 'profile': unknown variable 'extra' in path; kno");
}

TEST(CheckScenario, NamesMustNotCollide) {
  Scenario scenario = login_flow();
  scenario.vars_from_csv = CsvVars{"users.csv", {"user"}, {{"a"}}};
  EXPECT_EQ(error_of(scenario),
            "scenario vars_from_csv 'users.csv': column 'user' reuses the name of a var or "
            "built-in: rename it");
  scenario = login_flow();
  scenario.steps[0].extract[0].var = "seq";
  EXPECT_EQ(error_of(scenario),
            "scenario step 'login': extract 'seq' reuses the name of a var, CSV column or "
            "built-in: rename it");
  scenario.steps[0].extract[0].var = "a b";
  EXPECT_NE(error_of(scenario).find("is not a valid variable name"), std::string::npos);
}

TEST(CheckScenario, StepFields) {
  Scenario scenario = login_flow();
  scenario.steps.clear();
  EXPECT_EQ(error_of(scenario), "scenario: no steps: add at least one step");
  scenario = login_flow();
  scenario.steps[1].url = "http://localhost:3000/x";
  EXPECT_EQ(error_of(scenario),
            "scenario step 'profile': give exactly one of path (joined to the base URL) and url");
  scenario.steps[1].path.clear();
  scenario.steps[1].url.clear();
  EXPECT_NE(error_of(scenario).find("exactly one of path"), std::string::npos);
  scenario = login_flow();
  scenario.steps[0].method = "GE T";
  EXPECT_EQ(error_of(scenario), "scenario step 'login': method 'GE T' is not an HTTP method token");
  scenario = login_flow();
  scenario.steps[0].headers = {"NoColon"};
  EXPECT_EQ(error_of(scenario), "scenario step 'login': header 'NoColon' must be \"Name: value\"");
  scenario = login_flow();
  scenario.steps[0].assert_status = 42;
  EXPECT_EQ(error_of(scenario),
            "scenario step 'login': assert_status 42 is not a status code (100 to 999)");
  scenario = login_flow();
  scenario.steps[0].think_time = std::chrono::microseconds(-1);
  EXPECT_EQ(error_of(scenario), "scenario step 'login': think_time must not be negative");
  scenario = login_flow();
  scenario.steps[0].name.clear();
  scenario.steps[0].path = "/{{x";
  EXPECT_EQ(error_of(scenario), "scenario step 'step 1': '{{' without a closing '}}' in path");
  scenario = login_flow();
  scenario.base_url = "ftp://x";
  EXPECT_NE(error_of(scenario).find("scenario base_url: "), std::string::npos);
}

TEST(CheckScenarioOrigin, UrlMustShareTheBaseOrigin) {
  Scenario scenario = login_flow();
  scenario.steps[1].path.clear();
  scenario.steps[1].url = "http://localhost:3000/profile/{{seq}}";
  EXPECT_TRUE(check_scenario(scenario, "scenario").ok());
  EXPECT_TRUE(check_scenario_origin(scenario, Url{}, "scenario").ok());
  scenario.steps[1].url = "http://localhost:3001/profile";
  auto other = check_scenario_origin(scenario, Url{}, "scenario");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error(),
            "scenario step 'profile': url 'http://localhost:3001/profile' is not on the base "
            "URL's origin (http://localhost:3000): an iteration runs on one connection; use path");
  scenario.steps[1].url = "http://{{host}}/profile";
  EXPECT_NE(check_scenario_origin(scenario, Url{}, "scenario").error().find("not its origin"),
            std::string::npos);
  scenario.base_url.reset();
  auto none = check_scenario_origin(scenario, Url{}, "scenario");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error(), "scenario: no base URL: set base_url in the scenario or pass --url");
  scenario.steps[1].url = "https://a.example/x";
  auto from_url = check_scenario_origin(scenario, *parse_url("https://a.example:443/"), "s");
  EXPECT_TRUE(from_url.ok()) << from_url.error();
}

TEST(ValidateScenario, PlanChecksScenarioRegistryAndRequestFlags) {
  Plan plan;
  plan.url = *parse_url("http://localhost:3000/");
  plan.scenario = login_flow();
  EXPECT_TRUE(validate(plan).ok()) << validate(plan).error();
  Scenario bad = login_flow();
  bad.steps[1].path = "/{{nope}}";
  plan.scenario_registry = {{"bad", bad}};
  auto status = validate(plan);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().substr(0, 53), "scenarios.bad step 'profile': unknown variable 'nope'");
  plan.scenario_registry.clear();
  SettingOrigins origins;
  origins.record("--data", SettingOrigin::flag());
  auto data = validate(plan, origins);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error(),
            "--data does not apply to a scenario run (scenario): set data on its steps instead");
  plan.script = "x.wasm";
  EXPECT_NE(validate(plan, origins).error().find("(--script x.wasm)"), std::string::npos);
}

}  // namespace
}  // namespace strest

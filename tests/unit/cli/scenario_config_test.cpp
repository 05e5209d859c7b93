#include "cli/scenario_config.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cli/config_file.h"
#include "command_line_fixture.h"

namespace strest {
namespace {

using std::chrono::milliseconds;

// The reference README's [scenario] example.
constexpr const char* kReferenceToml = R"(
[scenario]
base_url = "http://localhost:3000"
vars = { user = "demo" }

[[scenario.steps]]
name = "login"
method = "post"
path = "/login"
headers = ["Content-Type: application/json"]
data = "{\"user\":\"{{user}}\",\"seq\":\"{{seq}}\"}"
assert_status = 200
assert_body_contains = "token"
think_time = "500ms"

[[scenario.steps]]
name = "profile"
method = "get"
path = "/profile"
headers = ["Authorization: Bearer {{seq}}"]
)";

constexpr const char* kReferenceJson = R"({
  "scenario": {
    "base_url": "http://localhost:3000",
    "vars": { "user": "demo" },
    "steps": [
      {
        "name": "login",
        "method": "post",
        "path": "/login",
        "headers": ["Content-Type: application/json"],
        "data": "{\"user\":\"{{user}}\",\"seq\":\"{{seq}}\"}",
        "assert_status": 200,
        "assert_body_contains": "token",
        "think_time": "500ms"
      },
      {
        "name": "profile",
        "method": "get",
        "path": "/profile",
        "headers": ["Authorization: Bearer {{seq}}"]
      }
    ]
  }
})";

void expect_reference(const Scenario& scenario) {
  EXPECT_EQ(scenario.base_url, "http://localhost:3000");
  EXPECT_EQ(scenario.vars, (std::vector<ScenarioVar>{{"user", "demo"}}));
  ASSERT_EQ(scenario.steps.size(), 2u);
  const ScenarioStep& login = scenario.steps[0];
  EXPECT_EQ(login.name, "login");
  EXPECT_EQ(login.method, "POST");
  EXPECT_EQ(login.path, "/login");
  EXPECT_EQ(login.headers, (std::vector<std::string>{"Content-Type: application/json"}));
  EXPECT_EQ(login.data, "{\"user\":\"{{user}}\",\"seq\":\"{{seq}}\"}");
  EXPECT_EQ(login.assert_status, 200);
  EXPECT_EQ(login.assert_body_contains, "token");
  EXPECT_EQ(login.think_time, milliseconds(500));
  EXPECT_EQ(scenario.steps[1].method, "GET");
  EXPECT_EQ(scenario.steps[1].think_time.count(), 0);
  EXPECT_FALSE(scenario.steps[1].assert_status);
}

class ScenarioConfigTest : public CommandLineFixture {
 protected:
  static std::string load_error(const std::string& path) {
    auto file = load_config_file(path);
    EXPECT_FALSE(file.ok());
    return file.ok() ? "" : file.error();
  }
};

TEST_F(ScenarioConfigTest, ReferenceTomlAndJson) {
  write("strest.toml", kReferenceToml);
  auto toml = load_config_file("strest.toml");
  ASSERT_TRUE(toml.ok()) << toml.error();
  ASSERT_TRUE(toml->options.scenario);
  expect_reference(*toml->options.scenario);
  write("strest.json", kReferenceJson);
  auto json = load_config_file("strest.json");
  ASSERT_TRUE(json.ok()) << json.error();
  ASSERT_TRUE(json->options.scenario);
  expect_reference(*json->options.scenario);
}

TEST_F(ScenarioConfigTest, RunsWithoutUrl) {
  write("strest.toml", kReferenceToml);
  ParsedCommand command = command_of({}, ParsedCommand::Mode::kRun);
  ASSERT_TRUE(command.plan.scenario);
  EXPECT_EQ(command.plan.url.to_string(), "http://localhost:3000/");
  EXPECT_EQ(command.plan.scenario->steps.size(), 2u);
  EXPECT_EQ(command.plan.script, "");
}

TEST_F(ScenarioConfigTest, ExtractAndDefaults) {
  write("s.toml", R"toml(
[scenario]
[[scenario.steps]]
method = "POST"
path = "/login"
extract = { token = "json:$.token", sid = "header:X-Session", id = "regex:id=([0-9]+)" }
think_time = 2
[[scenario.steps]]
path = "/x/{{id}}"
headers = ["Authorization: Bearer {{token}}"]
)toml");
  auto file = load_config_file("s.toml");
  ASSERT_TRUE(file.ok()) << file.error();
  const Scenario& scenario = *file->options.scenario;
  EXPECT_EQ(scenario.steps[0].name, "step 1");
  EXPECT_EQ(scenario.steps[1].name, "step 2");
  EXPECT_EQ(scenario.steps[0].think_time, std::chrono::seconds(2));
  ASSERT_EQ(scenario.steps[0].extract.size(), 3u);
  // TOML tables come sorted by key: id, sid, token.
  const auto& rules = scenario.steps[0].extract;
  EXPECT_EQ(rules[0].var, "id");
  EXPECT_EQ(rules[0].source, ExtractRule::Source::kRegex);
  EXPECT_EQ(rules[0].expression, "id=([0-9]+)");
  EXPECT_EQ(rules[1].source, ExtractRule::Source::kHeader);
  EXPECT_EQ(rules[2].var, "token");
  EXPECT_EQ(rules[2].source, ExtractRule::Source::kJsonPath);
  EXPECT_EQ(rules[2].expression, "$.token");
  EXPECT_TRUE(command_of({"--config", "s.toml", "-u", "http://h/"}, ParsedCommand::Mode::kRun)
                  .plan.scenario);
}

TEST_F(ScenarioConfigTest, UnknownKeysAndBadValues) {
  write("s.toml", "[scenario]\n[[scenario.steps]]\npath = \"/\"\nmehtod = \"GET\"\n");
  EXPECT_EQ(load_error("s.toml"),
            "s.toml: unknown key 'scenario.steps[1].mehtod'; did you mean 'method'?");
  write("s.toml", "[scenario]\nbase_ur = \"http://h\"\n");
  EXPECT_EQ(load_error("s.toml"),
            "s.toml: unknown key 'scenario.base_ur'; did you mean 'base_url'?");
  write("s.toml", "[scenario]\nbase_url = \"http://h\"\n");
  EXPECT_EQ(load_error("s.toml"),
            "s.toml: key 'scenario' has no steps: add [[scenario.steps]] tables");
  write("s.toml", "[scenario]\n[[scenario.steps]]\npath = \"/\"\nassert_status = \"200\"\n");
  EXPECT_EQ(load_error("s.toml"),
            "s.toml: key 'scenario.steps[1].assert_status' must be an integer (an HTTP status), "
            "not a string");
  write("s.toml", "[scenario]\n[[scenario.steps]]\npath = \"/\"\nextract = { t = \"xml:a\" }\n");
  EXPECT_EQ(load_error("s.toml"),
            "s.toml: key 'scenario.steps[1].extract': extract 't': unknown source 'xml:', use "
            "json:, header: or regex:");
  write("s.toml", "[scenario]\n[[scenario.steps]]\npath = \"/\"\nextract = { t = \"regex:(\" }\n");
  EXPECT_NE(load_error("s.toml").find("invalid regular expression"), std::string::npos);
  write("s.json", R"({"scenario": {"steps": [{"path": "/", "think_time": "soon"}]}})");
  EXPECT_NE(load_error("s.json").find("key 'scenario.steps[1].think_time'"), std::string::npos);
}

TEST_F(ScenarioConfigTest, CsvResolvesAgainstTheConfigFolder) {
  std::filesystem::create_directory("conf");
  write("conf/users.csv", "user,pass\nann,\"p,1\"\n");
  write("conf/s.toml",
        "[scenario]\nvars_from_csv = \"users.csv\"\n[[scenario.steps]]\npath = "
        "\"/{{user}}/{{pass}}\"\n");
  auto file = load_config_file("conf/s.toml");
  ASSERT_TRUE(file.ok()) << file.error();
  const CsvVars& csv = *file->options.scenario->vars_from_csv;
  EXPECT_EQ(csv.path, "users.csv");
  EXPECT_EQ(csv.rows, (std::vector<std::vector<std::string>>{{"ann", "p,1"}}));
  write("conf/s.toml",
        "[scenario]\nvars_from_csv = \"nope.csv\"\n[[scenario.steps]]\npath = \"/\"\n");
  EXPECT_EQ(load_error("conf/s.toml"),
            "conf/s.toml: key 'scenario.vars_from_csv': cannot read 'conf/nope.csv': No such file "
            "or directory");
}

TEST_F(ScenarioConfigTest, UnknownVariableIsAConfigError) {
  write("strest.toml",
        "[scenario]\nbase_url = \"http://h\"\n[[scenario.steps]]\nname = \"profile\"\npath = "
        "\"/\"\nheaders = [\"Authorization: {{tokn}}\"]\n");
  EXPECT_EQ(error_of({}),
            "scenario step 'profile': unknown variable 'tokn' in header 'Authorization'; known: "
            "seq, step, timestamp_ms, timestamp_s");
}

constexpr const char* kRegistry = R"(
[scenarios.health]
[[scenarios.health.steps]]
path = "/health"
[scenarios.login]
base_url = "http://h:8080"
[[scenarios.login.steps]]
method = "POST"
path = "/login"
)";

TEST_F(ScenarioConfigTest, ScenarioFlagPicksARegistryEntry) {
  write("strest.toml", kRegistry);
  ParsedCommand command = command_of({"--scenario", "login"}, ParsedCommand::Mode::kRun);
  ASSERT_TRUE(command.plan.scenario);
  EXPECT_EQ(command.plan.scenario_name, "login");
  EXPECT_EQ(command.plan.scenario->steps[0].path, "/login");
  EXPECT_EQ(command.plan.url.port, 8080);
  ASSERT_EQ(command.plan.scenario_registry.size(), 2u);
  EXPECT_EQ(command.plan.scenario_registry[0].first, "health");
  // Without --scenario the registry is there and a plain run needs --url.
  ParsedCommand plain = command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun);
  EXPECT_FALSE(plain.plan.scenario);
  EXPECT_EQ(plain.plan.scenario_registry.size(), 2u);
  EXPECT_EQ(error_of({"--scenario", "logn"}),
            "--scenario 'logn': no [scenarios.logn] in strest.toml; known: health, login");
  EXPECT_EQ(error_of({"--scenario", "health"}),
            "no target URL: pass --url or set base_url in the scenarios.health");
}

TEST_F(ScenarioConfigTest, ScenarioFlagWithoutRegistry) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--scenario", "x"}),
            "--scenario 'x': the config (no config file was loaded) has no [scenarios.NAME] "
            "tables; add [scenarios.x]");
}

TEST_F(ScenarioConfigTest, RequestFlagsAreRefused) {
  write("strest.toml", kReferenceToml);
  EXPECT_EQ(error_of({"-H", "X-A: 1"}),
            "--headers does not apply to a scenario run (scenario): set headers on its steps "
            "instead");
  EXPECT_EQ(error_of({"-X", "PUT"}),
            "--method does not apply to a scenario run (scenario): set method on its steps "
            "instead");
}

TEST_F(ScenarioConfigTest, ScriptConflicts) {
  write("strest.toml", kReferenceToml);
  EXPECT_EQ(error_of({"--script", "x.wasm"}),
            "--script cannot be combined with a [scenario] section in strest.toml: drop one");
  write("strest.toml", kRegistry);
  EXPECT_EQ(error_of({"--script", "x.wasm", "--scenario", "login"}),
            "--scenario and --script both choose the scenario to run: pass one");
  write("strest.toml", std::string("script = \"x.wasm\"\n") + kReferenceToml);
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'script' cannot be combined with a [scenario] section in "
            "strest.toml: drop one");
}

TEST(ScenarioFromJson, ReadsTheSchema) {
  auto scenario = scenario_from_json(R"({
    "schema_version": 1,
    "base_url": "http://localhost:3000",
    "steps": [ { "method": "get", "path": "/health", "assert_status": 200 } ]
  })",
                                     "--script s.wasm");
  ASSERT_TRUE(scenario.ok()) << scenario.error();
  EXPECT_EQ(scenario->base_url, "http://localhost:3000");
  ASSERT_EQ(scenario->steps.size(), 1u);
  EXPECT_EQ(scenario->steps[0].assert_status, 200);
  EXPECT_EQ(scenario->steps[0].name, "step 1");
}

TEST(ScenarioFromJson, Errors) {
  auto error_of = [](std::string_view json) {
    auto scenario = scenario_from_json(json, "--script s.wasm");
    EXPECT_FALSE(scenario.ok());
    return scenario.ok() ? "" : scenario.error();
  };
  EXPECT_EQ(error_of(R"({"steps": [{"path": "/"}]})"),
            "--script s.wasm: the scenario JSON needs \"schema_version\": 1");
  EXPECT_EQ(error_of(R"({"schema_version": 2, "steps": [{"path": "/"}]})"),
            "--script s.wasm: \"schema_version\" must be 1, the only version this strest reads");
  EXPECT_EQ(error_of("[1]"), "--script s.wasm: the scenario JSON must be an object");
  EXPECT_EQ(error_of("{").substr(0, 31), "--script s.wasm: invalid JSON: ");
  EXPECT_EQ(error_of(R"({"schema_version": 1, "steps": [{"path": "/", "nam": "x"}]})"),
            "--script s.wasm: unknown key 'scenario.steps[1].nam'; did you mean 'name'?");
}

}  // namespace
}  // namespace strest

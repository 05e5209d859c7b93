#include "dist/control_plane.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <vector>

namespace strest {
namespace {

// Records what reached it and answers as told.
class FakeHandler : public ControlHandler {
 public:
  std::optional<ControlRefusal> start(const StartRequest& request) override {
    std::lock_guard lock(mutex);
    starts.push_back(request);
    return start_refusal;
  }
  std::optional<ControlRefusal> stop() override {
    std::lock_guard lock(mutex);
    ++stops;
    return stop_refusal;
  }
  nlohmann::json status() override {
    std::lock_guard lock(mutex);
    return nlohmann::json{{"state", "idle"},
                          {"agents", nlohmann::json::array({{{"agent_id", "a1"}}})}};
  }

  std::mutex mutex;
  std::vector<StartRequest> starts;
  int stops = 0;
  std::optional<ControlRefusal> start_refusal;
  std::optional<ControlRefusal> stop_refusal;
};

class ControlPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override { listen("secret"); }

  void listen(const std::string& token) {
    plane.reset();
    auto started = ControlPlane::start("127.0.0.1:0", token, handler);
    ASSERT_TRUE(started) << started.error();
    plane = std::move(*started);
    ASSERT_NE(plane->port(), 0);
    client = std::make_unique<httplib::Client>("127.0.0.1", plane->port());
    client->set_connection_timeout(std::chrono::seconds(5));
    client->set_read_timeout(std::chrono::seconds(5));
  }

  static httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  httplib::Result post(const std::string& path, const std::string& body,
                       const std::string& token = "secret") {
    return client->Post(path.c_str(), bearer(token), body, "application/json");
  }

  static std::string error_of(const httplib::Result& result) {
    return nlohmann::json::parse(result->body).at("error").get<std::string>();
  }

  FakeHandler handler;
  std::unique_ptr<ControlPlane> plane;
  std::unique_ptr<httplib::Client> client;
};

TEST_F(ControlPlaneTest, RefusesAMissingTokenWith401) {
  auto result = client->Post("/start", "", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_NE(error_of(result).find("missing token"), std::string::npos);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, RefusesAWrongTokenWith401OnEveryRoute) {
  auto start = post("/start", "", "secreT");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->status, 401);
  EXPECT_NE(error_of(start).find("wrong token"), std::string::npos);
  auto stop = post("/stop", "", "nope");
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->status, 401);
  auto status = client->Get("/status", bearer("secre"));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 401);
  auto basic = client->Get("/status", {{"Authorization", "Basic c2VjcmV0"}});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  EXPECT_TRUE(handler.starts.empty());
  EXPECT_EQ(handler.stops, 0);
}

TEST_F(ControlPlaneTest, EmptyStartWithTheRightTokenIsAccepted) {
  auto result = post("/start", "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_EQ(nlohmann::json::parse(result->body), (nlohmann::json{{"started", true}}));
  ASSERT_EQ(handler.starts.size(), 1u);
  EXPECT_FALSE(handler.starts[0].scenario_name);
  EXPECT_FALSE(handler.starts[0].scenario);
  EXPECT_FALSE(handler.starts[0].start_after);
  EXPECT_FALSE(handler.starts[0].agent_wait_timeout);
}

TEST_F(ControlPlaneTest, StartPassesEveryFieldToTheHandler) {
  auto result = post("/start", R"({"scenario_name": "login", "start_after_ms": 2000,
      "agent_wait_timeout_ms": 30000,
      "scenario": {"base_url": "http://127.0.0.1:8080",
                   "steps": [{"method": "post", "path": "/login", "assert_status": 200}]}})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202) << result->body;
  auto body = nlohmann::json::parse(result->body);
  EXPECT_EQ(body.at("started"), true);
  EXPECT_EQ(body.at("scenario_name"), "login");
  EXPECT_EQ(body.at("start_after_ms"), 2000);
  EXPECT_EQ(body.at("agent_wait_timeout_ms"), 30000);
  ASSERT_EQ(handler.starts.size(), 1u);
  const StartRequest& start = handler.starts[0];
  EXPECT_EQ(start.scenario_name, "login");
  EXPECT_EQ(start.start_after, std::chrono::milliseconds(2000));
  EXPECT_EQ(start.agent_wait_timeout, std::chrono::milliseconds(30000));
  ASSERT_TRUE(start.scenario);
  EXPECT_EQ(start.scenario->base_url, "http://127.0.0.1:8080");
  ASSERT_EQ(start.scenario->steps.size(), 1u);
  EXPECT_EQ(start.scenario->steps[0].method, "POST");
  EXPECT_EQ(start.scenario->steps[0].path, "/login");
  EXPECT_EQ(start.scenario->steps[0].assert_status, 200);
}

TEST_F(ControlPlaneTest, BadJsonIs400) {
  auto result = post("/start", "{\"start_after_ms\": ");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(error_of(result).rfind("/start's payload is not valid JSON: ", 0), 0u)
      << error_of(result);
  auto array = post("/start", "[1]");
  ASSERT_TRUE(array);
  EXPECT_EQ(array->status, 400);
  EXPECT_EQ(error_of(array), "/start's payload must be a JSON object, not an array");
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, UnknownKeyIs400NamingIt) {
  auto result = post("/start", R"({"scenario_nmae": "login"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(error_of(result),
            "unknown key 'scenario_nmae' in /start's payload; did you mean 'scenario_name'?");
  auto far = post("/start", R"({"rate": 5})");
  ASSERT_TRUE(far);
  EXPECT_EQ(far->status, 400);
  EXPECT_EQ(error_of(far),
            "unknown key 'rate' in /start's payload; expected scenario_name, scenario, "
            "start_after_ms or agent_wait_timeout_ms");
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, WrongTypesAre400NamingTheKey) {
  struct Case {
    const char* body;
    const char* error;
  };
  const Case cases[] = {
      {R"({"start_after_ms": "2s"})",
       "key 'start_after_ms' must be a non-negative integer of milliseconds, not a string"},
      {R"({"start_after_ms": -1})",
       "key 'start_after_ms' must be a non-negative integer of milliseconds, not -1"},
      {R"({"start_after_ms": 1.5})",
       "key 'start_after_ms' must be a non-negative integer of milliseconds, not a number with a "
       "fraction"},
      {R"({"agent_wait_timeout_ms": 0})",
       "key 'agent_wait_timeout_ms' must be a positive integer of milliseconds, not 0"},
      {R"({"agent_wait_timeout_ms": 99999999999999})",
       "key 'agent_wait_timeout_ms' must be at most 604800000 (a week)"},
      {R"({"scenario_name": 7})", "key 'scenario_name' must be a non-empty string, not an integer"},
      {R"({"scenario_name": ""})", "key 'scenario_name' must be a non-empty string, not \"\""},
      {R"({"scenario": "login"})",
       "key 'scenario' must be an object (the config file's [scenario] schema), not a string"},
  };
  for (const Case& c : cases) {
    auto result = post("/start", c.body);
    ASSERT_TRUE(result) << c.body;
    EXPECT_EQ(result->status, 400) << c.body;
    EXPECT_EQ(error_of(result), c.error) << c.body;
  }
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, BadScenarioIs400NamingTheKeyInsideIt) {
  auto typo = post("/start", R"({"scenario": {"steps": [{"path": "/", "mehtod": "GET"}]}})");
  ASSERT_TRUE(typo);
  EXPECT_EQ(typo->status, 400);
  EXPECT_EQ(error_of(typo).rfind("unknown key 'scenario.steps[1].mehtod'", 0), 0u)
      << error_of(typo);
  auto empty = post("/start", R"({"scenario": {}})");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_NE(error_of(empty).find("'scenario'"), std::string::npos) << error_of(empty);
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, HandlerRefusalsPassThroughWithTheirStatus) {
  handler.start_refusal = ControlRefusal{409, "a run is going on; POST /stop first"};
  auto busy = post("/start", "{}");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 409);
  EXPECT_EQ(error_of(busy), "a run is going on; POST /stop first");

  handler.start_refusal = ControlRefusal{404, "unknown scenario 'x'; known: login"};
  auto unknown = post("/start", R"({"scenario_name": "x"})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(error_of(unknown), "unknown scenario 'x'; known: login");
  EXPECT_EQ(handler.starts.size(), 2u);
}

TEST_F(ControlPlaneTest, StopAnswers200OrTheRefusal) {
  auto stopped = post("/stop", "");
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->status, 200);
  EXPECT_EQ(nlohmann::json::parse(stopped->body), (nlohmann::json{{"stopped", true}}));
  handler.stop_refusal = ControlRefusal{409, "no run is going on"};
  auto idle = post("/stop", "");
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->status, 409);
  EXPECT_EQ(error_of(idle), "no run is going on");
  EXPECT_EQ(handler.stops, 2);
}

TEST_F(ControlPlaneTest, StatusIsTheHandlersJson) {
  auto result = client->Get("/status", bearer("secret"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(result->body), handler.status());
}

TEST_F(ControlPlaneTest, UnknownRoutesAndMethodsAre404WithAJsonError) {
  auto wrong_method = client->Get("/start", bearer("secret"));
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 404);
  EXPECT_EQ(error_of(wrong_method),
            "GET /start: no such endpoint; the control plane serves POST /start, POST /stop and "
            "GET /status");
  EXPECT_TRUE(handler.starts.empty());
}

TEST_F(ControlPlaneTest, AnEmptyTokenChecksNothing) {
  listen("");
  auto result = client->Post("/start", "", "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_EQ(handler.starts.size(), 1u);
}

TEST_F(ControlPlaneTest, StopEndsServingAndIsIdempotent) {
  plane->stop();
  plane->stop();
  client->set_connection_timeout(std::chrono::seconds(1));
  auto result = client->Get("/status", bearer("secret"));
  EXPECT_FALSE(result);
}

TEST(ControlPlaneStart, BindErrorsNameTheFlag) {
  FakeHandler handler;
  auto first = ControlPlane::start("127.0.0.1:0", "t", handler);
  ASSERT_TRUE(first) << first.error();
  std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = ControlPlane::start(taken, "t", handler);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().rfind("--control-listen " + taken + ": cannot listen there", 0), 0u)
      << second.error();

  auto malformed = ControlPlane::start("localhost", "t", handler);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().rfind("--control-listen: ", 0), 0u) << malformed.error();
}

TEST(ParseStartRequest, WhitespaceIsAnEmptyRequest) {
  auto request = parse_start_request(" \n");
  ASSERT_TRUE(request) << request.error();
  EXPECT_FALSE(request->scenario_name);
  EXPECT_FALSE(request->scenario);
}

}  // namespace
}  // namespace strest

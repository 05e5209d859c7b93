#include "dist/plan_share.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "in_temp_dir_test.h"
#include "plan/validate.h"

namespace strest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Url url_of(const std::string& text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.ok()) << url.error();
  return url.ok() ? *url : Url{};
}

// A plain (one-request) plan with every traffic setting away from its default.
Plan request_plan() {
  Plan plan;
  plan.url = url_of("http://Example.COM:8080/api/items?page=2");
  plan.method = "PUT";
  plan.headers = {{"Accept", "application/json"}, {"X-Bin", std::string("\xff\xfe", 2)}};
  plan.bodies = {"{\"a\":1}", std::string("\x00\x80 binary", 9)};
  plan.send_user_agent = false;
  plan.authorized = true;
  plan.duration = seconds(30);
  plan.max_requests = 6000;
  plan.expected_status = 201;
  plan.timeout = milliseconds(2500);
  plan.connect_timeout = milliseconds(750);
  plan.max_tasks = 60;
  plan.load = LoadProfile{600, {{seconds(5), 1200}, {seconds(10), 300}}};
  plan.spawn_rate = 6;
  plan.spawn_interval = milliseconds(200);
  plan.warmup = seconds(2);
  plan.request_id_header = "X-Request-Id";
  plan.transport.http2 = true;
  plan.transport.streams_per_connection = 20;
  plan.transport.disable_keepalive = true;
  plan.transport.proxy =
      ProxyPlan{"proxy.internal", 3128, "us er", "p@ss", "http://proxy.internal:3128"};
  return plan;
}

// The reference's two-step login flow, with extract rules of every kind and CSV rows.
Plan scenario_plan() {
  Plan plan;
  plan.url = url_of("http://localhost:3000/");
  plan.max_tasks = 4;
  plan.scenario_name = "checkout";
  Scenario scenario;
  scenario.base_url = "http://localhost:3000";
  scenario.vars = {{"tenant", "acme"}, {"greeting", "h\xc3\xa9llo"}};
  scenario.vars_from_csv =
      CsvVars{"users.csv", {"user", "password"}, {{"ann", "a1"}, {"bob", "b,2"}}};
  ScenarioStep login;
  login.name = "login";
  login.method = "POST";
  login.path = "/login";
  login.headers = {"Content-Type: application/json", "X-Tenant: {{tenant}}"};
  login.data = "{\"user\":\"{{user}}\",\"password\":\"{{password}}\"}";
  login.vars = {{"tenant", "acme-login"}};
  login.assert_status = 200;
  login.assert_body_contains = "token";
  login.think_time = milliseconds(150);
  login.extract = {{"token", ExtractRule::Source::kJsonPath, "$.token", "json:$.token"},
                   {"session", ExtractRule::Source::kHeader, "X-Session", "header:X-Session"},
                   {"order", ExtractRule::Source::kRegex, "id=([0-9]+)", "regex:id=([0-9]+)"}};
  ScenarioStep profile;
  profile.name = "profile";
  profile.url = "http://localhost:3000/orders/{{order}}";
  profile.headers = {"Authorization: Bearer {{token}}", "X-Session: {{session}}"};
  scenario.steps = {login, profile};
  plan.scenario = scenario;
  return plan;
}

// Over the wire and back, as the agent receives it.
dist::PlanShare through_wire(const dist::PlanShare& share) {
  std::string bytes;
  EXPECT_TRUE(share.SerializeToString(&bytes));
  dist::PlanShare received;
  EXPECT_TRUE(received.ParseFromString(bytes));
  return received;
}

Plan round_trip(const Plan& plan, const Plan& local = Plan{}) {
  const uint32_t weight = 1;
  auto shares = dist::split_plan(plan, std::span(&weight, 1));
  EXPECT_TRUE(shares.ok()) << shares.error();
  if (!shares.ok()) return Plan{};
  auto rebuilt = dist::plan_from_share(through_wire(shares->at(0)), local);
  EXPECT_TRUE(rebuilt.ok()) << rebuilt.error();
  return rebuilt.ok() ? *rebuilt : Plan{};
}

void expect_same_url(const Url& a, const Url& b) {
  EXPECT_EQ(a.scheme, b.scheme);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.port, b.port);
  EXPECT_EQ(a.target, b.target);
  EXPECT_EQ(a.host_header, b.host_header);
}

void expect_same_scenario(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.base_url, b.base_url);
  EXPECT_EQ(a.vars, b.vars);
  ASSERT_EQ(a.vars_from_csv.has_value(), b.vars_from_csv.has_value());
  if (a.vars_from_csv) {
    EXPECT_EQ(a.vars_from_csv->path, b.vars_from_csv->path);
    EXPECT_EQ(a.vars_from_csv->columns, b.vars_from_csv->columns);
    EXPECT_EQ(a.vars_from_csv->rows, b.vars_from_csv->rows);
  }
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const ScenarioStep& x = a.steps[i];
    const ScenarioStep& y = b.steps[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.method, y.method);
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.url, y.url);
    EXPECT_EQ(x.headers, y.headers);
    EXPECT_EQ(x.data, y.data);
    EXPECT_EQ(x.vars, y.vars);
    EXPECT_EQ(x.assert_status, y.assert_status);
    EXPECT_EQ(x.assert_body_contains, y.assert_body_contains);
    EXPECT_EQ(x.think_time, y.think_time);
    ASSERT_EQ(x.extract.size(), y.extract.size());
    for (size_t j = 0; j < x.extract.size(); ++j) {
      EXPECT_EQ(x.extract[j].var, y.extract[j].var);
      EXPECT_EQ(x.extract[j].source, y.extract[j].source);
      EXPECT_EQ(x.extract[j].expression, y.extract[j].expression);
      EXPECT_EQ(x.extract[j].text, y.extract[j].text);
    }
  }
}

// Every traffic field of the Plan.
void expect_same_traffic(const Plan& a, const Plan& b) {
  expect_same_url(a.url, b.url);
  EXPECT_EQ(a.method, b.method);
  ASSERT_EQ(a.headers.size(), b.headers.size());
  for (size_t i = 0; i < a.headers.size(); ++i) {
    EXPECT_EQ(a.headers[i].name, b.headers[i].name);
    EXPECT_EQ(a.headers[i].value, b.headers[i].value);
  }
  EXPECT_EQ(a.bodies, b.bodies);
  EXPECT_EQ(a.send_user_agent, b.send_user_agent);
  EXPECT_EQ(a.authorized, b.authorized);
  EXPECT_EQ(a.duration, b.duration);
  EXPECT_EQ(a.max_requests, b.max_requests);
  EXPECT_EQ(a.expected_status, b.expected_status);
  EXPECT_EQ(a.timeout, b.timeout);
  EXPECT_EQ(a.connect_timeout, b.connect_timeout);
  EXPECT_EQ(a.max_tasks, b.max_tasks);
  ASSERT_EQ(a.load.has_value(), b.load.has_value());
  if (a.load) {
    EXPECT_EQ(a.load->start_rps, b.load->start_rps);
    ASSERT_EQ(a.load->stages.size(), b.load->stages.size());
    for (size_t i = 0; i < a.load->stages.size(); ++i) {
      EXPECT_EQ(a.load->stages[i].duration, b.load->stages[i].duration);
      EXPECT_EQ(a.load->stages[i].target_rps, b.load->stages[i].target_rps);
    }
  }
  EXPECT_EQ(a.spawn_rate, b.spawn_rate);
  EXPECT_EQ(a.spawn_interval, b.spawn_interval);
  EXPECT_EQ(a.warmup, b.warmup);
  ASSERT_EQ(a.scenario.has_value(), b.scenario.has_value());
  if (a.scenario) expect_same_scenario(*a.scenario, *b.scenario);
  EXPECT_EQ(a.scenario_name, b.scenario_name);
  EXPECT_EQ(a.script, b.script);
  EXPECT_EQ(a.request_id_header, b.request_id_header);
  const TransportPlan& x = a.transport;
  const TransportPlan& y = b.transport;
  EXPECT_EQ(x.insecure, y.insecure);
  EXPECT_EQ(x.cacert, y.cacert);
  EXPECT_EQ(x.cert, y.cert);
  EXPECT_EQ(x.key, y.key);
  EXPECT_EQ(x.tls_min, y.tls_min);
  EXPECT_EQ(x.tls_max, y.tls_max);
  EXPECT_EQ(x.alpn, y.alpn);
  EXPECT_EQ(x.http2, y.http2);
  EXPECT_EQ(x.http3, y.http3);
  EXPECT_EQ(x.streams_per_connection, y.streams_per_connection);
  ASSERT_EQ(x.proxy.has_value(), y.proxy.has_value());
  if (x.proxy) {
    EXPECT_EQ(x.proxy->host, y.proxy->host);
    EXPECT_EQ(x.proxy->port, y.proxy->port);
    EXPECT_EQ(x.proxy->user, y.proxy->user);
    EXPECT_EQ(x.proxy->password, y.proxy->password);
    EXPECT_EQ(x.proxy->text, y.proxy->text);
  }
  EXPECT_EQ(x.unix_socket, y.unix_socket);
  EXPECT_EQ(x.disable_keepalive, y.disable_keepalive);
}

TEST(PlanShare, RequestPlanRoundTripsThroughOneShare) {
  const Plan plan = request_plan();
  ASSERT_TRUE(validate(plan).ok()) << validate(plan).error();
  expect_same_traffic(plan, round_trip(plan));
}

TEST(PlanShare, ScenarioWithExtractRulesAndCsvRowsRoundTrips) {
  const Plan plan = scenario_plan();
  ASSERT_TRUE(validate(plan).ok()) << validate(plan).error();
  expect_same_traffic(plan, round_trip(plan));
}

TEST(PlanShare, HttpsTransportRoundTrips) {
  Plan plan;
  plan.url = url_of("https://[::1]:8443/");
  plan.transport.insecure = true;
  plan.transport.cert = "/etc/strest/client.pem";
  plan.transport.key = "/etc/strest/client.key";
  plan.transport.tls_min = 12;
  plan.transport.tls_max = 13;
  plan.transport.alpn = {"h2", "http/1.1"};
  plan.transport.http2 = true;
  plan.script = "flow.wasm";
  ASSERT_TRUE(validate(plan).ok()) << validate(plan).error();
  expect_same_traffic(plan, round_trip(plan));
}

class PlanShareUnixSocket : public InTempDirTest {};

TEST_F(PlanShareUnixSocket, UnixSocketRoundTrips) {
  const std::string path = (dir_ / "target.sock").string();
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  Plan plan;
  plan.url = url_of("http://localhost/health");
  plan.transport.unix_socket = path;
  ASSERT_TRUE(validate(plan).ok()) << validate(plan).error();
  expect_same_traffic(plan, round_trip(plan));
  close(fd);
}

TEST(PlanShare, TlsSettingsForCleartextRunsStayOnTheController) {
  // A config's TLS keys only warn for an http:// run; the agent must not refuse them as flags.
  Plan plan;
  plan.url = url_of("http://localhost:8080/");
  plan.transport.cacert = "ca.pem";
  plan.transport.tls_min = 12;
  plan.transport.alpn = {"h2"};
  const Plan rebuilt = round_trip(plan);
  EXPECT_TRUE(rebuilt.transport.cacert.empty());
  EXPECT_EQ(rebuilt.transport.tls_min, 0);
  EXPECT_TRUE(rebuilt.transport.alpn.empty());
}

TEST(PlanShare, AgentKeepsItsLocalSettingsAndNoOutputs) {
  Plan local;
  local.threads = 8;
  local.tmp_path = "/var/tmp/strest";
  local.keep_tmp = true;
  local.log_shards = 4;
  local.verbose = true;
  local.output_path = "ignored.json";
  Plan plan = request_plan();
  plan.max_tasks = 3;
  plan.output_path = "out.json";
  plan.export_csv = "requests.csv";
  plan.thresholds = {};
  const uint32_t weights[] = {1, 2};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_TRUE(shares.ok()) << shares.error();
  auto rebuilt = dist::plan_from_share(shares->at(1), local);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.error();
  EXPECT_EQ(rebuilt->max_tasks, 2u);
  EXPECT_EQ(rebuilt->threads, 2u);  // never more threads than its connections
  EXPECT_EQ(rebuilt->tmp_path, "/var/tmp/strest");
  EXPECT_TRUE(rebuilt->keep_tmp);
  EXPECT_TRUE(rebuilt->run_log);
  EXPECT_EQ(rebuilt->log_shards, 4u);
  EXPECT_TRUE(rebuilt->verbose);
  EXPECT_TRUE(rebuilt->no_tui);
  EXPECT_FALSE(rebuilt->output_path);
  EXPECT_FALSE(rebuilt->export_csv);
  EXPECT_FALSE(rebuilt->distributed);
}

TEST(SplitPlan, WeightsOneTwoThreeSplitConnectionsAndRate) {
  Plan plan = request_plan();
  plan.max_tasks = 60;
  plan.load = LoadProfile{600, {{seconds(10), 1200}}};
  plan.spawn_rate = 6;
  const uint32_t weights[] = {1, 2, 3};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_TRUE(shares.ok()) << shares.error();
  ASSERT_EQ(shares->size(), 3u);
  const uint32_t connections[] = {10, 20, 30};
  const double rates[] = {100, 200, 300};
  const uint32_t ramps[] = {1, 2, 3};
  for (size_t i = 0; i < 3; ++i) {
    const dist::PlanShare& share = shares->at(i);
    EXPECT_EQ(share.max_tasks(), connections[i]);
    EXPECT_EQ(share.load().start_rps(), rates[i]);
    ASSERT_EQ(share.load().stages_size(), 1);
    EXPECT_EQ(share.load().stages(0).target_rps(), 2 * rates[i]);
    EXPECT_EQ(share.load().stages(0).duration_us(), 10'000'000);
    EXPECT_EQ(share.spawn_rate(), ramps[i]);
    EXPECT_EQ(share.url(), "http://Example.COM:8080/api/items?page=2");  // copied as it was
    EXPECT_EQ(share.method(), "PUT");
  }
}

TEST(SplitPlan, RequestBudgetsSumExactly) {
  Plan plan = request_plan();
  for (uint64_t budget : {6000u, 1001u, 7u, 3u}) {
    plan.max_requests = budget;
    const uint32_t weights[] = {1, 2, 3};
    auto shares = dist::split_plan(plan, weights);
    ASSERT_TRUE(shares.ok()) << shares.error();
    uint64_t sum = 0;
    for (const dist::PlanShare& share : *shares) {
      EXPECT_GE(share.max_requests(), 1u) << "budget " << budget;
      sum += share.max_requests();
    }
    EXPECT_EQ(sum, budget);
  }
  plan.max_requests = 1001;
  const uint32_t weights[] = {1, 2, 3};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_TRUE(shares.ok());
  // 166.83, 333.67, 500.5: floors 166 333 500 leave two; the largest remainders take them.
  EXPECT_EQ(shares->at(0).max_requests(), 167u);
  EXPECT_EQ(shares->at(1).max_requests(), 334u);
  EXPECT_EQ(shares->at(2).max_requests(), 500u);
}

TEST(SplitPlan, EveryAgentGetsAConnectionAndTheSumStaysExact) {
  Plan plan = request_plan();
  plan.max_tasks = 10;
  const uint32_t weights[] = {1, 100, 1};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_TRUE(shares.ok()) << shares.error();
  EXPECT_EQ(shares->at(0).max_tasks(), 1u);
  EXPECT_EQ(shares->at(1).max_tasks(), 8u);
  EXPECT_EQ(shares->at(2).max_tasks(), 1u);
}

TEST(SplitPlan, FewerConnectionsThanAgentsIsRefused) {
  Plan plan = request_plan();
  plan.max_tasks = 2;
  const uint32_t weights[] = {1, 1, 1};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_FALSE(shares.ok());
  EXPECT_EQ(shares.error(),
            "--max-tasks 2 is fewer than the 3 agents: each agent needs a connection; raise "
            "--max-tasks to at least 3 or run fewer agents");
}

TEST(SplitPlan, FewerRequestsThanAgentsIsRefused) {
  Plan plan = request_plan();
  plan.max_requests = 2;
  const uint32_t weights[] = {1, 1, 1};
  auto shares = dist::split_plan(plan, weights);
  ASSERT_FALSE(shares.ok());
  EXPECT_EQ(shares.error(),
            "--requests 2 is fewer than the 3 agents: each agent needs a request; raise "
            "--requests to at least 3 or run fewer agents");
}

TEST(SplitPlan, NoAgentsOrAZeroWeightIsRefused) {
  const Plan plan = request_plan();
  EXPECT_FALSE(dist::split_plan(plan, {}).ok());
  const uint32_t weights[] = {1, 0};
  EXPECT_FALSE(dist::split_plan(plan, weights).ok());
}

TEST(PlanFromShare, AShareFailingValidationIsRefusedWithTheValidatorsMessage) {
  const uint32_t weight = 1;
  auto shares = dist::split_plan(request_plan(), std::span(&weight, 1));
  ASSERT_TRUE(shares.ok());
  dist::PlanShare share = shares->at(0);
  share.set_expected_status(42);
  Plan same = request_plan();
  same.expected_status = 42;
  const Status expected = validate(same);
  ASSERT_FALSE(expected.ok());
  auto rebuilt = dist::plan_from_share(share, Plan{});
  ASSERT_FALSE(rebuilt.ok());
  EXPECT_EQ(rebuilt.error(), expected.error());
  EXPECT_EQ(rebuilt.error(), "--status must be between 100 and 999 (got 42)");
}

TEST(PlanFromShare, ABadUrlOrExtractSourceIsRefused) {
  dist::PlanShare share;
  share.set_url("ftp://example.com/");
  share.set_max_tasks(1);
  auto rebuilt = dist::plan_from_share(share, Plan{});
  ASSERT_FALSE(rebuilt.ok());
  EXPECT_NE(rebuilt.error().find("unsupported scheme 'ftp'"), std::string::npos) << rebuilt.error();

  const uint32_t weight = 1;
  auto shares = dist::split_plan(scenario_plan(), std::span(&weight, 1));
  ASSERT_TRUE(shares.ok());
  dist::PlanShare scenario_share = shares->at(0);
  scenario_share.mutable_scenario()->mutable_steps(0)->mutable_extract(0)->set_source(
      static_cast<dist::ExtractRule::Source>(7));
  rebuilt = dist::plan_from_share(scenario_share, Plan{});
  ASSERT_FALSE(rebuilt.ok());
  EXPECT_NE(rebuilt.error().find("extract rule 'json:$.token'"), std::string::npos)
      << rebuilt.error();
}

}  // namespace
}  // namespace strest

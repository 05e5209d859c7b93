#include "report/agent_summary.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "report/summary_json.h"
#include "report/summary_text.h"

namespace strest {
namespace {

using nlohmann::json;

// A controller's run: two agents finished, one was lost 4.5 s in, one could not start.
RunResult controller_run() {
  RunResult run;
  run.target = "http://127.0.0.1:8080/";
  run.wall = std::chrono::microseconds(10'000'000);
  run.totals.ok = 59'990;
  run.totals.non_expected_status = 10;
  run.totals.latency_all.record_n(500, 60'000);
  run.totals.latency_ok.record_n(500, 59'990);
  AgentReport one;
  one.agent_id = "agent-1";
  one.weight = 1;
  one.requests = 10'000;
  one.errors = 0;
  one.joined_us = -1'250'000;
  AgentReport two;
  two.agent_id = "rack-b-loadgen-02";
  two.weight = 2;
  two.requests = 20'000;
  two.errors = 10;
  two.joined_us = -250'000;
  AgentReport three;
  three.agent_id = "agent-3";
  three.weight = 3;
  three.requests = 13'500;
  three.errors = 0;
  three.health = "dropped";
  three.joined_us = -125'000;
  three.dropped_us = 4'500'000;
  three.note = "no heartbeat for 3000 ms";
  AgentReport four;
  four.agent_id = "agent-4";
  four.health = "failed";
  four.joined_us = -100'000;
  four.note = "--unix-socket: '/run/app.sock' does not exist: start the server or fix the path";
  run.agents = {one, two, three, four};
  return run;
}

std::string render(const RunResult& run, bool color = false) {
  std::ostringstream out;
  write_summary_text(run, Plan{}, out, color);
  return out.str();
}

// The line that starts (after indentation) with `label`, or "" when there is none.
std::string line_starting(const std::string& text, const std::string& label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, label.size(), label) == 0) return line;
  }
  return "";
}

TEST(AgentSummaryText, OneRowPerAgentInJoinOrder) {
  const std::string text = render(controller_run());
  ASSERT_NE(text.find("\nAgents\n"), std::string::npos) << text;
  EXPECT_EQ(line_starting(text, "Agent "),
            "  Agent                  weight  requests    errors  health     joined s dropped s  "
            "note");
  EXPECT_EQ(line_starting(text, "agent-1"),
            "  agent-1                     1    10,000         0  healthy      -1.250         -");
  EXPECT_EQ(line_starting(text, "rack-b-loadgen-02"),
            "  rack-b-loadgen-02           2    20,000        10  healthy      -0.250         -");
  EXPECT_EQ(line_starting(text, "agent-3"),
            "  agent-3                     3    13,500         0  dropped      -0.125     4.500  "
            "no heartbeat for 3000 ms");
  EXPECT_EQ(line_starting(text, "agent-4"),
            "  agent-4                     1         0         0  failed       -0.100         -  "
            "--unix-socket: '/run/app.sock' does not exist: start the server or fix the path");
  EXPECT_LT(text.find("agent-1"), text.find("rack-b-loadgen-02"));
  EXPECT_LT(text.find("rack-b-loadgen-02"), text.find("agent-3"));
}

TEST(AgentSummaryText, AfterRequestsBeforeConnectionsAndNoneWithoutAgents) {
  RunResult run = controller_run();
  const std::string text = render(run);
  EXPECT_LT(text.find("\nRequests\n"), text.find("\nAgents\n"));
  EXPECT_LT(text.find("\nAgents\n"), text.find("\nThroughput\n"));
  run.agents.clear();
  EXPECT_EQ(render(run).find("Agents"), std::string::npos);
}

TEST(AgentSummaryText, HealthIsPaintedOnlyWithColour) {
  const std::string plain = render(controller_run(), false);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const std::string colored = render(controller_run(), true);
  const std::string row = line_starting(colored, "agent-3");
  EXPECT_NE(row.find("\x1b["), std::string::npos) << row;
  EXPECT_NE(row.find("dropped"), std::string::npos);
}

TEST(AgentSummaryJson, EveryAgentWithItsFields) {
  const json j = summary_json(controller_run(), Plan{});
  ASSERT_TRUE(j.contains("agents"));
  const json& agents = j["agents"];
  ASSERT_EQ(agents.size(), 4u);
  EXPECT_EQ(agents[0], json({{"agent_id", "agent-1"},
                             {"weight", 1},
                             {"requests", 10'000},
                             {"errors", 0},
                             {"health", "healthy"},
                             {"joined_ms", -1250.0},
                             {"dropped_ms", nullptr},
                             {"note", ""}}));
  EXPECT_EQ(agents[1]["agent_id"], "rack-b-loadgen-02");
  EXPECT_EQ(agents[1]["weight"], 2);
  EXPECT_EQ(agents[1]["errors"], 10);
  EXPECT_EQ(agents[2]["health"], "dropped");
  EXPECT_EQ(agents[2]["dropped_ms"], 4500.0);
  EXPECT_EQ(agents[2]["requests"], 13'500);
  EXPECT_EQ(agents[2]["note"], "no heartbeat for 3000 ms");
  EXPECT_EQ(agents[3]["health"], "failed");
  EXPECT_TRUE(agents[3]["dropped_ms"].is_null());
}

TEST(AgentSummaryJson, NoAgentsKeyWithoutAgents) {
  RunResult run = controller_run();
  run.agents.clear();
  EXPECT_FALSE(summary_json(run, Plan{}).contains("agents"));
}

}  // namespace
}  // namespace strest

// Distributed runs from flags, [distributed] and the environment: what lands in
// Plan::distributed, and the one-line errors for settings that do not combine.
#include <gtest/gtest.h>

#include "cli/command_line.h"
#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using Role = DistributedPlan::Role;
using Mode = DistributedPlan::ControllerMode;
using Millis = DistributedPlan::Millis;

class CommandLineDistributedTest : public CommandLineFixture {
 protected:
  // No token leaks in from the shell running the tests.
  EnvVarGuard auth_{"STREST_AUTH_TOKEN", std::nullopt};
  EnvVarGuard control_{"STREST_CONTROL_AUTH_TOKEN", std::nullopt};

  static DistributedPlan dist_of(std::vector<std::string> args) {
    Plan plan = command_of(std::move(args), ParsedCommand::Mode::kRun).plan;
    EXPECT_TRUE(plan.distributed.has_value());
    return plan.distributed.value_or(DistributedPlan{});
  }
};

TEST_F(CommandLineDistributedTest, NoRoleNoDistributedPlan) {
  EXPECT_FALSE(command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun).plan.distributed);
}

TEST_F(CommandLineDistributedTest, ControllerDefaults) {
  const DistributedPlan dist =
      dist_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/"});
  EXPECT_EQ(dist.role, Role::kController);
  EXPECT_EQ(dist.listen, "127.0.0.1:9009");
  EXPECT_EQ(dist.mode, Mode::kAuto);
  EXPECT_EQ(dist.min_agents, 1u);
  EXPECT_FALSE(dist.agent_wait_timeout);
  EXPECT_EQ(dist.heartbeat_timeout, Millis(3000));
  EXPECT_FALSE(dist.stream_summaries);
  EXPECT_EQ(dist.stream_interval, Millis(1000));
  EXPECT_EQ(dist.auth_token, "");
  EXPECT_EQ(dist.tls_cert, "");
}

TEST_F(CommandLineDistributedTest, EveryControllerFlag) {
  const DistributedPlan dist = dist_of({"--controller-listen",
                                        "0.0.0.0:9009",
                                        "--auth-token",
                                        "secret",
                                        "--controller-mode",
                                        "manual",
                                        "--control-listen",
                                        "0.0.0.0:9010",
                                        "--control-auth-token",
                                        "ctl",
                                        "--min-agents",
                                        "3",
                                        "--agent-wait-timeout-ms",
                                        "30000",
                                        "--agent-heartbeat-timeout-ms",
                                        "5000",
                                        "--stream-summaries",
                                        "--stream-interval-ms",
                                        "250",
                                        "--dist-cert",
                                        "/c.pem",
                                        "--dist-key",
                                        "/k.pem",
                                        "--dist-cacert",
                                        "/ca.pem"});
  EXPECT_EQ(dist.listen, "0.0.0.0:9009");
  EXPECT_EQ(dist.auth_token, "secret");
  EXPECT_EQ(dist.mode, Mode::kManual);
  EXPECT_EQ(dist.control_listen, "0.0.0.0:9010");
  EXPECT_EQ(dist.control_auth_token, "ctl");
  EXPECT_EQ(dist.min_agents, 3u);
  EXPECT_EQ(dist.agent_wait_timeout, Millis(30000));
  EXPECT_EQ(dist.heartbeat_timeout, Millis(5000));
  EXPECT_TRUE(dist.stream_summaries);
  EXPECT_EQ(dist.stream_interval, Millis(250));
  EXPECT_EQ(dist.tls_cert, "/c.pem");
  EXPECT_EQ(dist.tls_key, "/k.pem");
  EXPECT_EQ(dist.tls_ca, "/ca.pem");
}

TEST_F(CommandLineDistributedTest, EveryAgentFlag) {
  const DistributedPlan dist =
      dist_of({"--agent-join", "10.0.0.5:9009", "--auth-token", "secret", "--agent-weight", "2",
               "--agent-id", "agent-1", "--agent-standby", "--agent-reconnect-ms", "500",
               "--agent-heartbeat-interval-ms", "200"});
  EXPECT_EQ(dist.role, Role::kAgent);
  EXPECT_EQ(dist.join, "10.0.0.5:9009");
  EXPECT_EQ(dist.auth_token, "secret");
  EXPECT_EQ(dist.weight, 2u);
  EXPECT_EQ(dist.agent_id, "agent-1");
  EXPECT_TRUE(dist.standby);
  EXPECT_EQ(dist.reconnect, Millis(500));
  EXPECT_EQ(dist.heartbeat_interval, Millis(200));
}

TEST_F(CommandLineDistributedTest, AgentDefaultsAndNoUrl) {
  const DistributedPlan dist = dist_of({"--agent-join", "127.0.0.1:9009"});
  EXPECT_EQ(dist.weight, 1u);
  EXPECT_FALSE(dist.standby);
  EXPECT_EQ(dist.reconnect, Millis(1000));
  EXPECT_EQ(dist.heartbeat_interval, Millis(1000));
}

TEST_F(CommandLineDistributedTest, ManualControllerNeedsNoUrl) {
  const DistributedPlan dist =
      dist_of({"--controller-listen", "127.0.0.1:9009", "--controller-mode", "manual",
               "--control-listen", "127.0.0.1:9010"});
  EXPECT_EQ(dist.mode, Mode::kManual);
}

TEST_F(CommandLineDistributedTest, ControllerWithAScriptOrScenario) {
  write("strest.toml", "[scenario]\nbase_url = \"http://h/\"\n[[scenario.steps]]\npath = \"/a\"\n");
  EXPECT_EQ(dist_of({"--controller-listen", "127.0.0.1:9009"}).role, Role::kController);
}

TEST_F(CommandLineDistributedTest, ControllerConfigTable) {
  write("strest.toml",
        "[distributed]\nrole = \"controller\"\nlisten = \"0.0.0.0:9009\"\nauth_token = "
        "\"secret\"\nmin_agents = 2\nagent_wait_timeout_ms = 30000\nagent_heartbeat_timeout_ms = "
        "4000\nstream_summaries = true\nstream_interval_ms = 500\ncontroller_mode = \"manual\"\n"
        "control_listen = \"127.0.0.1:9010\"\ncontrol_auth_token = \"ctl\"\ntls_cert = "
        "\"/c\"\ntls_key = \"/k\"\ntls_ca = \"/ca\"\n");
  const DistributedPlan dist = dist_of({});
  EXPECT_EQ(dist.role, Role::kController);
  EXPECT_EQ(dist.listen, "0.0.0.0:9009");
  EXPECT_EQ(dist.auth_token, "secret");
  EXPECT_EQ(dist.min_agents, 2u);
  EXPECT_EQ(dist.agent_wait_timeout, Millis(30000));
  EXPECT_EQ(dist.heartbeat_timeout, Millis(4000));
  EXPECT_TRUE(dist.stream_summaries);
  EXPECT_EQ(dist.stream_interval, Millis(500));
  EXPECT_EQ(dist.mode, Mode::kManual);
  EXPECT_EQ(dist.control_listen, "127.0.0.1:9010");
  EXPECT_EQ(dist.control_auth_token, "ctl");
  EXPECT_EQ(dist.tls_cert, "/c");
  EXPECT_EQ(dist.tls_key, "/k");
  EXPECT_EQ(dist.tls_ca, "/ca");
}

TEST_F(CommandLineDistributedTest, AgentConfigTableAndFlagsWin) {
  write("strest.toml",
        "[distributed]\nrole = \"agent\"\njoin = \"10.0.0.5:9009\"\nauth_token = \"secret\"\n"
        "agent_id = \"agent-1\"\nweight = 2\nagent_heartbeat_interval_ms = 700\nagent_standby = "
        "true\nagent_reconnect_ms = 300\n");
  DistributedPlan dist = dist_of({});
  EXPECT_EQ(dist.join, "10.0.0.5:9009");
  EXPECT_EQ(dist.agent_id, "agent-1");
  EXPECT_EQ(dist.weight, 2u);
  EXPECT_EQ(dist.heartbeat_interval, Millis(700));
  EXPECT_TRUE(dist.standby);
  EXPECT_EQ(dist.reconnect, Millis(300));
  dist = dist_of({"--agent-weight", "5", "--auth-token", "flag"});
  EXPECT_EQ(dist.weight, 5u);
  EXPECT_EQ(dist.auth_token, "flag");
}

TEST_F(CommandLineDistributedTest, TokensFromTheEnvironment) {
  EnvVarGuard auth("STREST_AUTH_TOKEN", "from-env");
  EnvVarGuard control("STREST_CONTROL_AUTH_TOKEN", "ctl-env");
  DistributedPlan dist = dist_of({"--controller-listen", "0.0.0.0:9009", "--controller-mode",
                                  "manual", "--control-listen", "0.0.0.0:9010"});
  EXPECT_EQ(dist.auth_token, "from-env");
  EXPECT_EQ(dist.control_auth_token, "ctl-env");
  dist = dist_of({"--agent-join", "h:1", "--auth-token", "flag"});
  EXPECT_EQ(dist.auth_token, "flag");  // the flag wins
  write("strest.toml", "[distributed]\nauth_token = \"file\"\n");
  EXPECT_EQ(dist_of({"--agent-join", "h:1"}).auth_token, "from-env");  // env over the file
}

TEST_F(CommandLineDistributedTest, RoleErrors) {
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:1", "--agent-join", "h:1"}),
            "--controller-listen and --agent-join exclude each other: a process is a controller "
            "or an agent, pass one");
  write("strest.toml", "[distributed]\nrole = \"agent\"\nlisten = \"127.0.0.1:9009\"\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'distributed.role' = \"agent\" disagrees with strest.toml: key "
            "'distributed.listen': set role = \"controller\" or drop the listen address");
  write("strest.toml", "[distributed]\nrole = \"controller\"\n");
  EXPECT_EQ(error_of({"--agent-join", "h:1"}),
            "strest.toml: key 'distributed.role' = \"controller\" disagrees with --agent-join: "
            "set role = \"agent\" or drop the join address");
}

TEST_F(CommandLineDistributedTest, ValueErrors) {
  EXPECT_EQ(error_of({"--controller-listen", "9009"}),
            "--controller-listen: expected HOST:PORT such as 127.0.0.1:8080 (got '9009')");
  EXPECT_EQ(error_of({"--agent-join", "h:0"}),
            "--agent-join: port 0 is no controller's port: give the port the controller listens "
            "on, e.g. 10.0.0.5:9009");
  EXPECT_EQ(error_of({"--controller-mode", "auto-ish"}),
            "--controller-mode must be auto or manual (got 'auto-ish')");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--agent-weight", "0"}),
            "--agent-weight must be at least 1 (got 0)");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:1", "--min-agents", "0"}),
            "--min-agents must be at least 1 (got 0)");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--auth-token", "a b"}),
            "--auth-token must be a non-empty token without spaces or control characters");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--agent-reconnect-ms", "x"}),
            "--agent-reconnect-ms: 'x' is not a whole number");
}

TEST_F(CommandLineDistributedTest, ControllerErrors) {
  EXPECT_EQ(error_of({"--controller-listen", "0.0.0.0:9009", "-u", "http://h/"}),
            "--controller-listen 0.0.0.0:9009 is not loopback: set --auth-token (or "
            "STREST_AUTH_TOKEN) so only your agents can join");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009"}),
            "no target URL: a controller in auto mode needs --url or a scenario to send its "
            "agents (or --controller-mode manual, to start runs with POST /start)");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "--controller-mode", "manual"}),
            "--controller-mode manual needs --control-listen HOST:PORT, where POST /start and "
            "POST /stop are served");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "--controller-mode", "manual",
                      "--control-listen", "0.0.0.0:9010"}),
            "--control-listen 0.0.0.0:9010 is not loopback: set --control-auth-token (or "
            "STREST_CONTROL_AUTH_TOKEN)");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/",
                      "--control-listen", "127.0.0.1:9010"}),
            "--control-listen needs --controller-mode manual: an auto controller starts when its "
            "agents have joined");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/",
                      "--stream-interval-ms", "100"}),
            "--stream-interval-ms needs --stream-summaries (without it agents report once, at "
            "the end)");
  EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/", "--dist-cert",
                      "/c.pem"}),
            "--dist-cert needs --dist-key, the certificate's private key");
  EXPECT_EQ(
      error_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/", "--agent-weight", "2"}),
      "--agent-weight configures an agent (--agent-join), not a controller: drop it");
}

TEST_F(CommandLineDistributedTest, ControllerRefusesPerRequestOutputs) {
  for (const char* flag : {"--export-csv", "--export-json", "--export-jsonl", "--db-url"}) {
    EXPECT_EQ(error_of({"--controller-listen", "127.0.0.1:9009", "-u", "http://h/", flag, "out.x"}),
              std::string(flag) +
                  " does not apply to a controller: it sends no requests, and every request's "
                  "record stays in its agent's run log; drop it");
  }
}

TEST_F(CommandLineDistributedTest, AgentRefusesTrafficSettings) {
  for (std::vector<std::string> args : {std::vector<std::string>{"-u", "http://h/"},
                                        {"-X", "POST"},
                                        {"-H", "A: b"},
                                        {"-d", "x"},
                                        {"--rate", "5"},
                                        {"-m", "3"},
                                        {"-t", "5s"},
                                        {"--requests", "9"},
                                        {"--scenario", "x"},
                                        {"--script", "/x.wasm"}}) {
    const std::string flag = args.front();
    args.insert(args.begin(), {"--agent-join", "h:1"});
    EXPECT_NE(error_of(args).find(" does not apply to an agent: its controller sends the "
                                  "target, the scenario and the load; give it to the controller"),
              std::string::npos)
        << flag;
  }
  EXPECT_EQ(error_of({"--agent-join", "h:1", "-m", "3"}).substr(0, 11), "--max-tasks");
  write("strest.toml", "rate = 5\n");
  EXPECT_EQ(error_of({"--agent-join", "h:1"}),
            "strest.toml: key 'rate' does not apply to an agent: its controller sends the target, "
            "the scenario and the load; give it to the controller");
  write("strest.toml", "[scenario]\n[[scenario.steps]]\npath = \"/a\"\n");
  EXPECT_EQ(error_of({"--agent-join", "h:1"}),
            "strest.toml: [scenario] and [scenarios] do not apply to an agent: its controller "
            "sends the scenario; give them to the controller");
}

TEST_F(CommandLineDistributedTest, AgentErrors) {
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--min-agents", "2"}),
            "--min-agents configures a controller (--controller-listen), not an agent: drop it");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--agent-reconnect-ms", "100"}),
            "--agent-reconnect-ms needs --agent-standby (without it an agent exits when its "
            "controller goes)");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--dist-key", "/k.pem"}),
            "--dist-key needs --dist-cert, the certificate it belongs to");
}

TEST_F(CommandLineDistributedTest, RoleFlagsWithoutARole) {
  for (const char* flag :
       {"--controller-mode", "--control-listen", "--control-auth-token", "--min-agents",
        "--agent-wait-timeout-ms", "--agent-heartbeat-timeout-ms", "--stream-interval-ms"}) {
    const std::string value = std::string(flag) == "--controller-mode" ? "manual"
                              : std::string(flag).find("listen") != std::string::npos
                                  ? "127.0.0.1:1"
                              : std::string(flag).find("token") != std::string::npos ? "t"
                                                                                     : "5";
    EXPECT_EQ(error_of({"-u", "http://h/", flag, value}),
              std::string(flag) +
                  " configures a controller: add --controller-listen HOST:PORT "
                  "(or drop it)");
  }
  EXPECT_EQ(error_of({"-u", "http://h/", "--stream-summaries"}),
            "--stream-summaries configures a controller: add --controller-listen HOST:PORT (or "
            "drop it)");
  for (const char* flag :
       {"--agent-weight", "--agent-reconnect-ms", "--agent-heartbeat-interval-ms"}) {
    EXPECT_EQ(error_of({"-u", "http://h/", flag, "5"}),
              std::string(flag) + " configures an agent: add --agent-join HOST:PORT (or drop it)");
  }
  EXPECT_EQ(error_of({"-u", "http://h/", "--agent-id", "a"}),
            "--agent-id configures an agent: add --agent-join HOST:PORT (or drop it)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--agent-standby"}),
            "--agent-standby configures an agent: add --agent-join HOST:PORT (or drop it)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--auth-token", "t"}),
            "--auth-token is for distributed runs: add --controller-listen HOST:PORT or "
            "--agent-join HOST:PORT (or drop it)");
  write("strest.toml", "[distributed]\nmin_agents = 2\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'distributed.min_agents' configures a controller: add "
            "--controller-listen HOST:PORT (or drop it)");
}

TEST_F(CommandLineDistributedTest, TokenInEnvironmentWithoutARoleIsIgnored) {
  EnvVarGuard auth("STREST_AUTH_TOKEN", "t");
  EXPECT_FALSE(command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun).plan.distributed);
}

TEST_F(CommandLineDistributedTest, DemoRefusesARole) {
  EXPECT_EQ(error_of({"demo", "--agent-join", "h:1"}),
            "--agent-join does not apply to 'strest demo', which runs on this machine alone");
}

TEST_F(CommandLineDistributedTest, ReplayRefusesARole) {
  EXPECT_EQ(error_of({"--replay", "--agent-join", "h:1"}),
            "--agent-join does not apply to --replay, which sends nothing");
}

// --install-service / --uninstall-service: the command main runs.
TEST_F(CommandLineDistributedTest, InstallServiceCommand) {
  const ParsedCommand command = command_of({"--agent-join", "10.0.0.5:9009", "--auth-token", "s",
                                            "--install-service", "--agent-standby"},
                                           ParsedCommand::Mode::kService);
  const ServiceRequest& service = command.service;
  EXPECT_EQ(service.action, ServiceRequest::Action::kInstall);
  EXPECT_EQ(service.name, "strest-agent");
  EXPECT_FALSE(service.dry_run);
  EXPECT_EQ(service.args, (std::vector<std::string>{"--agent-join", "10.0.0.5:9009", "--auth-token",
                                                    "s", "--agent-standby"}));
  EXPECT_EQ(service.exec_path, running_binary_path());
  EXPECT_EQ(service.working_directory, std::filesystem::current_path().string());
  EXPECT_TRUE(service.tokens_from_environment.empty());
}

TEST_F(CommandLineDistributedTest, InstallServiceNamesAndEnvTokens) {
  EnvVarGuard auth("STREST_AUTH_TOKEN", "e");
  const ParsedCommand command =
      command_of({"--controller-listen", "0.0.0.0:9009", "-u", "http://h/", "--install-service",
                  "--service-name", "lt", "--dry-run"},
                 ParsedCommand::Mode::kService);
  EXPECT_EQ(command.service.name, "lt");
  EXPECT_TRUE(command.service.dry_run);
  EXPECT_EQ(command.service.args,
            (std::vector<std::string>{"--controller-listen", "0.0.0.0:9009", "-u", "http://h/"}));
  EXPECT_EQ(command.service.tokens_from_environment, std::vector<std::string>{"STREST_AUTH_TOKEN"});
}

TEST_F(CommandLineDistributedTest, UninstallServiceNeedsOnlyAName) {
  ParsedCommand command = command_of({"--controller-listen", "0.0.0.0:9009", "--uninstall-service"},
                                     ParsedCommand::Mode::kService);
  EXPECT_EQ(command.service.action, ServiceRequest::Action::kUninstall);
  EXPECT_EQ(command.service.name, "strest-controller");
  command =
      command_of({"--uninstall-service", "--service-name", "x"}, ParsedCommand::Mode::kService);
  EXPECT_EQ(command.service.name, "x");
}

TEST_F(CommandLineDistributedTest, ServiceErrors) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--install-service"}),
            "--install-service needs --controller-listen HOST:PORT or --agent-join HOST:PORT: "
            "the unit runs a controller or an agent");
  EXPECT_EQ(error_of({"--uninstall-service"}),
            "--uninstall-service needs --controller-listen HOST:PORT or --agent-join HOST:PORT: "
            "the unit runs a controller or an agent (or name the unit with --service-name)");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--install-service", "--uninstall-service"}),
            "--install-service and --uninstall-service exclude each other: pass one");
  EXPECT_EQ(error_of({"-u", "http://h/", "--service-name", "x"}),
            "--service-name needs --install-service or --uninstall-service");
  EXPECT_EQ(error_of({"-u", "http://h/", "--dry-run"}),
            "--dry-run needs --install-service or --uninstall-service ('strest cleanup' takes "
            "its own --dry-run after the word cleanup)");
  EXPECT_EQ(error_of({"--agent-join", "h:1", "--install-service", "--service-name", "a/b"}),
            "--service-name: 'a/b' is not a unit name: use letters, digits, '-', '_', '.', ':' "
            "or '@', without .service (e.g. strest-agent)");
  // An install is validated as the run it starts.
  EXPECT_EQ(
      error_of({"--controller-listen", "0.0.0.0:9009", "-u", "http://h/", "--install-service"}),
      "--controller-listen 0.0.0.0:9009 is not loopback: set --auth-token (or "
      "STREST_AUTH_TOKEN) so only your agents can join");
}

}  // namespace
}  // namespace strest

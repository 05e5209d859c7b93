#include "ops/systemd_service.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "in_temp_dir_test.h"

namespace strest {
namespace {

TEST(SystemdQuote, PlainWordsStayBare) {
  EXPECT_EQ(systemd_quote("--agent-join"), "--agent-join");
  EXPECT_EQ(systemd_quote("10.0.0.5:9009"), "10.0.0.5:9009");
  EXPECT_EQ(systemd_quote("/usr/bin/strest"), "/usr/bin/strest");
}

TEST(SystemdQuote, SpecialCharacters) {
  EXPECT_EQ(systemd_quote(""), "\"\"");
  EXPECT_EQ(systemd_quote("a b"), "\"a b\"");
  EXPECT_EQ(systemd_quote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(systemd_quote("it's"), "\"it's\"");
  EXPECT_EQ(systemd_quote("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(systemd_quote("line\nbreak"), "\"line\\nbreak\"");
  EXPECT_EQ(systemd_quote("tab\there"), "\"tab\\there\"");
  // Specifiers and variables are expanded even inside quotes: double them.
  EXPECT_EQ(systemd_quote("100%"), "100%%");
  EXPECT_EQ(systemd_quote("$HOME"), "$$HOME");
  EXPECT_EQ(systemd_quote("p99 < 5%"), "\"p99 < 5%%\"");
  EXPECT_EQ(systemd_quote(";"), "\\;");
  EXPECT_EQ(systemd_quote("a;b"), "a;b");
}

TEST(WithoutServiceFlags, RemovesOnlyThem) {
  const std::vector<std::string> args = {
      "--agent-join", "h:1", "--install-service",   "--service-name",  "lt", "--dry-run",
      "--agent-id",   "a",   "--uninstall-service", "--service-name=x"};
  EXPECT_EQ(without_service_flags(args),
            (std::vector<std::string>{"--agent-join", "h:1", "--agent-id", "a"}));
}

ServiceRequest agent_request() {
  ServiceRequest request;
  request.name = "strest-agent";
  request.description = "strest distributed agent (strest-agent)";
  request.exec_path = "/opt/my tools/strest";
  request.args = {"--agent-join", "10.0.0.5:9009", "--agent-id", "rack 1"};
  request.working_directory = "/srv/strest";
  return request;
}

TEST(UnitText, HasTheServiceAndItsCommand) {
  const std::string text = unit_text(agent_request());
  for (const char* line :
       {"[Unit]\n", "Description=strest distributed agent (strest-agent)\n",
        "Wants=network-online.target\n", "After=network-online.target\n", "[Service]\n",
        "ExecStart=\"/opt/my tools/strest\" --agent-join 10.0.0.5:9009 --agent-id \"rack 1\"\n",
        "WorkingDirectory=/srv/strest\n", "EnvironmentFile=-/etc/default/strest-agent\n",
        "Restart=on-failure\n", "[Install]\n", "WantedBy=multi-user.target\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

// Installs into a scratch folder with a fake systemctl on PATH that logs its arguments.
class SystemdServiceTest : public InTempDirTest {
 protected:
  void SetUp() override {
    InTempDirTest::SetUp();
    units_ = (dir_ / "units").string();
    std::filesystem::create_directory(units_);
    std::filesystem::create_directory(dir_ / "bin");
    log_ = (dir_ / "systemctl.log").string();
    const std::string fake = (dir_ / "bin" / "systemctl").string();
    std::ofstream(fake) << "#!/bin/sh\necho \"$@\" >> '" << log_ << "'\nexit ${FAKE_EXIT:-0}\n";
    chmod(fake.c_str(), 0755);
    const char* path = std::getenv("PATH");
    old_path_ = path ? path : "";
    setenv("PATH", ((dir_ / "bin").string() + ":" + old_path_).c_str(), 1);
    setenv("STREST_SYSTEMD_DIR", units_.c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", old_path_.c_str(), 1);
    unsetenv("STREST_SYSTEMD_DIR");
    unsetenv("FAKE_EXIT");
    InTempDirTest::TearDown();
  }
  std::string calls() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string units_, log_, old_path_;
};

TEST_F(SystemdServiceTest, UnitDirFromTheEnvironment) { EXPECT_EQ(systemd_unit_dir(), units_); }

TEST_F(SystemdServiceTest, InstallThenUninstall) {
  ServiceRequest request = agent_request();
  std::ostringstream out, err;
  ASSERT_EQ(run_service_command(request, out, err), 0) << err.str();
  const std::string unit = units_ + "/strest-agent.service";
  std::ifstream in(unit);
  std::stringstream written;
  written << in.rdbuf();
  EXPECT_EQ(written.str(), unit_text(request));
  EXPECT_EQ(calls(), "daemon-reload\nenable --now strest-agent\n");
  EXPECT_NE(out.str().find("installed and started strest-agent"), std::string::npos);

  request.action = ServiceRequest::Action::kUninstall;
  ASSERT_EQ(run_service_command(request, out, err), 0) << err.str();
  EXPECT_FALSE(std::filesystem::exists(unit));
  EXPECT_EQ(calls(),
            "daemon-reload\nenable --now strest-agent\ndisable --now strest-agent\n"
            "daemon-reload\n");
}

TEST_F(SystemdServiceTest, DryRunChangesNothing) {
  ServiceRequest request = agent_request();
  request.dry_run = true;
  std::ostringstream out, err;
  ASSERT_EQ(run_service_command(request, out, err), 0);
  EXPECT_NE(out.str().find(unit_text(request)), std::string::npos);
  EXPECT_NE(out.str().find("would write " + units_ + "/strest-agent.service"), std::string::npos);
  request.action = ServiceRequest::Action::kUninstall;
  ASSERT_EQ(run_service_command(request, out, err), 0);
  EXPECT_NE(out.str().find("would run systemctl disable --now strest-agent"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(units_));
  EXPECT_EQ(calls(), "");
}

TEST_F(SystemdServiceTest, FailuresAreOneLine) {
  ServiceRequest request = agent_request();
  request.action = ServiceRequest::Action::kUninstall;
  std::ostringstream out, err;
  EXPECT_EQ(run_service_command(request, out, err), 1);
  EXPECT_EQ(err.str(), "strest: error: no unit " + units_ +
                           "/strest-agent.service: nothing to uninstall (check --service-name)\n");
  setenv("FAKE_EXIT", "3", 1);
  request.action = ServiceRequest::Action::kInstall;
  std::ostringstream err2;
  EXPECT_EQ(run_service_command(request, out, err2), 1);
  EXPECT_EQ(err2.str(),
            "strest: error: 'systemctl daemon-reload' failed with exit code 3 (the "
            "unit is written to " +
                units_ + "/strest-agent.service)\n");
}

}  // namespace
}  // namespace strest

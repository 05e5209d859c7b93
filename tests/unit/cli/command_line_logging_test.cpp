// The log level (STREST_LOG, --verbose) and the warnings parsing may log: a config file's TLS
// key for an http:// URL warns, naming the key and the file, where the flag is an error.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "cli/command_line_fixture.h"
#include "log_capture.h"

namespace strest {
namespace {

// STREST_LOG for one test (unset for nullptr).
class LogVariableGuard : public EnvVarGuard {
 public:
  explicit LogVariableGuard(const char* value)
      : EnvVarGuard("STREST_LOG",
                    value != nullptr ? std::optional<std::string>(value) : std::nullopt) {}
};

// The TLS part of the reference's example strest.toml, for a cleartext URL.
constexpr const char* kReferenceTls =
    "url = \"http://localhost:3000\"\n"
    "tls_min = \"1.2\"\n"
    "tls_max = \"1.3\"\n"
    "http2 = true\n"
    "alpn = [\"h2\"]\n";

class CommandLineLoggingTest : public CommandLineFixture {};

TEST_F(CommandLineLoggingTest, ConfigTlsKeysForHttpWarnNamingKeyAndFile) {
  LogVariableGuard unset(nullptr);
  write("strest.toml", kReferenceTls);
  LogCapture log;
  const Plan plan = command_of({}, ParsedCommand::Mode::kRun).plan;
  EXPECT_TRUE(plan.transport.http2);
  EXPECT_EQ(log.text(),
            "strest: warning: strest.toml: key 'tls_min' applies to https:// URLs only; ignored "
            "for this http:// run\n"
            "strest: warning: strest.toml: key 'tls_max' applies to https:// URLs only; ignored "
            "for this http:// run\n"
            "strest: warning: strest.toml: key 'alpn' applies to https:// URLs only; ignored for "
            "this http:// run\n");
}

TEST_F(CommandLineLoggingTest, ConfigTlsKeysForHttpsDoNotWarn) {
  LogVariableGuard unset(nullptr);
  write("strest.toml", kReferenceTls);
  LogCapture log;
  command_of({"-u", "https://localhost:3000/"}, ParsedCommand::Mode::kRun);
  EXPECT_EQ(log.text(), "");
}

TEST_F(CommandLineLoggingTest, TheSameTlsSettingAsAFlagIsAnError) {
  write("strest.toml", kReferenceTls);
  EXPECT_EQ(error_of({"--tls-min", "1.2"}),
            "--tls-min applies to https:// URLs only: use an https:// --url");
}

TEST_F(CommandLineLoggingTest, Http3FromAConfigStaysAnErrorForHttp) {
  write("strest.toml", "url = \"http://h/\"\nhttp3 = true\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'http3' applies to https:// URLs only: use an https:// --url");
}

TEST_F(CommandLineLoggingTest, ErrorLevelSilencesTheWarnings) {
  LogVariableGuard quiet("error");
  write("strest.toml", kReferenceTls);
  LogCapture log;
  command_of({}, ParsedCommand::Mode::kRun);
  EXPECT_EQ(log.text(), "");
  EXPECT_EQ(log_level(), LogLevel::kError);
}

TEST_F(CommandLineLoggingTest, LevelComesFromStrestLog) {
  LogCapture log;
  {
    LogVariableGuard debug("debug");
    command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun);
    EXPECT_EQ(log_level(), LogLevel::kDebug);
  }
  {
    LogVariableGuard unset(nullptr);
    command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun);
    EXPECT_EQ(log_level(), kDefaultLogLevel);
  }
  {
    LogVariableGuard empty("");
    command_of({"-u", "http://h/"}, ParsedCommand::Mode::kRun);
    EXPECT_EQ(log_level(), kDefaultLogLevel);
  }
}

TEST_F(CommandLineLoggingTest, VerboseIsDebug) {
  LogVariableGuard warn("warn");
  LogCapture log;
  command_of({"-u", "http://h/", "--verbose"}, ParsedCommand::Mode::kRun);
  EXPECT_EQ(log_level(), LogLevel::kDebug);
}

TEST_F(CommandLineLoggingTest, BadStrestLogIsAUsageError) {
  LogCapture log;
  for (const char* value : {"verbose", "DEBUG", "3"}) {
    LogVariableGuard bad(value);
    EXPECT_EQ(error_of({"-u", "http://h/"}),
              std::string("STREST_LOG: '") + value +
                  "' is not a log level: use error, warn, info or debug");
    EXPECT_EQ(error_of({"target"}).rfind("STREST_LOG: '", 0), 0u);
  }
}

TEST_F(CommandLineLoggingTest, HelpMentionsStrestLog) {
  EXPECT_NE(parse({"--help"}).out.find("STREST_LOG=error|warn|info|debug"), std::string::npos);
}

}  // namespace
}  // namespace strest

#include "cli/command_line.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef STREST_VERSION
#define STREST_VERSION "0.0.0"
#endif

#include "cli/command_line_fixture.h"

namespace strest {
namespace {

namespace fs = std::filesystem;
using Mode = ParsedCommand::Mode;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Runs each test in a fresh empty working directory, so config discovery sees only its files.
class CommandLineTest : public CommandLineFixture {
 protected:
  // Parses args that must give a run (or demo); returns its plan.
  static Plan plan_of(std::vector<std::string> args) {
    Outcome outcome = parse(std::move(args));
    EXPECT_TRUE(outcome.command.mode == Mode::kRun || outcome.command.mode == Mode::kDemo)
        << outcome.err;
    EXPECT_EQ(outcome.err, "");
    return outcome.command.plan;
  }

  static uint32_t cores() { return std::max(1u, std::thread::hardware_concurrency()); }
};

TEST_F(CommandLineTest, MinimalRun) {
  Outcome outcome = parse({"-u", "http://localhost:3000/health"});
  ASSERT_EQ(outcome.command.mode, Mode::kRun);
  EXPECT_EQ(outcome.command.exit_code, 0);
  const Plan& plan = outcome.command.plan;
  EXPECT_EQ(plan.url.host, "localhost");
  EXPECT_EQ(plan.url.port, 3000);
  EXPECT_EQ(plan.url.target, "/health");
  EXPECT_EQ(plan.method, "GET");
  EXPECT_TRUE(plan.headers.empty());
  EXPECT_TRUE(plan.bodies.empty());
  EXPECT_TRUE(plan.send_user_agent);
  EXPECT_FALSE(plan.duration);
  EXPECT_FALSE(plan.max_requests);
  EXPECT_EQ(plan.expected_status, 200);
  EXPECT_EQ(plan.timeout, seconds(10));
  EXPECT_EQ(plan.connect_timeout, seconds(5));
  EXPECT_EQ(plan.max_tasks, 50u);
  EXPECT_EQ(plan.threads, std::min(cores(), 50u));
  EXPECT_FALSE(plan.summary);
  EXPECT_FALSE(plan.no_tui);
  EXPECT_FALSE(plan.verbose);
  EXPECT_FALSE(plan.output_path);
  EXPECT_EQ(plan.output_format, OutputFormat::kJson);
}

TEST_F(CommandLineTest, MethodIsUpperCased) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "-X", "get"}).method, "GET");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--method", "post"}).method, "POST");
}

TEST_F(CommandLineTest, HeadersInOrderThenShortcuts) {
  Plan plan = plan_of({"-u", "http://h/", "-T", "application/json", "-H", "X-A: 1", "-A",
                       "text/html", "--headers", "X-B: 2"});
  ASSERT_EQ(plan.headers.size(), 4u);
  EXPECT_EQ(plan.headers[0].name, "X-A");
  EXPECT_EQ(plan.headers[1].name, "X-B");
  EXPECT_EQ(plan.headers[2].name, "Accept");
  EXPECT_EQ(plan.headers[2].value, "text/html");
  EXPECT_EQ(plan.headers[3].name, "Content-Type");
  EXPECT_EQ(plan.headers[3].value, "application/json");
}

TEST_F(CommandLineTest, ShortcutsReplaceSameNamedHeaders) {
  Plan plan = plan_of({"-u", "http://h/", "-H", "accept: */*", "-H", "X: y", "--accept", "a/b"});
  ASSERT_EQ(plan.headers.size(), 2u);
  EXPECT_EQ(plan.headers[0].name, "X");
  EXPECT_EQ(plan.headers[1].value, "a/b");
}

TEST_F(CommandLineTest, MalformedHeader) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-H", "X-A=1"}),
            "--headers: 'X-A=1' is not a header: write it as 'Key: Value'");
}

TEST_F(CommandLineTest, DataIsTheBody) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "-d", "{\"a\":1}"}).bodies,
            std::vector<std::string>{"{\"a\":1}"});
  EXPECT_EQ(plan_of({"-u", "http://h/", "--data", ""}).bodies, std::vector<std::string>{""});
}

TEST_F(CommandLineTest, DataFileIsReadWhole) {
  write("body.json", "{\n  \"a\": 1\n}\n");
  EXPECT_EQ(plan_of({"-u", "http://h/", "-D", "body.json"}).bodies,
            std::vector<std::string>{"{\n  \"a\": 1\n}\n"});
  EXPECT_EQ(plan_of({"-u", "http://h/", "--data-file", "body.json"}).bodies.size(), 1u);
}

TEST_F(CommandLineTest, MissingDataFile) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-D", "nope.json"}),
            "--data-file: cannot read 'nope.json': No such file or directory");
}

TEST_F(CommandLineTest, DataLinesGiveOneBodyPerLine) {
  write("lines.txt", "first\r\nsecond\n\nthird");
  EXPECT_EQ(plan_of({"-u", "http://h/", "-Z", "lines.txt"}).bodies,
            (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_EQ(plan_of({"-u", "http://h/", "--data-lines", "lines.txt"}).bodies.size(), 3u);
}

TEST_F(CommandLineTest, EmptyDataLinesFile) {
  write("empty.txt", "");
  write("blank.txt", "\n\r\n\n");
  EXPECT_EQ(error_of({"-u", "http://h/", "-Z", "empty.txt"}),
            "--data-lines: 'empty.txt' has no lines; put one request body per line");
  EXPECT_EQ(error_of({"-u", "http://h/", "-Z", "blank.txt"}),
            "--data-lines: 'blank.txt' has no lines; put one request body per line");
  EXPECT_EQ(error_of({"-u", "http://h/", "-Z", "missing.txt"}),
            "--data-lines: cannot read 'missing.txt': No such file or directory");
}

TEST_F(CommandLineTest, OnlyOneBodySource) {
  write("b.txt", "x");
  const std::string message =
      "-d/--data, -D/--data-file and -Z/--data-lines exclude each other: pass one";
  EXPECT_EQ(error_of({"-u", "http://h/", "-d", "x", "-D", "b.txt"}), message);
  EXPECT_EQ(error_of({"-u", "http://h/", "-d", "x", "-Z", "b.txt"}), message);
  EXPECT_EQ(error_of({"-u", "http://h/", "-D", "b.txt", "-Z", "b.txt"}), message);
}

TEST_F(CommandLineTest, StopConditions) {
  Plan both = plan_of({"-u", "http://h/", "-t", "30", "--requests", "100"});
  EXPECT_EQ(both.duration, seconds(30));
  EXPECT_EQ(both.max_requests, 100u);
  Plan count_only = plan_of({"-u", "http://h/", "--requests", "5"});
  EXPECT_FALSE(count_only.duration);
  EXPECT_EQ(count_only.max_requests, 5u);
  Plan time_only = plan_of({"-u", "http://h/", "--duration", "1.5m"});
  EXPECT_EQ(time_only.duration, seconds(90));
  EXPECT_FALSE(time_only.max_requests);
}

TEST_F(CommandLineTest, DurationErrors) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-t", "-5"}), "--duration: duration '-5' is negative");
  EXPECT_EQ(error_of({"-u", "http://h/", "-t", "0"}), "--duration must be greater than 0");
  EXPECT_EQ(
      error_of({"-u", "http://h/", "-t", "5 minutes"}).rfind("--duration: invalid duration", 0),
      0u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--requests", "0"}),
            "--requests must be at least 1 (got 0)");
}

TEST_F(CommandLineTest, StatusAndTimeouts) {
  Plan plan =
      plan_of({"-u", "http://h/", "-s", "204", "--timeout", "250ms", "--connect-timeout", "1s"});
  EXPECT_EQ(plan.expected_status, 204);
  EXPECT_EQ(plan.timeout, milliseconds(250));
  EXPECT_EQ(plan.connect_timeout, seconds(1));
  EXPECT_EQ(plan_of({"-u", "http://h/", "--status", "999"}).expected_status, 999);
  EXPECT_EQ(error_of({"-u", "http://h/", "-s", "1000"}),
            "--status must be between 100 and 999 (got 1000)");
  EXPECT_EQ(error_of({"-u", "http://h/", "--timeout", "0s"}), "--timeout must be greater than 0");
  EXPECT_EQ(error_of({"-u", "http://h/", "--connect-timeout", "0"}),
            "--connect-timeout must be greater than 0");
}

TEST_F(CommandLineTest, MaxTasksAliases) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "-m", "7"}).max_tasks, 7u);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--max-tasks", "8"}).max_tasks, 8u);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--concurrency", "9"}).max_tasks, 9u);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--connections", "10"}).max_tasks, 10u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--connections", "0"}),
            "--max-tasks must be at least 1 (got 0)");
}

TEST_F(CommandLineTest, ThreadsDefaultToCoresCappedAtMaxTasks) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "-m", "1"}).threads, 1u);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-m", "1000"}).threads, cores());
  EXPECT_EQ(plan_of({"-u", "http://h/", "--threads", "8", "-m", "3"}).threads, 3u);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--threads", "2", "-m", "30"}).threads, 2u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--threads", "0"}),
            "--threads must be at least 1 (got 0)");
}

TEST_F(CommandLineTest, BooleanFlags) {
  Plan plan = plan_of({"-u", "http://h/", "--summary", "--no-tui", "--verbose"});
  EXPECT_TRUE(plan.summary);
  EXPECT_TRUE(plan.no_tui);
  EXPECT_TRUE(plan.verbose);
}

TEST_F(CommandLineTest, NoUaNeedsAuthorized) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--no-ua"}),
            "--no-ua requires --authorized (confirm you may test this target)");
  EXPECT_FALSE(plan_of({"-u", "http://h/", "--no-ua", "--authorized"}).send_user_agent);
  EXPECT_TRUE(plan_of({"-u", "http://h/", "--authorized"}).send_user_agent);
}

TEST_F(CommandLineTest, OutputFormatFromExtension) {
  Plan json = plan_of({"-u", "http://h/", "-o", "out/result.JSON"});
  EXPECT_EQ(json.output_path, "out/result.JSON");
  EXPECT_EQ(json.output_format, OutputFormat::kJson);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--output", "r.txt"}).output_format, OutputFormat::kText);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.log"}).output_format, OutputFormat::kText);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.jsonl"}).output_format, OutputFormat::kJsonl);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.CSV"}).output_format, OutputFormat::kCsv);
}

TEST_F(CommandLineTest, OutputFormatFlagWins) {
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.json", "--output-format", "text"}).output_format,
            OutputFormat::kText);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.csv", "--output-format", "json"}).output_format,
            OutputFormat::kJson);
  EXPECT_EQ(plan_of({"-u", "http://h/", "--output-format", "text"}).output_format,
            OutputFormat::kText);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.txt", "--output-format", "jsonl"}).output_format,
            OutputFormat::kJsonl);
  EXPECT_EQ(plan_of({"-u", "http://h/", "-o", "r.json", "--output-format", "csv"}).output_format,
            OutputFormat::kCsv);
}

TEST_F(CommandLineTest, OutputFormatErrors) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-o", "r.xml"}),
            "--output: cannot tell the format of 'r.xml' from its extension; pass "
            "--output-format json, jsonl, csv or text");
  EXPECT_EQ(
      error_of({"-u", "http://h/", "-o", "results"}).rfind("--output: cannot tell the format", 0),
      0u);
  EXPECT_EQ(error_of({"-u", "http://h/", "--output-format", "xml"}),
            "--output-format must be json, jsonl, csv or text (got 'xml')");
}

TEST_F(CommandLineTest, MissingUrl) {
  EXPECT_EQ(error_of({}), "no target URL: pass --url or set url in strest.toml");
  EXPECT_EQ(error_of({"-m", "3"}), "no target URL: pass --url or set url in strest.toml");
}

TEST_F(CommandLineTest, HttpsIsAccepted) {
  EXPECT_EQ(plan_of({"-u", "https://h/"}).url.scheme, "https");
}

TEST_F(CommandLineTest, InvalidUrl) {
  EXPECT_EQ(error_of({"-u", "localhost:3000"}),
            "--url: invalid URL 'localhost:3000': missing scheme: write it as "
            "http://host[:port]/path");
  EXPECT_EQ(error_of({"-u", "http://u:p@h/"}).rfind("--url: ", 0), 0u);
  EXPECT_NE(error_of({"-u", "http://u:p@h/"}).find("user info"), std::string::npos);
  EXPECT_EQ(error_of({"-u", "http://h/a\nb"}).rfind("--url: ", 0), 0u);
  EXPECT_NE(error_of({"-u", "http://h/a\nb"}).find("a\\x0ab"), std::string::npos);
}

TEST_F(CommandLineTest, HelpPrintsDefaultsAndExitsZero) {
  for (const char* flag : {"-h", "--help"}) {
    Outcome outcome = parse({flag});
    EXPECT_EQ(outcome.command.mode, Mode::kExit);
    EXPECT_EQ(outcome.command.exit_code, 0);
    EXPECT_EQ(outcome.err, "");
    for (const char* text :
         {"Usage: strest", "--url", "METHOD=GET", "CODE=200", "N=50", "DURATION=10s", "DURATION=5s",
          "--concurrency", "demo", "target", "strest.toml"}) {
      EXPECT_NE(outcome.out.find(text), std::string::npos) << text;
    }
  }
}

TEST_F(CommandLineTest, HelpWinsOverMissingUrlAndBadConfig) {
  write("strest.toml", "bogus = 1\n");
  EXPECT_EQ(parse({"--help"}).command.exit_code, 0);
}

TEST_F(CommandLineTest, Version) {
  for (const char* flag : {"-V", "--version"}) {
    Outcome outcome = parse({flag});
    EXPECT_EQ(outcome.command.mode, Mode::kExit);
    EXPECT_EQ(outcome.command.exit_code, 0);
    EXPECT_EQ(outcome.out, std::string("strest ") + STREST_VERSION + "\n");
    EXPECT_EQ(outcome.err, "");
  }
}

TEST_F(CommandLineTest, UnknownFlag) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--bogus"}),
            "The following argument was not expected: --bogus (see strest --help)");
}

TEST_F(CommandLineTest, MissingFlagValue) {
  EXPECT_NE(error_of({"-u"}).find("--url"), std::string::npos);
}

TEST_F(CommandLineTest, DistributedFlagsAreBuilt) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--controller-listen", "x"}),
            "--controller-listen: expected HOST:PORT such as 127.0.0.1:8080 (got 'x')");
}

TEST_F(CommandLineTest, BareUrlGetsAHint) {
  EXPECT_EQ(error_of({"http://h/"}),
            "The following argument was not expected: http://h/ (pass the URL with --url)");
}

TEST_F(CommandLineTest, ConfigSuppliesTheRun) {
  write("strest.toml",
        "url = \"http://config:8080/x\"\nmethod = \"put\"\nduration = 60\nmax_tasks = 12\n"
        "headers = [\"X-Env: local\"]\nno_ui = true\nsummary = true\n");
  Plan plan = plan_of({});
  EXPECT_EQ(plan.url.to_string(), "http://config:8080/x");
  EXPECT_EQ(plan.method, "PUT");
  EXPECT_EQ(plan.duration, seconds(60));
  EXPECT_EQ(plan.max_tasks, 12u);
  ASSERT_EQ(plan.headers.size(), 1u);
  EXPECT_TRUE(plan.no_tui);
  EXPECT_TRUE(plan.summary);
}

TEST_F(CommandLineTest, SinksComeFromTheConfig) {
  EXPECT_FALSE(plan_of({"-u", "http://h/"}).sinks);
  write("strest.toml", "[sinks]\nupdate_interval_ms = 250\n[sinks.influx]\npath = \"m.influx\"\n");
  Plan plan = plan_of({"-u", "http://h/"});
  ASSERT_TRUE(plan.sinks);
  EXPECT_EQ(plan.sinks->update_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(plan.sinks->influx_path, "m.influx");
  EXPECT_FALSE(plan.sinks->prometheus_path);
}

TEST_F(CommandLineTest, CommandLineOverridesConfig) {
  write("strest.toml",
        "url = \"http://config/\"\nmax_tasks = 12\nheaders = [\"X-Env: local\"]\n"
        "summary = true\ndata = \"from config\"\n");
  write("body.txt", "from file");
  Plan plan = plan_of({"-u", "http://cli/", "--concurrency", "3", "-H", "X-Cli: 1",
                       "--summary=false", "-D", "body.txt"});
  EXPECT_EQ(plan.url.host, "cli");
  EXPECT_EQ(plan.max_tasks, 3u);
  ASSERT_EQ(plan.headers.size(), 1u);
  EXPECT_EQ(plan.headers[0].name, "X-Cli");
  EXPECT_FALSE(plan.summary);
  EXPECT_EQ(plan.bodies, std::vector<std::string>{"from file"});
}

TEST_F(CommandLineTest, JsonConfigIsDiscovered) {
  write("strest.json", R"({"url": "http://json/", "concurrency": 4, "no_tui": true})");
  Plan plan = plan_of({});
  EXPECT_EQ(plan.url.host, "json");
  EXPECT_EQ(plan.max_tasks, 4u);
  EXPECT_TRUE(plan.no_tui);
}

TEST_F(CommandLineTest, TomlIsPreferredOverJson) {
  write("strest.json", R"({"url": "http://json/"})");
  write("strest.toml", "url = \"http://toml/\"\n");
  EXPECT_EQ(plan_of({}).url.host, "toml");
}

TEST_F(CommandLineTest, ExplicitConfig) {
  write("strest.toml", "url = \"http://discovered/\"\n");
  write("other.json", R"({"url": "http://explicit/", "requests": 9})");
  Plan plan = plan_of({"--config", "other.json"});
  EXPECT_EQ(plan.url.host, "explicit");
  EXPECT_EQ(plan.max_requests, 9u);
}

TEST_F(CommandLineTest, ConfigErrors) {
  write("strest.toml", "foo = 1\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}), "strest.toml: unknown key 'foo'");
  write("strest.toml", "[distributed]\nrole = \"agent\"\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'distributed.role' = \"agent\" needs distributed.join (or "
            "--agent-join)");
  write("strest.toml", "requests = \"5\"\n");
  EXPECT_EQ(error_of({"-u", "http://h/"}),
            "strest.toml: key 'requests' must be an integer, not a string");
}

TEST_F(CommandLineTest, ExplicitConfigErrors) {
  write("run.yaml", "");
  EXPECT_EQ(error_of({"--config", "run.yaml"}),
            "config file 'run.yaml' must end in .toml or .json");
  EXPECT_EQ(error_of({"--config", "gone.toml"}),
            "config file: cannot read 'gone.toml': No such file or directory");
  write("bad.json", "{");
  EXPECT_NE(error_of({"--config", "bad.json"}).find("bad.json: invalid JSON"), std::string::npos);
}

TEST_F(CommandLineTest, ConfigUrlErrorsNameTheFile) {
  write("strest.toml", "url = \"ftp://h/\"\n");
  EXPECT_NE(error_of({}).find("strest.toml: key 'url': invalid URL 'ftp://h/'"), std::string::npos);
  EXPECT_EQ(plan_of({"-u", "http://cli/"}).url.host, "cli");
}

TEST_F(CommandLineTest, ConfigNoUaNeedsAuthorized) {
  write("strest.toml", "url = \"http://h/\"\nno_ua = true\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: no_ua = true requires authorized = true or --authorized (confirm you "
            "may test this target)");
  EXPECT_FALSE(plan_of({"--authorized"}).send_user_agent);
}

TEST_F(CommandLineTest, ConfigBodyConflictsAndFiles) {
  write("strest.toml", "url = \"http://h/\"\ndata = \"a\"\ndata_file = \"b\"\n");
  EXPECT_EQ(error_of({}), "strest.toml: set only one of data, data_file, data_lines");
  EXPECT_EQ(plan_of({"-d", "cli"}).bodies, std::vector<std::string>{"cli"});
  write("strest.toml", "url = \"http://h/\"\ndata_file = \"missing.bin\"\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'data_file': cannot read 'missing.bin': No such file or directory");
}

TEST_F(CommandLineTest, ConfigOutputNeedsAKnownExtension) {
  write("strest.toml", "url = \"http://h/\"\noutput = \"r.xml\"\n");
  EXPECT_NE(error_of({}).find("strest.toml: key 'output': cannot tell the format"),
            std::string::npos);
  write("strest.toml", "url = \"http://h/\"\noutput = \"r.xml\"\noutput_format = \"text\"\n");
  EXPECT_EQ(plan_of({}).output_format, OutputFormat::kText);
}

TEST_F(CommandLineTest, DemoNeedsNoUrl) {
  Outcome outcome = parse({"demo"});
  ASSERT_EQ(outcome.command.mode, Mode::kDemo) << outcome.err;
  EXPECT_EQ(outcome.command.demo_path, "/");
  EXPECT_EQ(outcome.command.plan.url.host, "");
}

TEST_F(CommandLineTest, DemoTakesFlagsBeforeAndAfter) {
  Outcome outcome = parse({"-m", "4", "demo", "--url", "/delay/5", "-t", "3s", "--no-tui"});
  ASSERT_EQ(outcome.command.mode, Mode::kDemo) << outcome.err;
  EXPECT_EQ(outcome.command.demo_path, "/delay/5");
  EXPECT_EQ(outcome.command.plan.max_tasks, 4u);
  EXPECT_EQ(outcome.command.plan.duration, seconds(3));
  EXPECT_TRUE(outcome.command.plan.no_tui);
}

TEST_F(CommandLineTest, DemoUrlMustBeAPath) {
  EXPECT_EQ(error_of({"demo", "-u", "http://h/"}),
            "--url: in demo mode --url is a path on the built-in target, such as /delay/5 (got "
            "'http://h/')");
  EXPECT_EQ(error_of({"demo", "-u", "/a b"}).rfind("--url: in demo mode", 0), 0u);
  EXPECT_EQ(error_of({"demo", "-u", ""}).rfind("--url: in demo mode", 0), 0u);
}

TEST_F(CommandLineTest, DemoIgnoresConfigUrlButKeepsOtherKeys) {
  write("strest.toml", "url = \"https://prod/\"\nmax_tasks = 6\n");
  Outcome outcome = parse({"demo"});
  ASSERT_EQ(outcome.command.mode, Mode::kDemo) << outcome.err;
  EXPECT_EQ(outcome.command.demo_path, "/");
  EXPECT_EQ(outcome.command.plan.max_tasks, 6u);
}

TEST_F(CommandLineTest, DemoValidatesLikeARun) {
  EXPECT_EQ(error_of({"demo", "--no-ua"}),
            "--no-ua requires --authorized (confirm you may test this target)");
  EXPECT_EQ(error_of({"demo", "--requests", "0"}), "--requests must be at least 1 (got 0)");
}

TEST_F(CommandLineTest, DemoHelp) {
  Outcome outcome = parse({"demo", "--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  EXPECT_NE(outcome.out.find("Usage: strest demo"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("/delay/5"), std::string::npos);
}

TEST_F(CommandLineTest, TargetDefaultsToAnyLocalPort) {
  Outcome outcome = parse({"target"});
  ASSERT_EQ(outcome.command.mode, Mode::kTarget) << outcome.err;
  EXPECT_EQ(outcome.command.target_listen, "127.0.0.1:0");
}

TEST_F(CommandLineTest, TargetListen) {
  EXPECT_EQ(parse({"target", "--listen", "0.0.0.0:8080"}).command.target_listen, "0.0.0.0:8080");
  EXPECT_EQ(parse({"target", "--listen=[::1]:9000"}).command.target_listen, "[::1]:9000");
}

TEST_F(CommandLineTest, TargetIgnoresConfigFile) {
  write("strest.toml", "bogus = 1\n");
  EXPECT_EQ(parse({"target"}).command.mode, Mode::kTarget);
}

TEST_F(CommandLineTest, TargetListenErrors) {
  for (const char* listen : {"8080", ":8080", "host:", "host:http", "host:70000", "h:123456"}) {
    EXPECT_EQ(
        error_of({"target", "--listen", listen}),
        std::string("--listen: expected HOST:PORT such as 127.0.0.1:8080 (got '") + listen + "')");
  }
}

TEST_F(CommandLineTest, TargetRefusesRunFlags) {
  EXPECT_EQ(error_of({"-m", "3", "target"}),
            "--max-tasks does not apply to 'strest target', which takes only --listen");
  EXPECT_EQ(error_of({"target", "-u", "http://h/"}),
            "The following arguments were not expected: http://h/ -u (pass the URL with --url)");
}

TEST_F(CommandLineTest, OnlyOneSubcommand) {
  EXPECT_EQ(error_of({"demo", "target"}),
            "The following argument was not expected: target (see strest --help)");
}

TEST_F(CommandLineTest, TargetHelp) {
  Outcome outcome = parse({"target", "--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  EXPECT_NE(outcome.out.find("--listen"), std::string::npos);
  EXPECT_NE(outcome.out.find("127.0.0.1:0"), std::string::npos);
}

}  // namespace
}  // namespace strest

namespace strest {
namespace {

TEST_F(CommandLineTest, UiWindowIsMillisecondsAndAtLeastASecond) {
  EXPECT_EQ(command_of({"-u", "http://h/", "--ui-window-ms", "30000"}, Mode::kRun).plan.ui_window,
            std::chrono::seconds(30));
  EXPECT_EQ(command_of({"-u", "http://h/"}, Mode::kRun).plan.ui_window, std::chrono::seconds(10));
  EXPECT_EQ(error_of({"-u", "http://h/", "--ui-window-ms", "500"}),
            "--ui-window-ms must be at least 1000 (one second; got 500)");
  write("strest.toml", "url = \"http://h/\"\nui_window_ms = 20000\n");
  EXPECT_EQ(command_of({}, Mode::kRun).plan.ui_window, std::chrono::seconds(20));
}

}  // namespace
}  // namespace strest

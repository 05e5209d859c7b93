// Charts and SQLite from flags and config: --no-charts, -c/--charts-path, --db-url, as
// parse_command_line puts them into the Plan of a run.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/command_line_fixture.h"

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;

class CommandLineReportsTest : public CommandLineFixture {
 protected:
  static Plan plan_of(std::vector<std::string> args) {
    return command_of(std::move(args), Mode::kRun).plan;
  }
};

TEST_F(CommandLineReportsTest, Defaults) {
  Plan plan = plan_of({"-u", "http://h/"});
  EXPECT_FALSE(plan.no_charts);
  EXPECT_EQ(plan.charts_path, "");  // the charts' ~/.strest/charts
  EXPECT_FALSE(plan.db_url);
  EXPECT_FALSE(plan.replay);
}

TEST_F(CommandLineReportsTest, Flags) {
  Plan plan = plan_of(
      {"-u", "http://h/", "--no-charts", "-c", "/var/charts", "--db-url", "sqlite://runs.db"});
  EXPECT_TRUE(plan.no_charts);
  EXPECT_EQ(plan.charts_path, "/var/charts");
  EXPECT_EQ(plan.db_url, "runs.db");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--charts-path=out/c"}).charts_path, "out/c");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--db-url", "sqlite:m.db"}).db_url, "m.db");
  EXPECT_EQ(plan_of({"-u", "http://h/", "--db-url", "m.db"}).db_url, "m.db");
}

TEST_F(CommandLineReportsTest, HomeIsExpanded) {
  HomeGuard home("/home/tester");
  Plan plan = plan_of({"-u", "http://h/", "-c", "~/charts", "--db-url", "~/m.db"});
  EXPECT_EQ(plan.charts_path, "/home/tester/charts");
  EXPECT_EQ(plan.db_url, "/home/tester/m.db");
  write("strest.toml", "url = \"http://h/\"\ncharts_path = \"~/c\"\n");
  EXPECT_EQ(plan_of({}).charts_path, "/home/tester/c");
}

TEST_F(CommandLineReportsTest, ChartsPathWithoutHome) {
  HomeGuard home(std::nullopt);
  EXPECT_EQ(error_of({"-u", "http://h/", "-c", "~/charts"}),
            "--charts-path: cannot expand '~' in '~/charts': HOME is not set; write the full "
            "path");
}

TEST_F(CommandLineReportsTest, ConfigKeysLikeTheReference) {
  write(
      "strest.toml",
      "url = \"http://h/\"\nno_charts = true\ncharts_path = \"/c\"\ndb_url = \"sqlite://x.db\"\n");
  Plan plan = plan_of({});
  EXPECT_TRUE(plan.no_charts);
  EXPECT_EQ(plan.charts_path, "/c");
  EXPECT_EQ(plan.db_url, "x.db");
  std::filesystem::remove("strest.toml");
  write("strest.json", R"({"url": "http://h/", "no_charts": true, "db_url": "j.db"})");
  Plan json = plan_of({});
  EXPECT_TRUE(json.no_charts);
  EXPECT_EQ(json.db_url, "j.db");
}

TEST_F(CommandLineReportsTest, FlagsOverrideConfig) {
  write("strest.toml",
        "url = \"http://h/\"\nno_charts = true\ncharts_path = \"/config\"\ndb_url = \"c.db\"\n");
  Plan plan = plan_of({"--no-charts=false", "-c", "/cli", "--db-url", "cli.db"});
  EXPECT_FALSE(plan.no_charts);
  EXPECT_EQ(plan.charts_path, "/cli");
  EXPECT_EQ(plan.db_url, "cli.db");
}

TEST_F(CommandLineReportsTest, Errors) {
  EXPECT_EQ(error_of({"-u", "http://h/", "-c", ""}),
            "--charts-path must not be empty: give a path");
  EXPECT_EQ(error_of({"-u", "http://h/", "--db-url", "postgres://db/x"}),
            "--db-url: 'postgres://db/x' is not a SQLite database; give a file path or "
            "sqlite://PATH");
  EXPECT_EQ(error_of({"-u", "http://h/", "--db-url", "sqlite://"}),
            "--db-url must name a SQLite file, e.g. ./strest.db or sqlite://strest.db");
  write("strest.toml", "url = \"http://h/\"\nno_charts = 1\n");
  EXPECT_EQ(error_of({}), "strest.toml: key 'no_charts' must be true or false, not an integer");
  write("strest.toml", "url = \"http://h/\"\ndb_url = \"\"\n");
  EXPECT_EQ(error_of({}),
            "strest.toml: key 'db_url' must name a SQLite file, e.g. ./strest.db or "
            "sqlite://strest.db");
}

TEST_F(CommandLineReportsTest, DbFileIsNotAnotherOutput) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--export-csv", "m.db", "--db-url", "sqlite://m.db"}),
            "--export-csv and --db-url both write 'm.db': give each its own file");
  EXPECT_EQ(error_of({"-u", "http://h/", "-o", "out/r.json", "--db-url", "out/./r.json"}),
            "--output and --db-url both write 'out/./r.json': give each its own file");
}

TEST_F(CommandLineReportsTest, DemoTakesTheFlags) {
  ParsedCommand command = command_of({"demo", "--no-charts", "--db-url", "d.db"}, Mode::kDemo);
  EXPECT_TRUE(command.plan.no_charts);
  EXPECT_EQ(command.plan.db_url, "d.db");
}

TEST_F(CommandLineReportsTest, FormerlyUnsupportedNamesAreAccepted) {
  for (const char* flag : {"--no-charts", "--charts-path", "-c", "--db-url", "--replay"}) {
    EXPECT_EQ(parse({"-u", "http://h/", flag}).err.find("not supported yet"), std::string::npos)
        << flag;
  }
}

TEST_F(CommandLineReportsTest, Help) {
  Outcome outcome = parse({"--help"});
  EXPECT_EQ(outcome.command.exit_code, 0);
  for (const char* text :
       {"--no-charts", "-c,--charts-path DIR=~/.strest/charts", "--db-url PATH", "sqlite://PATH"}) {
    EXPECT_NE(outcome.out.find(text), std::string::npos) << text << "\n" << outcome.out;
  }
}

}  // namespace
}  // namespace strest

namespace strest {
namespace {

using ReportFlagTest = CommandLineReportsTest;

TEST_F(ReportFlagTest, ReportFromFlagOrConfigKeyWithOrigins) {
  HomeGuard home("/home/tester");
  EXPECT_FALSE(plan_of({"-u", "http://h/"}).report_path);
  Plan plan = plan_of({"-u", "http://h/", "--report", "~/r.html", "--rate", "5"});
  EXPECT_EQ(plan.report_path, "/home/tester/r.html");
  EXPECT_EQ(plan.origins.source("--rate"), "--rate");
  EXPECT_FALSE(plan.origins.recorded("--timeout"));
  write("strest.toml", "url = \"http://h/\"\nreport = \"out.html\"\nconcurrency = 3\n");
  Plan config = plan_of({});
  EXPECT_EQ(config.report_path, "out.html");
  EXPECT_EQ(config.origins.source("--max-tasks"), "concurrency in strest.toml");
}

TEST_F(ReportFlagTest, AnAgentRefusesReport) {
  EXPECT_EQ(error_of({"--agent-join", "127.0.0.1:9009", "--report", "r.html"}),
            "--report does not apply to an agent: its controller writes the run's report; give "
            "it to the controller");
}

TEST_F(ReportFlagTest, ReportSharesNoFileWithAnotherOutput) {
  EXPECT_EQ(error_of({"-u", "http://h/", "--report", "x.html", "--db-url", "x.html"}),
            "--db-url and --report both write 'x.html': give each its own file");
}

}  // namespace
}  // namespace strest

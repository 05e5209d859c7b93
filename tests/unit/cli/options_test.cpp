#include "cli/options.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "cli/options_helpers.h"

namespace strest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ClassifyConfigKey, KnownKeysAndAliases) {
  for (const char* key : {"url",
                          "method",
                          "headers",
                          "accept",
                          "content_type",
                          "data",
                          "data_file",
                          "data_lines",
                          "duration",
                          "requests",
                          "status",
                          "timeout",
                          "connect_timeout",
                          "max_tasks",
                          "concurrency",
                          "connections",
                          "threads",
                          "summary",
                          "no_ui",
                          "no_tui",
                          "no_ua",
                          "authorized",
                          "verbose",
                          "output",
                          "output_format",
                          "rate",
                          "rpm",
                          "load",
                          "spawn_rate",
                          "spawn_interval",
                          "warmup",
                          "request_id_header",
                          "thresholds",
                          "sinks"}) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kKnown) << key;
  }
}

TEST(ClassifyConfigKey, DistributedIsATable) {
  EXPECT_EQ(classify_config_key("distributed"), KeyKind::kKnown);
  // Its keys live inside it, never at the top level.
  for (const char* key : {"controller_listen", "listen", "distributed.listen", "join"}) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kUnknown) << key;
  }
  EXPECT_EQ(classify_config_key("install_service"), KeyKind::kCommandLineOnly);
}

TEST(ClassifyConfigKey, UnknownKeys) {
  for (const char* key : {"foo", "URL", "config", "max-tasks", "", "Url", "threshold",
                          "abort_on_fail", "abort_delay", "checks", "stages"}) {
    EXPECT_EQ(classify_config_key(key), KeyKind::kUnknown) << key;
  }
}

TEST(KnownConfigKeys, ListsAliases) {
  auto keys = known_config_keys();
  for (const char* key : {"url", "concurrency", "no_ui", "output_format", "rate", "rpm", "load",
                          "thresholds", "spawn_interval", "sinks"}) {
    EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
  }
  EXPECT_EQ(std::find(keys.begin(), keys.end(), "config"), keys.end());
}

TEST(IsUnsupportedFlag, ReferenceFlags) {
  for (const char* flag : {"--controller-listen",
                           "--agent-join",
                           "--install-service",
                           "--url",
                           "--bogus",
                           "rate",
                           "-u",
                           "--",
                           "--max_tasks",
                           "--rate",
                           "-r",
                           "-i",
                           "--warmup",
                           "--spawn-rate",
                           "--spawn-interval",
                           "--load",
                           "--no-charts",
                           "--db-url",
                           "--replay",
                           "-c",
                           "--tls-min",
                           "--http2",
                           "--http3",
                           "--alpn",
                           "-p",
                           "--proxy",
                           "--unix-socket"}) {
    EXPECT_FALSE(is_unsupported_flag(flag)) << flag;
  }
}

TEST(SetConfigValue, Strings) {
  EXPECT_EQ(from_config("url", std::string("http://h/")).url, "http://h/");
  EXPECT_EQ(from_config("data", std::string("{}")).data, "{}");
  EXPECT_EQ(from_config("data_file", std::string("b.json")).data_file, "b.json");
  EXPECT_EQ(from_config("data_lines", std::string("l.txt")).data_lines, "l.txt");
  EXPECT_EQ(from_config("accept", std::string("text/html")).accept, "text/html");
  EXPECT_EQ(from_config("content_type", std::string("a/b")).content_type, "a/b");
  EXPECT_EQ(from_config("output", std::string("r.json")).output, "r.json");
}

TEST(SetConfigValue, MethodIsUpperCased) {
  EXPECT_EQ(from_config("method", std::string("post")).method, "POST");
  EXPECT_EQ(from_config("method", std::string("PaTcH")).method, "PATCH");
}

TEST(SetConfigValue, BadMethod) {
  EXPECT_EQ(config_error("method", std::string("GE T")),
            "key 'method': 'GE T' is not a valid HTTP method");
  EXPECT_EQ(config_error("method", std::string("")), "key 'method': '' is not a valid HTTP method");
}

TEST(SetConfigValue, Headers) {
  auto options = from_config("headers", std::vector<std::string>{"X-A: 1", "X-B:two  ", "X-C:"});
  ASSERT_TRUE(options.headers);
  ASSERT_EQ(options.headers->size(), 3u);
  EXPECT_EQ((*options.headers)[0].name, "X-A");
  EXPECT_EQ((*options.headers)[0].value, "1");
  EXPECT_EQ((*options.headers)[1].value, "two");
  EXPECT_EQ((*options.headers)[2].value, "");
}

TEST(SetConfigValue, HeaderValueMayHoldColons) {
  auto options = from_config("headers", std::vector<std::string>{"Referer: http://x:1/"});
  EXPECT_EQ(options.headers->front().value, "http://x:1/");
}

TEST(SetConfigValue, MalformedHeaders) {
  EXPECT_EQ(config_error("headers", std::vector<std::string>{"NoColon"}),
            "key 'headers': 'NoColon' is not a header: write it as 'Key: Value'");
  EXPECT_NE(config_error("headers", std::vector<std::string>{": v"}).find("no valid header name"),
            std::string::npos);
  EXPECT_NE(config_error("headers", std::vector<std::string>{"A B: v"}).find("no valid header"),
            std::string::npos);
  EXPECT_NE(config_error("headers", std::vector<std::string>{"A: v\r\nB: w"}).find("line break"),
            std::string::npos);
}

TEST(SetConfigValue, HeaderShortcutsRefuseLineBreaks) {
  EXPECT_EQ(config_error("accept", std::string("a\nb")),
            "key 'accept' must not contain a line break");
}

TEST(SetConfigValue, DurationsFromNumbersAndStrings) {
  EXPECT_EQ(from_config("duration", int64_t{60}).duration, seconds(60));
  EXPECT_EQ(from_config("duration", 1.5).duration, milliseconds(1500));
  EXPECT_EQ(from_config("duration", std::string("2m")).duration, seconds(120));
  EXPECT_EQ(from_config("timeout", std::string("250ms")).timeout, milliseconds(250));
  EXPECT_EQ(from_config("connect_timeout", 0.5).connect_timeout, milliseconds(500));
}

TEST(SetConfigValue, BadDurations) {
  EXPECT_EQ(config_error("duration", int64_t{0}), "key 'duration' must be greater than 0");
  EXPECT_EQ(config_error("timeout", std::string("0s")), "key 'timeout' must be greater than 0");
  EXPECT_EQ(config_error("duration", int64_t{-5}),
            "key 'duration' must be a positive number of seconds");
  EXPECT_NE(config_error("duration", std::string("soon")).find("key 'duration': invalid duration"),
            std::string::npos);
  EXPECT_EQ(config_error("duration", 1e300), "key 'duration' is too large");
  EXPECT_EQ(config_error("duration", true),
            "key 'duration' must be a number of seconds or a duration string like \"10s\", not "
            "a boolean");
}

TEST(SetConfigValue, Counts) {
  EXPECT_EQ(from_config("requests", int64_t{1000}).requests, 1000u);
  EXPECT_EQ(from_config("status", int64_t{204}).status, 204u);
  EXPECT_EQ(from_config("max_tasks", int64_t{8}).max_tasks, 8u);
  EXPECT_EQ(from_config("concurrency", int64_t{9}).max_tasks, 9u);
  EXPECT_EQ(from_config("connections", int64_t{10}).max_tasks, 10u);
  EXPECT_EQ(from_config("threads", int64_t{4}).threads, 4u);
}

TEST(SetConfigValue, CountRanges) {
  EXPECT_EQ(config_error("requests", int64_t{0}), "key 'requests' must be at least 1 (got 0)");
  EXPECT_EQ(config_error("status", int64_t{99}),
            "key 'status' must be between 100 and 999 (got 99)");
  EXPECT_EQ(config_error("status", int64_t{1000}),
            "key 'status' must be between 100 and 999 (got 1000)");
  EXPECT_EQ(config_error("max_tasks", int64_t{-1}), "key 'max_tasks' must be at least 1 (got -1)");
  EXPECT_EQ(config_error("threads", int64_t{0}), "key 'threads' must be at least 1 (got 0)");
  EXPECT_EQ(config_error("max_tasks", int64_t{5000000000}),
            "key 'max_tasks' must be at most 4294967295 (got 5000000000)");
}

TEST(SetConfigValue, CountsMustBeIntegers) {
  EXPECT_EQ(config_error("requests", std::string("100")),
            "key 'requests' must be an integer, not a string");
  EXPECT_EQ(config_error("status", 200.0), "key 'status' must be an integer, not a number");
}

TEST(SetConfigValue, Booleans) {
  EXPECT_EQ(from_config("summary", true).summary, true);
  EXPECT_EQ(from_config("no_ui", true).no_tui, true);
  EXPECT_EQ(from_config("no_tui", false).no_tui, false);
  EXPECT_EQ(from_config("no_ua", true).no_ua, true);
  EXPECT_EQ(from_config("authorized", true).authorized, true);
  EXPECT_EQ(from_config("verbose", true).verbose, true);
  EXPECT_EQ(config_error("summary", int64_t{1}),
            "key 'summary' must be true or false, not an integer");
  EXPECT_EQ(config_error("verbose", std::string("yes")),
            "key 'verbose' must be true or false, not a string");
}

TEST(SetConfigValue, OutputFormat) {
  EXPECT_EQ(from_config("output_format", std::string("json")).output_format, OutputFormat::kJson);
  EXPECT_EQ(from_config("output_format", std::string("text")).output_format, OutputFormat::kText);
  EXPECT_EQ(from_config("output_format", std::string("jsonl")).output_format, OutputFormat::kJsonl);
  EXPECT_EQ(from_config("output_format", std::string("csv")).output_format, OutputFormat::kCsv);
  EXPECT_EQ(config_error("output_format", std::string("xml")),
            "key 'output_format' must be json, jsonl, csv or text (got 'xml')");
  EXPECT_EQ(config_error("output_format", int64_t{1}),
            "key 'output_format' must be \"json\", \"jsonl\", \"csv\" or \"text\", not an "
            "integer");
}

TEST(SetConfigValue, TypeNamesInErrors) {
  EXPECT_EQ(config_error("url", int64_t{3}), "key 'url' must be a string, not an integer");
  EXPECT_EQ(config_error("url", std::vector<std::string>{}),
            "key 'url' must be a string, not an array");
  EXPECT_EQ(config_error("url", OtherType{"a table"}), "key 'url' must be a string, not a table");
  EXPECT_EQ(config_error("headers", std::string("A: b")),
            "key 'headers' must be an array of \"Key: Value\" strings, not a string");
}

TEST(SetConfigValue, AliasesSetOneSetting) {
  RawOptions options;
  ASSERT_TRUE(set_config_value(options, "max_tasks", int64_t{2}).ok());
  auto status = set_config_value(options, "concurrency", int64_t{3});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error(),
            "key 'concurrency' repeats a setting already given (max_tasks, concurrency, "
            "connections are one setting): keep one");
  ASSERT_TRUE(set_config_value(options, "no_ui", true).ok());
  EXPECT_FALSE(set_config_value(options, "no_tui", true).ok());
}

TEST(SetConfigValue, UnknownKey) {
  EXPECT_EQ(config_error("config", std::string("x")), "unknown key 'config'");
}

TEST(Merge, CommandLineWins) {
  RawOptions cli, config;
  cli.url = "http://cli/";
  config.url = "http://config/";
  config.method = "PUT";
  config.max_tasks = 7;
  cli.max_tasks = 3;
  config.summary = true;
  RawOptions merged = merge(cli, config);
  EXPECT_EQ(merged.url, "http://cli/");
  EXPECT_EQ(merged.method, "PUT");
  EXPECT_EQ(merged.max_tasks, 3u);
  EXPECT_EQ(merged.summary, true);
}

TEST(Merge, FalseOnTheCommandLineStillWins) {
  RawOptions cli, config;
  cli.no_tui = false;
  config.no_tui = true;
  EXPECT_EQ(merge(cli, config).no_tui, false);
}

TEST(Merge, EveryFieldIsTakenFromConfigWhenAbsent) {
  RawOptions config;
  config.url = "u";
  config.method = "M";
  config.headers = std::vector<Header>{{"A", "b"}};
  config.accept = "a";
  config.content_type = "c";
  config.duration = seconds(1);
  config.requests = 2;
  config.status = 201;
  config.timeout = seconds(3);
  config.connect_timeout = seconds(4);
  config.max_tasks = 5;
  config.threads = 6;
  config.summary = config.no_tui = config.no_ua = config.authorized = config.verbose = true;
  config.output = "o";
  config.output_format = OutputFormat::kText;
  config.load = LoadProfile{5, {{seconds(1), 10}}};
  config.spawn_rate = 3;
  config.spawn_interval = milliseconds(100);
  config.warmup = seconds(2);
  config.request_id_header = "X-Id";
  config.thresholds = std::vector<Threshold>{Threshold{}};
  config.abort_on_fail = true;
  config.abort_delay = seconds(7);
  RawOptions merged = merge(RawOptions{}, config);
  EXPECT_EQ(merged.load->stages.size(), 1u);
  EXPECT_EQ(merged.spawn_rate, 3u);
  EXPECT_EQ(merged.spawn_interval, milliseconds(100));
  EXPECT_EQ(merged.warmup, seconds(2));
  EXPECT_EQ(merged.request_id_header, "X-Id");
  EXPECT_EQ(merged.thresholds->size(), 1u);
  EXPECT_EQ(merged.abort_on_fail, true);
  EXPECT_EQ(merged.abort_delay, seconds(7));
  EXPECT_EQ(merged.url, "u");
  EXPECT_EQ(merged.method, "M");
  EXPECT_EQ(merged.headers->size(), 1u);
  EXPECT_EQ(merged.accept, "a");
  EXPECT_EQ(merged.content_type, "c");
  EXPECT_EQ(merged.duration, seconds(1));
  EXPECT_EQ(merged.requests, 2u);
  EXPECT_EQ(merged.status, 201u);
  EXPECT_EQ(merged.timeout, seconds(3));
  EXPECT_EQ(merged.connect_timeout, seconds(4));
  EXPECT_EQ(merged.max_tasks, 5u);
  EXPECT_EQ(merged.threads, 6u);
  EXPECT_TRUE(*merged.summary && *merged.no_tui && *merged.no_ua && *merged.authorized &&
              *merged.verbose);
  EXPECT_EQ(merged.output, "o");
  EXPECT_EQ(merged.output_format, OutputFormat::kText);
}

TEST(Merge, HeadersAreReplacedNotAppended) {
  RawOptions cli, config;
  cli.headers = std::vector<Header>{{"A", "cli"}};
  config.headers = std::vector<Header>{{"B", "config"}};
  auto merged = merge(cli, config);
  ASSERT_EQ(merged.headers->size(), 1u);
  EXPECT_EQ(merged.headers->front().value, "cli");
}

TEST(Merge, BodySettingsMoveAsOneGroup) {
  RawOptions cli, config;
  cli.data_file = "cli.json";
  config.data = "from config";
  config.data_lines = "lines.txt";
  auto merged = merge(cli, config);
  EXPECT_FALSE(merged.data);
  EXPECT_FALSE(merged.data_lines);
  EXPECT_EQ(merged.data_file, "cli.json");
  auto config_only = merge(RawOptions{}, config);
  EXPECT_EQ(config_only.data, "from config");
  EXPECT_EQ(config_only.data_lines, "lines.txt");
}

TEST(CliFlags, ShortAndLongNames) {
  auto options = cli_ok({"-u", "http://h/",  "-X", "delete", "-H", "A: 1", "-H", "B: 2",
                         "-A", "text/plain", "-T", "a/b",    "-d", "body", "-t", "5s",
                         "-s", "201",        "-m", "4",      "-o", "r.txt"});
  EXPECT_EQ(options.url, "http://h/");
  EXPECT_EQ(options.method, "DELETE");
  ASSERT_EQ(options.headers->size(), 2u);
  EXPECT_EQ((*options.headers)[1].name, "B");
  EXPECT_EQ(options.accept, "text/plain");
  EXPECT_EQ(options.content_type, "a/b");
  EXPECT_EQ(options.data, "body");
  EXPECT_EQ(options.duration, seconds(5));
  EXPECT_EQ(options.status, 201u);
  EXPECT_EQ(options.max_tasks, 4u);
  EXPECT_EQ(options.output, "r.txt");
  EXPECT_FALSE(options.requests);
  EXPECT_FALSE(options.summary);
}

TEST(CliFlags, LongNamesAndEqualsSyntax) {
  auto options = cli_ok({"--url=http://h/",
                         "--method",
                         "get",
                         "--headers",
                         "A: 1",
                         "--data-file",
                         "f",
                         "--duration",
                         "1m",
                         "--requests",
                         "10",
                         "--timeout",
                         "2s",
                         "--connect-timeout=1s",
                         "--threads",
                         "3",
                         "--output-format",
                         "text",
                         "--config",
                         "c.toml"});
  EXPECT_EQ(options.url, "http://h/");
  EXPECT_EQ(options.data_file, "f");
  EXPECT_EQ(options.duration, seconds(60));
  EXPECT_EQ(options.requests, 10u);
  EXPECT_EQ(options.timeout, seconds(2));
  EXPECT_EQ(options.connect_timeout, seconds(1));
  EXPECT_EQ(options.threads, 3u);
  EXPECT_EQ(options.output_format, OutputFormat::kText);
  EXPECT_EQ(options.config, "c.toml");
}

TEST(CliFlags, MaxTasksAliases) {
  EXPECT_EQ(cli_ok({"--max-tasks", "2"}).max_tasks, 2u);
  EXPECT_EQ(cli_ok({"--concurrency", "3"}).max_tasks, 3u);
  EXPECT_EQ(cli_ok({"--connections", "4"}).max_tasks, 4u);
  EXPECT_EQ(cli_ok({"-m", "1", "--connections", "5"}).max_tasks, 5u);
}

TEST(CliFlags, RepeatedValueFlagsTakeTheLast) {
  EXPECT_EQ(cli_ok({"-u", "http://a/", "-u", "http://b/"}).url, "http://b/");
}

TEST(CliFlags, BooleanFlags) {
  auto options = cli_ok({"--summary", "--no-tui", "--no-ua", "--authorized", "--verbose"});
  EXPECT_EQ(options.summary, true);
  EXPECT_EQ(options.no_tui, true);
  EXPECT_EQ(options.no_ua, true);
  EXPECT_EQ(options.authorized, true);
  EXPECT_EQ(options.verbose, true);
  EXPECT_EQ(cli_ok({"--summary=false"}).summary, false);
}

TEST(CliFlags, DataLines) { EXPECT_EQ(cli_ok({"-Z", "l.txt"}).data_lines, "l.txt"); }

TEST(CliFlags, ErrorsNameTheFlag) {
  EXPECT_EQ(cli_error({"--requests", "0"}), "--requests must be at least 1 (got 0)");
  EXPECT_EQ(cli_error({"--requests", "ten"}), "--requests: 'ten' is not a whole number");
  EXPECT_EQ(cli_error({"--requests", "99999999999999999999"}),
            "--requests: 99999999999999999999 is too large");
  EXPECT_EQ(cli_error({"-s", "42"}), "--status must be between 100 and 999 (got 42)");
  EXPECT_EQ(cli_error({"-m", "0"}), "--max-tasks must be at least 1 (got 0)");
  EXPECT_EQ(cli_error({"--concurrency", "0"}), "--max-tasks must be at least 1 (got 0)");
  EXPECT_EQ(cli_error({"--threads", "0"}), "--threads must be at least 1 (got 0)");
  EXPECT_EQ(cli_error({"--timeout", "0"}), "--timeout must be greater than 0");
  EXPECT_EQ(cli_error({"--connect-timeout", "0ms"}), "--connect-timeout must be greater than 0");
  EXPECT_EQ(cli_error({"-t", "0"}), "--duration must be greater than 0");
  EXPECT_NE(cli_error({"-t", "10x"}).find("--duration: invalid duration '10x'"), std::string::npos);
  EXPECT_EQ(cli_error({"-H", "broken"}),
            "--headers: 'broken' is not a header: write it as 'Key: Value'");
  EXPECT_EQ(cli_error({"-X", "G/T"}), "--method: 'G/T' is not a valid HTTP method");
  EXPECT_EQ(cli_error({"--output-format", "CSV"}),
            "--output-format must be json, jsonl, csv or text (got 'CSV')");
}

TEST(CliFlags, FirstGiven) {
  CLI::App app;
  CliFlags flags(app);
  EXPECT_EQ(flags.first_given(), "");
  std::vector<std::string> args = {"8", "--concurrency"};
  app.parse(args);
  EXPECT_EQ(flags.first_given(), "--max-tasks");
}

TEST(CliFlags, HelpShowsPlanDefaults) {
  CLI::App app;
  CliFlags flags(app);
  std::string help = app.help();
  for (const char* text :
       {"METHOD=GET", "CODE=200", "N=50", "DURATION=10s", "DURATION=5s", "--concurrency",
        "--connections", "--no-ua", "--output-format", "--rate RPS", "-r,--spawn-rate",
        "all connections at once", "-i,--spawn-interval DURATION=1s", "bare number is milliseconds",
        "--warmup DURATION=0s", "--request-id-header NAME", "--threshold EXPR",
        "--abort-on-fail"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text << "\n" << help;
  }
}

}  // namespace
}  // namespace strest

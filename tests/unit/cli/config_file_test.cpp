#include "cli/config_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "in_temp_dir_test.h"

namespace strest {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Runs each test in a fresh empty working directory, restored afterwards.
class ConfigFileTest : public InTempDirTest {
 protected:
  static RawOptions load_ok(const std::string& path) {
    auto file = load_config_file(path);
    EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error());
    return file.ok() ? file->options : RawOptions{};
  }
  static std::string load_error(const std::string& path) {
    auto file = load_config_file(path);
    EXPECT_FALSE(file.ok());
    return file.ok() ? "" : file.error();
  }
};

constexpr const char* kFullToml = R"(
url = "http://localhost:3000"
method = "post"
headers = ["Content-Type: application/json", "X-Env: local"]
accept = "application/json"
content_type = "text/plain"
data = "{}"
duration = 60
requests = 1000
status = 201
timeout = "10s"
connect_timeout = 2.5
max_tasks = 20
threads = 4
summary = true
no_ui = true
no_ua = true
authorized = true
verbose = true
output = "out.txt"
output_format = "json"
spawn_rate = 10
spawn_interval = 100
warmup = "5s"
request_id_header = "X-Request-Id"
rate = 500
thresholds = ["p99<200ms"]
)";

constexpr const char* kFullJson = R"({
  "url": "http://localhost:3000",
  "method": "post",
  "headers": ["Content-Type: application/json", "X-Env: local"],
  "accept": "application/json",
  "content_type": "text/plain",
  "data": "{}",
  "duration": 60,
  "requests": 1000,
  "status": 201,
  "timeout": "10s",
  "connect_timeout": 2.5,
  "max_tasks": 20,
  "threads": 4,
  "summary": true,
  "no_ui": true,
  "no_ua": true,
  "authorized": true,
  "verbose": true,
  "output": "out.txt",
  "output_format": "json",
  "spawn_rate": 10,
  "spawn_interval": 100,
  "warmup": "5s",
  "request_id_header": "X-Request-Id",
  "rate": 500,
  "thresholds": ["p99<200ms"]
})";

void expect_full(const RawOptions& options) {
  EXPECT_EQ(options.url, "http://localhost:3000");
  EXPECT_EQ(options.method, "POST");
  ASSERT_TRUE(options.headers);
  ASSERT_EQ(options.headers->size(), 2u);
  EXPECT_EQ((*options.headers)[1].name, "X-Env");
  EXPECT_EQ((*options.headers)[1].value, "local");
  EXPECT_EQ(options.accept, "application/json");
  EXPECT_EQ(options.content_type, "text/plain");
  EXPECT_EQ(options.data, "{}");
  EXPECT_EQ(options.duration, seconds(60));
  EXPECT_EQ(options.requests, 1000u);
  EXPECT_EQ(options.status, 201u);
  EXPECT_EQ(options.timeout, seconds(10));
  EXPECT_EQ(options.connect_timeout, milliseconds(2500));
  EXPECT_EQ(options.max_tasks, 20u);
  EXPECT_EQ(options.threads, 4u);
  EXPECT_EQ(options.summary, true);
  EXPECT_EQ(options.no_tui, true);
  EXPECT_EQ(options.no_ua, true);
  EXPECT_EQ(options.authorized, true);
  EXPECT_EQ(options.verbose, true);
  EXPECT_EQ(options.output, "out.txt");
  EXPECT_EQ(options.output_format, OutputFormat::kJson);
  EXPECT_FALSE(options.config);
  EXPECT_EQ(options.spawn_rate, 10u);
  EXPECT_EQ(options.spawn_interval, milliseconds(100));  // a bare number is milliseconds here
  EXPECT_EQ(options.warmup, seconds(5));
  EXPECT_EQ(options.request_id_header, "X-Request-Id");
  ASSERT_TRUE(options.load);
  EXPECT_EQ(options.load->start_rps, 500);
  EXPECT_TRUE(options.load->stages.empty());
  ASSERT_TRUE(options.thresholds);
  EXPECT_EQ(options.thresholds->size(), 1u);
}

TEST_F(ConfigFileTest, FullToml) {
  write("strest.toml", kFullToml);
  expect_full(load_ok("strest.toml"));
}

TEST_F(ConfigFileTest, FullJson) {
  write("strest.json", kFullJson);
  expect_full(load_ok("strest.json"));
}

TEST_F(ConfigFileTest, FileNameIsThePathAsGiven) {
  fs::create_directory("conf");
  write("conf/run.toml", "url = \"http://h/\"\n");
  auto file = load_config_file("conf/run.toml");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->name, "conf/run.toml");
}

TEST_F(ConfigFileTest, ExtensionIsCaseInsensitive) {
  write("RUN.TOML", "max_tasks = 3\n");
  write("RUN.Json", "{\"max_tasks\": 4}");
  EXPECT_EQ(load_ok("RUN.TOML").max_tasks, 3u);
  EXPECT_EQ(load_ok("RUN.Json").max_tasks, 4u);
}

TEST_F(ConfigFileTest, DurationForms) {
  write("a.toml", "duration = \"1.5m\"\ntimeout = 3\n");
  write("b.json", R"({"duration": "250ms", "timeout": 0.25})");
  EXPECT_EQ(load_ok("a.toml").duration, seconds(90));
  EXPECT_EQ(load_ok("a.toml").timeout, seconds(3));
  EXPECT_EQ(load_ok("b.json").duration, milliseconds(250));
  EXPECT_EQ(load_ok("b.json").timeout, milliseconds(250));
}

TEST_F(ConfigFileTest, NoTuiAndConcurrencyAliases) {
  write("a.toml", "no_tui = true\nconcurrency = 6\n");
  write("b.json", R"({"connections": 7})");
  EXPECT_EQ(load_ok("a.toml").no_tui, true);
  EXPECT_EQ(load_ok("a.toml").max_tasks, 6u);
  EXPECT_EQ(load_ok("b.json").max_tasks, 7u);
}

TEST_F(ConfigFileTest, EmptyFilesSetNothing) {
  write("a.toml", "");
  write("b.json", "{}");
  EXPECT_FALSE(load_ok("a.toml").url);
  EXPECT_FALSE(load_ok("b.json").url);
}

TEST_F(ConfigFileTest, UnknownKeyNamesKeyAndFile) {
  write("strest.toml", "foo = 1\n");
  write("strest.json", R"({"url": "http://h/", "foo": 1})");
  EXPECT_EQ(load_error("strest.toml"), "strest.toml: unknown key 'foo'");
  EXPECT_EQ(load_error("strest.json"), "strest.json: unknown key 'foo'");
}

TEST_F(ConfigFileTest, UnknownKeySuggestsANearMiss) {
  write("strest.toml", "max_task = 1\n");
  EXPECT_EQ(load_error("strest.toml"),
            "strest.toml: unknown key 'max_task'; did you mean 'max_tasks'?");
  write("strest.json", R"({"URL": "http://h/"})");
  EXPECT_EQ(load_error("strest.json"), "strest.json: unknown key 'URL'; did you mean 'url'?");
}

TEST_F(ConfigFileTest, DistributedTableKeysAndErrors) {
  write("x.toml", "[distributed]\nrole = \"agent\"\njoin = \"10.0.0.5:9009\"\nweight = 2\n");
  auto file = load_config_file("x.toml");
  ASSERT_TRUE(file.ok()) << file.error();
  EXPECT_EQ(file->options.dist_role, "agent");
  EXPECT_EQ(file->options.agent_join, "10.0.0.5:9009");
  EXPECT_EQ(file->options.agent_weight, 2u);
  EXPECT_NE(std::find(file->keys.begin(), file->keys.end(), "distributed.join"), file->keys.end());
  write("x.toml", "[distributed]\nlistn = \"127.0.0.1:9009\"\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: unknown key 'distributed.listn'; did you mean 'listen'?");
  write("x.toml", "[distributed]\nweight = \"2\"\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: key 'distributed.weight' must be an integer, not a string");
  write("x.toml", "[distributed]\nrole = \"boss\"\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: key 'distributed.role' must be \"controller\" or \"agent\" (got 'boss')");
  write("x.toml", "controller_listen = \"127.0.0.1:9009\"\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: unknown key 'controller_listen': it is key 'listen' of the [distributed] "
            "table (or pass --controller-listen)");
  write("x.toml", "distributed = 3\n");
  EXPECT_NE(load_error("x.toml").find("key 'distributed' must be a table"), std::string::npos);
  write("x.toml", "install_service = true\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: key 'install_service' cannot be set in a config file: it is command-line "
            "only; pass --install-service");
}

// The reference README's [sinks] example, and its JSON form.
TEST_F(ConfigFileTest, SinksTomlAndJson) {
  write("strest.toml",
        "[sinks]\nupdate_interval_ms = 500\n[sinks.prometheus]\npath = \"./out/strest.prom\"\n"
        "[sinks.otel]\npath = \"./out/strest.otel.json\"\n[sinks.influx]\n"
        "path = \"./out/strest.influx\"\n");
  RawOptions toml = load_ok("strest.toml");
  ASSERT_TRUE(toml.sinks);
  EXPECT_EQ(toml.sinks->update_interval, milliseconds(500));
  EXPECT_EQ(toml.sinks->prometheus_path, "./out/strest.prom");
  EXPECT_EQ(toml.sinks->otel_path, "./out/strest.otel.json");
  EXPECT_EQ(toml.sinks->influx_path, "./out/strest.influx");
  write("strest.json", R"({"sinks": {"prometheus": {"path": "m.prom"}}})");
  RawOptions json = load_ok("strest.json");
  ASSERT_TRUE(json.sinks);
  EXPECT_EQ(json.sinks->update_interval, milliseconds(1000));
  EXPECT_EQ(json.sinks->prometheus_path, "m.prom");
  EXPECT_FALSE(json.sinks->influx_path);
}

TEST_F(ConfigFileTest, SinksErrorsNameTheFileAndKey) {
  write("strest.toml", "[sinks.prometheus]\npth = \"x\"\n");
  EXPECT_EQ(load_error("strest.toml"),
            "strest.toml: unknown key 'sinks.prometheus.pth'; did you mean 'path'?");
  write("strest.json", R"({"sinks": {"prometheus": {}}})");
  EXPECT_EQ(load_error("strest.json"),
            "strest.json: key 'sinks.prometheus' needs a path, e.g. path = \"./out/strest.prom\"");
  write("x.toml", "[sinks]\nupdate_interval_ms = 0\n");
  EXPECT_EQ(load_error("x.toml"),
            "x.toml: key 'sinks.update_interval_ms' must be an integer above 0 (got 0)");
}

TEST_F(ConfigFileTest, NestedTablesDecodeForEveryKey) {
  write("a.toml", "url = { host = \"h\" }\n");
  EXPECT_EQ(load_error("a.toml"), "a.toml: key 'url' must be a string, not a table");
  write("a.toml", "[[summary]]\nx = 1\n");
  EXPECT_EQ(load_error("a.toml"),
            "a.toml: key 'summary' must be true or false, not an array of "
            "tables");
  write("b.json", R"({"summary": [{"a": 1}]})");
  EXPECT_EQ(load_error("b.json"),
            "b.json: key 'summary' must be true or false, not an array of "
            "objects");
  write("b.json", R"({"headers": ["A: b", {"c": 1}]})");
  EXPECT_EQ(load_error("b.json"),
            "b.json: key 'headers' must be an array of \"Key: Value\" "
            "strings, not an array mixing tables and strings");
}

TEST_F(ConfigFileTest, TypeErrorsNameKeyAndType) {
  write("a.toml", "requests = \"100\"\n");
  EXPECT_EQ(load_error("a.toml"), "a.toml: key 'requests' must be an integer, not a string");
  write("a.toml", "headers = \"A: b\"\n");
  EXPECT_EQ(load_error("a.toml"),
            "a.toml: key 'headers' must be an array of \"Key: Value\" strings, not a string");
  write("a.toml", "headers = [1, 2]\n");
  EXPECT_EQ(load_error("a.toml"),
            "a.toml: key 'headers' must be an array of \"Key: Value\" strings, not an array "
            "with non-string items");
  write("a.toml", "url = { host = \"h\" }\n");
  EXPECT_EQ(load_error("a.toml"), "a.toml: key 'url' must be a string, not a table");
  write("a.toml", "duration = 1979-05-27\n");
  EXPECT_EQ(load_error("a.toml"),
            "a.toml: key 'duration' must be a number of seconds or a duration string like "
            "\"10s\", not a date or time");
  write("b.json", R"({"url": null})");
  EXPECT_EQ(load_error("b.json"), "b.json: key 'url' must be a string, not null");
  write("b.json", R"({"summary": {"a": 1}})");
  EXPECT_EQ(load_error("b.json"), "b.json: key 'summary' must be true or false, not an object");
  write("b.json", R"({"requests": 18446744073709551615})");
  EXPECT_EQ(load_error("b.json"),
            "b.json: key 'requests' must be an integer, not an integer that is too large");
  write("b.json", R"({"status": 200.5})");
  EXPECT_EQ(load_error("b.json"), "b.json: key 'status' must be an integer, not a number");
}

TEST_F(ConfigFileTest, ValueErrorsNameKeyAndFile) {
  write("a.toml", "status = 42\n");
  EXPECT_EQ(load_error("a.toml"), "a.toml: key 'status' must be between 100 and 999 (got 42)");
  write("a.toml", "headers = [\"nocolon\"]\n");
  EXPECT_EQ(load_error("a.toml"),
            "a.toml: key 'headers': 'nocolon' is not a header: write it as 'Key: Value'");
  write("a.toml", "duration = \"soon\"\n");
  EXPECT_NE(load_error("a.toml").find("a.toml: key 'duration': invalid duration 'soon'"),
            std::string::npos);
}

TEST_F(ConfigFileTest, TwoNamesOfOneSetting) {
  write("a.toml", "max_tasks = 2\nconcurrency = 3\n");
  EXPECT_NE(load_error("a.toml").find("a.toml: key "), std::string::npos);
  EXPECT_NE(load_error("a.toml").find("keep one"), std::string::npos);
  write("b.json", R"({"no_ui": true, "no_tui": false})");
  EXPECT_NE(load_error("b.json").find("keep one"), std::string::npos);
}

TEST_F(ConfigFileTest, SyntaxErrors) {
  write("a.toml", "url = \"http://h/\"\nmax_tasks = \n");
  std::string toml_error = load_error("a.toml");
  EXPECT_EQ(toml_error.rfind("a.toml: invalid TOML at line 2, column ", 0), 0u) << toml_error;
  write("b.json", "{\"url\": \"http://h/\",}");
  std::string json_error = load_error("b.json");
  EXPECT_EQ(json_error.rfind("b.json: invalid JSON: parse error at line 1", 0), 0u) << json_error;
  write("b.json", "[1, 2]");
  EXPECT_EQ(load_error("b.json"), "b.json: the top level must be a JSON object");
}

TEST_F(ConfigFileTest, UnsupportedExtension) {
  write("strest.yaml", "url: x\n");
  EXPECT_EQ(load_error("strest.yaml"), "config file 'strest.yaml' must end in .toml or .json");
  EXPECT_EQ(load_error("noext"), "config file 'noext' must end in .toml or .json");
}

TEST_F(ConfigFileTest, MissingFile) {
  EXPECT_EQ(load_error("nope.toml"),
            "config file: cannot read 'nope.toml': No such file or directory");
}

TEST_F(ConfigFileTest, DirectoryIsNotAFile) {
  fs::create_directory("dir.toml");
  EXPECT_EQ(load_error("dir.toml"), "config file: cannot read 'dir.toml': it is a directory");
}

TEST_F(ConfigFileTest, DiscoveryFindsNothingInAnEmptyDirectory) {
  EXPECT_FALSE(find_config_file());
  auto config = load_config(std::nullopt);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->name, "");
  EXPECT_FALSE(config->options.url);
}

TEST_F(ConfigFileTest, DiscoveryFindsJson) {
  write("strest.json", R"({"url": "http://json/"})");
  EXPECT_EQ(find_config_file(), "strest.json");
  auto config = load_config(std::nullopt);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->name, "strest.json");
  EXPECT_EQ(config->options.url, "http://json/");
}

TEST_F(ConfigFileTest, DiscoveryPrefersToml) {
  write("strest.json", R"({"url": "http://json/"})");
  write("strest.toml", "url = \"http://toml/\"\n");
  EXPECT_EQ(find_config_file(), "strest.toml");
  EXPECT_EQ(load_config(std::nullopt)->options.url, "http://toml/");
}

TEST_F(ConfigFileTest, ExplicitPathBeatsDiscovery) {
  write("strest.toml", "url = \"http://toml/\"\n");
  write("other.json", R"({"url": "http://other/"})");
  auto config = load_config(std::string("other.json"));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->name, "other.json");
  EXPECT_EQ(config->options.url, "http://other/");
}

TEST_F(ConfigFileTest, DiscoveredFileErrorsUseItsName) {
  write("strest.toml", "bogus = true\n");
  auto config = load_config(std::nullopt);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error(), "strest.toml: unknown key 'bogus'");
}

TEST_F(ConfigFileTest, ReadUserFileKeepsBytes) {
  std::string bytes("a\0b\r\n", 5);
  write("body.bin", bytes);
  auto text = read_user_file("body.bin");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, bytes);
  EXPECT_EQ(read_user_file("missing").error(), "cannot read 'missing': No such file or directory");
}

}  // namespace
}  // namespace strest

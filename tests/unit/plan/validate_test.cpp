// validate(): a Plan built in code (as a controller or a scenario would) gets the same checks as
// one from the command line, and its messages name the flag, or the config key when the
// SettingOrigins say the value came from a file.
#include "plan/validate.h"

#include <gtest/gtest.h>

#include "log_capture.h"

namespace strest {
namespace {

using std::chrono::seconds;

Plan http_plan() {
  Plan plan;
  plan.url = *parse_url("http://127.0.0.1:8080/");
  return plan;
}

Plan https_plan() {
  Plan plan;
  plan.url = *parse_url("https://127.0.0.1:8443/");
  return plan;
}

SettingOrigins from_file(std::string_view flag, std::string key) {
  SettingOrigins origins;
  origins.record(flag, SettingOrigin::config_key("strest.toml", std::move(key)));
  return origins;
}

std::string error_of(const Plan& plan, const SettingOrigins& origins = {}) {
  auto status = validate(plan, origins);
  EXPECT_FALSE(status.ok());
  return status.ok() ? "" : status.error();
}

TEST(Validate, AcceptsADefaultPlan) {
  EXPECT_TRUE(validate(http_plan()).ok());
  EXPECT_TRUE(validate(https_plan()).ok());
}

TEST(Validate, RefusesNumbersOutOfBounds) {
  Plan plan = http_plan();
  plan.max_tasks = 0;
  EXPECT_EQ(error_of(plan), "--max-tasks must be between 1 and 4294967295 (got 0)");
  plan = http_plan();
  plan.threads = 51;
  EXPECT_EQ(error_of(plan), "--threads must be between 1 and 50 (got 51)");
  plan = http_plan();
  plan.expected_status = 42;
  EXPECT_EQ(error_of(plan, from_file("--status", "status")),
            "strest.toml: key 'status' must be between 100 and 999 (got 42)");
  plan = http_plan();
  plan.timeout = Micros{0};
  EXPECT_EQ(error_of(plan), "--timeout must be greater than 0 (got 0s)");
  plan = http_plan();
  plan.log_shards = 65;
  EXPECT_EQ(error_of(plan), "--log-shards must be between 1 and 64 (got 65)");
  plan = https_plan();
  plan.transport.tls_max = 14;
  EXPECT_EQ(error_of(plan), "--tls-max must be 1.0, 1.1, 1.2 or 1.3");
}

TEST(Validate, NamesTheFlagWhenThereIsNoRecord) {
  Plan plan = http_plan();
  plan.warmup = seconds(10);
  EXPECT_EQ(error_of(plan),
            "--warmup (10s) must be shorter than the run (10s, the default; set -t)");
}

TEST(Validate, NamesTheConfigKeyAValueCameFrom) {
  Plan plan = http_plan();
  plan.duration = seconds(20);
  plan.warmup = seconds(30);
  SettingOrigins origins = from_file("--warmup", "warmup");
  origins.record("--duration", SettingOrigin::config_key("strest.toml", "duration"));
  EXPECT_EQ(error_of(plan, origins),
            "strest.toml: key 'warmup' (30s) must be shorter than the run (20s, duration in "
            "strest.toml)");
}

TEST(Validate, SaysHowADerivedValueCameAbout) {
  Plan plan = http_plan();
  plan.duration = seconds(20);
  plan.warmup = seconds(20);
  SettingOrigins origins;
  origins.record("--duration", SettingOrigin::derived("the load stages in all"));
  EXPECT_FALSE(origins.given("--duration"));
  EXPECT_EQ(error_of(plan, origins),
            "--warmup (20s) must be shorter than the run (20s, the load stages in all)");
}

TEST(Validate, RefusesNoUserAgentWithoutAuthorization) {
  Plan plan = http_plan();
  plan.send_user_agent = false;
  EXPECT_EQ(error_of(plan), "--no-ua requires --authorized (confirm you may test this target)");
  EXPECT_EQ(error_of(plan, from_file("--no-ua", "no_ua")).rfind("strest.toml: no_ua = true", 0),
            0u);
  plan.authorized = true;
  EXPECT_TRUE(validate(plan).ok());
}

TEST(Validate, RefusesAbortOnFailWithoutThresholds) {
  Plan plan = http_plan();
  plan.abort_on_fail = true;
  EXPECT_EQ(error_of(plan).rfind("--abort-on-fail needs a threshold", 0), 0u);
  plan.thresholds.push_back(*parse_threshold("p99<200ms"));
  EXPECT_TRUE(validate(plan).ok());
}

TEST(Validate, RefusesOneFileWrittenTwice) {
  Plan plan = http_plan();
  plan.output_path = "out/../run.json";
  plan.export_json = "run.json";
  EXPECT_EQ(error_of(plan),
            "--output and --export-json both write 'run.json': give each its own file");
  EXPECT_EQ(error_of(plan, from_file("--export-json", "export_json")),
            "--output and strest.toml: key 'export_json' both write 'run.json': give each its own "
            "file");
}

TEST(Validate, RefusesExportsWithoutTheRunLog) {
  Plan plan = http_plan();
  plan.run_log = false;
  plan.export_csv = "run.csv";
  EXPECT_EQ(error_of(plan), "--export-csv needs the run log: drop --no-run-log");
  SettingOrigins origins = from_file("--no-run-log", "no_run_log");
  origins.record("--export-csv", SettingOrigin::config_key("strest.toml", "export_csv"));
  EXPECT_EQ(error_of(plan, origins),
            "strest.toml: key 'export_csv' needs the run log: drop strest.toml: key 'no_run_log'");
}

TEST(Validate, RefusesARequestIdHeaderThatIsAlsoFixed) {
  Plan plan = http_plan();
  plan.headers.push_back({"x-request-id", "7"});
  plan.request_id_header = "X-Request-Id";
  EXPECT_EQ(error_of(plan),
            "--request-id-header: x-request-id is also given as a fixed header; drop one of them");
}

TEST(Validate, RefusesAMetricsRangeAfterTheRun) {
  Plan plan = http_plan();
  plan.duration = seconds(5);
  plan.metrics_window.from = seconds(5);
  EXPECT_EQ(error_of(plan),
            "--metrics-range starts at 5s, when the run is over (5s, --duration): nothing would "
            "be exported");
}

TEST(Validate, SpawnIntervalNeedsASpawnRateOnlyWhenGiven) {
  Plan plan = http_plan();
  plan.spawn_interval = seconds(2);
  EXPECT_TRUE(validate(plan).ok());  // no record: the Plan's own default, not a user's setting
  SettingOrigins origins;
  origins.record("--spawn-interval", SettingOrigin::flag());
  EXPECT_EQ(error_of(plan, origins).rfind("--spawn-interval needs --spawn-rate", 0), 0u);
  plan.spawn_rate = 10;
  EXPECT_TRUE(validate(plan, origins).ok());
}

TEST(Validate, TransportCombinations) {
  Plan plan = https_plan();
  plan.transport.http2 = true;
  plan.transport.http3 = true;
  EXPECT_EQ(error_of(plan), "--http2 and --http3 exclude each other: pick one protocol");
  EXPECT_EQ(error_of(plan, from_file("--http2", "http2")),
            "strest.toml: key 'http2' and --http3 exclude each other: pick one protocol");
  plan.transport.http2 = false;
  plan.transport.alpn = {"h2"};
  EXPECT_EQ(error_of(plan), "--alpn does not apply to --http3: QUIC always offers h3");
  plan = https_plan();
  plan.transport.tls_min = 13;
  plan.transport.tls_max = 12;
  EXPECT_EQ(error_of(plan, from_file("--tls-max", "tls_max")),
            "--tls-min 1.3 is above strest.toml: key 'tls_max' 1.2: no TLS version is left; lower "
            "the minimum");
  plan = https_plan();
  plan.transport.cert = "client.pem";
  EXPECT_EQ(error_of(plan), "--cert needs --key, the certificate's private key");
}

TEST(Validate, StreamsPerConnectionNeedHttp2OrHttp3WhenGiven) {
  Plan plan = http_plan();
  SettingOrigins origins = from_file("--streams-per-connection", "streams_per_connection");
  EXPECT_EQ(error_of(plan, origins),
            "strest.toml: key 'streams_per_connection' applies to HTTP/2 and HTTP/3 only: add "
            "--http2 or --http3");
  plan.transport.http2 = true;
  EXPECT_TRUE(validate(plan, origins).ok());
}

TEST(Validate, TlsSettingForCleartextIsAnErrorFromAFlag) {
  Plan plan = http_plan();
  plan.transport.tls_min = 12;
  EXPECT_EQ(error_of(plan), "--tls-min applies to https:// URLs only: use an https:// --url");
}

TEST(Validate, TlsSettingForCleartextIsAWarningFromAConfigFile) {
  Plan plan = http_plan();
  plan.transport.tls_min = 12;
  plan.transport.alpn = {"h2"};
  SettingOrigins origins = from_file("--tls-min", "tls_min");
  origins.record("--alpn", SettingOrigin::config_key("strest.toml", "alpn"));
  LogCapture log;
  EXPECT_TRUE(validate(plan, origins).ok());
  EXPECT_EQ(log.text(),
            "strest: warning: strest.toml: key 'tls_min' applies to https:// URLs only; ignored "
            "for this http:// run\n"
            "strest: warning: strest.toml: key 'alpn' applies to https:// URLs only; ignored for "
            "this http:// run\n");
}

TEST(Validate, AConfigsTlsKeysForCleartextAreNotCheckedTogether) {
  Plan plan = http_plan();
  plan.transport.cert = "client.pem";  // no key: would be refused for https://
  LogCapture log;
  EXPECT_TRUE(validate(plan, from_file("--cert", "cert")).ok());
  EXPECT_EQ(log.text(),
            "strest: warning: strest.toml: key 'cert' applies to https:// URLs only; ignored for "
            "this http:// run\n");
  EXPECT_EQ(error_of(plan), "--cert applies to https:// URLs only: use an https:// --url");
}

TEST(Validate, TlsWarningsAreSilencedAtErrorLevel) {
  Plan plan = http_plan();
  plan.transport.insecure = true;
  LogCapture log(LogLevel::kError);
  EXPECT_TRUE(validate(plan, from_file("--insecure", "insecure")).ok());
  EXPECT_EQ(log.text(), "");
}

TEST(Validate, ReplayWindowsAndOutputs) {
  Plan plan;
  plan.replay = ReplayOptions{};
  plan.replay->start = seconds(30);
  plan.replay->end = seconds(10);
  EXPECT_EQ(error_of(plan), "--replay-start (30s) must be before --replay-end (10s)");
  plan.replay = ReplayOptions{};
  plan.replay->source_kind = ReplayOptions::Source::kJsonl;
  plan.replay->source = "run.jsonl";
  plan.output_path = "./run.jsonl";
  EXPECT_EQ(error_of(plan),
            "--output would overwrite 'run.jsonl', the export --export-jsonl replays: give another "
            "file");
}

TEST(Validate, ReplaySkipsTheChecksOfWhatIsSent) {
  Plan plan;  // no URL: a replay sends nothing
  plan.replay = ReplayOptions{};
  plan.transport.tls_min = 12;
  EXPECT_TRUE(validate(plan).ok());
}

}  // namespace
}  // namespace strest

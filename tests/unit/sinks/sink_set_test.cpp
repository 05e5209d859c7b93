// SinkSet: which snapshots write (every update_interval of elapsed time, once per interval, and
// always at the end), what each file holds, and what a failing file does.
#include "sinks/sink_set.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "in_temp_dir_test.h"
#include "log_capture.h"
#include "sample_tally.h"

namespace strest {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr int64_t kNow = 1'700'000'000'000'000'000;

class SinkSetTest : public InTempDirTest {
 protected:
  void SetUp() override {
    InTempDirTest::SetUp();
    plan_.url = *parse_url("http://127.0.0.1:8080/");
    plan_.sinks = SinksConfig{.update_interval = milliseconds(1000),
                              .prometheus_path = "out/strest.prom",
                              .otel_path = "out/strest.otel.json",
                              .influx_path = "out/strest.influx"};
  }

  SinkSet make_sinks() {
    SinkSet::UnixClock fixed_clock = [] { return kNow; };
    return SinkSet(plan_, fixed_clock);
  }
  Snapshot at(int64_t elapsed_ms) const {
    return Snapshot{.elapsed_us = elapsed_ms * 1000, .totals = &tally_};
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The value of the strest_elapsed_seconds sample in the Prometheus file.
  static std::string prometheus_elapsed() {
    const std::string text = read("out/strest.prom");
    const std::string prefix = "strest_elapsed_seconds{target=\"http://127.0.0.1:8080/\"} ";
    const size_t at = text.find(prefix);
    if (at == std::string::npos) return "";
    return text.substr(at + prefix.size(), text.find('\n', at) - at - prefix.size());
  }

  Plan plan_;
  Tally tally_ = sample_tally();
  LogCapture warnings_;
};

TEST_F(SinkSetTest, NothingIsWrittenBeforeTheFirstInterval) {
  SinkSet sinks = make_sinks();
  EXPECT_TRUE(sinks.active());
  sinks.on_snapshot(at(100));
  sinks.on_snapshot(at(500));
  sinks.on_snapshot(at(999));
  EXPECT_FALSE(fs::exists("out"));
}

TEST_F(SinkSetTest, EveryFileIsWrittenWhenTheIntervalIsReached) {
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(1000));
  EXPECT_EQ(prometheus_elapsed(), "1");
  EXPECT_TRUE(nlohmann::json::accept(read("out/strest.otel.json")));
  EXPECT_EQ(read("out/strest.influx").rfind("strest,target=http://127.0.0.1:8080/ ", 0), 0u);
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator("out"), fs::directory_iterator()).size(),
            3u)
      << "no temporary files left";
  EXPECT_FALSE(sinks.last_write_failed());
  EXPECT_EQ(warnings_.text(), "");
}

TEST_F(SinkSetTest, WritesOncePerInterval) {
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(1000));
  sinks.on_snapshot(at(1500));
  EXPECT_EQ(prometheus_elapsed(), "1");
  sinks.on_snapshot(at(1999));
  EXPECT_EQ(prometheus_elapsed(), "1");
  sinks.on_snapshot(at(2000));
  EXPECT_EQ(prometheus_elapsed(), "2");
}

// A late snapshot (the Collector was slow) writes once; the next due time stays on the grid.
TEST_F(SinkSetTest, LateSnapshotWritesOnceAndKeepsTheGrid) {
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(1000));
  sinks.on_snapshot(at(3700));
  EXPECT_EQ(prometheus_elapsed(), "3.7");
  sinks.on_snapshot(at(3900));
  EXPECT_EQ(prometheus_elapsed(), "3.7");
  sinks.on_snapshot(at(4000));
  EXPECT_EQ(prometheus_elapsed(), "4");
}

TEST_F(SinkSetTest, FinishAlwaysWritesTheFinalTotals) {
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(500));
  EXPECT_FALSE(fs::exists("out/strest.prom"));
  tally_.ok = 10;
  sinks.on_finish(at(700));
  EXPECT_EQ(prometheus_elapsed(), "0.7");
  EXPECT_NE(read("out/strest.prom").find("outcome=\"ok\"} 10\n"), std::string::npos);
  EXPECT_NE(read("out/strest.influx").find(",requests_ok=10i,"), std::string::npos);
  // Right after an interval write too: the end always gets its own write.
  sinks.on_snapshot(at(1000));
  tally_.ok = 11;
  sinks.on_finish(at(1000));
  EXPECT_NE(read("out/strest.prom").find("outcome=\"ok\"} 11\n"), std::string::npos);
}

TEST_F(SinkSetTest, IntervalComesFromTheConfig) {
  plan_.sinks->update_interval = milliseconds(200);
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(100));
  EXPECT_FALSE(fs::exists("out/strest.prom"));
  sinks.on_snapshot(at(200));
  EXPECT_EQ(prometheus_elapsed(), "0.2");
}

TEST_F(SinkSetTest, RatesLeaveTheWarmupOut) {
  plan_.warmup = milliseconds(500);
  SinkSet sinks = make_sinks();
  sinks.on_finish(at(2500));  // 6 requests over 2 measured seconds
  const std::string rps = "strest_requests_per_second{target=\"http://127.0.0.1:8080/\"} 3\n";
  EXPECT_NE(read("out/strest.prom").find(rps), std::string::npos);
}

TEST_F(SinkSetTest, TimestampsComeFromTheGivenClock) {
  SinkSet sinks = make_sinks();
  sinks.on_finish(at(2000));
  EXPECT_NE(read("out/strest.influx").find(" 1700000000000000000\n"), std::string::npos);
  const auto otel = nlohmann::json::parse(read("out/strest.otel.json"));
  const auto& point =
      otel["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]["dataPoints"][0];
  EXPECT_EQ(point["timeUnixNano"], "1700000000000000000");
  EXPECT_EQ(point["startTimeUnixNano"], "1699999998000000000");
}

TEST_F(SinkSetTest, OnlyConfiguredFilesAreWritten) {
  plan_.sinks = SinksConfig{};
  plan_.sinks->influx_path = "only.influx";
  SinkSet sinks = make_sinks();
  sinks.on_finish(at(100));
  EXPECT_TRUE(fs::exists("only.influx"));
  EXPECT_FALSE(fs::exists("out"));
}

TEST_F(SinkSetTest, NoSinksConfiguredDoesNothing) {
  plan_.sinks.reset();
  SinkSet sinks = make_sinks();
  EXPECT_FALSE(sinks.active());
  sinks.on_snapshot(at(5000));
  sinks.on_finish(at(6000));
  EXPECT_TRUE(fs::is_empty("."));
}

TEST_F(SinkSetTest, FailingFileWarnsOnceAndTheOthersStillWrite) {
  std::ofstream("blocker") << "a file where a directory should be";
  plan_.sinks->prometheus_path = "blocker/strest.prom";
  SinkSet sinks = make_sinks();
  sinks.on_snapshot(at(1000));
  sinks.on_snapshot(at(2000));
  sinks.on_finish(at(2100));
  EXPECT_TRUE(sinks.last_write_failed());
  EXPECT_TRUE(fs::exists("out/strest.influx"));
  const std::string text = warnings_.text();
  EXPECT_EQ(text.rfind("strest: warning: cannot write sink file 'blocker/strest.prom' (", 0), 0u)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
}

}  // namespace
}  // namespace strest

#include "report/summary_text.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <optional>
#include <sstream>

namespace strest {
namespace {

RunResult sample_run() {
  RunResult run;
  run.target = "http://127.0.0.1:8080/items";
  run.wall = std::chrono::microseconds(2'500'000);
  Tally& t = run.totals;
  t.ok = 12'000;
  t.non_expected_status = 30;
  t.timeouts = 12;
  t.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kConnect)] = 2;
  t.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)] = 10;
  t.transport_errors = 4;
  t.transport_by_kind[static_cast<size_t>(TransportError::kConnectRefused)] = 3;
  t.transport_by_kind[static_cast<size_t>(TransportError::kReset)] = 1;
  t.cancelled = 50;
  t.bytes_received = 12'902'345;
  t.status_counts[200] = 12'000;
  t.status_counts[503] = 30;
  t.latency_all.record_n(412, 7'000);
  t.latency_all.record_n(700, 5'030);
  t.latency_ok.record_n(412, 6'000);
  t.latency_ok.record_n(650, 6'000);
  return run;
}

std::string render(const RunResult& run, bool color, const Plan& plan = Plan{}) {
  std::ostringstream out;
  write_summary_text(run, plan, out, color);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
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

TEST(SummaryText, HasEverySection) {
  const std::string text = render(sample_run(), false);
  for (const char* section : {"Summary", "Requests", "Throughput", "Latency (ms)", "Status codes",
                              "Insight", "Latency histogram"}) {
    EXPECT_TRUE(contains(text, std::string("\n") + section) || text.rfind(section, 0) == 0)
        << section << "\n"
        << text;
  }
  EXPECT_TRUE(contains(line_starting(text, "Target"), "http://127.0.0.1:8080/items"));
  EXPECT_TRUE(contains(line_starting(text, "Duration"), "2.500 s"));
}

TEST(SummaryText, CountsAndErrorClasses) {
  const std::string text = render(sample_run(), false);
  EXPECT_TRUE(contains(line_starting(text, "Completed"), "12,046")) << text;
  EXPECT_TRUE(contains(line_starting(text, "OK"), "12,000"));
  EXPECT_TRUE(contains(line_starting(text, "OK"), "99.62%"));
  EXPECT_TRUE(contains(line_starting(text, "Errors"), "46"));
  const std::string timeouts = line_starting(text, "Timeouts");
  EXPECT_TRUE(contains(timeouts, "12") && contains(timeouts, "connect 2, request 10")) << timeouts;
  EXPECT_TRUE(contains(line_starting(text, "Transport errors"), "4"));
  EXPECT_TRUE(contains(line_starting(text, "connect_refused"), "3"));
  EXPECT_TRUE(contains(line_starting(text, "reset"), "1"));
  EXPECT_TRUE(contains(line_starting(text, "Non-expected status"), "30"));
  EXPECT_TRUE(contains(line_starting(text, "Non-expected status"), "expected 200"));
  const std::string cancelled = line_starting(text, "Cancelled");
  EXPECT_TRUE(contains(cancelled, "50")) << cancelled;
  EXPECT_TRUE(contains(cancelled, "not errors, not latency samples")) << cancelled;
}

TEST(SummaryText, ThroughputAndBytes) {
  const std::string text = render(sample_run(), false);
  EXPECT_TRUE(contains(line_starting(text, "Requests/sec"), "4,818.40")) << text;  // 12046 / 2.5
  EXPECT_TRUE(contains(line_starting(text, "Requests/min"), "289,104.0"));
  const std::string received = line_starting(text, "Received");
  EXPECT_TRUE(contains(received, "12.30 MiB") && contains(received, "12,902,345 bytes"))
      << received;
}

TEST(SummaryText, PercentileTableHasAllAndOkColumns) {
  const std::string text = render(sample_run(), false);
  const std::string header = line_starting(text, "all");
  EXPECT_TRUE(contains(header, "ok")) << text;
  EXPECT_LT(header.find("all"), header.find("ok"));
  const std::string p50 = line_starting(text, "p50");
  EXPECT_TRUE(contains(p50, "0.412")) << p50;
  const std::string max = line_starting(text, "max");
  EXPECT_TRUE(contains(max, "0.700") && contains(max, "0.650")) << max;
  for (const char* label : {"min", "avg", "p90", "p95", "p99 ", "p99.9"}) {
    EXPECT_FALSE(line_starting(text, label).empty()) << label;
  }
  // Columns line up: every percentile row has the same length.
  EXPECT_EQ(line_starting(text, "p50").size(), line_starting(text, "p99.9").size());
}

TEST(SummaryText, StatusCodesInsightAndHistogram) {
  const std::string text = render(sample_run(), false);
  EXPECT_TRUE(contains(line_starting(text, "[200]"), "12,000"));
  EXPECT_TRUE(contains(line_starting(text, "[503]"), "30"));
  EXPECT_TRUE(contains(text, "Latency spread p99/p50 = 1.6x -- good consistency")) << text;
  EXPECT_TRUE(contains(text, "Tail ratio p99/p95 = 1.0x -- clean tail"));
  EXPECT_TRUE(contains(text, "Outlier ratio p99.9/p99 = 1.0x -- no significant outliers"));
  EXPECT_TRUE(contains(text, "0.412 ms [7,000] "));
  EXPECT_TRUE(contains(text, "\xe2\x96\x88"));
}

TEST(SummaryText, StopReasons) {
  RunResult run = sample_run();
  EXPECT_TRUE(contains(line_starting(render(run, false), "Stopped"), "duration reached"));
  run.stop_reason = StopReason::kRequestCount;
  EXPECT_TRUE(contains(line_starting(render(run, false), "Stopped"), "request count reached"));
  run.stop_reason = StopReason::kSignal;
  run.signal = SIGINT;
  EXPECT_TRUE(contains(line_starting(render(run, false), "Stopped"), "interrupted by SIGINT"));
  run.signal = SIGTERM;
  EXPECT_TRUE(contains(line_starting(render(run, false), "Stopped"), "interrupted by SIGTERM"));
}

TEST(SummaryText, NoEscapesWithoutColour) {
  EXPECT_FALSE(contains(render(sample_run(), false), "\x1b"));
  EXPECT_FALSE(contains(render(RunResult{}, false), "\x1b"));
}

TEST(SummaryText, EscapesWithColour) {
  const std::string text = render(sample_run(), true);
  EXPECT_TRUE(contains(text, "\x1b[1mSummary\x1b[0m"));
  EXPECT_TRUE(contains(text, "\x1b[38;5;"));  // histogram gradient
  EXPECT_TRUE(contains(text, "\x1b[32mgood consistency\x1b[0m"));
}

TEST(SummaryText, EmptyRunDoesNotCrash) {
  RunResult run;
  run.target = "http://localhost/";
  const std::string text = render(run, false);
  EXPECT_TRUE(contains(text, "(no latency samples)"));
  EXPECT_TRUE(contains(text, "(no responses)"));
  EXPECT_TRUE(contains(line_starting(text, "p50"), "-"));
  EXPECT_TRUE(contains(text, "= n/a -- no latency samples"));
  EXPECT_TRUE(contains(line_starting(text, "Requests/sec"), "0.00"));
}

// Sets or clears an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A pseudo-terminal's follower side, so use_color sees a real tty.
class PseudoTerminal {
 public:
  PseudoTerminal() {
    leader_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (leader_ < 0 || grantpt(leader_) != 0 || unlockpt(leader_) != 0) return;
    const char* name = ptsname(leader_);
    if (name != nullptr) follower_ = open(name, O_RDWR | O_NOCTTY);
  }
  ~PseudoTerminal() {
    if (follower_ >= 0) close(follower_);
    if (leader_ >= 0) close(leader_);
  }
  int fd() const { return follower_; }

 private:
  int leader_ = -1;
  int follower_ = -1;
};

TEST(UseColor, NeverForPipes) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ScopedEnv no_color("NO_COLOR", nullptr);
  ScopedEnv term("TERM", "xterm-256color");
  EXPECT_FALSE(use_color(fds[1]));
  close(fds[0]);
  close(fds[1]);
}

TEST(UseColor, HonoursNoColorAndDumbTerminals) {
  PseudoTerminal tty;
  if (tty.fd() < 0) GTEST_SKIP() << "no pseudo-terminal available";
  ScopedEnv term("TERM", "xterm-256color");
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_TRUE(use_color(tty.fd()));
  }
  {
    ScopedEnv no_color("NO_COLOR", "");
    EXPECT_TRUE(use_color(tty.fd()));  // empty means unset, per no-color.org
  }
  {
    ScopedEnv no_color("NO_COLOR", "1");
    EXPECT_FALSE(use_color(tty.fd()));
  }
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv dumb("TERM", "dumb");
    EXPECT_FALSE(use_color(tty.fd()));
  }
}

}  // namespace
}  // namespace strest

// Scenario steps through the metrics: per-step rows, assert failures, iterations, and their
// round trip through the run log and a replay.
#include <gtest/gtest.h>

#include <algorithm>

#include "metrics/collector.h"
#include "metrics/recorder.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_events.h"
#include "metrics/run_log_feed.h"
#include "metrics/run_log_ring.h"

namespace strest {
namespace {

RequestTimes step_at(int64_t at_us, uint16_t step, uint64_t sequence = 0) {
  return {.start_us = at_us, .sent_us = at_us, .sequence = sequence, .step = step};
}

// Every outcome on three steps over ~1.5 s: step 0 ok, step 1 non-expected and assert
// failures, step 2 timeouts and transport errors.
void record_scenario(Recorder& r) {
  for (int64_t i = 0; i < 300; ++i) {
    const int64_t at = i * 5'000;
    const auto seq = static_cast<uint64_t>(i);
    const auto step = static_cast<uint16_t>(i % 3);
    const int64_t done = at + 1'000 + i;
    if (step == 0) {
      r.record_response(200, true, step_at(at, 0, seq), 10, done);
    } else if (step == 1 && i % 2 == 0) {
      r.record_assert_failure(401, step_at(at, 1, seq), 20, done);
      r.record_iteration_end(false, done);
    } else if (step == 1) {
      r.record_response(500, false, step_at(at, 1, seq), 30, done);
      r.record_iteration_end(false, done);
    } else if (i % 4 == 0) {
      r.record_timeout(TimeoutKind::kRequest, step_at(at, 2, seq), 0, at + 50'000);
      r.record_iteration_end(false, at + 50'000);
    } else {
      r.record_transport_error(TransportError::kReset, step_at(at, 2, seq), 0, done);
      r.record_iteration_end(true, done);
    }
  }
}

Tally collect(std::vector<Recorder*> recorders) {
  for (Recorder* r : recorders) r->publish_all();
  Collector collector(recorders);
  collector.collect();
  collector.finalize_all();
  return collector.totals();
}

void expect_steps_add_up(const Tally& t) {
  StepTally sum;
  for (const StepTally& s : t.steps) sum.merge(s);
  EXPECT_EQ(sum.ok, t.ok);
  EXPECT_EQ(sum.non_expected_status, t.non_expected_status);
  EXPECT_EQ(sum.timeouts, t.timeouts);
  EXPECT_EQ(sum.transport_errors, t.transport_errors);
  EXPECT_EQ(sum.assert_failures, t.assert_failures);
  EXPECT_EQ(sum.completed(), t.completed());
  EXPECT_EQ(sum.errors(), t.errors());
  EXPECT_EQ(sum.latency_all.total_count(), t.latency_all.total_count());
}

TEST(StepTally, PerStepRowsAddUpToTheTotals) {
  Recorder recorder({.steps = 3});
  record_scenario(recorder);
  const Tally t = collect({&recorder});
  ASSERT_EQ(t.steps.size(), 3u);
  EXPECT_EQ(t.completed(), 300u);
  EXPECT_EQ(t.steps[0].ok, 100u);
  EXPECT_EQ(t.steps[1].assert_failures, 50u);
  EXPECT_EQ(t.steps[1].non_expected_status, 50u);
  EXPECT_EQ(t.steps[2].timeouts, 25u);
  EXPECT_EQ(t.steps[2].transport_errors, 75u);
  EXPECT_EQ(t.steps[2].latency_all.total_count(), 0);
  expect_steps_add_up(t);
  EXPECT_EQ(t.iterations_passed, 75u);
  EXPECT_EQ(t.iterations_failed, 125u);
}

TEST(StepTally, AnAssertFailureIsAResponseButNotAnOkOne) {
  Recorder recorder({.steps = 1});
  recorder.record_assert_failure(401, step_at(0, 0), 99, 2'000);
  const Tally t = collect({&recorder});
  EXPECT_EQ(t.assert_failures, 1u);
  EXPECT_EQ(t.completed(), 1u);
  EXPECT_EQ(t.errors(), 1u);
  EXPECT_EQ(t.status_counts[401], 1u);
  EXPECT_EQ(t.bytes_received, 99u);
  EXPECT_EQ(t.latency_all.total_count(), 1);
  EXPECT_EQ(t.latency_ok.total_count(), 0);
  EXPECT_EQ(t.steps[0].latency_all.max(), 2'000);
}

TEST(StepTally, PlainRunsHaveNoRowsEvenWithAStepIndex) {
  Recorder recorder;
  recorder.record_response(200, true, step_at(0, 4), 1, 100);
  const Tally t = collect({&recorder});
  EXPECT_TRUE(t.steps.empty());
  EXPECT_EQ(t.ok, 1u);
}

TEST(StepTally, MergeGrowsAndSubtractTakesBack) {
  Tally a;
  a.steps.resize(1);
  a.steps[0].ok = 2;
  a.steps[0].latency_all.record(100);
  Tally b;
  b.steps.resize(3);
  b.steps[2].assert_failures = 4;
  b.steps[0].ok = 1;
  b.iterations_failed = 4;
  Tally whole = a;
  whole.merge(b);
  ASSERT_EQ(whole.steps.size(), 3u);
  EXPECT_EQ(whole.steps[0].ok, 3u);
  EXPECT_EQ(whole.steps[2].assert_failures, 4u);
  EXPECT_EQ(whole.iterations_failed, 4u);
  whole.subtract(a);
  EXPECT_EQ(whole.steps[0].ok, 1u);
  EXPECT_EQ(whole.steps[0].latency_all.total_count(), 0);
  EXPECT_EQ(whole.steps[2].assert_failures, 4u);
  whole.reset();
  EXPECT_EQ(whole.steps.size(), 3u);  // kept, zeroed
  EXPECT_EQ(whole.steps[2].completed(), 0u);
  EXPECT_EQ(whole.iterations_failed, 0u);
}

TEST(StepTally, TheFirstAssertDetailPerStepIsKept) {
  Recorder recorder({.steps = 3});
  recorder.note_assert_detail(2, "assert_status 200, got 401");
  recorder.note_assert_detail(2, "assert_status 200, got 500");
  recorder.note_assert_detail(0, "extract 'token' found nothing");
  const auto details = recorder.assert_details();
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0], "extract 'token' found nothing");
  EXPECT_EQ(details[1], "");
  EXPECT_EQ(details[2], "assert_status 200, got 401");
}

TEST(StepRunLog, RecordsCarryTheStepAndTheOutcome) {
  RunLogRing ring(1 << 12);
  Recorder recorder({.log = &ring, .steps = 2});
  recorder.record_assert_failure(401, step_at(0, 1, 7), 5, 1'000);
  std::vector<RunLogRecord> logged;
  ring.pop_all([&](const RunLogRecord& r) { logged.push_back(r); });
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].outcome, LoggedOutcome::kAssertFailed);
  EXPECT_EQ(logged[0].step, 1);
  EXPECT_EQ(logged[0].status, 401);
  uint8_t bytes[kRunLogRecordBytes];
  encode_record(logged[0], bytes);
  const RunLogRecord decoded = decode_record(bytes);
  EXPECT_EQ(decoded.step, 1);
  EXPECT_EQ(decoded.outcome, LoggedOutcome::kAssertFailed);
}

TEST(StepRunLog, StepNamesAndAssertDetailsComeBack) {
  RunEventReader reader;
  const std::vector<std::string> names = {"login", "a step whose name is longer than twenty",
                                          "step 3"};
  for (const RunLogRecord& e : step_name_events(names)) {
    EXPECT_FALSE(is_tick_event(e));
    reader.add(e);
  }
  for (const RunLogRecord& e :
       text_events(1, "assert_status 200, got 401", 3, RunLogEvent::kAssertText)) {
    reader.add(e);
  }
  EXPECT_EQ(reader.step_names(), names);
  const auto details = reader.assert_details();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0], "");
  EXPECT_EQ(details[1], "assert_status 200, got 401");
  EXPECT_TRUE(reader.error_details()[0].empty());  // step texts are not error details
}

TEST(StepRunLog, IterationsGoThroughTickEvents) {
  Tally t;
  t.iterations_passed = 5;
  t.iterations_failed = 2;
  std::array<RunLogRecord, kMaxTickEvents> events;
  const size_t n = tick_events(t, 0, 0, events);
  ASSERT_EQ(n, 1u);
  EXPECT_TRUE(is_tick_event(events[0]));
  Tally back;
  apply_tick_event(events[0], back);
  EXPECT_EQ(back.iterations_passed, 5u);
  EXPECT_EQ(back.iterations_failed, 2u);
}

// A scenario run logged and fed back gives the same per-step rows and the same result.
TEST(StepRunLog, AReplayRebuildsThePerStepRows) {
  RunLogRing ring(1 << 12);
  Recorder live({.log = &ring, .steps = 3});
  record_scenario(live);
  live.note_assert_detail(1, "assert_status 200, got 401");
  const std::vector<std::string> names = {"login", "profile", "logout"};
  std::vector<Recorder*> live_views{&live};
  live.publish_all();
  Collector live_collector(live_views);
  live_collector.collect();
  live_collector.finalize_all();
  const RunResult a = assemble_run_result(RunFacts{.wall_us = 1'600'000, .step_names = names},
                                          live_collector, live_views);

  std::vector<RunLogRecord> logged = step_name_events(names);
  ring.pop_all([&](const RunLogRecord& r) { logged.push_back(r); });
  std::stable_sort(logged.begin(), logged.end(),
                   [](const auto& x, const auto& y) { return logged_at_us(x) < logged_at_us(y); });
  RunEventReader events;
  uint16_t max_step = 0;
  for (const RunLogRecord& r : logged) {
    if (is_event(r) && !is_tick_event(r)) events.add(r);
    if (!is_event(r)) max_step = std::max(max_step, r.step);
  }
  FedRecorders fed(1, false, nullptr, fed_step_count(events.step_names().size(), max_step));
  for (size_t step = 0; step < events.assert_details().size(); ++step) {
    fed.first().note_assert_detail(static_cast<uint16_t>(step), events.assert_details()[step]);
  }
  for (const RunLogRecord& r : logged) {
    if (!is_event(r) || is_tick_event(r)) fed.feed(r, 0);
  }
  fed.publish_all();
  Collector replay_collector(fed.views());
  replay_collector.collect();
  replay_collector.finalize_all();
  const RunResult b =
      assemble_run_result(RunFacts{.wall_us = 1'600'000, .step_names = events.step_names()},
                          replay_collector, fed.views());

  EXPECT_EQ(b.step_names, a.step_names);
  EXPECT_EQ(b.assert_details, a.assert_details);
  EXPECT_EQ(b.assert_details[1], "assert_status 200, got 401");
  ASSERT_EQ(b.totals.steps.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const StepTally& x = a.totals.steps[i];
    const StepTally& y = b.totals.steps[i];
    EXPECT_EQ(y.ok, x.ok) << i;
    EXPECT_EQ(y.non_expected_status, x.non_expected_status) << i;
    EXPECT_EQ(y.timeouts, x.timeouts) << i;
    EXPECT_EQ(y.transport_errors, x.transport_errors) << i;
    EXPECT_EQ(y.assert_failures, x.assert_failures) << i;
    EXPECT_EQ(y.latency_all.total_count(), x.latency_all.total_count()) << i;
    EXPECT_EQ(y.latency_all.max(), x.latency_all.max()) << i;
    EXPECT_EQ(y.latency_all.value_at_percentile(50), x.latency_all.value_at_percentile(50)) << i;
  }
  EXPECT_EQ(b.totals.iterations_passed, a.totals.iterations_passed);
  EXPECT_EQ(b.totals.iterations_failed, a.totals.iterations_failed);
  expect_steps_add_up(b.totals);
}

TEST(StepRunLog, AssemblyNamesEveryStepEvenOnesNoRequestReached) {
  Recorder recorder({.steps = 1});
  recorder.record_response(200, true, step_at(0, 0), 1, 100);
  std::vector<Recorder*> views{&recorder};
  recorder.publish_all();
  Collector collector(views);
  collector.collect();
  collector.finalize_all();
  const RunResult result = assemble_run_result(RunFacts{.step_names = {"a", ""}}, collector, views);
  ASSERT_EQ(result.totals.steps.size(), 2u);
  EXPECT_EQ(result.step_names, (std::vector<std::string>{"a", "step 2"}));
  EXPECT_EQ(result.assert_details.size(), 2u);
}

TEST(StepRunLog, StepCountForARebuild) {
  EXPECT_EQ(fed_step_count(0, 0), 0);
  EXPECT_EQ(fed_step_count(3, 0), 3);
  EXPECT_EQ(fed_step_count(0, 4), 5);
  EXPECT_EQ(fed_step_count(2, 4), 5);
}

}  // namespace
}  // namespace strest

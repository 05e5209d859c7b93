#include "metrics/run_log_events.h"

#include <gtest/gtest.h>

#include <memory>

#include "metrics/collector.h"
#include "metrics/recorder.h"
#include "metrics/run_assembly.h"
#include "metrics/run_log_feed.h"

namespace strest {
namespace {

Tally tick_facts() {
  Tally t;
  t.scheduled_starts = 7;
  t.lag_sum_us = 12'345;
  t.lag_max_us = 4'000;
  t.late_starts = 2;
  t.cancelled = 3;
  t.unsent_at_end = 9;
  t.warmup_excluded = 4;
  t.in_flight_max = 6;
  t.bytes_sent = 5'000'000'000;  // more than 32 bits
  t.connections_by_protocol = {2, 1, 0};
  t.tls_handshakes = 1;
  t.tls_resumed = 1;
  t.phases[static_cast<size_t>(ExchangePhase::kConnect)].add(150);
  t.phases[static_cast<size_t>(ExchangePhase::kConnect)].add(90);
  t.phases[static_cast<size_t>(ExchangePhase::kResponseRead)].add(3);
  return t;
}

TEST(RunLogEvents, TickFactsComeBackWhole) {
  std::array<RunLogRecord, kMaxTickEvents> events;
  const Tally facts = tick_facts();
  const size_t n = tick_events(facts, 300'000, 5, events);
  ASSERT_EQ(n, 6u);  // schedule, end counts, bytes sent, connections, two phases
  Tally back;
  for (size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(is_event(events[i]));
    EXPECT_TRUE(is_tick_event(events[i]));
    EXPECT_EQ(events[i].start_us, 300'000);
    EXPECT_EQ(events[i].worker, 5);
    uint8_t bytes[kRunLogRecordBytes];
    encode_record(events[i], bytes);
    apply_tick_event(decode_record(bytes), back);
  }
  EXPECT_EQ(back.scheduled_starts, 7u);
  EXPECT_EQ(back.lag_sum_us, 12'345);
  EXPECT_EQ(back.lag_max_us, 4'000);
  EXPECT_EQ(back.late_starts, 2u);
  EXPECT_EQ(back.cancelled, 3u);
  EXPECT_EQ(back.unsent_at_end, 9u);
  EXPECT_EQ(back.warmup_excluded, 4u);
  EXPECT_EQ(back.in_flight_max, 6u);
  EXPECT_EQ(back.bytes_sent, 5'000'000'000u);
  EXPECT_EQ(back.connections_by_protocol, facts.connections_by_protocol);
  EXPECT_EQ(back.tls_handshakes, 1u);
  EXPECT_EQ(back.tls_resumed, 1u);
  const PhaseStat& connect = back.phases[static_cast<size_t>(ExchangePhase::kConnect)];
  EXPECT_EQ(connect.count, 2u);
  EXPECT_EQ(connect.sum_us, 240);
  EXPECT_EQ(connect.min_us, 90);
  EXPECT_EQ(connect.max_us, 150);
  EXPECT_EQ(back.phases[static_cast<size_t>(ExchangePhase::kRequestWrite)].count, 0u);
}

TEST(RunLogEvents, AnEmptyTickHasNoEvents) {
  std::array<RunLogRecord, kMaxTickEvents> events;
  EXPECT_EQ(tick_events(Tally{}, 0, 0, events), 0u);
}

TEST(RunLogEvents, RunFactsAndErrorDetailsRoundTrip) {
  const RunFacts facts{.target = "http://127.0.0.1:8080/a/rather/long/path?with=query",
                       .wall_us = 2'000'123,
                       .warmup_us = 500'000,
                       .open_loop = true,
                       .scheduled_requests = 599.5,
                       .target_rps = 299.75,
                       .stop_reason = StopReason::kSignal,
                       .signal = 15};
  RunEventReader reader;
  // Error details of two workers: the summary keeps worker 0's, as the live run does.
  const auto kind = static_cast<uint16_t>(TransportError::kTlsHandshake);
  for (const RunLogRecord& e : text_events(kind, "certificate verify failed (worker 1)", 1)) {
    reader.add(e);
  }
  for (const RunLogRecord& e : text_events(kind, "certificate verify failed", 0)) reader.add(e);
  for (const RunLogRecord& e : run_fact_events(facts)) {
    EXPECT_FALSE(is_tick_event(e));
    reader.add(e);
  }
  const auto back = reader.facts();
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->target, facts.target);
  EXPECT_EQ(back->wall_us, facts.wall_us);
  EXPECT_EQ(back->warmup_us, facts.warmup_us);
  EXPECT_TRUE(back->open_loop);
  EXPECT_EQ(back->scheduled_requests, 599.5);
  EXPECT_EQ(back->target_rps, 299.75);
  EXPECT_EQ(back->stop_reason, StopReason::kSignal);
  EXPECT_EQ(back->signal, 15);
  const auto details = reader.error_details();
  EXPECT_EQ(details[kind], "certificate verify failed");
  EXPECT_EQ(details[static_cast<size_t>(TransportError::kReset)], "");
}

TEST(RunLogEvents, NoRunEndMeansNoFacts) {
  RunEventReader reader;
  for (const RunLogRecord& e : text_events(kTargetTextId, "http://x/", 0)) reader.add(e);
  EXPECT_FALSE(reader.facts().has_value());
}

// A request that failed is logged with the time until it failed, so it completes, in a
// replay, in the tick it ended in live.
TEST(RunLogEvents, FailuresAreLoggedWithTheirElapsedTime) {
  RunLogRing ring(1 << 4);
  Recorder recorder({.open_loop = true, .log = &ring, .worker = 1});
  recorder.record_timeout(TimeoutKind::kRequest, {.start_us = 90'000, .sent_us = 95'000}, 0,
                          295'000);
  recorder.record_transport_error(TransportError::kReset, {.start_us = 10'000, .sent_us = 10'000},
                                  0, 110'000);
  std::vector<RunLogRecord> logged;
  ring.pop_all([&](const RunLogRecord& r) { logged.push_back(r); });
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].latency_us, 205'000u);
  EXPECT_EQ(logged[0].service_us, 200'000u);
  EXPECT_EQ(logged[0].send_delay_us, 5'000u);
  EXPECT_EQ(completion_us(logged[0]), 295'000);
  EXPECT_EQ(completion_us(logged[1]), 110'000);
  recorder.publish_all();
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_EQ(ticks[0]->tally.latency_all.total_count(), 0);  // never a latency sample
}

// What a live worker records, logged and fed back through new recorders, folds into the same
// totals and series.
TEST(RunLogEvents, FeedingTheLogBackRebuildsTheSameResults) {
  RunLogRing ring(1 << 10);
  Recorder live({.open_loop = false, .log = &ring, .worker = 0});
  live.record_connection({.started_us = 0, .connected_us = 120, .protocol = Protocol::kHttp1}, 150);
  for (int64_t i = 0; i < 30; ++i) {
    const int64_t start = i * 70'000;
    const RequestTimes times{
        .start_us = start, .sent_us = start + 200, .sequence = static_cast<uint64_t>(i)};
    if (i % 7 == 3) {
      live.record_timeout(TimeoutKind::kRequest, times, 0, start + 90'000);
    } else {
      live.record_response(i % 5 == 0 ? 503 : 200, i % 5 != 0, times, 100, start + 1'000 + i);
      live.record_request_phases(start, 10, 900, 90 + i, start + 1'000 + i);
    }
    live.note_in_flight(static_cast<uint64_t>(1 + i % 3), start);
  }
  live.record_cancelled(2'000'000, 2'100'000);
  live.note_error_detail(TransportError::kReset, "connection reset by peer");
  live.publish_all();
  std::vector<Recorder*> live_views{&live};
  Collector live_collector(live_views);
  live_collector.collect();
  live_collector.finalize_all();

  std::vector<RunLogRecord> logged;
  ring.pop_all([&](const RunLogRecord& r) { logged.push_back(r); });
  std::stable_sort(logged.begin(), logged.end(),
                   [](const auto& a, const auto& b) { return logged_at_us(a) < logged_at_us(b); });
  Recorder replay(fed_recording(false, nullptr, 0));
  RunEventReader events;
  for (const RunLogRecord& r : logged) {
    if (is_event(r) && !is_tick_event(r)) {
      events.add(r);
    } else {
      feed_logged(replay, r, 0);
    }
  }
  replay.publish_all();
  std::vector<Recorder*> replay_views{&replay};
  Collector replay_collector(replay_views);
  replay_collector.collect();
  replay_collector.finalize_all();

  const Tally& a = live_collector.totals();
  const Tally& b = replay_collector.totals();
  EXPECT_EQ(b.completed(), a.completed());
  EXPECT_EQ(b.timeouts, a.timeouts);
  EXPECT_EQ(b.cancelled, 1u);
  EXPECT_EQ(b.connections_opened(), 1u);
  EXPECT_EQ(b.latency_all.mean(), a.latency_all.mean());
  EXPECT_EQ(b.latency_all.max(), a.latency_all.max());
  for (size_t p = 0; p < kExchangePhases; ++p) {
    EXPECT_EQ(b.phases[p].count, a.phases[p].count) << p;
    EXPECT_EQ(b.phases[p].sum_us, a.phases[p].sum_us) << p;
  }
  ASSERT_EQ(replay_collector.series().size(), live_collector.series().size());
  for (size_t s = 0; s < live_collector.series().size(); ++s) {
    const SecondSample& x = live_collector.series()[s];
    const SecondSample& y = replay_collector.series()[s];
    EXPECT_EQ(y.completed, x.completed) << s;
    EXPECT_EQ(y.timeouts, x.timeouts) << s;
    EXPECT_EQ(y.latency_sum_us, x.latency_sum_us) << s;
    EXPECT_EQ(y.p99_us, x.p99_us) << s;
    EXPECT_EQ(y.in_flight_max, x.in_flight_max) << s;
  }
  EXPECT_EQ(events.error_details()[static_cast<size_t>(TransportError::kReset)],
            "connection reset by peer");
}

TEST(RunAssembly, TheLastSecondIsRatedByTheTimeTheRunCoveredOfIt) {
  Recorder recorder;
  for (int64_t at = 0; at < 1'000'000; at += 1'000) {
    recorder.record_response(200, true, {.start_us = at, .sent_us = at}, 1, at + 500);
  }
  for (int64_t at = 1'000'000; at < 1'005'000; at += 1'000) {  // 5 ms into the last second
    recorder.record_response(200, true, {.start_us = at, .sent_us = at}, 1, at + 500);
  }
  recorder.publish_all();
  std::vector<Recorder*> views{&recorder};
  Collector collector(views);
  collector.collect();
  collector.finalize_all();
  const RunResult result = assemble_run_result(RunFacts{.wall_us = 1'005'000}, collector, views);
  ASSERT_EQ(result.series.size(), 2u);
  EXPECT_EQ(result.series[0].span_us, 1'000'000);
  EXPECT_EQ(result.series[1].span_us, 5'000);
  EXPECT_DOUBLE_EQ(second_rate(result.series[0], result.series[0].completed), 1000.0);
  EXPECT_DOUBLE_EQ(second_rate(result.series[1], result.series[1].completed), 1000.0);
}

TEST(TallySubtract, LeavesWhatCameAfterTheEarlierTotals) {
  Tally earlier;
  for (int64_t v : {100, 200, 300}) earlier.latency_all.record(v);
  earlier.ok = 3;
  Tally later = earlier;
  for (int64_t v : {5'000, 7'000}) later.latency_all.record(v);
  later.ok = 5;
  later.subtract(earlier);
  EXPECT_EQ(later.ok, 2u);
  EXPECT_EQ(later.latency_all.total_count(), 2);
  EXPECT_EQ(later.latency_all.max(), 7'000);  // the exact max is still among the buckets
  EXPECT_NEAR(static_cast<double>(later.latency_all.min()), 5'000, 5);
  EXPECT_NEAR(static_cast<double>(later.latency_all.value_at_percentile(50)), 5'000, 5);
}

}  // namespace
}  // namespace strest

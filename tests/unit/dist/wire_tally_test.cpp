#include "dist/wire_tally.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

void expect_same_histogram(const HdrHistogram& a, const HdrHistogram& b) {
  EXPECT_EQ(a.total_count(), b.total_count());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.encode_v2(), b.encode_v2());
  for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(a.value_at_percentile(p), b.value_at_percentile(p)) << p;
  }
}

void expect_same_tally(const Tally& a, const Tally& b) {
  EXPECT_EQ(a.ok, b.ok);
  EXPECT_EQ(a.non_expected_status, b.non_expected_status);
  EXPECT_EQ(a.timeouts, b.timeouts);
  EXPECT_EQ(a.timeouts_by_kind, b.timeouts_by_kind);
  EXPECT_EQ(a.transport_errors, b.transport_errors);
  EXPECT_EQ(a.transport_by_kind, b.transport_by_kind);
  EXPECT_EQ(a.assert_failures, b.assert_failures);
  EXPECT_EQ(a.cancelled, b.cancelled);
  EXPECT_EQ(a.bytes_received, b.bytes_received);
  EXPECT_EQ(a.bytes_sent, b.bytes_sent);
  EXPECT_EQ(a.status_counts, b.status_counts);
  expect_same_histogram(a.latency_all, b.latency_all);
  expect_same_histogram(a.latency_ok, b.latency_ok);
  expect_same_histogram(a.service_all, b.service_all);
  expect_same_histogram(a.service_ok, b.service_ok);
  EXPECT_EQ(a.scheduled_starts, b.scheduled_starts);
  EXPECT_EQ(a.lag_sum_us, b.lag_sum_us);
  EXPECT_EQ(a.lag_max_us, b.lag_max_us);
  EXPECT_EQ(a.late_starts, b.late_starts);
  EXPECT_EQ(a.unsent_at_end, b.unsent_at_end);
  EXPECT_EQ(a.warmup_excluded, b.warmup_excluded);
  EXPECT_EQ(a.in_flight_max, b.in_flight_max);
  EXPECT_EQ(a.connections_by_protocol, b.connections_by_protocol);
  EXPECT_EQ(a.tls_handshakes, b.tls_handshakes);
  EXPECT_EQ(a.tls_resumed, b.tls_resumed);
  for (size_t i = 0; i < a.phases.size(); ++i) {
    EXPECT_EQ(a.phases[i].count, b.phases[i].count);
    EXPECT_EQ(a.phases[i].sum_us, b.phases[i].sum_us);
    EXPECT_EQ(a.phases[i].min_us, b.phases[i].min_us);
    EXPECT_EQ(a.phases[i].max_us, b.phases[i].max_us);
  }
  EXPECT_EQ(a.iterations_passed, b.iterations_passed);
  EXPECT_EQ(a.iterations_failed, b.iterations_failed);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(a.steps[i].ok, b.steps[i].ok);
    EXPECT_EQ(a.steps[i].non_expected_status, b.steps[i].non_expected_status);
    EXPECT_EQ(a.steps[i].timeouts, b.steps[i].timeouts);
    EXPECT_EQ(a.steps[i].transport_errors, b.steps[i].transport_errors);
    EXPECT_EQ(a.steps[i].assert_failures, b.steps[i].assert_failures);
    expect_same_histogram(a.steps[i].latency_all, b.steps[i].latency_all);
  }
}

// Every field set to something distinct, with latencies whose exact extremes sit inside
// wide buckets (so a decode that only knew buckets would get min and max wrong).
Tally full_tally() {
  Tally t;
  t.ok = 11;
  t.non_expected_status = 2;
  t.timeouts = 3;
  t.timeouts_by_kind = {1, 2};
  t.transport_errors = 4;
  for (size_t i = 0; i < t.transport_by_kind.size(); ++i) t.transport_by_kind[i] = i + 1;
  t.assert_failures = 5;
  t.cancelled = 6;
  t.bytes_received = 123456;
  t.bytes_sent = 7890;
  t.status_counts[200] = 11;
  t.status_counts[503] = 2;
  t.status_counts[0] = 1;
  for (int64_t v : {1'234'567, 987, 45'678'901, 3}) {
    t.latency_all.record(v);
    t.latency_ok.record(v + 1);
    t.service_all.record(v / 2);
    t.service_ok.record(v / 3 + 7);
  }
  t.scheduled_starts = 9;
  t.lag_sum_us = 12345;
  t.lag_max_us = 999;
  t.late_starts = 3;
  t.unsent_at_end = 4;
  t.warmup_excluded = 8;
  t.in_flight_max = 17;
  t.connections_by_protocol = {3, 2, 1};
  t.tls_handshakes = 5;
  t.tls_resumed = 2;
  t.phases[0].add(100);
  t.phases[0].add(300);
  t.phases[3].add(12);
  t.iterations_passed = 6;
  t.iterations_failed = 1;
  t.steps.resize(2);
  t.steps[0].ok = 4;
  t.steps[0].latency_all.record(123'457);
  t.steps[1].assert_failures = 1;
  t.steps[1].timeouts = 2;
  return t;
}

TEST(WireTally, RoundTripIsExact) {
  TickTally tick;
  tick.tick = 42;
  tick.tally = full_tally();
  dist::Tick wire;
  dist::tick_to_wire(tick, wire);
  // Through the bytes, as the stream carries it.
  dist::Tick parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire.SerializeAsString()));
  auto back = dist::tick_from_wire(parsed);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ((*back)->tick, 42);
  expect_same_tally(tick.tally, (*back)->tally);
}

TEST(WireTally, EmptyTallyRoundTripsAndLeavesHistogramsOut) {
  const Tally empty;
  dist::Tally wire;
  dist::tally_to_wire(empty, wire);
  EXPECT_FALSE(wire.has_latency_all());
  EXPECT_TRUE(wire.status_counts().empty());
  auto back = dist::tally_from_wire(wire);
  ASSERT_TRUE(back) << back.error();
  expect_same_tally(empty, *back);
}

TEST(WireTally, MergedTicksEqualMergedDecodedTicks) {
  // What the controller does: decode each agent's tick and merge. Same as merging the originals.
  Tally a = full_tally();
  Tally b = full_tally();
  b.latency_all.record(77);
  b.status_counts[404] = 9;
  dist::Tally wire_a, wire_b;
  dist::tally_to_wire(a, wire_a);
  dist::tally_to_wire(b, wire_b);
  auto back_a = dist::tally_from_wire(wire_a);
  auto back_b = dist::tally_from_wire(wire_b);
  ASSERT_TRUE(back_a && back_b);
  back_a->merge(*back_b);
  a.merge(b);
  expect_same_tally(a, *back_a);
}

TEST(WireTally, RefusesWhatThisVersionCouldNotHaveSent) {
  dist::Tally status;
  (*status.mutable_status_counts())[1000] = 1;
  EXPECT_FALSE(dist::tally_from_wire(status));

  dist::Tally kinds;
  for (int i = 0; i < 10; ++i) kinds.add_timeouts_by_kind(1);
  EXPECT_FALSE(dist::tally_from_wire(kinds));

  dist::Tally garbage;
  garbage.mutable_latency_all()->set_v2("not a histogram");
  EXPECT_FALSE(dist::tally_from_wire(garbage));

  HdrHistogram other_config(1, 1000, 2);
  other_config.record(5);
  const auto bytes = other_config.encode_compressed();
  dist::Tally config;
  config.mutable_latency_all()->set_v2(bytes.data(), bytes.size());
  EXPECT_FALSE(dist::tally_from_wire(config));

  HdrHistogram h;
  h.record(1'000'000);
  const auto good = h.encode_compressed();
  dist::Tally extremes;
  extremes.mutable_latency_all()->set_v2(good.data(), good.size());
  extremes.mutable_latency_all()->set_min(5);  // not in the recorded bucket
  extremes.mutable_latency_all()->set_max(1'000'000);
  EXPECT_FALSE(dist::tally_from_wire(extremes));
}

}  // namespace
}  // namespace strest

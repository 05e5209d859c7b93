// The Worker's state machine, driven event by event through fake sessions and a manual clock:
// what it asks of the connection, and what it records, at exact times.
#include "engine/worker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/worker_harness.h"

namespace strest {
namespace {

constexpr int64_t kMs = 1'000;
constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kScanUs = 10 * kMs;  // the timeout scan's interval with the default timeouts

size_t transport(const Tally& totals, TransportError kind) {
  return totals.transport_by_kind[static_cast<size_t>(kind)];
}

size_t timeouts(const Tally& totals, TimeoutKind kind) {
  return totals.timeouts_by_kind[static_cast<size_t>(kind)];
}

// One worker's setup: `slots` requests in flight, no budget, no deadline unless given.
WorkerSetup setup(uint32_t slots, int64_t deadline_us = INT64_MAX) {
  WorkerSetup result;
  result.slots = slots;
  result.deadline_us = deadline_us;
  return result;
}

FakeBehaviour behaviour(TransportError open_error, bool abandon_resets_stream, size_t capacity) {
  FakeBehaviour result;
  result.open_error = open_error;
  result.abandon_resets_stream = abandon_resets_stream;
  result.capacity = capacity;
  return result;
}

const PhaseStat& phase(const Tally& totals, ExchangePhase which) {
  return totals.phases[static_cast<size_t>(which)];
}

TEST(Worker, WaitsForTheConnectionThenSendsAndMeasuresTheResponse) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  EXPECT_EQ(connection.opens, 1);
  EXPECT_TRUE(connection.submitted.empty()) << "nothing is sent before the connection is ready";

  connection.ready(1 * kMs);
  ASSERT_EQ(connection.submitted, std::vector<uint32_t>{0});
  run.advance(1 * kMs);
  EXPECT_EQ(connection.send_pending_calls, 1);

  connection.sent(0, 50, 1200);
  connection.first_byte(0, 1500);
  connection.respond(0, 200, 300, 2 * kMs);
  run.advance(2 * kMs);

  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 1u);
  EXPECT_EQ(totals.bytes_sent, 50u);
  EXPECT_EQ(totals.bytes_received, 300u);
  EXPECT_EQ(totals.connections_opened(), 1u);
  EXPECT_EQ(totals.latency_ok.max(), 1 * kMs) << "latency runs from the submit, not the connect";
  EXPECT_EQ(phase(totals, ExchangePhase::kRequestWrite).max_us, 200);
  EXPECT_EQ(phase(totals, ExchangePhase::kWaitFirstByte).max_us, 300);
  EXPECT_EQ(phase(totals, ExchangePhase::kResponseRead).max_us, 500);
  // Closed loop: the next request follows at once on the same connection.
  EXPECT_EQ(connection.submitted, (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(connection.sequences, (std::vector<uint64_t>{0, 1}));
  EXPECT_EQ(connection.opens, 1);
}

TEST(Worker, RecordsNothingUntilAResponseIsComplete) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.sent(0, 10, 0);
  connection.first_byte(0, 3 * kMs);  // the head and part of the body
  run.advance(3 * kMs);
  run.advance(7 * kMs);  // more of the body: nothing reported by the session
  EXPECT_EQ(run.totals().completed(), 0u);
  EXPECT_EQ(connection.submitted.size(), 1u) << "no second request while the first is read";

  connection.respond(0, 200, 4096, 9 * kMs);
  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 1u);
  EXPECT_EQ(phase(totals, ExchangePhase::kWaitFirstByte).max_us, 3 * kMs);
  EXPECT_EQ(phase(totals, ExchangePhase::kResponseRead).max_us, 6 * kMs);
}

TEST(Worker, CountsAStatusOtherThanTheExpectedOne) {
  WorkerHarness run(setup(1));
  run.start(0);
  run.sessions[0].ready(0);
  run.sessions[0].respond(0, 503, 10, 1 * kMs);
  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 0u);
  EXPECT_EQ(totals.non_expected_status, 1u);
  EXPECT_EQ(totals.status_counts[503], 1u);
}

TEST(Worker, ACloseMidBodyFailsTheRequestAndTheNextOneReconnects) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.first_byte(0, 1 * kMs);
  connection.peer_closed(TransportError::kNone, 2 * kMs);  // orderly close, response unfinished

  Tally totals = run.totals();
  EXPECT_EQ(transport(totals, TransportError::kClosedEarly), 1u);
  EXPECT_EQ(totals.ok, 0u);
  EXPECT_EQ(connection.opens, 1) << "the next request starts after this batch, not inside it";

  run.advance(2 * kMs);
  EXPECT_EQ(connection.opens, 2);
  connection.ready(3 * kMs);
  EXPECT_EQ(connection.submitted.size(), 2u);
}

TEST(Worker, AConnectionThatClosesBeforeReadyFailsItsQueuedRequest) {
  WorkerHarness run(setup(1));
  run.start(0);
  run.sessions[0].peer_closed(TransportError::kNone, 1 * kMs);
  EXPECT_EQ(transport(run.totals(), TransportError::kClosedEarly), 1u)
      << "a clean close before ready would otherwise be retried for ever";
}

TEST(Worker, AnOpenThatFailsAtOnceFailsTheRequest) {
  WorkerHarness run(setup(1), 1, behaviour(TransportError::kConnectRefused, false, 1));
  run.start(0);
  EXPECT_EQ(transport(run.totals(), TransportError::kConnectRefused), 1u);
  run.advance(1 * kMs);  // the slot's next request tries again
  EXPECT_EQ(run.sessions[0].opens, 2);
  EXPECT_EQ(transport(run.totals(), TransportError::kConnectRefused), 2u);
}

TEST(Worker, TimesOutARequestAtItsTimeoutAndNotBefore) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(1 * kMs);  // submitted at 1 ms; --timeout is 10 s
  const int64_t due = 1 * kMs + 10 * kSecond;
  run.advance(due - 1);
  EXPECT_EQ(run.totals().timeouts, 0u);
  EXPECT_TRUE(connection.abandoned.empty());

  // Timeouts are found by a scan every tenth of the shortest timeout (at most 10 ms).
  run.advance(due - 1 + kScanUs);
  EXPECT_EQ(timeouts(run.totals(), TimeoutKind::kRequest), 1u);
  EXPECT_EQ(connection.abandoned, std::vector<uint32_t>{0});
  // HTTP/1.1 closed the connection for it: the slot's next request opens a new one.
  EXPECT_EQ(connection.opens, 2);
  // A late answer for the abandoned request is not counted.
  connection.respond(0, 200, 10, due + kScanUs);
  EXPECT_EQ(run.totals().ok, 0u);
}

TEST(Worker, ATimedOutStreamLeavesItsConnectionOpen) {
  WorkerHarness run(setup(1), 1, behaviour(TransportError::kNone, true, 1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  run.advance(10 * kSecond);
  EXPECT_EQ(timeouts(run.totals(), TimeoutKind::kRequest), 1u);
  run.advance(10 * kSecond + 1);
  EXPECT_EQ(connection.opens, 1);
  EXPECT_EQ(connection.submitted.size(), 2u) << "the next request goes on the same connection";
}

TEST(Worker, AConnectionNotReadyByTheConnectTimeoutIsClosed) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  run.advance(5 * kSecond - 1);
  EXPECT_EQ(run.totals().timeouts, 0u);
  run.advance(5 * kSecond - 1 + kScanUs);
  EXPECT_EQ(timeouts(run.totals(), TimeoutKind::kConnect), 1u);
  EXPECT_GE(connection.closes, 1);
  EXPECT_TRUE(connection.submitted.empty());
}

TEST(Worker, RequestsInFlightAtTheDeadlineAreCancelledNotFailed) {
  WorkerHarness run(setup(2, 1 * kSecond));
  run.start(0);
  run.sessions[0].ready(0);
  run.sessions[1].ready(0);
  run.sessions[0].respond(0, 200, 10, 500 * kMs);
  run.advance(500 * kMs);
  EXPECT_FALSE(run.worker->finished(1 * kSecond - 1));
  ASSERT_TRUE(run.worker->finished(1 * kSecond));
  run.worker->stop(1 * kSecond);

  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 1u);
  EXPECT_EQ(totals.cancelled, 2u) << "slot 0's second request and slot 1's first";
  EXPECT_EQ(totals.errors(), 0u);
  EXPECT_EQ(totals.latency_all.total_count(), 1);
  EXPECT_GE(run.sessions[0].closes, 1);
  EXPECT_GE(run.sessions[1].closes, 1);
}

TEST(Worker, NoRequestStartsAtOrAfterTheDeadline) {
  WorkerHarness run(setup(1, 1 * kSecond));
  run.start(0);
  run.sessions[0].ready(0);
  run.sessions[0].respond(0, 200, 10, 1 * kSecond);
  run.advance(1 * kSecond);
  EXPECT_EQ(run.sessions[0].submitted.size(), 1u);
}

TEST(Worker, StopsAfterItsShareOfTheRequestBudget) {
  WorkerSetup budget = setup(1);
  budget.request_budget = 2;
  WorkerHarness run(budget);
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond(0, 200, 10, 1 * kMs);
  run.advance(1 * kMs);
  EXPECT_FALSE(run.worker->finished(1 * kMs));
  connection.respond(0, 200, 10, 2 * kMs);
  run.advance(2 * kMs);
  EXPECT_TRUE(run.worker->finished(2 * kMs));
  EXPECT_EQ(connection.submitted.size(), 2u);
}

TEST(Worker, SequenceNumbersInterleaveAcrossWorkers) {
  WorkerSetup second_of_three = setup(1);
  second_of_three.index = 1;
  second_of_three.workers = 3;
  WorkerHarness run(second_of_three);
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.respond(0, 200, 10, 1 * kMs);
  run.advance(1 * kMs);
  EXPECT_EQ(connection.sequences, (std::vector<uint64_t>{1, 4}));
}

TEST(Worker, MultiplexedSlotsShareOneConnection) {
  WorkerHarness run(setup(3), 2, behaviour(TransportError::kNone, false, 2));
  run.start(0);
  ASSERT_EQ(run.sessions.size(), 2u) << "three slots at two streams per connection";
  EXPECT_EQ(run.sessions[0].opens, 1);
  EXPECT_EQ(run.sessions[1].opens, 1);
  run.sessions[0].ready(0, Protocol::kHttp2);
  EXPECT_EQ(run.sessions[0].submitted, (std::vector<uint32_t>{0, 1}));
  run.advance(0);
  EXPECT_EQ(run.sessions[0].send_pending_calls, 1) << "one write for the batch";
  EXPECT_EQ(run.totals().connections_by_protocol[static_cast<size_t>(Protocol::kHttp2)], 1u);
}

TEST(Worker, ARefusedStreamIsSentAgainOnceThenCounted) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.stream_failed(0, TransportError::kRefusedStream, 1 * kMs);
  EXPECT_EQ(run.totals().completed(), 0u);
  run.advance(1 * kMs);
  ASSERT_EQ(connection.submitted.size(), 2u);
  EXPECT_EQ(connection.sequences[1], connection.sequences[0]) << "the same request again";
  connection.stream_failed(0, TransportError::kRefusedStream, 2 * kMs);
  EXPECT_EQ(transport(run.totals(), TransportError::kRefusedStream), 1u);
}

TEST(Worker, RequestsQueuedBehindAnOrderlyCloseGoOutOnANewConnection) {
  // HTTP/2 after GOAWAY: the connection stops accepting, closes cleanly, and what waited for it
  // is sent on the next one rather than failed.
  WorkerHarness run(setup(2), 2, behaviour(TransportError::kNone, false, 1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  ASSERT_EQ(connection.submitted, std::vector<uint32_t>{0});  // slot 1 waits: capacity 1
  connection.respond(0, 200, 10, 1 * kMs);
  connection.peer_closed(TransportError::kNone, 1 * kMs);
  run.advance(1 * kMs);
  EXPECT_EQ(connection.opens, 2);
  connection.ready(2 * kMs);
  ASSERT_EQ(connection.in_flight.size(), 1u);
  connection.respond(connection.in_flight.front(), 200, 10, 3 * kMs);
  run.advance(3 * kMs);
  EXPECT_NE(std::find(connection.submitted.begin(), connection.submitted.end(), 1u),
            connection.submitted.end());
  EXPECT_EQ(run.totals().errors(), 0u);
}

TEST(Worker, KeepsTheFirstReasonGivenForEachKindOfError) {
  WorkerHarness run(setup(1));
  run.start(0);
  FakeSession& connection = run.sessions[0];
  connection.ready(0);
  connection.peer_closed(TransportError::kReset, 1 * kMs, "first reason");
  run.advance(1 * kMs);
  connection.ready(2 * kMs);
  connection.peer_closed(TransportError::kReset, 3 * kMs, "second reason");
  EXPECT_EQ(transport(run.totals(), TransportError::kReset), 2u);
  EXPECT_EQ(run.recorder().error_details()[static_cast<size_t>(TransportError::kReset)],
            "first reason");
}

TEST(Worker, OpenLoopSendsOnScheduleRecordsLatenessAndCountsWhatWasNeverSent) {
  // One request per millisecond, one slot, a 10 ms run.
  const RateSchedule schedule(LoadProfile{.start_rps = 1000, .stages = {}});
  WorkerHarness run(setup(1, 10 * kMs), 1, FakeBehaviour{}, &schedule);
  run.start(0);
  run.advance(0);  // request 0 is due at 0
  FakeSession& connection = run.sessions[0];
  ASSERT_EQ(connection.opens, 1);
  connection.ready(500);
  ASSERT_EQ(connection.sequences, std::vector<uint64_t>{0});
  connection.respond(0, 200, 10, 3 * kMs);
  run.advance(3 * kMs);  // requests 1 and 2 are due; one slot is free: request 1 goes, late
  ASSERT_EQ(connection.sequences, (std::vector<uint64_t>{0, 1}));
  ASSERT_TRUE(run.worker->finished(10 * kMs));
  run.worker->stop(10 * kMs);

  const Tally totals = run.totals();
  EXPECT_EQ(totals.ok, 1u);
  EXPECT_EQ(totals.latency_ok.max(), 3 * kMs) << "from the intended time, not the send";
  EXPECT_EQ(totals.scheduled_starts, 2u);
  EXPECT_EQ(totals.lag_max_us, 2 * kMs);
  EXPECT_EQ(totals.late_starts, 1u);
  EXPECT_EQ(totals.cancelled, 1u) << "request 1, in flight at the end";
  EXPECT_EQ(totals.unsent_at_end, 8u) << "requests 2 to 9 were due and never left";
}

TEST(Worker, AStopSignalFinishesTheRun) {
  WorkerHarness run(setup(1));
  run.start(0);
  EXPECT_FALSE(run.worker->finished(1 * kMs));
  request_stop(2);
  EXPECT_TRUE(run.worker->finished(1 * kMs));
  clear_stop_request();
}

TEST(Worker, SleepsNoLongerThanTheNextScanOrTheDeadline) {
  WorkerHarness run(setup(1, 3 * kMs));
  run.start(0);
  run.advance(0);  // scans at 0; the next scan is 10 ms away, the deadline 3 ms
  EXPECT_EQ(run.worker->wait_timeout_us(1 * kMs), 2 * kMs);
}

}  // namespace
}  // namespace strest

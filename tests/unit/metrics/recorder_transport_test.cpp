// What the Recorder keeps about connections: protocol counts, TLS resumption, the phase
// timings, and the first reason per transport error kind.
#include <gtest/gtest.h>

#include "metrics/recorder.h"

namespace strest {
namespace {

Tally everything(Recorder& recorder) {
  recorder.publish_all();
  std::vector<std::unique_ptr<TickTally>> ticks;
  recorder.drain(ticks);
  Tally total;
  for (const auto& tick : ticks) total.merge(tick->tally);
  return total;
}

const PhaseStat& phase(const Tally& tally, ExchangePhase which) {
  return tally.phases[static_cast<size_t>(which)];
}

TEST(RecorderTransport, ConnectionsAndHandshakes) {
  Recorder recorder;
  recorder.record_connection({.started_us = 100, .connected_us = 300, .handshake_us = 300}, 300);
  recorder.record_connection({.started_us = 0,
                              .connected_us = 100,
                              .handshake_us = 1'100,
                              .tls = true,
                              .resumed = true,
                              .protocol = Protocol::kHttp2},
                             1'100);
  const Tally tally = everything(recorder);
  EXPECT_EQ(tally.connections_opened(), 2u);
  EXPECT_EQ(tally.connections_by_protocol[static_cast<size_t>(Protocol::kHttp2)], 1u);
  EXPECT_EQ(tally.tls_handshakes, 1u);
  EXPECT_EQ(tally.tls_resumed, 1u);
  const PhaseStat& connect = phase(tally, ExchangePhase::kConnect);
  EXPECT_EQ(connect.count, 2u);
  EXPECT_EQ(connect.min_us, 100);
  EXPECT_EQ(connect.max_us, 200);
  EXPECT_EQ(connect.sum_us, 300);
  EXPECT_EQ(phase(tally, ExchangePhase::kTlsHandshake).sum_us, 1'000);
}

TEST(RecorderTransport, QuicHandshakeIsAllOfOpening) {
  Recorder recorder;
  recorder.record_connection({.started_us = 0,
                              .connected_us = 2'000,
                              .handshake_us = 2'000,
                              .tls = true,
                              .protocol = Protocol::kHttp3},
                             2'000);
  const Tally tally = everything(recorder);
  EXPECT_EQ(phase(tally, ExchangePhase::kConnect).count, 0u);
  EXPECT_EQ(phase(tally, ExchangePhase::kTlsHandshake).sum_us, 2'000);
}

TEST(RecorderTransport, RequestPhasesSkipTheWarmup) {
  Recorder recorder({.warmup_us = 1'000});
  recorder.record_request_phases(500, 1, 2, 3, 600);  // started within the warmup
  recorder.record_request_phases(1'000, 10, 20, 30, 1'100);
  recorder.record_request_phases(1'200, 0, 40, 10, 1'300);
  const Tally tally = everything(recorder);
  EXPECT_EQ(phase(tally, ExchangePhase::kRequestWrite).count, 2u);
  EXPECT_EQ(phase(tally, ExchangePhase::kRequestWrite).min_us, 0);
  EXPECT_EQ(phase(tally, ExchangePhase::kWaitFirstByte).sum_us, 60);
  EXPECT_EQ(phase(tally, ExchangePhase::kResponseRead).max_us, 30);
}

TEST(RecorderTransport, FirstReasonPerKindIsKept) {
  Recorder recorder;
  recorder.note_error_detail(TransportError::kTlsHandshake, "certificate verify failed");
  recorder.note_error_detail(TransportError::kTlsHandshake, "later reason");
  recorder.note_error_detail(TransportError::kProxy, "the proxy refused CONNECT: 407");
  const auto details = recorder.error_details();
  EXPECT_EQ(details[static_cast<size_t>(TransportError::kTlsHandshake)],
            "certificate verify failed");
  EXPECT_EQ(details[static_cast<size_t>(TransportError::kProxy)], "the proxy refused CONNECT: 407");
  EXPECT_EQ(details[static_cast<size_t>(TransportError::kReset)], "");
}

}  // namespace
}  // namespace strest

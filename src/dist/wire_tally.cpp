#include "dist/wire_tally.h"

#include <algorithm>
#include <string>
#include <vector>

namespace strest::dist {

namespace {

// Callers leave empty histograms (most of an idle tick's) out of the message: absent is empty.
void histogram_to_wire(const HdrHistogram& histogram, Histogram& out) {
  const std::vector<uint8_t> bytes = histogram.encode_compressed();
  out.set_v2(bytes.data(), bytes.size());
  out.set_min(histogram.min());
  out.set_max(histogram.max());
}

// Decodes into `into`, which has the configuration the Tally gives it: a histogram of another
// configuration would not merge (HdrHistogram::merge refuses), so it is refused here. Decoding
// in place keeps a controller's cost per tick to the buckets the agent sent.
Status histogram_from_wire(const Histogram& wire, HdrHistogram& into, const char* name) {
  if (wire.v2().empty()) return Ok{};
  const auto* data = reinterpret_cast<const uint8_t*>(wire.v2().data());
  const Status decoded = HdrHistogram::decode_into({data, wire.v2().size()}, into);
  if (!decoded) return Error{std::string(name) + ": " + decoded.error()};
  if (!into.restore_extremes(wire.min(), wire.max())) {
    into.reset();
    return Error{std::string(name) + ": min/max outside the recorded buckets"};
  }
  return Ok{};
}

template <typename Array, typename Repeated>
void counters_to_wire(const Array& counters, Repeated& out) {
  out.Reserve(static_cast<int>(counters.size()));
  for (uint64_t value : counters) out.Add(value);
}

// A newer agent may know more kinds than we do: refused, since its counts would be lost.
template <typename Array, typename Repeated>
Status counters_from_wire(const Repeated& wire, Array& into, const char* name) {
  if (static_cast<size_t>(wire.size()) > into.size()) {
    return Error{std::string(name) + ": " + std::to_string(wire.size()) + " kinds, this version " +
                 "knows " + std::to_string(into.size())};
  }
  std::copy(wire.begin(), wire.end(), into.begin());
  return Ok{};
}

void step_to_wire(const strest::StepTally& step, StepTally& out) {
  out.set_ok(step.ok);
  out.set_non_expected_status(step.non_expected_status);
  out.set_timeouts(step.timeouts);
  out.set_transport_errors(step.transport_errors);
  out.set_assert_failures(step.assert_failures);
  if (step.latency_all.total_count() > 0) {
    histogram_to_wire(step.latency_all, *out.mutable_latency_all());
  }
}

Status step_from_wire(const StepTally& wire, strest::StepTally& step) {
  step.ok = wire.ok();
  step.non_expected_status = wire.non_expected_status();
  step.timeouts = wire.timeouts();
  step.transport_errors = wire.transport_errors();
  step.assert_failures = wire.assert_failures();
  return histogram_from_wire(wire.latency_all(), step.latency_all, "step latency_all");
}

}  // namespace

void tally_to_wire(const strest::Tally& tally, Tally& out) {
  out.set_ok(tally.ok);
  out.set_non_expected_status(tally.non_expected_status);
  out.set_timeouts(tally.timeouts);
  counters_to_wire(tally.timeouts_by_kind, *out.mutable_timeouts_by_kind());
  out.set_transport_errors(tally.transport_errors);
  counters_to_wire(tally.transport_by_kind, *out.mutable_transport_by_kind());
  out.set_assert_failures(tally.assert_failures);
  out.set_cancelled(tally.cancelled);
  out.set_bytes_received(tally.bytes_received);
  out.set_bytes_sent(tally.bytes_sent);
  for (size_t code = 0; code < tally.status_counts.size(); ++code) {
    if (tally.status_counts[code] != 0) {
      (*out.mutable_status_counts())[static_cast<uint32_t>(code)] = tally.status_counts[code];
    }
  }
  if (tally.latency_all.total_count() > 0) {
    histogram_to_wire(tally.latency_all, *out.mutable_latency_all());
  }
  if (tally.latency_ok.total_count() > 0) {
    histogram_to_wire(tally.latency_ok, *out.mutable_latency_ok());
  }
  if (tally.service_all.total_count() > 0) {
    histogram_to_wire(tally.service_all, *out.mutable_service_all());
  }
  if (tally.service_ok.total_count() > 0) {
    histogram_to_wire(tally.service_ok, *out.mutable_service_ok());
  }
  out.set_scheduled_starts(tally.scheduled_starts);
  out.set_lag_sum_us(tally.lag_sum_us);
  out.set_lag_max_us(tally.lag_max_us);
  out.set_late_starts(tally.late_starts);
  out.set_unsent_at_end(tally.unsent_at_end);
  out.set_warmup_excluded(tally.warmup_excluded);
  out.set_in_flight_max(tally.in_flight_max);
  counters_to_wire(tally.connections_by_protocol, *out.mutable_connections_by_protocol());
  out.set_tls_handshakes(tally.tls_handshakes);
  out.set_tls_resumed(tally.tls_resumed);
  for (const PhaseStat& phase : tally.phases) {
    Phase& wire = *out.add_phases();
    wire.set_count(phase.count);
    wire.set_sum_us(phase.sum_us);
    wire.set_min_us(phase.min_us);
    wire.set_max_us(phase.max_us);
  }
  out.set_iterations_passed(tally.iterations_passed);
  out.set_iterations_failed(tally.iterations_failed);
  for (const strest::StepTally& step : tally.steps) step_to_wire(step, *out.add_steps());
}

Result<strest::Tally> tally_from_wire(const Tally& wire) {
  strest::Tally tally;
  if (Status filled = tally_from_wire(wire, tally); !filled) return Error{filled.error()};
  return tally;
}

Status tally_from_wire(const Tally& wire, strest::Tally& tally) {
  tally.ok = wire.ok();
  tally.non_expected_status = wire.non_expected_status();
  tally.timeouts = wire.timeouts();
  tally.transport_errors = wire.transport_errors();
  tally.assert_failures = wire.assert_failures();
  tally.cancelled = wire.cancelled();
  tally.bytes_received = wire.bytes_received();
  tally.bytes_sent = wire.bytes_sent();
  for (const auto& [code, count] : wire.status_counts()) {
    if (code > static_cast<uint32_t>(kMaxStatusCode)) {
      return Error{"status code " + std::to_string(code) + " above " +
                   std::to_string(kMaxStatusCode)};
    }
    tally.status_counts[code] = count;
  }
  tally.scheduled_starts = wire.scheduled_starts();
  tally.lag_sum_us = wire.lag_sum_us();
  tally.lag_max_us = wire.lag_max_us();
  tally.late_starts = wire.late_starts();
  tally.unsent_at_end = wire.unsent_at_end();
  tally.warmup_excluded = wire.warmup_excluded();
  tally.in_flight_max = wire.in_flight_max();
  tally.tls_handshakes = wire.tls_handshakes();
  tally.tls_resumed = wire.tls_resumed();
  tally.iterations_passed = wire.iterations_passed();
  tally.iterations_failed = wire.iterations_failed();

  const Status parts[] = {
      counters_from_wire(wire.timeouts_by_kind(), tally.timeouts_by_kind, "timeouts_by_kind"),
      counters_from_wire(wire.transport_by_kind(), tally.transport_by_kind, "transport_by_kind"),
      counters_from_wire(wire.connections_by_protocol(), tally.connections_by_protocol,
                         "connections_by_protocol"),
      histogram_from_wire(wire.latency_all(), tally.latency_all, "latency_all"),
      histogram_from_wire(wire.latency_ok(), tally.latency_ok, "latency_ok"),
      histogram_from_wire(wire.service_all(), tally.service_all, "service_all"),
      histogram_from_wire(wire.service_ok(), tally.service_ok, "service_ok")};
  for (const Status& part : parts) {
    if (!part) return Error{part.error()};
  }
  if (static_cast<size_t>(wire.phases_size()) > tally.phases.size()) {
    return Error{"phases: " + std::to_string(wire.phases_size()) + ", this version knows " +
                 std::to_string(tally.phases.size())};
  }
  for (int i = 0; i < wire.phases_size(); ++i) {
    const Phase& phase = wire.phases(i);
    tally.phases[static_cast<size_t>(i)] = PhaseStat{.count = phase.count(),
                                                     .sum_us = phase.sum_us(),
                                                     .min_us = phase.min_us(),
                                                     .max_us = phase.max_us()};
  }
  tally.steps.resize(static_cast<size_t>(wire.steps_size()));
  for (int i = 0; i < wire.steps_size(); ++i) {
    if (Status step = step_from_wire(wire.steps(i), tally.steps[static_cast<size_t>(i)]); !step) {
      return Error{step.error()};
    }
  }
  return Ok{};
}

void tick_to_wire(const TickTally& tick, Tick& out) {
  out.set_tick(tick.tick);
  tally_to_wire(tick.tally, *out.mutable_tally());
}

Status tick_from_wire(const Tick& wire, TickTally& into) {
  into.tick = wire.tick();
  Status filled = tally_from_wire(wire.tally(), into.tally);
  if (!filled) return Error{"tick " + std::to_string(wire.tick()) + ": " + filled.error()};
  return Ok{};
}

Result<std::unique_ptr<TickTally>> tick_from_wire(const Tick& wire) {
  auto tick = std::make_unique<TickTally>();
  if (Status filled = tick_from_wire(wire, *tick); !filled) return Error{filled.error()};
  return tick;
}

}  // namespace strest::dist

#include "metrics/tally.h"

#include <algorithm>

namespace strest {

namespace {
template <typename Array>
void add_all(Array& into, const Array& from) {
  for (size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
}  // namespace

void PhaseStat::merge(const PhaseStat& other) {
  count += other.count;
  sum_us += other.sum_us;
  min_us = std::min(min_us, other.min_us);
  max_us = std::max(max_us, other.max_us);
}

void StepTally::merge(const StepTally& other) {
  ok += other.ok;
  non_expected_status += other.non_expected_status;
  timeouts += other.timeouts;
  transport_errors += other.transport_errors;
  assert_failures += other.assert_failures;
  latency_all.merge(other.latency_all);
}

void StepTally::subtract(const StepTally& earlier) {
  ok -= earlier.ok;
  non_expected_status -= earlier.non_expected_status;
  timeouts -= earlier.timeouts;
  transport_errors -= earlier.transport_errors;
  assert_failures -= earlier.assert_failures;
  latency_all.subtract(earlier.latency_all);
}

void StepTally::reset() {
  ok = non_expected_status = timeouts = transport_errors = assert_failures = 0;
  latency_all.reset();
}

void Tally::merge(const Tally& other) {
  ok += other.ok;
  non_expected_status += other.non_expected_status;
  timeouts += other.timeouts;
  add_all(timeouts_by_kind, other.timeouts_by_kind);
  transport_errors += other.transport_errors;
  add_all(transport_by_kind, other.transport_by_kind);
  cancelled += other.cancelled;
  bytes_received += other.bytes_received;
  bytes_sent += other.bytes_sent;
  add_all(status_counts, other.status_counts);
  latency_all.merge(other.latency_all);
  latency_ok.merge(other.latency_ok);
  service_all.merge(other.service_all);
  service_ok.merge(other.service_ok);
  scheduled_starts += other.scheduled_starts;
  lag_sum_us += other.lag_sum_us;
  lag_max_us = std::max(lag_max_us, other.lag_max_us);
  late_starts += other.late_starts;
  unsent_at_end += other.unsent_at_end;
  warmup_excluded += other.warmup_excluded;
  in_flight_max = std::max(in_flight_max, other.in_flight_max);
  add_all(connections_by_protocol, other.connections_by_protocol);
  tls_handshakes += other.tls_handshakes;
  tls_resumed += other.tls_resumed;
  for (size_t i = 0; i < phases.size(); ++i) phases[i].merge(other.phases[i]);
  assert_failures += other.assert_failures;
  iterations_passed += other.iterations_passed;
  iterations_failed += other.iterations_failed;
  if (steps.size() < other.steps.size()) steps.resize(other.steps.size());
  for (size_t i = 0; i < other.steps.size(); ++i) steps[i].merge(other.steps[i]);
}

void Tally::subtract(const Tally& earlier) {
  const auto less = [](auto& into, const auto& from) {
    for (size_t i = 0; i < into.size(); ++i) into[i] -= from[i];
  };
  ok -= earlier.ok;
  non_expected_status -= earlier.non_expected_status;
  timeouts -= earlier.timeouts;
  less(timeouts_by_kind, earlier.timeouts_by_kind);
  transport_errors -= earlier.transport_errors;
  less(transport_by_kind, earlier.transport_by_kind);
  cancelled -= earlier.cancelled;
  bytes_received -= earlier.bytes_received;
  bytes_sent -= earlier.bytes_sent;
  less(status_counts, earlier.status_counts);
  latency_all.subtract(earlier.latency_all);
  latency_ok.subtract(earlier.latency_ok);
  service_all.subtract(earlier.service_all);
  service_ok.subtract(earlier.service_ok);
  scheduled_starts -= earlier.scheduled_starts;
  lag_sum_us -= earlier.lag_sum_us;
  late_starts -= earlier.late_starts;
  unsent_at_end -= earlier.unsent_at_end;
  warmup_excluded -= earlier.warmup_excluded;
  less(connections_by_protocol, earlier.connections_by_protocol);
  tls_handshakes -= earlier.tls_handshakes;
  tls_resumed -= earlier.tls_resumed;
  for (size_t i = 0; i < phases.size(); ++i) {
    phases[i].count -= earlier.phases[i].count;
    phases[i].sum_us -= earlier.phases[i].sum_us;
  }
  assert_failures -= earlier.assert_failures;
  iterations_passed -= earlier.iterations_passed;
  iterations_failed -= earlier.iterations_failed;
  for (size_t i = 0; i < std::min(steps.size(), earlier.steps.size()); ++i) {
    steps[i].subtract(earlier.steps[i]);
  }
}

// Keeps the histograms' memory (about 190 KB each) and the steps, and zeroes everything.
void Tally::reset() {
  HdrHistogram* histograms[] = {&latency_all, &latency_ok, &service_all, &service_ok};
  for (HdrHistogram* histogram : histograms) histogram->reset();
  for (StepTally& step : steps) step.reset();
  Tally empty_counters{.latency_all = std::move(latency_all),
                       .latency_ok = std::move(latency_ok),
                       .service_all = std::move(service_all),
                       .service_ok = std::move(service_ok),
                       .steps = std::move(steps)};
  *this = std::move(empty_counters);
}

}  // namespace strest

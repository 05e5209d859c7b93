#include "metrics/tally.h"

namespace strest {

namespace {
template <typename Array>
void add_all(Array& into, const Array& from) {
  for (size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
}  // namespace

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
}

void Tally::reset() {
  HdrHistogram all = std::move(latency_all);
  HdrHistogram ok_hist = std::move(latency_ok);
  all.reset();
  ok_hist.reset();
  *this = Tally{.latency_all = std::move(all), .latency_ok = std::move(ok_hist)};
}

}  // namespace strest

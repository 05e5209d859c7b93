#include "sinks/sink_set.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "log/log.h"
#include "sinks/atomic_file.h"
#include "sinks/sink_influx.h"
#include "sinks/sink_otel.h"
#include "sinks/sink_prometheus.h"

namespace strest {

int64_t unix_time_now_ns() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
}

SinkSet::SinkSet(const Plan& plan, UnixClock unix_now_ns)
    : warmup_us_(plan.warmup.count()),
      target_(plan.url.to_string()),
      unix_now_ns_(std::move(unix_now_ns)) {
  if (!plan.sinks) return;
  const SinksConfig& config = *plan.sinks;
  interval_us_ = std::max<int64_t>(1, config.update_interval.count());
  next_due_us_ = interval_us_;
  if (config.prometheus_path) sinks_.push_back({*config.prometheus_path, prometheus_text});
  if (config.otel_path) sinks_.push_back({*config.otel_path, otel_json});
  if (config.influx_path) sinks_.push_back({*config.influx_path, influx_lines});
}

void SinkSet::on_snapshot(const Snapshot& snapshot) {
  if (sinks_.empty() || snapshot.elapsed_us < next_due_us_) return;
  write_all(snapshot, false);
  next_due_us_ = (snapshot.elapsed_us / interval_us_ + 1) * interval_us_;
}

void SinkSet::on_finish(const Snapshot& snapshot) {
  if (!sinks_.empty()) write_all(snapshot, true);
}

bool SinkSet::last_write_failed() const {
  return std::any_of(sinks_.begin(), sinks_.end(), [](const Sink& sink) { return sink.failed; });
}

void SinkSet::write_all(const Snapshot& snapshot, bool durable) {
  if (snapshot.totals == nullptr) return;
  const int64_t measured_us = std::max<int64_t>(0, snapshot.elapsed_us - warmup_us_);
  const MetricsView view{.elapsed_us = snapshot.elapsed_us,
                         .totals = *snapshot.totals,
                         .measured_seconds = static_cast<double>(measured_us) / 1e6,
                         .target = target_,
                         .unix_time_ns = unix_now_ns_()};
  for (Sink& sink : sinks_) write(sink, view, durable);
}

// The parent directory is created on first use, as the reference README's "./out/..." paths
// expect; a failure there shows up as the write's error.
void SinkSet::write(Sink& sink, const MetricsView& view, bool durable) {
  if (!sink.directory_ready) {
    const auto parent = std::filesystem::path(sink.path).parent_path();
    std::error_code error;
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    sink.directory_ready = parent.empty() || std::filesystem::is_directory(parent, error);
  }
  const Status status = replace_file(sink.path, sink.format(view), durable);
  sink.failed = !status.ok();
  if (status || sink.warned) return;
  sink.warned = true;
  log_warning("cannot write sink file '" + sink.path + "' (" + status.error() +
              "); check its directory is writable. Retrying at each update.");
}

}  // namespace strest

#include "sinks/sink_prometheus.h"

#include <cmath>
#include <cstdint>

namespace strest {
namespace {

// Builds the text family by family; every sample gets the target label first.
class Exposition {
 public:
  explicit Exposition(std::string_view target)
      : target_label_("target=\"" + prometheus_label_value(target) + "\"") {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
    out_ += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  }

  // `labels` are extra, already-escaped labels ("outcome=\"ok\""), or empty.
  void sample(std::string_view name, std::string_view labels, std::string_view value) {
    out_ += std::string(name) + "{" + target_label_;
    if (!labels.empty()) out_ += "," + std::string(labels);
    out_ += "} " + std::string(value) + "\n";
  }
  void sample(std::string_view name, std::string_view labels, uint64_t value) {
    sample(name, labels, std::to_string(value));
  }

  std::string take() { return std::move(out_); }

 private:
  std::string target_label_;
  std::string out_;
};

// Prometheus spells the special floats NaN, +Inf and -Inf.
std::string value_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return number_text(value);
}

void add_counters(Exposition& out, const Tally& totals) {
  out.family("strest_requests_total", "counter",
             "Completed requests by outcome (requests cut off at the end are counted apart).");
  out.sample("strest_requests_total", "outcome=\"ok\"", totals.ok);
  out.sample("strest_requests_total", "outcome=\"non_expected_status\"",
             totals.non_expected_status);
  out.sample("strest_requests_total", "outcome=\"timeout\"", totals.timeouts);
  out.sample("strest_requests_total", "outcome=\"transport_error\"", totals.transport_errors);
  out.family("strest_requests_cancelled_total", "counter",
             "Requests still in flight when the run ended.");
  out.sample("strest_requests_cancelled_total", "", totals.cancelled);
  out.family("strest_response_bytes_total", "counter",
             "Response bytes received, headers included.");
  out.sample("strest_response_bytes_total", "", totals.bytes_received);
  out.family("strest_status_codes_total", "counter", "Responses by HTTP status code.");
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    if (totals.status_counts[code] == 0) continue;
    out.sample("strest_status_codes_total", "code=\"" + std::to_string(code) + "\"",
               totals.status_counts[code]);
  }
}

void add_gauges(Exposition& out, const MetricsView& view) {
  out.family("strest_elapsed_seconds", "gauge", "Time since the run started.");
  out.sample("strest_elapsed_seconds", "", value_text(static_cast<double>(view.elapsed_us) / 1e6));
  out.family("strest_requests_per_second", "gauge",
             "Completed requests per second over the run so far, warmup excluded.");
  out.sample("strest_requests_per_second", "", value_text(requests_per_second(view)));
}

// A summary: quantiles (NaN while there are no samples, as client libraries write), sum, count.
void add_summary(Exposition& out, std::string_view name, std::string_view help,
                 const HdrHistogram& latency_us) {
  out.family(name, "summary", help);
  const bool empty = latency_us.total_count() == 0;
  for (const SinkQuantile& q : kSinkQuantiles) {
    const double seconds = empty ? std::nan("") : quantile_seconds(latency_us, q.quantile);
    out.sample(name, "quantile=\"" + std::string(q.label) + "\"", value_text(seconds));
  }
  out.sample(std::string(name) + "_sum", "", value_text(sum_seconds(latency_us)));
  out.sample(std::string(name) + "_count", "", static_cast<uint64_t>(latency_us.total_count()));
}

}  // namespace

std::string prometheus_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string prometheus_text(const MetricsView& view) {
  Exposition out(view.target);
  add_counters(out, view.totals);
  add_gauges(out, view);
  add_summary(out, "strest_latency_seconds",
              "Latency of requests that got a response (open loop: from the intended send time).",
              view.totals.latency_all);
  add_summary(out, "strest_latency_ok_seconds", "Latency of requests that got the expected status.",
              view.totals.latency_ok);
  return out.take();
}

}  // namespace strest

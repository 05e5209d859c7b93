#include "sinks/sink_influx.h"

#include <cstdint>

namespace strest {
namespace {

// Comma-separated fields of one point.
class FieldList {
 public:
  void add(std::string_view key, uint64_t value) { append(key, std::to_string(value) + "i"); }
  void add(std::string_view key, double value) { append(key, number_text(value)); }
  const std::string& text() const { return text_; }

 private:
  void append(std::string_view key, const std::string& value) {
    if (!text_.empty()) text_ += ',';
    text_ += std::string(key) + "=" + value;
  }
  std::string text_;
};

void add_latency(FieldList& fields, std::string_view prefix, const HdrHistogram& latency_us) {
  const std::string name(prefix);
  if (latency_us.total_count() > 0) {
    for (const SinkQuantile& q : kSinkQuantiles) {
      fields.add(name + "_" + std::string(q.suffix) + "_seconds",
                 quantile_seconds(latency_us, q.quantile));
    }
  }
  fields.add(name + "_sum_seconds", sum_seconds(latency_us));
  fields.add(name + "_count", static_cast<uint64_t>(latency_us.total_count()));
}

FieldList run_fields(const MetricsView& view) {
  const Tally& totals = view.totals;
  FieldList fields;
  fields.add("requests_total", totals.completed());
  fields.add("requests_ok", totals.ok);
  fields.add("requests_non_expected_status", totals.non_expected_status);
  fields.add("requests_timeout", totals.timeouts);
  fields.add("requests_transport_error", totals.transport_errors);
  fields.add("requests_cancelled", totals.cancelled);
  fields.add("response_bytes", totals.bytes_received);
  fields.add("elapsed_seconds", static_cast<double>(view.elapsed_us) / 1e6);
  fields.add("requests_per_second", requests_per_second(view));
  add_latency(fields, "latency", totals.latency_all);
  add_latency(fields, "latency_ok", totals.latency_ok);
  return fields;
}

}  // namespace

std::string influx_tag(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r') c = ' ';
    if (c == ',' || c == '=' || c == ' ') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string influx_lines(const MetricsView& view) {
  const std::string target = influx_tag(view.target);
  const std::string timestamp = std::to_string(view.unix_time_ns);
  std::string out =
      "strest,target=" + target + " " + run_fields(view).text() + " " + timestamp + "\n";
  const Tally& totals = view.totals;
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    if (totals.status_counts[code] == 0) continue;
    out += "strest,code=" + std::to_string(code) + ",target=" + target +
           " status_codes=" + std::to_string(totals.status_counts[code]) + "i " + timestamp + "\n";
  }
  return out;
}

}  // namespace strest

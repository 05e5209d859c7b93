#include "sinks/sink_otel.h"

#include <nlohmann/json.hpp>

namespace strest {
namespace {

using Json = nlohmann::ordered_json;

// OTLP's AGGREGATION_TEMPORALITY_CUMULATIVE: every value counts from the start of the run.
constexpr int kCumulative = 2;

// The fields every data point shares: its attributes and its time window.
class PointStamp {
 public:
  explicit PointStamp(const MetricsView& view)
      : target_(view.target),
        start_ns_(std::to_string(view.unix_time_ns - view.elapsed_us * 1000)),
        time_ns_(std::to_string(view.unix_time_ns)) {}

  // A data point with target plus one more attribute when `key` is not empty.
  Json point(std::string_view key = {}, std::string_view value = {}) const {
    Json attributes = Json::array({attribute("target", target_)});
    if (!key.empty()) attributes.push_back(attribute(key, value));
    return Json{{"attributes", std::move(attributes)},
                {"startTimeUnixNano", start_ns_},
                {"timeUnixNano", time_ns_}};
  }

  static Json attribute(std::string_view key, std::string_view value) {
    return Json{{"key", key}, {"value", {{"stringValue", value}}}};
  }

 private:
  std::string target_;
  std::string start_ns_;
  std::string time_ns_;
};

Json with_int(Json point, uint64_t value) {
  point["asInt"] = std::to_string(value);
  return point;
}

Json with_double(Json point, double value) {
  point["asDouble"] = value;
  return point;
}

Json metric(std::string_view name, std::string_view unit, std::string_view description) {
  return Json{{"name", name}, {"description", description}, {"unit", unit}};
}

Json counter(std::string_view name, std::string_view unit, std::string_view description,
             Json points) {
  Json out = metric(name, unit, description);
  out["sum"] = {{"aggregationTemporality", kCumulative},
                {"isMonotonic", true},
                {"dataPoints", std::move(points)}};
  return out;
}

Json gauge(std::string_view name, std::string_view unit, std::string_view description, Json point) {
  Json out = metric(name, unit, description);
  out["gauge"] = {{"dataPoints", Json::array({std::move(point)})}};
  return out;
}

// Quantiles only when there are samples: OTLP/JSON has no NaN.
Json summary(std::string_view name, std::string_view description, Json point,
             const HdrHistogram& latency_us) {
  point["count"] = std::to_string(latency_us.total_count());
  point["sum"] = sum_seconds(latency_us);
  Json quantiles = Json::array();
  for (const SinkQuantile& q : kSinkQuantiles) {
    if (latency_us.total_count() == 0) break;
    quantiles.push_back(
        {{"quantile", q.quantile}, {"value", quantile_seconds(latency_us, q.quantile)}});
  }
  point["quantileValues"] = std::move(quantiles);
  Json out = metric(name, "s", description);
  out["summary"] = {{"dataPoints", Json::array({std::move(point)})}};
  return out;
}

Json counters(const MetricsView& view, const PointStamp& stamp) {
  const Tally& totals = view.totals;
  Json outcomes = Json::array(
      {with_int(stamp.point("outcome", "ok"), totals.ok),
       with_int(stamp.point("outcome", "non_expected_status"), totals.non_expected_status),
       with_int(stamp.point("outcome", "timeout"), totals.timeouts),
       with_int(stamp.point("outcome", "transport_error"), totals.transport_errors)});
  Json codes = Json::array();
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    if (totals.status_counts[code] == 0) continue;
    codes.push_back(
        with_int(stamp.point("code", std::to_string(code)), totals.status_counts[code]));
  }
  return Json::array(
      {counter("strest.requests", "{request}", "Completed requests by outcome.",
               std::move(outcomes)),
       counter("strest.requests.cancelled", "{request}",
               "Requests still in flight when the run ended.",
               Json::array({with_int(stamp.point(), totals.cancelled)})),
       counter("strest.response.bytes", "By", "Response bytes received, headers included.",
               Json::array({with_int(stamp.point(), totals.bytes_received)})),
       counter("strest.status_codes", "{response}", "Responses by HTTP status code.",
               std::move(codes))});
}

}  // namespace

std::string otel_json(const MetricsView& view) {
  const PointStamp stamp(view);
  Json metrics = counters(view, stamp);
  metrics.push_back(gauge("strest.elapsed", "s", "Time since the run started.",
                          with_double(stamp.point(), static_cast<double>(view.elapsed_us) / 1e6)));
  metrics.push_back(gauge("strest.requests_per_second", "{request}/s",
                          "Completed requests per second over the run so far, warmup excluded.",
                          with_double(stamp.point(), requests_per_second(view))));
  metrics.push_back(summary("strest.latency",
                            "Latency of requests that got a response (open loop: from the "
                            "intended send time).",
                            stamp.point(), view.totals.latency_all));
  metrics.push_back(summary("strest.latency.ok",
                            "Latency of requests that got the expected status.", stamp.point(),
                            view.totals.latency_ok));
  Json scope = {{"scope", {{"name", "strest"}, {"version", STREST_VERSION}}},
                {"metrics", std::move(metrics)}};
  Json resource = {
      {"resource",
       {{"attributes", Json::array({PointStamp::attribute("service.name", "strest")})}}},
      {"scopeMetrics", Json::array({std::move(scope)})}};
  return Json{{"resourceMetrics", Json::array({std::move(resource)})}}.dump(2) + "\n";
}

}  // namespace strest

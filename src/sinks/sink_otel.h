#pragma once
// The OpenTelemetry sink: one OTLP/JSON metrics export (an ExportMetricsServiceRequest, as the
// OTel Collector's file exporter writes and its otlpjsonfile receiver reads), resource
// service.name = "strest". Counters are cumulative monotonic sums, rates gauges, latency
// summaries in seconds; every data point carries the attribute target = <url>.
#include <string>

#include "sinks/metrics_view.h"

namespace strest {

// The whole file: one JSON document, indented, with a final newline. 64-bit integers
// (asInt, count, *UnixNano) are strings and enums integers, as OTLP/JSON requires.
std::string otel_json(const MetricsView& view);

}  // namespace strest

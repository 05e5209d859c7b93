#pragma once
// The InfluxDB sink: line protocol, measurement `strest`, tag target=<url>, nanosecond
// timestamps. One line holds the run's fields; one more line per HTTP status code seen carries
// tag code=<status> and field status_codes.
#include <string>

#include "sinks/metrics_view.h"

namespace strest {

// The whole file, one point per line. Integer fields end in i; floats are plain decimals.
// Latency quantile fields are left out while their histogram is empty (Influx has no NaN).
std::string influx_lines(const MetricsView& view);

// A tag key or value (or field key) escaped as line protocol requires: comma, equals sign and
// space get a backslash. Line breaks, which line protocol cannot carry, become spaces (escaped).
std::string influx_tag(std::string_view text);

}  // namespace strest

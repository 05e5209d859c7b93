#pragma once
// The Prometheus sink: text exposition format 0.0.4, as node_exporter's textfile collector reads
// it. Every sample carries target="<url>"; latency is a summary in seconds.
#include <string>

#include "sinks/metrics_view.h"

namespace strest {

// The whole file: # HELP and # TYPE before each family, one `name{labels} value` line per
// sample, no timestamps (the textfile collector refuses them).
std::string prometheus_text(const MetricsView& view);

// A label value escaped as the format requires: \ as \\, " as \", newline as \n.
std::string prometheus_label_value(std::string_view value);

}  // namespace strest

#include "report/run_report_tables.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "report/latency_bars.h"
#include "report/summary_text.h"

namespace strest {
namespace {

using nlohmann::json;

// Milliseconds as the summary prints them, with microsecond precision: "0.412".
std::string ms_text(const json& value) {
  return format_ms(std::llround(value.get<double>() * 1000.0));
}

std::string count_text(const json& value) { return format_count(value.get<uint64_t>()); }

RowMark fail_when(bool failed) { return failed ? RowMark::kFail : RowMark::kNone; }

// One histogram's column of the latency table: the JSON keys start with `prefix`.
struct LatencyColumn {
  std::string heading;
  std::string prefix;
  int64_t samples;
};

std::vector<LatencyColumn> latency_columns(const json& summary, const Tally& totals) {
  std::vector<LatencyColumn> columns = {{"all (ms)", "", totals.latency_all.total_count()},
                                        {"ok (ms)", "success_", totals.latency_ok.total_count()}};
  if (summary["open_loop"].get<bool>()) {
    columns.push_back({"service all (ms)", "service_", totals.service_all.total_count()});
    columns.push_back({"service ok (ms)", "service_success_", totals.service_ok.total_count()});
  }
  return columns;
}

}  // namespace

RowTable latency_table(const json& summary, const Tally& totals) {
  constexpr std::pair<const char*, const char*> kRows[] = {
      {"min", "min"}, {"avg", "avg"}, {"max", "max"}, {"p50", "p50"},
      {"p90", "p90"}, {"p95", "p95"}, {"p99", "p99"}, {"p99.9", "p999"}};
  const std::vector<LatencyColumn> columns = latency_columns(summary, totals);
  RowTable table{{{""}}, {}};
  for (const LatencyColumn& column : columns) table.columns.push_back({column.heading, true});
  for (const auto& [label, key] : kRows) {
    TableRow row{{label}};
    for (const LatencyColumn& column : columns) {
      const json& value = summary[column.prefix + key + "_latency_ms"];
      row.cells.push_back(column.samples == 0 ? "-" : ms_text(value));
    }
    table.rows.push_back(std::move(row));
  }
  TableRow samples{{"samples"}};
  for (const LatencyColumn& column : columns) {
    samples.cells.push_back(format_count(static_cast<uint64_t>(column.samples)));
  }
  table.rows.push_back(std::move(samples));
  return table;
}

RowTable status_table(const json& summary) {
  RowTable table{{{"Status"}, {"Responses", true}, {"Share", true}}, {}};
  uint64_t responses = 0;
  for (const auto& item : summary["status_codes"].items())
    responses += item.value().get<uint64_t>();
  if (responses == 0) table.rows.push_back({{"(no responses)"}});
  const std::string expected = std::to_string(summary["expected_status"].get<int>());
  for (const auto& item : summary["status_codes"].items()) {
    const auto count = item.value().get<uint64_t>();
    const double share = 100.0 * static_cast<double>(count) / static_cast<double>(responses);
    const bool ok = item.key() == expected;
    table.rows.push_back({{item.key() + (ok ? " (expected)" : ""), format_count(count),
                           format_grouped(share, 2) + "%"},
                          ok ? RowMark::kPass : RowMark::kFail});
  }
  return table;
}

RowTable error_table(const json& summary) {
  RowTable table{{{"Kind"}, {"Count", true}, {"Detail"}}, {}};
  const auto add = [&](std::string kind, const json& count, std::string detail) {
    table.rows.push_back({{std::move(kind), count_text(count), std::move(detail)},
                          fail_when(count.get<uint64_t>() > 0)});
  };
  const json& timeouts = summary["timeout_kinds"];
  add("timeout (connect)", timeouts["connect"], "no connection within --connect-timeout");
  add("timeout (request)", timeouts["request"], "no full response within --timeout");
  const json& details = summary["error_details"];
  for (const auto& item : summary["transport_error_kinds"].items()) {
    add(item.key(), item.value(), details.value(item.key(), ""));
  }
  add("non-expected status", summary["non_expected_status"],
      "a response whose status was not " + std::to_string(summary["expected_status"].get<int>()));
  if (!summary.contains("steps")) return table;
  std::string first_detail;
  for (const json& step : summary["steps"]) {
    if (step["assert_failed"].get<uint64_t>() == 0 || !first_detail.empty()) continue;
    first_detail =
        step["name"].get<std::string>() + ": " + step["assert_detail"].get<std::string>();
  }
  add("assert failed", summary["assert_failed"], first_detail);
  return table;
}

KeyValueTable connection_table(const json& summary) {
  KeyValueTable table;
  if (summary["protocol"].is_null()) return table;
  table.rows.push_back({"Protocol", summary["protocol"].get<std::string>()});
  table.rows.push_back({"Connections opened", count_text(summary["connections_opened"])});
  if (summary["tls_handshakes"].get<uint64_t>() > 0) {
    table.rows.push_back({"TLS handshakes", count_text(summary["tls_handshakes"]) + " (" +
                                                count_text(summary["tls_resumed"]) +
                                                " resumed a session)"});
  }
  return table;
}

RowTable phase_table(const json& summary) {
  RowTable table{
      {{"Phase"}, {"avg (ms)", true}, {"min (ms)", true}, {"max (ms)", true}, {"count", true}}, {}};
  for (const auto& item : summary["phases"].items()) {
    const json& phase = item.value();
    if (phase["count"].get<uint64_t>() == 0) continue;
    table.rows.push_back({{item.key(), ms_text(phase["avg_ms"]), ms_text(phase["min_ms"]),
                           ms_text(phase["max_ms"]), count_text(phase["count"])}});
  }
  return table;
}

KeyValueTable schedule_table(const json& summary) {
  return {{{"Target rate", format_grouped(summary["target_rps"].get<double>(), 2) + " req/s"},
           {"Scheduled", count_text(summary["scheduled_requests"])},
           {"Lag mean (ms)", ms_text(summary["schedule_lag_mean_ms"])},
           {"Lag max (ms)", ms_text(summary["schedule_lag_max_ms"])},
           {"Late starts (1 ms or more)", count_text(summary["late_starts"]),
            fail_when(summary["late_starts"].get<uint64_t>() > 0)},
           {"Unsent at end", count_text(summary["unsent_at_end"]),
            fail_when(summary["unsent_at_end"].get<uint64_t>() > 0)}},
          false};
}

RowTable steps_table(const json& summary) {
  RowTable table{{{"Step"},
                  {"Requests", true},
                  {"OK", true},
                  {"Non-expected", true},
                  {"Timeouts", true},
                  {"Transport", true},
                  {"Assert failed", true},
                  {"p50 (ms)", true},
                  {"p90 (ms)", true},
                  {"p99 (ms)", true},
                  {"max (ms)", true},
                  {"First assert failure"}},
                 {}};
  for (const json& step : summary.value("steps", json::array())) {
    const json& latency = step["latency_ms"];
    const bool failed = step["ok"].get<uint64_t>() < step["requests"].get<uint64_t>();
    table.rows.push_back(
        {{step["name"].get<std::string>(), count_text(step["requests"]), count_text(step["ok"]),
          count_text(step["non_expected_status"]), count_text(step["timeouts"]),
          count_text(step["transport_errors"]), count_text(step["assert_failed"]),
          ms_text(latency["p50"]), ms_text(latency["p90"]), ms_text(latency["p99"]),
          ms_text(latency["max"]), step["assert_detail"].get<std::string>()},
         fail_when(failed)});
  }
  return table;
}

RowTable agents_table(const json& summary) {
  RowTable table{{{"Agent"},
                  {"Weight", true},
                  {"Requests", true},
                  {"Errors", true},
                  {"Health"},
                  {"Joined (s)", true},
                  {"Dropped (s)", true},
                  {"Note"}},
                 {}};
  const auto seconds = [](const json& ms) {
    if (ms.is_null()) return std::string("-");
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", ms.get<double>() / 1000.0);
    return std::string(text);
  };
  for (const json& agent : summary.value("agents", json::array())) {
    const std::string health = agent["health"].get<std::string>();
    table.rows.push_back(
        {{agent["agent_id"].get<std::string>(), std::to_string(agent["weight"].get<uint32_t>()),
          count_text(agent["requests"]), count_text(agent["errors"]), health,
          seconds(agent["joined_ms"]), seconds(agent["dropped_ms"]),
          agent["note"].get<std::string>()},
         fail_when(health != "healthy")});
  }
  return table;
}

}  // namespace strest

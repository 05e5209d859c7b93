#include "report/summary_text.h"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "report/agent_summary.h"
#include "report/insight.h"
#include "report/latency_bars.h"
#include "report/step_summary.h"
#include "report/threshold_check.h"
#include "report/transport_stats.h"
#include "text/ansi_color.h"

namespace strest {

namespace {

constexpr size_t kLabelWidth = 22;
constexpr size_t kValueWidth = 14;

// Carries whether colour is on through the summary's writers (text/ansi_color.h paints).
class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  bool on() const { return on_; }
  std::string operator()(std::string_view text, std::string_view sgr) const {
    return paint(text, sgr, on_);
  }

 private:
  bool on_;
};

std::string pad_right(std::string_view text, size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string pad_left(std::string_view text, size_t width) {
  return text.size() >= width ? std::string(text)
                              : std::string(width - text.size(), ' ') + std::string(text);
}

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// "  99.63%", right aligned in 7 columns so that a column of percentages lines up.
std::string percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return pad_left("-", 7);
  return pad_left(fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 2) + "%",
                  7);
}

std::string signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  if (signal == 0) return "a signal";
  return "signal " + std::to_string(signal);
}

// "  label.............value  note", value painted after padding so columns stay aligned.
void row(std::ostream& out, std::string_view label, const std::string& value,
         const Painter& paint = Painter(false), std::string_view sgr = {},
         std::string_view note = {}) {
  out << "  " << pad_right(label, kLabelWidth) << paint(pad_left(value, kValueWidth), sgr);
  if (!note.empty()) out << "  " << note;
  out << '\n';
}

void heading(std::ostream& out, const Painter& paint, std::string_view title) {
  out << '\n' << paint(title, kSgrBold) << '\n';
}

// "  label.............text", left aligned, for values that are words rather than numbers.
void text_row(std::ostream& out, std::string_view label, const std::string& text) {
  out << "  " << pad_right(label, kLabelWidth) << text << '\n';
}

// "50 connections", or with HTTP/2 and HTTP/3 "50 requests in flight, 10 per connection".
std::string in_flight_text(const Plan& plan) {
  const TransportPlan& transport = plan.transport;
  if ((!transport.http2 && !transport.http3) || transport.disable_keepalive) {
    return std::to_string(plan.max_tasks) + " connections";
  }
  return std::to_string(plan.max_tasks) + " requests in flight, " +
         std::to_string(transport.streams_per_connection) + " per connection";
}

void write_header(std::ostream& out, const RunResult& result, const Plan& plan,
                  const Painter& paint) {
  out << paint("Summary", kSgrBold) << '\n';
  text_row(out, "Target", result.target.empty() ? plan.url.to_string() : result.target);
  const double seconds = static_cast<double>(result.wall.count()) / 1e6;
  text_row(out, "Duration", fixed(seconds, 3) + " s (wall clock)");
  const bool interrupted = result.stop_reason == StopReason::kSignal ||
                           result.stop_reason == StopReason::kThreshold ||
                           result.stop_reason == StopReason::kUser;
  text_row(out, "Stopped", paint(stop_description(result), interrupted ? kSgrYellow : kSgrGreen));
  text_row(out, "Load", load_description(result, plan));
  if (plan.warmup.count() > 0) {
    text_row(out, "Warmup",
             fixed(static_cast<double>(plan.warmup.count()) / 1e6, 3) +
                 " s: " + format_count(result.totals.warmup_excluded) +
                 " requests run but left out of every result below");
  }
}

void write_error_classes(std::ostream& out, const RunResult& result, const Plan& plan,
                         const Painter& paint) {
  const Tally& totals = result.totals;
  const auto& details = result.error_details;
  const auto warn = [](uint64_t n) { return n == 0 ? kSgrDim : kSgrRed; };
  const uint64_t connect = totals.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kConnect)];
  const uint64_t request = totals.timeouts_by_kind[static_cast<size_t>(TimeoutKind::kRequest)];
  row(out, "  Timeouts", format_count(totals.timeouts), paint, warn(totals.timeouts),
      "connect " + format_count(connect) + ", request " + format_count(request));
  row(out, "  Transport errors", format_count(totals.transport_errors), paint,
      warn(totals.transport_errors));
  for (size_t kind = 0; kind < totals.transport_by_kind.size(); ++kind) {
    if (totals.transport_by_kind[kind] == 0) continue;
    row(out, "    " + std::string(transport_error_name(static_cast<TransportError>(kind))),
        format_count(totals.transport_by_kind[kind]), Painter(false), {}, details[kind]);
  }
  row(out, "  Non-expected status", format_count(totals.non_expected_status), paint,
      warn(totals.non_expected_status), "expected " + std::to_string(plan.expected_status));
  if (!has_steps(result)) return;
  // Scenario runs: the first step whose assert failed, and why.
  const std::string note = assert_failure_note(result);
  row(out, "  Assert failed", format_count(totals.assert_failures), paint,
      warn(totals.assert_failures), note.empty() ? "" : "(" + note + ")");
}

void write_requests(std::ostream& out, const RunResult& result, const Plan& plan,
                    const Painter& paint) {
  const Tally& totals = result.totals;
  heading(out, paint, "Requests");
  const uint64_t completed = totals.completed();
  row(out, "Completed", format_count(completed));
  row(out, "OK", format_count(totals.ok), paint, kSgrGreen, percent(totals.ok, completed));
  row(out, "Errors", format_count(totals.errors()), paint, totals.errors() ? kSgrRed : kSgrDim,
      percent(totals.errors(), completed));
  write_error_classes(out, result, plan, paint);
  row(out, "Cancelled at end", format_count(totals.cancelled), paint, kSgrDim,
      "in flight when the run ended: not errors, not latency samples");
  if (!has_steps(result)) return;
  row(out, "Iterations passed", format_count(totals.iterations_passed), paint, kSgrGreen,
      "ran every step");
  row(out, "Iterations failed", format_count(totals.iterations_failed), paint,
      totals.iterations_failed ? kSgrRed : kSgrDim, "stopped at a failed step");
}

// Protocol, connections opened, TLS resumption and the phase timings (hey and vastar show
// these); left out when no connection was opened (a replay).
void write_connections(std::ostream& out, const Tally& totals, const Painter& paint) {
  const auto protocol = dominant_protocol(totals);
  if (!protocol) return;
  heading(out, paint, "Connections");
  text_row(out, "Protocol", std::string(protocol_name(*protocol)));
  row(out, "Opened", format_count(totals.connections_opened()));
  if (totals.tls_handshakes > 0) {
    row(out, "TLS handshakes", format_count(totals.tls_handshakes), Painter(false), {},
        format_count(totals.tls_resumed) + " resumed a session");
  }
  out << "  " << pad_right("Phases (ms)", kLabelWidth) << pad_left("avg", kValueWidth)
      << pad_left("min", kValueWidth) << pad_left("max", kValueWidth)
      << pad_left("count", kValueWidth) << '\n';
  for (size_t i = 0; i < kExchangePhases; ++i) {
    const PhaseStat& stat = totals.phases[i];
    if (stat.count == 0) continue;
    const double avg = static_cast<double>(stat.sum_us) / static_cast<double>(stat.count);
    out << "  " << pad_right(phase_label(static_cast<ExchangePhase>(i)), kLabelWidth)
        << pad_left(fixed(avg / 1e3, 3), kValueWidth)
        << pad_left(fixed(static_cast<double>(stat.min_us) / 1e3, 3), kValueWidth)
        << pad_left(fixed(static_cast<double>(stat.max_us) / 1e3, 3), kValueWidth)
        << pad_left(format_count(stat.count), kValueWidth) << '\n';
  }
}

void write_throughput(std::ostream& out, const RunResult& result, const Painter& paint) {
  heading(out, paint, "Throughput");
  const double seconds = measured_seconds(result);
  const double completed = static_cast<double>(result.totals.completed());
  const double rps = seconds > 0 ? completed / seconds : 0.0;
  if (result.open_loop && result.target_rps > 0) {
    const double achieved = result.target_rps > 0 ? 100.0 * rps / result.target_rps : 0.0;
    row(out, "Requests/sec (RPS)", format_grouped(rps, 2), Painter(false), {},
        "target " + format_grouped(result.target_rps, 2) + " (" + fixed(achieved, 1) +
            "% achieved)");
  } else {
    row(out, "Requests/sec (RPS)", format_grouped(rps, 2));
  }
  row(out, "Requests/min (RPM)", format_grouped(rps * 60.0, 1));
  const uint64_t bytes = result.totals.bytes_received;
  row(out, "Received", human_bytes(bytes), Painter(false), {}, format_count(bytes) + " bytes");
}

// A latency cell: "-" when the histogram has no samples, so 0.000 never looks like a result.
std::string latency_cell(const HdrHistogram& latency, int64_t us) {
  return latency.total_count() == 0 ? "-" : format_ms(us);
}

void latency_row(std::ostream& out, std::string_view label, const HdrHistogram& all,
                 const HdrHistogram& ok, int64_t (*pick)(const HdrHistogram&)) {
  out << "  " << pad_right(label, kLabelWidth)
      << pad_left(latency_cell(all, pick(all)), kValueWidth)
      << pad_left(latency_cell(ok, pick(ok)), kValueWidth) << '\n';
}

template <int kPerMille>
int64_t percentile(const HdrHistogram& h) {
  return h.value_at_percentile(kPerMille / 10.0);
}

void write_latency_table(std::ostream& out, std::string_view title, const HdrHistogram& all,
                         const HdrHistogram& ok, const Painter& paint) {
  heading(out, paint, title);
  out << "  " << pad_right("", kLabelWidth) << paint(pad_left("all", kValueWidth), kSgrBold)
      << paint(pad_left("ok", kValueWidth), kSgrBold) << '\n';
  latency_row(out, "min", all, ok, [](const HdrHistogram& h) { return h.min(); });
  latency_row(out, "avg", all, ok,
              [](const HdrHistogram& h) { return static_cast<int64_t>(std::llround(h.mean())); });
  latency_row(out, "max", all, ok, [](const HdrHistogram& h) { return h.max(); });
  latency_row(out, "p50", all, ok, percentile<500>);
  latency_row(out, "p90", all, ok, percentile<900>);
  latency_row(out, "p95", all, ok, percentile<950>);
  latency_row(out, "p99", all, ok, percentile<990>);
  latency_row(out, "p99.9", all, ok, percentile<999>);
  out << "  " << pad_right("samples", kLabelWidth)
      << pad_left(format_count(static_cast<uint64_t>(all.total_count())), kValueWidth)
      << pad_left(format_count(static_cast<uint64_t>(ok.total_count())), kValueWidth) << '\n';
}

void write_latency(std::ostream& out, const RunResult& result, const Painter& paint) {
  const Tally& totals = result.totals;
  if (!result.open_loop) {
    write_latency_table(out, "Latency (ms)", totals.latency_all, totals.latency_ok, paint);
    return;
  }
  write_latency_table(out, "Latency (ms), corrected: from each request's intended send time",
                      totals.latency_all, totals.latency_ok, paint);
  write_latency_table(out, "Service time (ms): from the actual send", totals.service_all,
                      totals.service_ok, paint);
}

// Open loop: how far behind its schedule the run fell, and what never left the queue.
void write_schedule(std::ostream& out, const RunResult& result, const Painter& paint) {
  if (!result.open_loop) return;
  const Tally& totals = result.totals;
  heading(out, paint, "Schedule");
  row(out, "Scheduled", format_grouped(result.scheduled_requests, 0), Painter(false), {},
      "requests the schedule asked for in the measured window");
  const double mean_us =
      totals.scheduled_starts == 0
          ? 0.0
          : static_cast<double>(totals.lag_sum_us) / static_cast<double>(totals.scheduled_starts);
  row(out, "Lag mean (ms)", fixed(mean_us / 1000.0, 3), Painter(false), {},
      "start time behind the intended time");
  row(out, "Lag max (ms)", format_ms(totals.lag_max_us));
  row(out, "Late starts", format_count(totals.late_starts), paint,
      totals.late_starts ? kSgrYellow : kSgrDim, "started 1 ms or more behind the schedule");
  row(out, "Unsent at end", format_count(totals.unsent_at_end), paint,
      totals.unsent_at_end ? kSgrYellow : kSgrDim, "due, still queued when the run ended");
}

void write_status_codes(std::ostream& out, const Tally& totals, const Plan& plan,
                        const Painter& paint) {
  heading(out, paint, "Status codes");
  uint64_t responses = 0;
  for (uint64_t count : totals.status_counts) responses += count;
  if (responses == 0) out << "  (no responses)\n";
  for (size_t code = 0; code < totals.status_counts.size(); ++code) {
    const uint64_t count = totals.status_counts[code];
    if (count == 0) continue;
    const bool expected = static_cast<int>(code) == plan.expected_status;
    row(out, "[" + std::to_string(code) + "]", format_count(count), paint,
        expected ? kSgrGreen : kSgrRed, percent(count, responses));
  }
}

std::string_view verdict_color(VerdictLevel level) {
  switch (level) {
    case VerdictLevel::kGood:
      return kSgrGreen;
    case VerdictLevel::kFair:
      return kSgrYellow;
    case VerdictLevel::kPoor:
      return kSgrRed;
    case VerdictLevel::kUnknown:
      break;
  }
  return kSgrDim;
}

void write_insight(std::ostream& out, const Tally& totals, const Painter& paint) {
  heading(out, paint, "Insight (all responses)");
  for (const InsightLine& line : insight_lines(compute_insight(totals.latency_all))) {
    out << "  " << line.measure << " -- "
        << paint(line.verdict.words, verdict_color(line.verdict.level)) << '\n';
  }
}

void write_histogram(std::ostream& out, const Tally& totals, const Painter& paint) {
  heading(out, paint, "Latency histogram (all responses)");
  LatencyBarStyle style;
  style.color = paint.on();
  write_latency_bars(totals.latency_all, out, style);
}

}  // namespace

std::string format_grouped(double value, int decimals) {
  const std::string text = fixed(value, decimals);
  const size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : text.substr(dot);
  return format_count(std::strtoull(whole.c_str(), nullptr, 10)) + rest;
}

std::string human_bytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return unit == 0 ? std::to_string(bytes) + " B" : fixed(value, 2) + " " + kUnits[unit];
}

std::string stop_description(const RunResult& result) {
  switch (result.stop_reason) {
    case StopReason::kDuration:
      return "duration reached";
    case StopReason::kRequestCount:
      return "request count reached";
    case StopReason::kSignal:
      return "interrupted by " + signal_name(result.signal);
    case StopReason::kThreshold:
      return "aborted: a threshold failed (abort_on_fail)";
    case StopReason::kUser:
      return "ended by the user (q)";
  }
  return "unknown";
}

std::string load_description(const RunResult& result, const Plan& plan) {
  if (result.replayed) {
    return std::string("replay of recorded requests (") + (result.open_loop ? "open" : "closed") +
           " loop); nothing was sent";
  }
  if (result.open_loop) {
    return "open loop: " + format_grouped(result.target_rps, 1) +
           " req/s scheduled on average, up to " + in_flight_text(plan);
  }
  return "closed loop: " + in_flight_text(plan);
}

void write_summary_text(const RunResult& result, const Plan& plan, std::ostream& out, bool color) {
  const Painter paint(color);
  const Tally& totals = result.totals;
  write_header(out, result, plan, paint);
  write_requests(out, result, plan, paint);
  write_steps_text(result, out, color);
  write_agents_text(result, out, color);
  write_connections(out, totals, paint);
  write_throughput(out, result, paint);
  write_schedule(out, result, paint);
  write_latency(out, result, paint);
  write_status_codes(out, totals, plan, paint);
  write_insight(out, totals, paint);
  write_histogram(out, totals, paint);
  write_threshold_text(judge_run(result, plan), out, color);
}

bool use_color(int fd) {
  if (isatty(fd) == 0) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

}  // namespace strest

#include "report/export_schema.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "metrics/outcome.h"

namespace strest {

namespace {

constexpr std::array<std::string_view, 2> kTimeoutNames = {"connect", "request"};

template <typename T>
void append_int(std::string& out, T value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_json_string(std::string& out, std::string_view text) {
  // Names come from fixed vocabularies (outcome_name, transport_error_name): nothing to escape.
  out += '"';
  out += text;
  out += '"';
}

}  // namespace

std::string_view export_format_name(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return "csv";
    case ExportFormat::kJson:
      return "json";
    case ExportFormat::kJsonl:
      return "jsonl";
  }
  return "unknown";
}

std::optional<ExportFormat> export_format_for_path(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".csv") return ExportFormat::kCsv;
  if (extension == ".json") return ExportFormat::kJson;
  if (extension == ".jsonl") return ExportFormat::kJsonl;
  return std::nullopt;
}

void append_ms(std::string& out, int64_t us) {
  // Integer arithmetic: exact for every int64, unlike printf("%.3f", us / 1000.0).
  const uint64_t magnitude = us < 0 ? 0 - static_cast<uint64_t>(us) : static_cast<uint64_t>(us);
  if (us < 0) out += '-';
  append_int(out, magnitude / 1000);
  const auto fraction = static_cast<unsigned>(magnitude % 1000);
  out += '.';
  out += static_cast<char>('0' + fraction / 100);
  out += static_cast<char>('0' + fraction / 10 % 10);
  out += static_cast<char>('0' + fraction % 10);
}

std::optional<int64_t> parse_ms(std::string_view text) {
  double ms = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(ms)) {
    return std::nullopt;
  }
  const double us = std::round(ms * 1000.0);
  if (std::fabs(us) > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(us);
}

std::string_view export_outcome_name(LoggedOutcome outcome) {
  switch (outcome) {
    case LoggedOutcome::kOk:
      return outcome_name(Outcome::kOk);
    case LoggedOutcome::kNonExpectedStatus:
      return outcome_name(Outcome::kNonExpectedStatus);
    case LoggedOutcome::kTimeout:
      return outcome_name(Outcome::kTimeout);
    case LoggedOutcome::kTransport:
      return outcome_name(Outcome::kTransportError);
    case LoggedOutcome::kAssertFailed:
      return outcome_name(Outcome::kAssertFailed);
    case LoggedOutcome::kEvent:  // never exported: exports carry requests only
      break;
  }
  return "unknown";
}

std::optional<LoggedOutcome> parse_export_outcome(std::string_view name) {
  for (const LoggedOutcome outcome :
       {LoggedOutcome::kOk, LoggedOutcome::kNonExpectedStatus, LoggedOutcome::kTimeout,
        LoggedOutcome::kTransport, LoggedOutcome::kAssertFailed}) {
    if (export_outcome_name(outcome) == name) return outcome;
  }
  return std::nullopt;
}

std::string_view export_error_name(const RunLogRecord& record) {
  switch (record.outcome) {
    case LoggedOutcome::kOk:
    case LoggedOutcome::kNonExpectedStatus:
    case LoggedOutcome::kAssertFailed:
      return "";
    case LoggedOutcome::kTimeout:
      return record.error_kind < kTimeoutNames.size() ? kTimeoutNames[record.error_kind]
                                                      : "unknown";
    case LoggedOutcome::kTransport:
      return transport_error_name(static_cast<TransportError>(record.error_kind));
    case LoggedOutcome::kEvent:
      break;
  }
  return "unknown";
}

Status parse_export_error(std::string_view name, RunLogRecord& record) {
  record.error_kind = 0;
  switch (record.outcome) {
    case LoggedOutcome::kOk:
    case LoggedOutcome::kNonExpectedStatus:
    case LoggedOutcome::kAssertFailed:
      if (name.empty()) return Ok{};
      return Error{"error must be empty for outcome '" +
                   std::string(export_outcome_name(record.outcome)) + "', got '" +
                   std::string(name) + "'"};
    case LoggedOutcome::kTimeout:
      for (uint8_t kind = 0; kind < kTimeoutNames.size(); ++kind) {
        if (kTimeoutNames[kind] != name) continue;
        record.error_kind = kind;
        return Ok{};
      }
      return Error{"unknown timeout kind '" + std::string(name) + "' (connect or request)"};
    case LoggedOutcome::kTransport:
      for (uint8_t kind = 0; kind < kTransportErrorKinds; ++kind) {
        if (transport_error_name(static_cast<TransportError>(kind)) != name) continue;
        record.error_kind = kind;
        return Ok{};
      }
      return Error{"unknown transport error kind '" + std::string(name) + "'"};
    case LoggedOutcome::kEvent:
      break;
  }
  return Error{"unknown outcome"};
}

void append_record_json_members(std::string& out, const RunLogRecord& record) {
  out += "\"sequence\":";
  append_int(out, record.sequence);
  out += ",\"start_ms\":";
  append_ms(out, record.start_us);
  out += ",\"latency_ms\":";
  append_ms(out, record.latency_us);
  out += ",\"service_ms\":";
  append_ms(out, record.service_us);
  out += ",\"status\":";
  append_int(out, record.status);
  out += ",\"outcome\":";
  append_json_string(out, export_outcome_name(record.outcome));
  out += ",\"error\":";
  append_json_string(out, export_error_name(record));
  out += ",\"bytes\":";
  append_int(out, record.bytes);
  out += ",\"worker\":";
  append_int(out, record.worker);
  out += ",\"step\":";
  append_int(out, record.step);
}

void append_record_csv(std::string& out, const RunLogRecord& record) {
  append_int(out, record.sequence);
  out += ',';
  append_ms(out, record.start_us);
  out += ',';
  append_ms(out, record.latency_us);
  out += ',';
  append_ms(out, record.service_us);
  out += ',';
  append_int(out, record.status);
  out += ',';
  out += export_outcome_name(record.outcome);
  out += ',';
  out += export_error_name(record);
  out += ',';
  append_int(out, record.bytes);
  out += ',';
  append_int(out, record.worker);
  out += ',';
  append_int(out, record.step);
}

}  // namespace strest

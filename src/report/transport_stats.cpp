#include "report/transport_stats.h"

namespace strest {

std::optional<Protocol> dominant_protocol(const Tally& totals) {
  std::optional<Protocol> best;
  uint64_t most = 0;
  for (size_t i = 0; i < totals.connections_by_protocol.size(); ++i) {
    if (totals.connections_by_protocol[i] <= most) continue;
    most = totals.connections_by_protocol[i];
    best = static_cast<Protocol>(i);
  }
  return best;
}

std::string_view phase_name(ExchangePhase phase) {
  switch (phase) {
    case ExchangePhase::kConnect:
      return "connect";
    case ExchangePhase::kTlsHandshake:
      return "tls_handshake";
    case ExchangePhase::kRequestWrite:
      return "request_write";
    case ExchangePhase::kWaitFirstByte:
      return "wait_first_byte";
    case ExchangePhase::kResponseRead:
      return "response_read";
    case ExchangePhase::kCount:
      break;
  }
  return "unknown";
}

std::string_view phase_label(ExchangePhase phase) {
  switch (phase) {
    case ExchangePhase::kConnect:
      return "Connect";
    case ExchangePhase::kTlsHandshake:
      return "TLS handshake";
    case ExchangePhase::kRequestWrite:
      return "Request write";
    case ExchangePhase::kWaitFirstByte:
      return "Wait first byte";
    case ExchangePhase::kResponseRead:
      return "Response read";
    case ExchangePhase::kCount:
      break;
  }
  return "unknown";
}

void add_transport_json(nlohmann::json& out, const RunResult& result) {
  const Tally& totals = result.totals;
  const auto protocol = dominant_protocol(totals);
  out["protocol"] = protocol ? nlohmann::json(protocol_name(*protocol)) : nlohmann::json(nullptr);
  out["connections_opened"] = totals.connections_opened();
  out["tls_handshakes"] = totals.tls_handshakes;
  out["tls_resumed"] = totals.tls_resumed;
  nlohmann::json phases = nlohmann::json::object();
  for (size_t i = 0; i < kExchangePhases; ++i) {
    const PhaseStat& stat = totals.phases[i];
    const bool any = stat.count > 0;
    phases[std::string(phase_name(static_cast<ExchangePhase>(i)))] = {
        {"count", stat.count},
        {"avg_ms",
         any ? static_cast<double>(stat.sum_us) / static_cast<double>(stat.count) / 1e3 : 0.0},
        {"min_ms", any ? static_cast<double>(stat.min_us) / 1e3 : 0.0},
        {"max_ms", static_cast<double>(stat.max_us) / 1e3}};
  }
  out["phases"] = std::move(phases);
  nlohmann::json details = nlohmann::json::object();
  for (size_t kind = 0; kind < result.error_details.size(); ++kind) {
    if (result.error_details[kind].empty()) continue;
    details[std::string(transport_error_name(static_cast<TransportError>(kind)))] =
        result.error_details[kind];
  }
  out["error_details"] = std::move(details);
}

}  // namespace strest

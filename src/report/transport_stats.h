#pragma once
// What the summary says about connections: the protocol they spoke, how many were opened, TLS
// resumption, the phase timings, and the reasons behind transport errors.
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "metrics/protocol.h"
#include "metrics/run_result.h"
#include "metrics/tally.h"

namespace strest {

// The protocol most connections spoke; none when no connection became ready (or a replay).
std::optional<Protocol> dominant_protocol(const Tally& totals);

// The JSON names of the phases: connect, tls_handshake, request_write, wait_first_byte,
// response_read.
std::string_view phase_name(ExchangePhase phase);

// Human labels: "Connect", "TLS handshake", "Request write", "Wait first byte", "Response read".
std::string_view phase_label(ExchangePhase phase);

// The connection part of the JSON summary: protocol, connections_opened, tls_handshakes,
// tls_resumed, phases, error_details.
void add_transport_json(nlohmann::json& out, const RunResult& result);

}  // namespace strest

#pragma once
// The search as JSON (`strest capacity -o FILE`): settings, outcome, knee, first failure with
// the SLOs it broke, and every step. Rates in requests per second, latency in ms, error rates in
// percent, as the run summary's JSON writes them; a latency with no samples is null.
#include <nlohmann/json.hpp>
#include <string>

#include "capacity/capacity_result.h"

namespace strest {

nlohmann::json capacity_json(const CapacityResult& result);

// capacity_json(result), indented, with a trailing newline.
std::string capacity_json_text(const CapacityResult& result);

}  // namespace strest

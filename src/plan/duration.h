#pragma once
// Durations as users write them in flags and config files: "250ms", "10s", "2m", "1h", "1.5s";
// a bare number ("30", "0.5") is seconds. Kept to whole microseconds, the Plan's resolution.
#include <string>
#include <string_view>

#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Parses a non-negative duration; the error quotes the text and shows the accepted forms.
// Digits past microsecond precision are truncated.
Result<Micros> parse_duration(std::string_view text);

// The shortest text that parse_duration reads back as the same value ("10s", "250ms", "1.5s",
// "2m", "0s"); used in --help and in error messages.
std::string format_duration(Micros duration);

}  // namespace strest

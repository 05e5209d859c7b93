#pragma once
// Error messages quote user text; control characters in it are escaped (\xNN) so that every
// message stays on one line.
#include <string>
#include <string_view>

namespace strest {

std::string one_line(std::string_view text);

}  // namespace strest

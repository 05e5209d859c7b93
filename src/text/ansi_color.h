#pragma once
// ANSI colour for terminal output: the one place that writes SGR escape sequences, so the
// summary, the threshold lines and the latency bars colour (and stop colouring) the same way.
#include <string>
#include <string_view>

namespace strest {

// SGR codes the reports use.
inline constexpr std::string_view kSgrBold = "1";
inline constexpr std::string_view kSgrDim = "2";
inline constexpr std::string_view kSgrRed = "31";
inline constexpr std::string_view kSgrGreen = "32";
inline constexpr std::string_view kSgrYellow = "33";

// text wrapped in "ESC[<sgr>m ... ESC[0m" when on; unchanged when off or empty.
std::string paint(std::string_view text, std::string_view sgr, bool on);

// The SGR code of a 256-colour palette index as foreground ("38;5;<index>").
std::string sgr_256(int index);

}  // namespace strest

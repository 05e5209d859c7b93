#pragma once
// The one way strest talks to the user on stderr outside its reports: warnings, notes and
// --verbose detail, filtered by one level (STREST_LOG, or --verbose for debug). Errors that end
// the process are printed by their command; this is for everything that lets the run go on.
// Safe to call from any thread: each message is written as one whole line.
#include <optional>
#include <ostream>
#include <string_view>

namespace strest {

// Most quiet first: a level shows its own messages and every quieter level's.
enum class LogLevel { kError, kWarn, kInfo, kDebug };

// The level a run starts with: warnings and notes, no debug detail.
inline constexpr LogLevel kDefaultLogLevel = LogLevel::kInfo;

// The environment variable that sets the level.
inline constexpr std::string_view kLogLevelVariable = "STREST_LOG";

// The names STREST_LOG takes, for messages.
inline constexpr std::string_view kLogLevelNames = "error, warn, info or debug";

// "error", "warn", "info" or "debug"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);

void set_log_level(LogLevel level);
LogLevel log_level();

// True when messages of `level` are shown, so callers can skip building costly ones.
bool logs(LogLevel level);

// "strest: warning: <message>": something was ignored or could not be done, the run goes on.
void log_warning(std::string_view message);
// "strest: <message>": where outputs went and the like.
void log_info(std::string_view message);
// "strest: <message>": what --verbose shows (the target, the request head, how work is split).
void log_debug(std::string_view message);

// Sends log lines to out instead of stderr (tests); returns the stream used so far.
std::ostream& set_log_stream(std::ostream& out);

}  // namespace strest

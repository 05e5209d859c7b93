#include "log/log.h"

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>

namespace strest {
namespace {

constexpr std::pair<std::string_view, LogLevel> kLevels[] = {{"error", LogLevel::kError},
                                                             {"warn", LogLevel::kWarn},
                                                             {"info", LogLevel::kInfo},
                                                             {"debug", LogLevel::kDebug}};

std::atomic<LogLevel> current_level{kDefaultLogLevel};
std::mutex stream_mutex;
std::ostream* stream = &std::cerr;

void write(LogLevel level, std::string_view prefix, std::string_view message) {
  if (!logs(level)) return;
  std::string line = "strest: ";
  line += prefix;
  line += message;
  line += '\n';
  const std::lock_guard lock(stream_mutex);
  *stream << line << std::flush;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (const auto& [name, level] : kLevels) {
    if (text == name) return level;
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) { current_level.store(level); }

LogLevel log_level() { return current_level.load(); }

bool logs(LogLevel level) { return static_cast<int>(level) <= static_cast<int>(log_level()); }

void log_warning(std::string_view message) { write(LogLevel::kWarn, "warning: ", message); }

void log_info(std::string_view message) { write(LogLevel::kInfo, "", message); }

void log_debug(std::string_view message) { write(LogLevel::kDebug, "", message); }

std::ostream& set_log_stream(std::ostream& out) {
  const std::lock_guard lock(stream_mutex);
  std::ostream& previous = *stream;
  stream = &out;
  return previous;
}

}  // namespace strest

#pragma once
// The steps that turn merged RawOptions into a Plan, each checking one concern (the target,
// bodies, output files, load shape, run log, reports) and naming the flag or config key at
// fault. command_line.cpp runs them all for a run or a demo; a replay (replay_plan.h) runs the
// few it shares with a run.
#include <optional>
#include <string>
#include <string_view>

#include "cli/command_line.h"
#include "cli/options.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Where run logs go, and where `strest cleanup` and `strest --replay` look, unless --tmp-path
// says otherwise.
inline constexpr const char* kDefaultTmpPath = "~/.strest/tmp";

// Where a merged setting came from, for messages: the flag, or "<file>: key '<key>'".
class Origins {
 public:
  Origins(const RawOptions& cli, std::string file) : cli_(cli), file_(std::move(file)) {}

  template <typename T>
  bool on_cli(std::optional<T> RawOptions::*field) const {
    return (cli_.*field).has_value();
  }

  template <typename T>
  std::string of(std::optional<T> RawOptions::*field, std::string_view flag,
                 std::string_view key) const {
    if (on_cli(field)) return std::string(flag);
    return file_ + ": key '" + std::string(key) + "'";
  }

  const std::string& file() const { return file_; }

 private:
  const RawOptions& cli_;
  std::string file_;
};

// Printable ASCII without spaces: what URLs, demo paths and listen addresses may hold.
bool is_visible_ascii(std::string_view text);

// Fills command.plan for a run, and command.demo_path in demo mode; the error names the flag or
// config key and the fix.
Status build_plan(const RawOptions& options, const Origins& origins, ParsedCommand& command);

// TLS, protocol, proxy and socket settings (transport_steps.cpp).
Status apply_transport(const RawOptions& options, const Origins& origins, Plan& plan);

// The steps a replay shares with a run.

// --output and --output-format (else the format --output's extension names).
Status apply_output(const RawOptions& options, const Origins& origins, Plan& plan);
// Thresholds from the config and the command line; --abort-on-fail needs one.
Status apply_thresholds(const RawOptions& options, const Origins& origins, Plan& plan);
// --no-charts, --charts-path, --db-url and the config's [sinks].
Status apply_reports(const RawOptions& options, const Origins& origins, Plan& plan);

}  // namespace strest

// A replay's checks: its windows must hold something, snapshot settings need a snapshot, and
// nothing it writes may overwrite the export it reads.
#include <filesystem>
#include <optional>

#include "plan/duration.h"
#include "plan/validate_parts.h"

namespace strest {
namespace {

namespace fs = std::filesystem;

Status check_window(const std::optional<Micros>& start, const std::optional<Micros>& end,
                    const SettingOrigins& origins, const char* start_flag, const char* end_flag) {
  if (!start || !end || *start < *end) return Ok{};
  return Error{origins.name(start_flag) + " (" + format_duration(*start) + ") must be before " +
               origins.name(end_flag) + " (" + format_duration(*end) + ")"};
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  return fs::path(a).lexically_normal() == fs::path(b).lexically_normal() ||
         fs::equivalent(a, b, error);
}

// The files a replay writes must not be the export it reads.
Status check_input_kept(const Plan& plan, const SettingOrigins& origins) {
  const ReplayOptions& replay = *plan.replay;
  if (replay.source_kind == ReplayOptions::Source::kRunLog) return Ok{};
  const std::optional<std::string> snapshot_out =
      replay.snapshot_out.empty() ? std::nullopt : std::optional(replay.snapshot_out);
  const std::pair<const std::optional<std::string>&, const char*> outputs[] = {
      {plan.output_path, "--output"},
      {plan.db_url, "--db-url"},
      {plan.report_path, "--report"},
      {snapshot_out, "--replay-snapshot-out"}};
  constexpr std::pair<ReplayOptions::Source, const char*> kInputFlags[] = {
      {ReplayOptions::Source::kCsv, "--export-csv"},
      {ReplayOptions::Source::kJson, "--export-json"},
      {ReplayOptions::Source::kJsonl, "--export-jsonl"}};
  const char* input_flag = "";
  for (const auto& [kind, flag] : kInputFlags) {
    if (kind == replay.source_kind) input_flag = flag;
  }
  for (const auto& [path, flag] : outputs) {
    if (!path || !same_file(*path, replay.source)) continue;
    return Error{origins.name(flag) + " would overwrite '" + replay.source + "', the export " +
                 input_flag + " replays: give another file"};
  }
  return Ok{};
}

}  // namespace

Status validate_replay(const Plan& plan, const SettingOrigins& origins) {
  const ReplayOptions& replay = *plan.replay;
  auto window = check_window(replay.start, replay.end, origins, "--replay-start", "--replay-end");
  if (!window) return window;
  auto snapshots = check_window(replay.snapshot_start, replay.snapshot_end, origins,
                                "--replay-snapshot-start", "--replay-snapshot-end");
  if (!snapshots) return snapshots;
  if (plan.replay_step.count() <= 0) {
    return Error{origins.name("--replay-step") + " must be greater than 0"};
  }
  if (origins.given("--replay-snapshot-format") && !replay.snapshots_wanted()) {
    return Error{
        "--replay-snapshot-format needs a snapshot to write: add --replay-snapshot-interval, "
        "--replay-snapshot-start, --replay-snapshot-end or --replay-snapshot-out"};
  }
  return check_input_kept(plan, origins);
}

}  // namespace strest

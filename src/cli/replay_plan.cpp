#include "cli/replay_plan.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/config_value.h"
#include "metrics/run_log_reader.h"
#include "plan/duration.h"
#include "plan/validate.h"

namespace strest {
namespace {

namespace fs = std::filesystem;
using Kind = ReplayBound::Kind;
using SourceKind = ReplayOptions::Source;

constexpr const char* kRecordingFix =
    "keep a run's log with --keep-tmp, or replay an export with --export-jsonl PATH";

// The recording a replay reads, and the flag that named it.
struct ReplayInput {
  SourceKind kind = SourceKind::kRunLog;
  std::string path;
  std::string flag;
};

// With --replay, the export flags name the file to read instead of one to write.
struct ExportInput {
  SourceKind kind;
  FieldOf<std::string> field;
};

constexpr ExportInput kExportInputs[] = {{SourceKind::kCsv, &RawOptions::export_csv},
                                         {SourceKind::kJson, &RawOptions::export_json},
                                         {SourceKind::kJsonl, &RawOptions::export_jsonl}};

Status check_export(const ReplayInput& input) {
  std::error_code error;
  const fs::file_status status = fs::status(input.path, error);
  if (!fs::exists(status)) {
    return Error{input.flag + ": '" + input.path + "' does not exist; with --replay, " +
                 input.flag + " names the export to read"};
  }
  if (fs::is_directory(status)) {
    return Error{input.flag + ": '" + input.path + "' is a folder; with --replay, " + input.flag +
                 " names the export file to read"};
  }
  std::ifstream in(input.path);
  if (!in) return Error{input.flag + ": cannot read '" + input.path + "': " + std::strerror(errno)};
  return Ok{};
}

// --tmp-path (else ~/.strest/tmp): a folder holding at least one run, or a run's log file.
Result<ReplayInput> run_log_input(const RawOptions& options, const Origins& origins) {
  const std::string subject = options.tmp_path
                                  ? origins.of(&RawOptions::tmp_path)
                                  : "--tmp-path (default " + std::string(kDefaultTmpPath) + ")";
  auto path = options.tmp_path ? Result<std::string>(*options.tmp_path)
                               : read_home_path(std::string(kDefaultTmpPath), Source{subject, true},
                                                std::getenv("HOME"));
  if (!path) return Error{path.error()};
  std::error_code error;
  if (!fs::exists(*path, error)) {
    return Error{subject + ": '" + *path + "' does not exist, so there is no run log to replay; " +
                 kRecordingFix};
  }
  auto files = run_log_files(*path);
  if (!files) return Error{subject + ": " + files.error() + "; " + kRecordingFix};
  return ReplayInput{SourceKind::kRunLog, *path, "--tmp-path"};
}

// One export flag or --tmp-path on the command line, or none (the default run log folder).
Result<ReplayInput> choose_input(const RawOptions& options, const Origins& origins) {
  std::vector<ReplayInput> named;
  for (const ExportInput& input : kExportInputs) {
    if (origins.on_cli(input.field))
      named.push_back({input.kind, *(options.*input.field), flag_of(setting_of(input.field))});
  }
  if (origins.on_cli(&RawOptions::tmp_path)) {
    named.push_back(
        {SourceKind::kRunLog, *options.tmp_path, flag_of(setting_of(&RawOptions::tmp_path))});
  }
  if (named.size() > 1) {
    return Error{named[0].flag + " and " + named[1].flag +
                 " both name a recording to replay: pass one"};
  }
  if (named.empty() || named[0].kind == SourceKind::kRunLog) return run_log_input(options, origins);
  auto readable = check_export(named[0]);
  if (!readable) return Error{readable.error()};
  return named[0];
}

// A window as ReplayOptions keeps it: an unset start is min, an unset end is max.
struct Window {
  std::optional<Micros> start;
  std::optional<Micros> end;
};

// "what" names what an empty window would leave nothing of ("replay", "snapshot"). That the start
// comes before the end is plan/validate.h's check, once both are times.
Result<Window> read_window(const std::optional<ReplayBound>& start,
                           const std::optional<ReplayBound>& end, const std::string& start_flag,
                           const std::string& end_flag, const std::string& what) {
  if (start && start->kind == Kind::kMax) {
    return Error{start_flag + " max leaves nothing to " + what + ": use min or a time such as 10s"};
  }
  if (end && end->kind == Kind::kMin) {
    return Error{end_flag + " min leaves nothing to " + what + ": use max or a time such as 2m"};
  }
  Window window;
  if (start && start->kind == Kind::kAt) window.start = start->at;
  if (end && end->kind == Kind::kAt) window.end = end->at;
  return window;
}

Result<ReplayOptions> read_replay_options(const RawOptions& options, const ReplayInput& input) {
  ReplayOptions replay;
  replay.source_kind = input.kind;
  replay.source = input.path;
  auto window = read_window(options.replay_start, options.replay_end, "--replay-start",
                            "--replay-end", "replay");
  if (!window) return Error{window.error()};
  replay.start = window->start;
  replay.end = window->end;
  auto snapshots = read_window(options.replay_snapshot_start, options.replay_snapshot_end,
                               "--replay-snapshot-start", "--replay-snapshot-end", "snapshot");
  if (!snapshots) return Error{snapshots.error()};
  replay.snapshot_start = snapshots->start;
  replay.snapshot_end = snapshots->end;
  replay.snapshot_interval = options.replay_snapshot_interval;
  replay.snapshot_out = options.replay_snapshot_out.value_or("");
  replay.snapshot_format = options.replay_snapshot_format.value_or(replay.snapshot_format);
  return replay;
}

// The replay writes a run log of its window, as a run does: next to the run log it reads,
// else where runs write theirs.
std::string log_folder(const ReplayInput& input, const RawOptions& options) {
  if (input.kind != SourceKind::kRunLog) return options.tmp_path.value_or("");
  std::error_code error;
  if (fs::is_directory(input.path, error)) return input.path;
  const fs::path parent = fs::path(input.path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

Status refuse_traffic_flags(const RawOptions& cli) {
  for (const Setting& setting : settings()) {
    if (!setting.shapes_traffic || setting.names == nullptr || !is_given(cli, setting)) continue;
    return Error{flag_of(setting) + " does not apply to --replay, which sends nothing: drop it"};
  }
  return Ok{};
}

Status build_replay_plan(const RawOptions& options, const Origins& origins, Plan& plan) {
  auto input = choose_input(options, origins);
  if (!input) return Error{input.error()};
  auto replay = read_replay_options(options, *input);
  if (!replay) return Error{replay.error()};
  plan.summary = options.summary.value_or(false);
  plan.no_tui = options.no_tui.value_or(false);
  plan.ui_window = options.ui_window.value_or(plan.ui_window);
  plan.replay_step = options.replay_step.value_or(plan.replay_step);
  plan.verbose = options.verbose.value_or(false);
  plan.keep_tmp = options.keep_tmp.value_or(false);
  plan.tmp_path = log_folder(*input, options);
  for (auto step : {apply_output, apply_thresholds, apply_reports}) {
    auto status = step(options, origins, plan);
    if (!status) return status;
  }
  plan.replay = std::move(*replay);
  plan.origins = origins.record();
  return validate(plan, origins.record());
}

Status refuse_replay_flags(const RawOptions& cli) {
  const Field replay_only[] = {
      &RawOptions::replay_start,          &RawOptions::replay_end,
      &RawOptions::replay_step,           &RawOptions::replay_snapshot_interval,
      &RawOptions::replay_snapshot_start, &RawOptions::replay_snapshot_end,
      &RawOptions::replay_snapshot_out,   &RawOptions::replay_snapshot_format};
  for (Field field : replay_only) {
    const Setting& setting = setting_of(field);
    if (!is_given(cli, setting)) continue;
    return Error{flag_of(setting) +
                 " needs --replay: it applies only when replaying a recorded run"};
  }
  return Ok{};
}

}  // namespace strest

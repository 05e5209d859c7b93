#include "compare/run_sample_source.h"

#include <filesystem>
#include <optional>

#include "metrics/run_log_events.h"
#include "metrics/run_log_reader.h"
#include "report/export_readers.h"

namespace strest {

namespace {

constexpr const char* kWhatToPass =
    "pass a run log (.srl, or the folder of a run's logs) or an export (.csv, .json, .jsonl)";

bool has_srl_extension(const std::string& path) {
  return std::filesystem::path(path).extension() == kRunLogExtension;
}

// The run's shard files; a lone .srl file renamed by the user (a kept baseline) is its own run.
Result<std::vector<std::string>> shards_of(const std::string& path) {
  auto files = run_log_files(path);
  if (!files && std::filesystem::is_regular_file(path)) return std::vector<std::string>{path};
  return files;
}

Result<RunSample> load_run_log(const std::string& path) {
  auto files = shards_of(path);
  if (!files) return Error{files.error()};
  RunSampleBuilder builder;
  RunEventReader events;
  bool open_loop = false;
  for (const std::string& file : *files) {
    auto read = read_run_log(
        file, [&](const RunLogRecord& r) { builder.add(r); },
        [&](const RunLogRecord& e) {
          if (!is_tick_event(e)) events.add(e);
        });
    if (!read) return Error{read.error()};
    open_loop = (read->header.flags & kRunLogOpenLoop) != 0;
  }
  std::optional<int64_t> measured_us;
  if (const auto facts = events.facts()) measured_us = facts->wall_us - facts->warmup_us;
  return builder.finish(path, measured_us, open_loop);
}

// The measured window an export's summary states: its duration minus the warmup; none when the
// export left records out (--metrics-range, --metrics-max), as its records then cover less.
std::optional<int64_t> measured_of(const std::optional<nlohmann::json>& summary) {
  if (!summary || !summary->is_object()) return std::nullopt;
  const auto left_out = summary->find("records_left_out");
  if (left_out != summary->end() && left_out->is_number() && left_out->get<double>() > 0) {
    return std::nullopt;
  }
  const auto duration = summary->find("duration_ms");
  if (duration == summary->end() || !duration->is_number()) return std::nullopt;
  const auto warmup = summary->find("warmup_ms");
  const double warmup_ms =
      warmup != summary->end() && warmup->is_number() ? warmup->get<double>() : 0.0;
  return static_cast<int64_t>((duration->get<double>() - warmup_ms) * 1000.0);
}

Result<RunSample> load_export(const std::string& path) {
  RunSampleBuilder builder;
  auto read = read_export(path, [&](const RunLogRecord& r) { builder.add(r); });
  if (!read) return Error{read.error()};
  return builder.finish(path, measured_of(read->summary), read->open_loop.value_or(false));
}

}  // namespace

Result<RunSample> load_run_sample(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return Error{"'" + path + "' does not exist: " + kWhatToPass};
  }
  if (std::filesystem::is_directory(path, error) || has_srl_extension(path)) {
    return load_run_log(path);
  }
  if (export_format_for_path(path)) return load_export(path);
  return Error{"'" + path + "' is neither a run log nor an export: " + kWhatToPass};
}

}  // namespace strest

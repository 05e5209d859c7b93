#include "replay/replay_source.h"

#include "metrics/run_log_events.h"
#include "metrics/run_log_reader.h"
#include "report/export_readers.h"

namespace strest {

namespace {

Result<ReplaySource> load_run_log(const std::string& path) {
  auto files = run_log_files(path);
  if (!files) return Error{files.error() + " (pass the folder or file with --tmp-path)"};
  ReplaySource source;
  source.target = "replay of " + files->front();
  RunEventReader events;
  const auto take_event = [&](const RunLogRecord& e) {
    if (is_tick_event(e)) {
      source.tick_events.push_back(e);
    } else {
      events.add(e);
    }
  };
  for (const std::string& file : *files) {
    auto read = read_run_log(
        file, [&](const RunLogRecord& r) { source.records.push_back(r); }, take_event);
    if (!read) return Error{read.error()};
    source.open_loop = (read->header.flags & kRunLogOpenLoop) != 0;
    source.truncated = source.truncated || read->truncated;
  }
  source.facts = events.facts();
  source.error_details = events.error_details();
  source.step_names = events.step_names();
  source.assert_details = events.assert_details();
  return source;
}

// A JSON or JSONL export of a scenario run names its steps in its summary's "steps" (the
// rows' step column is the index); CSV exports have no summary, so their rows stay unnamed.
std::vector<std::string> step_names_of(const std::optional<nlohmann::json>& summary) {
  std::vector<std::string> names;
  if (!summary || !summary->contains("steps") || !(*summary)["steps"].is_array()) return names;
  for (const nlohmann::json& step : (*summary)["steps"]) {
    const auto name = step.find("name");
    names.push_back(name != step.end() && name->is_string() ? name->get<std::string>() : "");
  }
  return names;
}

ExportFormat export_format(ReplayOptions::Source kind) {
  switch (kind) {
    case ReplayOptions::Source::kCsv:
      return ExportFormat::kCsv;
    case ReplayOptions::Source::kJson:
      return ExportFormat::kJson;
    default:
      return ExportFormat::kJsonl;
  }
}

Result<ReplaySource> load_export(const ReplayOptions& options) {
  ReplaySource source;
  auto read = read_export(options.source, export_format(options.source_kind),
                          [&](const RunLogRecord& r) { source.records.push_back(r); });
  if (!read) return Error{read.error()};
  source.open_loop = read->open_loop.value_or(false);
  source.target = "replay of " + options.source;
  if (read->summary && read->summary->contains("target")) {
    source.target = (*read->summary)["target"].get<std::string>();
  }
  source.step_names = step_names_of(read->summary);
  return source;
}

}  // namespace

Result<ReplaySource> load_replay_source(const ReplayOptions& options) {
  if (options.source_kind == ReplayOptions::Source::kRunLog) return load_run_log(options.source);
  return load_export(options);
}

}  // namespace strest

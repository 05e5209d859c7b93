#include "replay/snapshot_writer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "plan/default_paths.h"

namespace strest {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* extension_of(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJsonl:
      return ".jsonl";
    case OutputFormat::kCsv:
      return ".csv";
    default:
      return ".json";
  }
}

// A CSV cell: numbers as they are, text quoted when it holds a comma, quote or newline.
std::string csv_cell(const json& value) {
  if (!value.is_string()) return value.dump();
  const std::string text = value.get<std::string>();
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void write_csv(std::ostream& out, const std::vector<json>& snapshots) {
  std::vector<std::string> columns;
  for (const auto& item : snapshots.front().items()) {
    if (item.value().is_primitive()) columns.push_back(item.key());
  }
  for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
  out << '\n';
  for (const json& snapshot : snapshots) {
    for (size_t i = 0; i < columns.size(); ++i) {
      out << (i ? "," : "") << csv_cell(snapshot.value(columns[i], json(nullptr)));
    }
    out << '\n';
  }
}

Status write_file(const fs::path& path, const std::vector<json>& snapshots, OutputFormat format) {
  std::ofstream out(path, std::ios::trunc);
  if (format == OutputFormat::kCsv) {
    write_csv(out, snapshots);
  } else if (format == OutputFormat::kJsonl) {
    for (const json& snapshot : snapshots) out << snapshot.dump() << '\n';
  } else {
    out << (snapshots.size() == 1 ? snapshots.front() : json(snapshots)).dump(2) << '\n';
  }
  out.close();
  if (!out) return Error{"cannot write snapshots to '" + path.string() + "'"};
  return Ok{};
}

std::string snapshot_name(const json& snapshot) {
  return "snapshot-" + std::to_string(snapshot["snapshot_start_ms"].get<int64_t>()) + "-" +
         std::to_string(snapshot["snapshot_end_ms"].get<int64_t>()) + "ms.json";
}

}  // namespace

std::string default_snapshots_path() { return default_folder(kDefaultSnapshotPath); }

Status write_snapshots(const std::vector<json>& snapshots, const ReplayOptions& options) {
  if (snapshots.empty()) return Ok{};
  const fs::path out =
      options.snapshot_out.empty() ? default_snapshots_path() : options.snapshot_out;
  std::error_code error;
  if (out.has_extension() && !fs::is_directory(out)) {  // a file
    if (out.has_parent_path()) fs::create_directories(out.parent_path(), error);
    return write_file(out, snapshots, options.snapshot_format);
  }
  fs::create_directories(out, error);
  if (error) return Error{"cannot create --replay-snapshot-out '" + out.string() + "'"};
  if (options.snapshot_format != OutputFormat::kJson) {
    return write_file(out / (std::string("snapshots") + extension_of(options.snapshot_format)),
                      snapshots, options.snapshot_format);
  }
  for (const json& snapshot : snapshots) {
    Status written = write_file(out / snapshot_name(snapshot), {snapshot}, OutputFormat::kJson);
    if (!written) return written;
  }
  return Ok{};
}

}  // namespace strest

#include "report/export_writers.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "report/export_run_log.h"

namespace strest {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr size_t kFlushBytes = 1 << 16;

std::string dump(const auto& value) {
  // replace: a target URL with invalid UTF-8 must not abort the export.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// An export being written: a temporary file beside `path`, renamed over it by commit() and
// removed if the export fails first.
class ExportFile {
 public:
  explicit ExportFile(const std::string& path)
      : path_(path), temporary_(path + ".tmp." + std::to_string(::getpid())) {}
  ExportFile(const ExportFile&) = delete;
  ExportFile& operator=(const ExportFile&) = delete;
  ~ExportFile() {
    if (file_ == nullptr) return;
    std::fclose(file_);
    std::remove(temporary_.c_str());
  }

  Status open() {
    file_ = std::fopen(temporary_.c_str(), "wb");
    if (file_ == nullptr) return failure(errno);
    return Ok{};
  }
  // Writes and clears `buffer`; the first error is kept for commit().
  void write(std::string& buffer) {
    if (std::fwrite(buffer.data(), 1, buffer.size(), file_) != buffer.size() && error_ == 0) {
      error_ = errno;
    }
    buffer.clear();
  }
  Status commit() {
    if (std::fflush(file_) != 0 && error_ == 0) error_ = errno;
    if (std::fclose(file_) != 0 && error_ == 0) error_ = errno;
    file_ = nullptr;
    if (error_ == 0 && std::rename(temporary_.c_str(), path_.c_str()) != 0) error_ = errno;
    if (error_ == 0) return Ok{};
    std::remove(temporary_.c_str());
    return failure(error_);
  }

 private:
  Status failure(int error) const {
    return Error{"cannot write export '" + path_ + "': " + std::strerror(error)};
  }

  std::string path_;
  std::string temporary_;
  std::FILE* file_ = nullptr;
  int error_ = 0;
};

// One export layout: what precedes the records, each record, and what follows them.
class FormatWriter {
 public:
  virtual ~FormatWriter() = default;
  virtual void begin(std::string& out, const ordered_json& meta) = 0;
  virtual void record(std::string& out, const RunLogRecord& record) = 0;
  virtual void end(std::string& out, const json& summary) = 0;
};

// A comment line, the header row, one row per record; no summary (CSV has no place for one).
class CsvWriter : public FormatWriter {
 public:
  void begin(std::string& out, const ordered_json& meta) override {
    out += "# strest export schema_version=" + dump(meta["schema_version"]) +
           " run_start_unix_us=" + dump(meta["run_start_unix_us"]) +
           " open_loop=" + dump(meta["open_loop"]) + "\n";
    for (size_t i = 0; i < kExportFields.size(); ++i) {
      if (i != 0) out += ',';
      out += kExportFields[i];
    }
    out += '\n';
  }
  void record(std::string& out, const RunLogRecord& record) override {
    append_record_csv(out, record);
    out += '\n';
  }
  void end(std::string&, const json&) override {}
};

// One document; one record per line inside "metrics"; the summary last, once the window's
// counts are known.
class JsonWriter : public FormatWriter {
 public:
  void begin(std::string& out, const ordered_json& meta) override {
    std::string members = dump(meta);
    members.pop_back();  // the closing brace: "metrics" and "summary" follow
    out += members + ",\"metrics\":[";
  }
  void record(std::string& out, const RunLogRecord& record) override {
    out += first_ ? "\n{" : ",\n{";
    first_ = false;
    append_record_json_members(out, record);
    out += '}';
  }
  void end(std::string& out, const json& summary) override {
    out += "\n],\n\"summary\":" + dump(summary) + "}\n";
  }

 private:
  bool first_ = true;
};

// One JSON object per line, each tagged with "type": meta, then requests, then the summary.
class JsonlWriter : public FormatWriter {
 public:
  void begin(std::string& out, const ordered_json& meta) override {
    ordered_json line = {{"type", "meta"}};
    line.update(meta);
    out += dump(line) + "\n";
  }
  void record(std::string& out, const RunLogRecord& record) override {
    out += "{\"type\":\"request\",";
    append_record_json_members(out, record);
    out += "}\n";
  }
  void end(std::string& out, const json& summary) override {
    // "type" first so line-by-line readers can dispatch before parsing the rest.
    out += "{\"type\":\"summary\"," + dump(summary).substr(1) + "\n";
  }
};

std::unique_ptr<FormatWriter> writer_for(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return std::make_unique<CsvWriter>();
    case ExportFormat::kJson:
      return std::make_unique<JsonWriter>();
    case ExportFormat::kJsonl:
      return std::make_unique<JsonlWriter>();
  }
  return nullptr;
}

ordered_json export_meta(const RunResult& result, const Plan& plan, const RunLogHeader& header) {
  const MetricsWindow& window = plan.metrics_window;
  ordered_json window_json = {{"from_ms", static_cast<double>(window.from.count()) / 1000.0},
                              {"to_ms", nullptr},
                              {"max", window.max}};
  if (window.to) window_json["to_ms"] = static_cast<double>(window.to->count()) / 1000.0;
  return {{"schema_version", kExportSchemaVersion},
          {"run_start_unix_us", header.run_start_unix_us},
          {"open_loop", (header.flags & kRunLogOpenLoop) != 0},
          {"target", result.target},
          {"metrics_window", window_json}};
}

}  // namespace

std::vector<std::pair<ExportFormat, std::string>> requested_exports(const Plan& plan) {
  std::vector<std::pair<ExportFormat, std::string>> exports;
  if (plan.export_csv) exports.emplace_back(ExportFormat::kCsv, *plan.export_csv);
  if (plan.export_json) exports.emplace_back(ExportFormat::kJson, *plan.export_json);
  if (plan.export_jsonl) exports.emplace_back(ExportFormat::kJsonl, *plan.export_jsonl);
  if (plan.output_path && plan.output_format == OutputFormat::kCsv) {
    exports.emplace_back(ExportFormat::kCsv, *plan.output_path);
  }
  if (plan.output_path && plan.output_format == OutputFormat::kJsonl) {
    exports.emplace_back(ExportFormat::kJsonl, *plan.output_path);
  }
  return exports;
}

Status write_exports(const RunResult& result, const Plan& plan) {
  for (const auto& [format, path] : requested_exports(plan)) {
    Status written = write_export(result, plan, format, path);
    if (!written) return written;
  }
  return Ok{};
}

Status write_export(const RunResult& result, const Plan& plan, ExportFormat format,
                    const std::string& path) {
  if (result.run_log_paths.empty()) {
    return Error{"cannot write export '" + path + "': the run kept no run log"};
  }
  auto header = read_run_log_header(result.run_log_paths.front());
  if (!header) return Error{"cannot write export '" + path + "': " + header.error()};
  ExportFile file(path);
  if (Status opened = file.open(); !opened) return opened;
  const std::unique_ptr<FormatWriter> writer = writer_for(format);
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  writer->begin(buffer, export_meta(result, plan, *header));
  auto log = stream_windowed_run_log(result.run_log_paths, plan.metrics_window,
                                     [&](const RunLogRecord& record) {
                                       writer->record(buffer, record);
                                       if (buffer.size() >= kFlushBytes) file.write(buffer);
                                     });
  if (!log) return Error{"cannot write export '" + path + "': " + log.error()};
  writer->end(buffer, export_summary(result, plan, *log));
  file.write(buffer);
  return file.commit();
}

}  // namespace strest

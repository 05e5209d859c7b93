#include "metrics/run_log_reader.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

namespace strest {

namespace {

using FilePtr = std::unique_ptr<std::FILE, decltype(&std::fclose)>;
constexpr size_t kRecordsPerRead = 4096;

// The parts of a run log's name, strest-run-<start ms>-<pid>-<shard>.srl.
struct RunLogName {
  std::string start_ms;
  std::string pid;
};

// Reads one run of digits at `at` and the separator after it.
bool digits_then(const std::string& name, size_t& at, std::string& digits, std::string_view end) {
  const size_t first = at;
  while (at < name.size() && name[at] >= '0' && name[at] <= '9') ++at;
  if (at == first || name.compare(at, end.size(), end) != 0) return false;
  digits = name.substr(first, at - first);
  at += end.size();
  return true;
}

std::optional<RunLogName> parse_run_log_name(const std::string& name) {
  constexpr std::string_view kPrefix = "strest-run-";
  if (name.rfind(kPrefix, 0) != 0) return std::nullopt;
  size_t at = kPrefix.size();
  RunLogName parsed;
  std::string shard;
  if (!digits_then(name, at, parsed.start_ms, "-") || !digits_then(name, at, parsed.pid, "-") ||
      !digits_then(name, at, shard, kRunLogExtension) || at != name.size()) {
    return std::nullopt;
  }
  return parsed;
}

// "strest-run-<ms>-<pid>-" of the run that started last (ties: the higher pid).
std::string newest_run_prefix(const std::vector<std::string>& names) {
  std::pair<uint64_t, uint64_t> newest{0, 0};
  std::string prefix;
  for (const std::string& name : names) {
    const RunLogName parsed = *parse_run_log_name(name);
    const std::pair<uint64_t, uint64_t> key{std::stoull(parsed.start_ms), std::stoull(parsed.pid)};
    if (prefix.empty() || key > newest) {
      newest = key;
      prefix = "strest-run-" + parsed.start_ms + "-" + parsed.pid + "-";
    }
  }
  return prefix;
}

}  // namespace

Result<RunLogSummary> read_run_log(const std::string& path,
                                   const std::function<void(const RunLogRecord&)>& visit,
                                   const std::function<void(const RunLogRecord&)>& visit_event) {
  FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{"cannot open run log '" + path + "'"};
  uint8_t header_bytes[kRunLogHeaderBytes];
  RunLogSummary summary;
  if (std::fread(header_bytes, 1, sizeof header_bytes, file.get()) != sizeof header_bytes ||
      !decode_header(header_bytes, summary.header)) {
    return Error{"'" + path + "' is not a strest run log (bad header)"};
  }
  if (summary.header.version < kRunLogOldestVersion || summary.header.version > kRunLogVersion ||
      summary.header.record_bytes != kRunLogRecordBytes) {
    return Error{"run log '" + path + "' has version " + std::to_string(summary.header.version) +
                 ", this strest reads versions " + std::to_string(kRunLogOldestVersion) + " to " +
                 std::to_string(kRunLogVersion)};
  }
  std::vector<uint8_t> buffer(kRecordsPerRead * kRunLogRecordBytes);
  for (;;) {
    const size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    const size_t whole = got / kRunLogRecordBytes;
    for (size_t i = 0; i < whole; ++i) {
      const RunLogRecord record = decode_record(&buffer[i * kRunLogRecordBytes]);
      if (!is_event(record)) {
        ++summary.records;
        visit(record);
      } else if (visit_event) {
        visit_event(record);
      }
    }
    if (got < buffer.size()) {
      summary.truncated = got % kRunLogRecordBytes != 0;
      break;
    }
  }
  return summary;
}

Result<std::vector<std::string>> run_log_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const bool is_directory = fs::is_directory(path, error);
  const fs::path directory = is_directory ? fs::path(path) : fs::path(path).parent_path();
  std::string run_prefix;  // "strest-run-<ms>-<pid>-" of the run asked for
  if (!is_directory) {
    const auto parsed = parse_run_log_name(fs::path(path).filename().string());
    if (!parsed) return Error{"'" + path + "' is not a run log name (strest-run-*.srl)"};
    run_prefix = "strest-run-" + parsed->start_ms + "-" + parsed->pid + "-";
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory.empty() ? "." : directory, error)) {
    const std::string name = entry.path().filename().string();
    if (parse_run_log_name(name)) names.push_back(name);
  }
  if (error) return Error{"cannot read '" + directory.string() + "': " + error.message()};
  if (names.empty()) return Error{"no run logs (strest-run-*.srl) in '" + directory.string() + "'"};
  if (run_prefix.empty()) run_prefix = newest_run_prefix(names);
  std::vector<std::string> files;
  for (const std::string& name : names) {
    if (name.rfind(run_prefix, 0) == 0) files.push_back((directory / name).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace strest

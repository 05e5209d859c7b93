#include "metrics/run_log_reader.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <regex>

namespace strest {

namespace {

using FilePtr = std::unique_ptr<std::FILE, decltype(&std::fclose)>;
constexpr size_t kRecordsPerRead = 4096;

// strest-run-<start ms>-<pid>-<shard>.srl
const std::regex& run_log_name() {
  static const std::regex pattern(R"(strest-run-(\d+)-(\d+)-(\d+)\.srl)");
  return pattern;
}

// "strest-run-<ms>-<pid>-" of the run that started last (ties: the higher pid).
std::string newest_run_prefix(const std::vector<std::string>& names) {
  std::pair<uint64_t, uint64_t> newest{0, 0};
  std::string prefix;
  std::smatch match;
  for (const std::string& name : names) {
    std::regex_match(name, match, run_log_name());
    const std::pair<uint64_t, uint64_t> key{std::stoull(match[1].str()),
                                            std::stoull(match[2].str())};
    if (prefix.empty() || key > newest) {
      newest = key;
      prefix = "strest-run-" + match[1].str() + "-" + match[2].str() + "-";
    }
  }
  return prefix;
}

}  // namespace

Result<RunLogSummary> read_run_log(const std::string& path,
                                   const std::function<void(const RunLogRecord&)>& visit) {
  FilePtr file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{"cannot open run log '" + path + "'"};
  uint8_t header_bytes[kRunLogHeaderBytes];
  RunLogSummary summary;
  if (std::fread(header_bytes, 1, sizeof header_bytes, file.get()) != sizeof header_bytes ||
      !decode_header(header_bytes, summary.header)) {
    return Error{"'" + path + "' is not a strest run log (bad header)"};
  }
  if (summary.header.version != kRunLogVersion ||
      summary.header.record_bytes != kRunLogRecordBytes) {
    return Error{"run log '" + path + "' has version " + std::to_string(summary.header.version) +
                 ", this strest reads version " + std::to_string(kRunLogVersion)};
  }
  std::vector<uint8_t> buffer(kRecordsPerRead * kRunLogRecordBytes);
  for (;;) {
    const size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    const size_t whole = got / kRunLogRecordBytes;
    for (size_t i = 0; i < whole; ++i) visit(decode_record(&buffer[i * kRunLogRecordBytes]));
    summary.records += whole;
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
  std::smatch match;
  if (!is_directory) {
    const std::string name = fs::path(path).filename().string();
    if (!std::regex_match(name, match, run_log_name())) {
      return Error{"'" + path + "' is not a run log name (strest-run-*.srl)"};
    }
    run_prefix = "strest-run-" + match[1].str() + "-" + match[2].str() + "-";
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory.empty() ? "." : directory, error)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, run_log_name())) names.push_back(name);
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

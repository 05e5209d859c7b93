#include "ops/cleanup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "metrics/run_log_format.h"
#include "net/file_descriptor.h"
#include "plan/default_paths.h"
#include "plan/duration.h"
#include "plan/exit_codes.h"
#include "plan/one_line.h"

namespace strest {
namespace {

// Closes a directory stream exactly once.
struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

int64_t unix_us(const timespec& time) {
  return static_cast<int64_t>(time.tv_sec) * 1'000'000 + time.tv_nsec / 1'000;
}

// The size of `name` in the folder if it is a run log last modified before cutoff_us: a regular
// file (symlinks are not followed) that starts with the run log magic.
std::optional<uint64_t> old_run_log_size(int dir_fd, const char* name, int64_t cutoff_us) {
  struct stat info {};
  // Looked at before opening, so that no FIFO or device is ever opened.
  if (fstatat(dir_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  FileDescriptor file(openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file.valid() || fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  if (unix_us(info.st_mtim) >= cutoff_us) return std::nullopt;
  char magic[sizeof kRunLogMagic];
  if (pread(file.get(), magic, sizeof magic, 0) != static_cast<ssize_t>(sizeof magic) ||
      std::memcmp(magic, kRunLogMagic, sizeof magic) != 0) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(info.st_size);
}

std::vector<RunLogFile> find_old_run_logs(DIR* dir, int64_t cutoff_us) {
  std::vector<RunLogFile> found;
  while (const dirent* entry = readdir(dir)) {
    if (!is_run_log_name(entry->d_name)) continue;
    auto bytes = old_run_log_size(dirfd(dir), entry->d_name, cutoff_us);
    if (bytes) found.push_back(RunLogFile{entry->d_name, *bytes});
  }
  std::sort(found.begin(), found.end(),
            [](const RunLogFile& a, const RunLogFile& b) { return a.name < b.name; });
  return found;
}

Error open_error(const std::string& dir, int error) {
  if (error == ENOENT) {
    return Error{"--tmp-path: there is no folder '" + dir + "' (runs write their logs to " +
                 std::string(kDefaultTmpPath) +
                 ", or to the --tmp-path they were "
                 "given)"};
  }
  if (error == ENOTDIR) return Error{"--tmp-path: '" + dir + "' is not a folder"};
  return Error{"--tmp-path: cannot read the folder '" + dir + "': " + std::strerror(error)};
}

// "512 B", "3.4 KiB", "1.0 MiB", "2.5 GiB".
std::string size_text(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string count_text(uint64_t count) {
  return std::to_string(count) + (count == 1 ? " run log" : " run logs");
}

uint64_t total_bytes(const std::vector<RunLogFile>& logs) {
  uint64_t total = 0;
  for (const RunLogFile& log : logs) total += log.bytes;
  return total;
}

std::string path_of(const CleanupOptions& options, const RunLogFile& log) {
  return (std::filesystem::path(options.dir) / log.name).string();
}

// Lists the run logs, asks, and reads the answer: only "y" or "yes" (any case) agree.
bool confirmed(const CleanupOptions& options, const CleanupReport& report, std::istream& in,
               std::ostream& out, const std::string& where) {
  for (const RunLogFile& log : report.old_logs) {
    out << "  " << path_of(options, log) << " (" << size_text(log.bytes) << ")\n";
  }
  out << "Delete " << count_text(report.old_logs.size()) << " ("
      << size_text(total_bytes(report.old_logs)) << ")" << where << "? [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(in, answer)) {
    out << "\n";  // end of input or Ctrl+C: the prompt line is still open
    return false;
  }
  std::string_view word = answer;
  word.remove_prefix(std::min(word.find_first_not_of(" \t"), word.size()));
  word = word.substr(0, word.find_last_not_of(" \t\r") + 1);
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "y" || lower == "yes";
}

// Deletes each run log that still qualifies (it is checked again: the prompt may have waited).
void delete_old_logs(DIR* dir, const CleanupOptions& options, int64_t cutoff_us,
                     CleanupReport& report, std::ostream& out) {
  for (const RunLogFile& log : report.old_logs) {
    auto bytes = old_run_log_size(dirfd(dir), log.name.c_str(), cutoff_us);
    if (!bytes) continue;
    if (unlinkat(dirfd(dir), log.name.c_str(), 0) != 0) {
      report.failures.push_back("cannot delete '" + path_of(options, log) +
                                "': " + std::strerror(errno));
      continue;
    }
    out << "deleted " << path_of(options, log) << " (" << size_text(*bytes) << ")\n";
    ++report.deleted_files;
    report.deleted_bytes += *bytes;
  }
}

}  // namespace

bool is_run_log_name(std::string_view name) {
  constexpr std::string_view kPrefix = "strest-run-";
  constexpr std::string_view kSuffix = ".srl";
  static_assert(kSuffix == std::string_view(kRunLogExtension));
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
  std::string_view rest = name.substr(kPrefix.size());
  if (rest.size() < kSuffix.size()) return false;
  rest.remove_suffix(kSuffix.size());
  for (int field = 0; field < 2; ++field) {
    auto dash = rest.find('-');
    if (dash == std::string_view::npos || !all_digits(rest.substr(0, dash))) return false;
    rest.remove_prefix(dash + 1);
  }
  return all_digits(rest);
}

Result<CleanupReport> cleanup_run_logs(const CleanupOptions& options, std::istream& in,
                                       std::ostream& out, bool interactive) {
  if (!options.dry_run && !options.force && !interactive) {
    return Error{
        "stdin is not a terminal, so strest cleanup cannot ask before deleting: pass "
        "--dry-run to list the old run logs or --force to delete them"};
  }
  DirHandle dir(opendir(options.dir.c_str()));
  if (!dir) return open_error(options.dir, errno);
  const int64_t now_us = std::chrono::duration_cast<Micros>(options.now.time_since_epoch()).count();
  const int64_t cutoff_us = now_us - options.older_than.count();
  CleanupReport report;
  report.old_logs = find_old_run_logs(dir.get(), cutoff_us);
  const std::string where =
      " older than " + format_duration(options.older_than) + " in " + options.dir;
  if (report.old_logs.empty()) {
    out << "no run logs" << where << "\n";
    return report;
  }
  if (options.dry_run) {
    for (const RunLogFile& log : report.old_logs) {
      out << "would delete " << path_of(options, log) << " (" << size_text(log.bytes) << ")\n";
    }
    out << "would delete " << count_text(report.old_logs.size()) << " ("
        << size_text(total_bytes(report.old_logs)) << ")" << where << "; nothing deleted\n";
    return report;
  }
  if (!options.force && !confirmed(options, report, in, out, where)) {
    out << "nothing deleted\n";
    return report;
  }
  delete_old_logs(dir.get(), options, cutoff_us, report, out);
  out << "deleted " << count_text(report.deleted_files) << " (" << size_text(report.deleted_bytes)
      << ")" << where;
  if (!report.failures.empty()) out << "; " << report.failures.size() << " could not be deleted";
  out << "\n";
  return report;
}

int run_cleanup_command(CleanupOptions options) {
  options.now = std::chrono::system_clock::now();
  auto report = cleanup_run_logs(options, std::cin, std::cout, isatty(STDIN_FILENO) == 1);
  std::cout.flush();
  if (!report) {
    std::cerr << "strest: error: " << one_line(report.error()) << "\n";
    return kExitUsage;
  }
  for (const std::string& failure : report->failures) {
    std::cerr << "strest: error: " << one_line(failure) << "\n";
  }
  return report->failures.empty() ? kExitOk : kExitFailure;
}

}  // namespace strest

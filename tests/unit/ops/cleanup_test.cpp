#include "ops/cleanup.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "in_temp_dir_test.h"
#include "metrics/run_log_format.h"

namespace strest {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::system_clock;

// A fixed "now", so that ages are exact.
const system_clock::time_point kNow = system_clock::time_point(seconds(1'700'000'000));

// Each test gets an empty folder `logs` inside a fresh working directory.
class CleanupTest : public InTempDirTest {
 protected:
  void SetUp() override {
    InTempDirTest::SetUp();
    logs_ = dir_ / "logs";
    fs::create_directory(logs_);
  }

  // Writes a file of `bytes` bytes (starting with `head`) at `path`, last modified `age` ago.
  static void make_file(const fs::path& path, system_clock::duration age, size_t bytes = 64,
                        std::string_view head = std::string_view(kRunLogMagic, 8)) {
    std::string text(head);
    text.resize(std::max(bytes, head.size()), '\0');
    std::ofstream(path, std::ios::binary) << text;
    set_age(path, age);
  }

  // Sets the modification time of path itself (a symlink is not followed).
  static void set_age(const fs::path& path, system_clock::duration age) {
    auto since_epoch = (kNow - age).time_since_epoch();
    auto whole = std::chrono::duration_cast<seconds>(since_epoch);
    timespec times[2];
    times[0].tv_sec = times[1].tv_sec = whole.count();
    times[0].tv_nsec = times[1].tv_nsec =
        std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - whole).count();
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
  }

  // Old and new run logs, and every kind of thing that must survive any cleanup.
  void make_mixed_folder() {
    make_file(logs_ / "strest-run-1700000000000-42-0.srl", hours(48), 3 * 1024 * 1024);
    make_file(logs_ / "strest-run-1700000000000-42-1.srl", hours(25), 100);
    make_file(logs_ / "strest-run-1700090000000-43-0.srl", hours(1));      // too new
    make_file(logs_ / "strest-run-1-2-3.srl", hours(48), 64, "NOTALOG!");  // wrong magic
    make_file(logs_ / "strest-run-1-2-4.srl", hours(48), 4, "STRE");       // too short
    make_file(logs_ / "notes.txt", hours(48));                             // our magic, not name
    make_file(logs_ / "strest-run-1-2-3.srl.bak", hours(48));
    make_file(logs_ / "strest-run-1-2.srl", hours(48));
    make_file(logs_ / "strest-run-a-2-3.srl", hours(48));
    make_file(dir_ / "outside.srl", hours(48));
    fs::create_symlink(dir_ / "outside.srl", logs_ / "strest-run-9-9-9.srl");
    set_age(logs_ / "strest-run-9-9-9.srl", hours(48));
    fs::create_directory(logs_ / "strest-run-8-8-8.srl");
    make_file(logs_ / "strest-run-8-8-8.srl" / "strest-run-7-7-7.srl", hours(48));
    set_age(logs_ / "strest-run-8-8-8.srl", hours(48));
  }

  // Names of everything under logs_ and dir_/outside.srl, recursively, symlinks as themselves.
  std::set<std::string> everything() const {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      names.insert(fs::relative(entry.path(), dir_).string());
    }
    return names;
  }

  CleanupOptions options(bool dry_run, bool force) const {
    return CleanupOptions{.dir = logs_.string(),
                          .older_than = hours(24),
                          .dry_run = dry_run,
                          .force = force,
                          .now = kNow};
  }

  // Runs cleanup with `answer` as the user's input; returns the report (or fails the test).
  CleanupReport run(const CleanupOptions& options, bool interactive = false,
                    const std::string& answer = "") {
    std::istringstream in(answer);
    std::ostringstream out;
    auto report = cleanup_run_logs(options, in, out, interactive);
    out_ = out.str();
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error());
    return report.ok() ? *report : CleanupReport{};
  }

  std::string error_of(const CleanupOptions& options, bool interactive = false) {
    std::istringstream in("y\n");
    std::ostringstream out;
    auto report = cleanup_run_logs(options, in, out, interactive);
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(out.str(), "");
    return report.ok() ? "" : report.error();
  }

  std::set<std::string> without_old_logs(std::set<std::string> names) const {
    names.erase("logs/strest-run-1700000000000-42-0.srl");
    names.erase("logs/strest-run-1700000000000-42-1.srl");
    return names;
  }

  fs::path logs_;
  std::string out_;
};

TEST(IsRunLogName, OnlyTheNamesRunsWrite) {
  for (const char* name :
       {"strest-run-1700000000000-42-0.srl", "strest-run-0-0-0.srl", "strest-run-1-22-333.srl"}) {
    EXPECT_TRUE(is_run_log_name(name)) << name;
  }
  for (const char* name :
       {"", "strest-run-.srl", "strest-run-1-2.srl", "strest-run-1-2-3-4.srl",
        "strest-run-1--3.srl", "strest-run-1-2-.srl", "strest-run--2-3.srl",
        "strest-run-1-2-3.srl.bak", "strest-run-1-2-3.SRL", "Strest-run-1-2-3.srl",
        "strest-run-1-2-3", "x-strest-run-1-2-3.srl", "strest-run-1-2-3x.srl",
        "strest-run-+1-2-3.srl", "strest-run-1 -2-3.srl", ".srl"}) {
    EXPECT_FALSE(is_run_log_name(name)) << name;
  }
}

TEST_F(CleanupTest, DryRunListsTheOldRunLogsAndDeletesNothing) {
  make_mixed_folder();
  const auto before = everything();
  CleanupReport report = run(options(true, false));
  ASSERT_EQ(report.old_logs.size(), 2u);
  EXPECT_EQ(report.old_logs[0].name, "strest-run-1700000000000-42-0.srl");
  EXPECT_EQ(report.old_logs[0].bytes, 3u * 1024 * 1024);
  EXPECT_EQ(report.old_logs[1].name, "strest-run-1700000000000-42-1.srl");
  EXPECT_EQ(report.old_logs[1].bytes, 100u);
  EXPECT_EQ(report.deleted_files, 0u);
  EXPECT_EQ(everything(), before);
  const std::string dir = logs_.string();
  EXPECT_EQ(out_, "would delete " + dir + "/strest-run-1700000000000-42-0.srl (3.0 MiB)\n" +
                      "would delete " + dir + "/strest-run-1700000000000-42-1.srl (100 B)\n" +
                      "would delete 2 run logs (3.0 MiB) older than 24h in " + dir +
                      "; nothing deleted\n");
}

TEST_F(CleanupTest, ForceDeletesExactlyTheOldRunLogs) {
  make_mixed_folder();
  const auto before = everything();
  CleanupReport report = run(options(false, true));
  EXPECT_EQ(report.deleted_files, 2u);
  EXPECT_EQ(report.deleted_bytes, 3u * 1024 * 1024 + 100);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(everything(), without_old_logs(before));
  EXPECT_TRUE(fs::is_symlink(logs_ / "strest-run-9-9-9.srl"));
  EXPECT_TRUE(fs::exists(dir_ / "outside.srl"));  // the symlink's target
  const std::string dir = logs_.string();
  EXPECT_EQ(out_, "deleted " + dir + "/strest-run-1700000000000-42-0.srl (3.0 MiB)\n" + "deleted " +
                      dir + "/strest-run-1700000000000-42-1.srl (100 B)\n" +
                      "deleted 2 run logs (3.0 MiB) older than 24h in " + dir + "\n");
}

TEST_F(CleanupTest, AgeIsStrictlyOlderThan) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(24));
  make_file(logs_ / "strest-run-1-1-1.srl", hours(24) + std::chrono::microseconds(1));
  make_file(logs_ / "strest-run-1-1-2.srl", hours(24) - seconds(1));
  CleanupReport report = run(options(false, true));
  ASSERT_EQ(report.deleted_files, 1u);
  EXPECT_FALSE(fs::exists(logs_ / "strest-run-1-1-1.srl"));
  EXPECT_TRUE(fs::exists(logs_ / "strest-run-1-1-0.srl"));
  EXPECT_TRUE(fs::exists(logs_ / "strest-run-1-1-2.srl"));
}

TEST_F(CleanupTest, NothingOldEnough) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(1));
  for (bool force : {false, true}) {
    CleanupReport report = run(options(!force, force));
    EXPECT_TRUE(report.old_logs.empty());
    EXPECT_EQ(out_, "no run logs older than 24h in " + logs_.string() + "\n");
  }
  EXPECT_TRUE(fs::exists(logs_ / "strest-run-1-1-0.srl"));
}

TEST_F(CleanupTest, NonInteractiveWithoutAFlagRefuses) {
  make_mixed_folder();
  const auto before = everything();
  EXPECT_EQ(error_of(options(false, false)),
            "stdin is not a terminal, so strest cleanup cannot ask before deleting: pass "
            "--dry-run to list the old run logs or --force to delete them");
  EXPECT_EQ(everything(), before);
}

TEST_F(CleanupTest, InteractiveYesDeletes) {
  make_mixed_folder();
  const auto before = everything();
  CleanupReport report = run(options(false, false), true, "y\n");
  EXPECT_EQ(report.deleted_files, 2u);
  EXPECT_EQ(everything(), without_old_logs(before));
  const std::string dir = logs_.string();
  EXPECT_NE(out_.find("  " + dir + "/strest-run-1700000000000-42-0.srl (3.0 MiB)\n"),
            std::string::npos)
      << out_;
  EXPECT_NE(out_.find("Delete 2 run logs (3.0 MiB) older than 24h in " + dir + "? [y/N] "),
            std::string::npos)
      << out_;
  EXPECT_NE(out_.find("deleted 2 run logs (3.0 MiB) older than 24h in " + dir + "\n"),
            std::string::npos)
      << out_;
}

TEST_F(CleanupTest, InteractiveAcceptsYesInAnyCase) {
  for (const char* answer : {"yes\n", "Y\n", "  YES \r\n", "y"}) {
    make_file(logs_ / "strest-run-1-1-0.srl", hours(30));
    EXPECT_EQ(run(options(false, false), true, answer).deleted_files, 1u) << answer;
    EXPECT_FALSE(fs::exists(logs_ / "strest-run-1-1-0.srl")) << answer;
  }
}

TEST_F(CleanupTest, InteractiveAnythingElseKeepsEverything) {
  make_mixed_folder();
  const auto before = everything();
  for (const char* answer : {"n\n", "\n", "no\n", "yep\n", "", "N\ny\n"}) {
    CleanupReport report = run(options(false, false), true, answer);
    EXPECT_EQ(report.old_logs.size(), 2u) << answer;
    EXPECT_EQ(report.deleted_files, 0u) << answer;
    EXPECT_EQ(everything(), before) << answer;
    EXPECT_TRUE(out_.ends_with("? [y/N] nothing deleted\n") ||
                out_.ends_with("? [y/N] \nnothing deleted\n"))
        << out_;
  }
}

TEST_F(CleanupTest, InteractiveWithNothingToDeleteDoesNotAsk) {
  CleanupReport report = run(options(false, false), true, "y\n");
  EXPECT_TRUE(report.old_logs.empty());
  EXPECT_EQ(out_.find("[y/N]"), std::string::npos);
}

TEST_F(CleanupTest, MissingFolder) {
  CleanupOptions missing = options(false, true);
  missing.dir = (dir_ / "nope").string();
  EXPECT_EQ(error_of(missing), "--tmp-path: there is no folder '" + missing.dir +
                                   "' (runs write their logs to ~/.strest/tmp, or to the "
                                   "--tmp-path they were given)");
  CleanupOptions file = options(true, false);
  file.dir = (dir_ / "plain").string();
  write("plain", "x");
  EXPECT_EQ(error_of(file), "--tmp-path: '" + file.dir + "' is not a folder");
}

TEST_F(CleanupTest, AFolderGivenThroughASymlinkIsCleaned) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(30));
  fs::create_directory_symlink(logs_, dir_ / "link");
  CleanupOptions linked = options(false, true);
  linked.dir = (dir_ / "link").string();
  EXPECT_EQ(run(linked).deleted_files, 1u);
  EXPECT_FALSE(fs::exists(logs_ / "strest-run-1-1-0.srl"));
}

// Runs in a child process; as root, it first becomes `nobody`, whom a read-only folder stops.
TEST_F(CleanupTest, UndeletableFilesAreReported) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(30));
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(logs_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read |
                             fs::perms::others_exec);
  const std::string path = (logs_ / "strest-run-1-1-0.srl").string();
  const std::string total =
      "deleted 0 run logs (0 B) older than 24h in " + logs_.string() + "; 1 could not be deleted\n";
  auto try_to_delete = [&] {
    constexpr uid_t kNobody = 65534;
    if (geteuid() == 0 && (setgid(kNobody) != 0 || setuid(kNobody) != 0)) std::_Exit(3);
    std::istringstream in;
    std::ostringstream out;
    auto report = cleanup_run_logs(options(false, true), in, out, false);
    bool as_expected = report.ok() && report->deleted_files == 0 && report->failures.size() == 1 &&
                       report->failures[0] == "cannot delete '" + path + "': Permission denied" &&
                       out.str() == total;
    std::fprintf(stderr, "%s", out.str().c_str());
    std::_Exit(as_expected ? 0 : 1);
  };
  GTEST_FLAG_SET(death_test_style, "fast");
  EXPECT_EXIT(try_to_delete(), testing::ExitedWithCode(0), "could not be deleted");
  fs::permissions(logs_, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(path));
}

TEST_F(CleanupTest, SizesAndCounts) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(30), 1536);
  CleanupReport report = run(options(true, false));
  EXPECT_NE(out_.find("(1.5 KiB)"), std::string::npos) << out_;
  EXPECT_NE(out_.find("would delete 1 run log (1.5 KiB)"), std::string::npos) << out_;
}

TEST_F(CleanupTest, RunCleanupCommandExitCodes) {
  make_file(logs_ / "strest-run-1-1-0.srl", hours(30));
  CleanupOptions command;
  command.dir = logs_.string();
  command.older_than = hours(1);  // measured from the real clock: the file is years old
  command.dry_run = true;
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_cleanup_command(command), 0);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("would delete 1 run log"),
            std::string::npos);
  command.dry_run = false;
  command.force = true;
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_cleanup_command(command), 0);
  testing::internal::GetCapturedStdout();
  EXPECT_FALSE(fs::exists(logs_ / "strest-run-1-1-0.srl"));
  command.dir = (dir_ / "missing").string();
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_cleanup_command(command), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("strest: error: --tmp-path: there is no"),
            std::string::npos);
}

}  // namespace
}  // namespace strest

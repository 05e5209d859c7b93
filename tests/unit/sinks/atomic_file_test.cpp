// replace_file: readers see the old contents or the new, never a partial file; the temporary file
// never outlives a call; failures leave the old file alone and name the file.
#include "sinks/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "in_temp_dir_test.h"

namespace strest {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public InTempDirTest {
 protected:
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Names in the working directory, to show no temporary file is left behind.
  static std::vector<std::string> entries() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(".")) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
};

TEST_F(AtomicFileTest, CreatesThenReplacesAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(replace_file("metrics.prom", "first\n", false).ok());
  EXPECT_EQ(read("metrics.prom"), "first\n");
  ASSERT_TRUE(replace_file("metrics.prom", "second, longer\n", true).ok());
  EXPECT_EQ(read("metrics.prom"), "second, longer\n");
  ASSERT_TRUE(replace_file("metrics.prom", "", false).ok());
  EXPECT_EQ(read("metrics.prom"), "");
  EXPECT_EQ(entries(), std::vector<std::string>{"metrics.prom"});
}

TEST_F(AtomicFileTest, TemporaryFileSitsBesideTheTarget) {
  EXPECT_EQ(temporary_path_for("out/x.prom"), "out/x.prom.tmp." + std::to_string(getpid()));
}

// The new contents arrive by rename, not by rewriting in place: a reader that opened the old file
// still reads all of the old contents after the replacement.
TEST_F(AtomicFileTest, ReplacesByRenameNotInPlace) {
  ASSERT_TRUE(replace_file("f", "old contents\n", false).ok());
  const int old_fd = ::open("f", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(old_fd, 0);
  ASSERT_TRUE(replace_file("f", "new\n", false).ok());
  char buffer[64] = {};
  const ssize_t got = ::read(old_fd, buffer, sizeof(buffer));
  ::close(old_fd);
  EXPECT_EQ(std::string(buffer, got > 0 ? static_cast<size_t>(got) : 0), "old contents\n");
  EXPECT_EQ(read("f"), "new\n");
}

// A reader racing many replacements only ever sees one whole version or the other.
TEST_F(AtomicFileTest, ConcurrentReaderNeverSeesAPartialFile) {
  const std::string a(64 * 1024, 'a');
  const std::string b(96 * 1024, 'b');
  ASSERT_TRUE(replace_file("race", a, false).ok());
  std::atomic<bool> done = false;
  std::atomic<int> reads = 0;
  std::atomic<int> torn = 0;
  std::thread reader([&] {
    while (!done.load() || reads.load() < 10) {
      const std::string seen = read("race");
      if (seen != a && seen != b) ++torn;
      ++reads;
    }
  });
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(replace_file("race", i % 2 ? a : b, false).ok());
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
}

TEST_F(AtomicFileTest, MissingDirectoryFailsNamingTheFile) {
  const Status status = replace_file("no-such-dir/x.prom", "x", false);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().rfind("no-such-dir/x.prom.tmp.", 0), 0u) << status.error();
  EXPECT_NE(status.error().find("cannot create: No such file or directory"), std::string::npos)
      << status.error();
}

TEST_F(AtomicFileTest, FailedRenameKeepsTheOldFileAndRemovesTheTemporary) {
  fs::create_directories("taken/child");  // a non-empty directory cannot be renamed over
  const Status status = replace_file("taken", "x", false);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().rfind("taken: cannot replace: ", 0), 0u) << status.error();
  EXPECT_TRUE(fs::is_directory("taken/child"));
  EXPECT_EQ(entries(), std::vector<std::string>{"taken"});
}

}  // namespace
}  // namespace strest

#include "report/command_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace strest {
namespace {

CommandReport sample_report() {
  CommandReport report{.title = "strest compare: a.srl vs b<1>.srl"};
  report.headline.rows = {{"Significant regression", "yes", RowMark::kFail}};
  report.table_text = "metric  A  B\np99  1 ms  3 ms\n";
  return report;
}

TEST(CommandReport, ShowsTheVerdictAsHeadlineAndTheTableAsPrinted) {
  auto html = command_report_html(sample_report());
  ASSERT_TRUE(html) << html.error();
  EXPECT_NE(html->find(kHeadlineBackground), std::string::npos);
  EXPECT_NE(html->find("Significant regression"), std::string::npos);
  EXPECT_NE(html->find("p99  1 ms  3 ms"), std::string::npos);
  EXPECT_NE(html->find("b&lt;1&gt;.srl"), std::string::npos) << "the title is escaped";
  EXPECT_EQ(html->find("<img"), std::string::npos) << "no chart given, none shown";
}

TEST(CommandReport, EmbedsEachChartAndNamesAMissingOne) {
  const auto dir = std::filesystem::temp_directory_path() / "strest-command-report-test";
  std::filesystem::create_directories(dir);
  const std::string png = (dir / "capacity.png").string();
  std::ofstream(png, std::ios::binary) << "\x89PNG\r\n\x1a\n"
                                       << "rest";
  CommandReport report = sample_report();
  report.png_paths = {png};
  auto html = command_report_html(report);
  ASSERT_TRUE(html) << html.error();
  EXPECT_NE(html->find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(html->find("capacity.png"), std::string::npos);
  report.png_paths = {(dir / "missing.png").string()};
  auto missing = command_report_html(report);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("missing.png"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CommandReport, AnUnwritablePathNamesTheFlagAndTheFix) {
  Status written = write_command_report(sample_report(), "/nonexistent-dir/x.html");
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("--report"), std::string::npos);
  EXPECT_NE(written.error().find("check the directory exists"), std::string::npos);
}

}  // namespace
}  // namespace strest

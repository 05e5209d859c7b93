#include "scenario/csv_vars.h"

#include <gtest/gtest.h>

#include "in_temp_dir_test.h"

namespace strest {
namespace {

std::string error_of(std::string_view text) {
  auto csv = parse_csv_vars(text, "users.csv");
  EXPECT_FALSE(csv.ok());
  return csv.ok() ? "" : csv.error();
}

TEST(CsvVars, HeaderAndRows) {
  auto csv = parse_csv_vars("user,pass\nann,one\r\nbob,two", "users.csv");
  ASSERT_TRUE(csv.ok()) << csv.error();
  EXPECT_EQ(csv->path, "users.csv");
  EXPECT_EQ(csv->columns, (std::vector<std::string>{"user", "pass"}));
  EXPECT_EQ(csv->rows, (std::vector<std::vector<std::string>>{{"ann", "one"}, {"bob", "two"}}));
}

TEST(CsvVars, QuotingPerRfc4180) {
  auto csv = parse_csv_vars(
      "\xEF\xBB\xBFname,note\n\"Smith, Ann\",\"said \"\"hi\"\"\"\n\"two\nlines\",\n\n", "u.csv");
  ASSERT_TRUE(csv.ok()) << csv.error();
  EXPECT_EQ(csv->columns, (std::vector<std::string>{"name", "note"}));
  ASSERT_EQ(csv->rows.size(), 2u);
  EXPECT_EQ(csv->rows[0], (std::vector<std::string>{"Smith, Ann", "said \"hi\""}));
  EXPECT_EQ(csv->rows[1], (std::vector<std::string>{"two\nlines", ""}));
}

TEST(CsvVars, Errors) {
  EXPECT_EQ(error_of(""), "users.csv: no header row: the first line names the variables");
  EXPECT_EQ(error_of("a,b\n"), "users.csv: no data rows: add a row under the header");
  EXPECT_EQ(error_of("a,,b\n1,2,3\n"),
            "users.csv: line 1: an empty column name; name every column in the header row");
  EXPECT_EQ(error_of("a,a\n1,2\n"), "users.csv: line 1: column 'a' appears twice; rename one");
  EXPECT_EQ(error_of("a,b\n1,2\n1,2,3\n"),
            "users.csv: line 3: 3 fields where the header has 2; quote fields that hold commas");
  EXPECT_EQ(error_of("a\n\"open\n"),
            "users.csv: line 2: a quoted field is never closed; add the closing '\"'");
  EXPECT_EQ(error_of("a\n\"x\"y\n"),
            "users.csv: line 2: text after a closing quote; double a quote inside a quoted field "
            "(\"\")");
}

class CsvVarsFileTest : public InTempDirTest {};

TEST_F(CsvVarsFileTest, ReadsAFile) {
  write("users.csv", "id\n1\n2\n");
  auto csv = read_csv_vars("users.csv");
  ASSERT_TRUE(csv.ok()) << csv.error();
  EXPECT_EQ(csv->rows.size(), 2u);
  auto missing = read_csv_vars("nope.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "cannot read 'nope.csv': No such file or directory");
}

}  // namespace
}  // namespace strest

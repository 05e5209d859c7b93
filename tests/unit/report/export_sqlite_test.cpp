#include "report/export_sqlite.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "export_test_fixture.h"

namespace strest {
namespace {

using std::chrono::microseconds;

class ExportSqliteTest : public ExportTest {
 protected:
  void TearDown() override {
    if (db_ != nullptr) sqlite3_close(db_);
    ExportTest::TearDown();
  }
  sqlite3* open(const std::string& path) {
    if (db_ != nullptr) sqlite3_close(db_);
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    return db_;
  }
  // The first column of the first row of `sql`, as text ("" when there is no row).
  std::string query(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::string value;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      value = text == nullptr ? "NULL" : reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(statement);
    return value;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(ExportSqliteTest, OneRunMakesOneRunRowAndARowPerRecord) {
  ASSERT_TRUE(write_sqlite(sample_run(), Plan{}, "runs.db"));
  open("runs.db");
  EXPECT_EQ(query("SELECT COUNT(*) FROM runs"), "1");
  EXPECT_EQ(query("SELECT COUNT(*) FROM metrics"), "4");
  EXPECT_EQ(query("SELECT started_unix_us || ' ' || target FROM runs"),
            "1700000000123456 http://127.0.0.1:8080/");
  EXPECT_EQ(query("PRAGMA user_version"), "1");
  EXPECT_EQ(query("SELECT printf('%d %.3f %.3f %.3f %d %s %d %d %d', sequence, start_ms, "
                  "latency_ms, service_ms, status, outcome, bytes, worker, step) "
                  "FROM metrics WHERE sequence = 1"),
            "1 0.250 2.500 2.000 503 non_expected_status 100 1 2");
  EXPECT_EQ(query("SELECT group_concat(error, '|') FROM (SELECT error FROM metrics "
                  "ORDER BY sequence)"),
            "||request|reset");
  const auto summary = nlohmann::json::parse(query("SELECT summary_json FROM runs"));
  EXPECT_EQ(summary["exported_records"], 4);
  EXPECT_EQ(summary["target"], "http://127.0.0.1:8080/");
}

TEST_F(ExportSqliteTest, TwoRunsShareAFile) {
  ASSERT_TRUE(write_sqlite(sample_run(), Plan{}, "runs.db"));
  Plan windowed;
  windowed.metrics_window.max = 1;
  ASSERT_TRUE(write_sqlite(sample_run(), windowed, "sqlite://runs.db"));
  open("runs.db");
  EXPECT_EQ(query("SELECT group_concat(id) FROM runs"), "1,2");
  EXPECT_EQ(query("SELECT COUNT(*) FROM metrics WHERE run_id = 1"), "4");
  EXPECT_EQ(query("SELECT COUNT(*) FROM metrics WHERE run_id = 2"), "1");
  EXPECT_EQ(query("SELECT json_extract(summary_json, '$.records_left_out') FROM runs "
                  "WHERE id = 2"),
            "3");
}

TEST_F(ExportSqliteTest, WindowAppliesToTheDatabaseToo) {
  Plan plan;
  plan.metrics_window = {.from = microseconds(1), .to = microseconds(2'000'000), .max = 10};
  ASSERT_TRUE(write_sqlite(sample_run(), plan, "runs.db"));
  open("runs.db");
  EXPECT_EQ(query("SELECT group_concat(sequence) FROM metrics"), "1,2");
}

TEST_F(ExportSqliteTest, ManyRecordsAreAllInserted) {
  std::vector<RunLogRecord> records;
  for (uint64_t i = 0; i < 25'000; ++i) {
    records.push_back(
        make_record(i, static_cast<int64_t>(i), 5, 5, 200, LoggedOutcome::kOk, 0, 1, 0, 0));
  }
  ASSERT_TRUE(
      write_sqlite(run_with({write_run_log("strest-run-1-1-0.srl", records)}), Plan{}, "runs.db"));
  open("runs.db");
  EXPECT_EQ(query("SELECT COUNT(*) || ' ' || SUM(sequence) FROM metrics"), "25000 312487500");
}

// A failure after the run row was inserted rolls everything back.
TEST_F(ExportSqliteTest, FailureLeavesNoPartialRun) {
  open("runs.db");
  ASSERT_EQ(sqlite3_exec(db_, "CREATE TABLE metrics (run_id INTEGER)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const Status written = write_sqlite(sample_run(), Plan{}, "runs.db");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().rfind("--db-url 'runs.db': prepare the metrics insert: ", 0), 0u)
      << written.error();
  EXPECT_EQ(query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'runs'"), "0");
  EXPECT_EQ(query("PRAGMA user_version"), "0");
}

TEST_F(ExportSqliteTest, NewerSchemaIsRefused) {
  open("runs.db");
  ASSERT_EQ(sqlite3_exec(db_, "PRAGMA user_version = 2", nullptr, nullptr, nullptr), SQLITE_OK);
  const Status written = write_sqlite(sample_run(), Plan{}, "runs.db");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(),
            "--db-url 'runs.db': schema version 2 was written by a newer strest (this one "
            "writes 1); use another file");
}

TEST_F(ExportSqliteTest, NotADatabaseFailsNamingTheFile) {
  write("runs.db", std::string(4096, 'x'));
  const Status written = write_sqlite(sample_run(), Plan{}, "runs.db");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(), "--db-url 'runs.db': begin a transaction: file is not a database");
}

TEST_F(ExportSqliteTest, MissingDirectoryFailsNamingTheFile) {
  const Status written = write_sqlite(sample_run(), Plan{}, "no/such/runs.db");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(),
            "--db-url 'no/such/runs.db': cannot open: unable to open database file");
}

TEST_F(ExportSqliteTest, NoRunLogFails) {
  const Status written = write_sqlite(run_with({}), Plan{}, "runs.db");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error(), "--db-url 'runs.db': the run kept no run log to store");
}

TEST(SqlitePathFromUrl, AcceptsSqliteUrlsAndPaths) {
  EXPECT_EQ(*sqlite_path_from_url("runs.db"), "runs.db");
  EXPECT_EQ(*sqlite_path_from_url("/var/lib/runs.db"), "/var/lib/runs.db");
  EXPECT_EQ(*sqlite_path_from_url("sqlite://runs.db"), "runs.db");
  EXPECT_EQ(*sqlite_path_from_url("sqlite:///var/lib/runs.db"), "/var/lib/runs.db");
  EXPECT_EQ(*sqlite_path_from_url("sqlite:runs.db?mode=rwc"), "runs.db");
}

TEST(SqlitePathFromUrl, RefusesOtherDatabases) {
  auto path = sqlite_path_from_url("postgres://db/strest");
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error(),
            "--db-url 'postgres://db/strest': only SQLite is supported (sqlite://FILE or a path)");
  EXPECT_FALSE(sqlite_path_from_url("sqlite://"));
  EXPECT_FALSE(sqlite_path_from_url(""));
}

}  // namespace
}  // namespace strest

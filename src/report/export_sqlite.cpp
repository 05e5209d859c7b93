#include "report/export_sqlite.h"

#include <sqlite3.h>

#include <memory>

#include "report/export_run_log.h"
#include "report/export_schema.h"

namespace strest {

namespace {

constexpr int kBusyTimeoutMs = 5000;  // another strest appending to the same file

constexpr const char* kCreateTables = R"sql(
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  started_unix_us INTEGER NOT NULL,
  target TEXT NOT NULL,
  summary_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  sequence INTEGER NOT NULL,
  start_ms REAL NOT NULL,
  latency_ms REAL NOT NULL,
  service_ms REAL NOT NULL,
  status INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  worker INTEGER NOT NULL,
  step INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metrics_by_run ON metrics(run_id);
)sql";

constexpr const char* kInsertMetric =
    "INSERT INTO metrics (run_id, sequence, start_ms, latency_ms, service_ms, status, outcome, "
    "error, bytes, worker, step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// An open database file, with errors that name it.
class Database {
 public:
  explicit Database(std::string path) : path_(std::move(path)) {}

  Status open() {
    sqlite3* db = nullptr;
    const int code =
        sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(db);  // sqlite3 hands back a handle even on failure, for the message
    if (code != SQLITE_OK) return failure("cannot open");
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    return Ok{};
  }
  Status exec(const char* sql, const char* doing) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) == SQLITE_OK) return Ok{};
    return failure(doing);
  }
  Result<Statement> prepare(const char* sql, const char* doing) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql, -1, &statement, nullptr) != SQLITE_OK) {
      return failure(doing);
    }
    return Statement(statement);
  }
  // Steps a statement that returns no rows, then resets it for the next bindings.
  Status run(sqlite3_stmt* statement, const char* doing) {
    const int code = sqlite3_step(statement);
    Status status = code == SQLITE_DONE ? Status(Ok{}) : Status(failure(doing));
    sqlite3_reset(statement);
    return status;
  }
  // "--db-url '<path>': <doing>: <SQLite's reason>".
  Error failure(const char* doing) const {
    return complaint(std::string(doing) + ": " +
                     (db_ ? sqlite3_errmsg(db_.get()) : "out of memory"));
  }
  Error complaint(const std::string& message) const {
    return Error{"--db-url '" + path_ + "': " + message};
  }
  sqlite3* handle() const { return db_.get(); }

 private:
  std::string path_;
  std::unique_ptr<sqlite3, CloseDatabase> db_;
};

// Rolls back unless committed, so every early return leaves the file as it was.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction() {
    if (open_) db_.exec("ROLLBACK", "roll back");
  }
  Status begin() {
    // IMMEDIATE: take the write lock now (waiting out other writers), not halfway through.
    Status begun = db_.exec("BEGIN IMMEDIATE", "begin a transaction");
    open_ = begun.ok();
    return begun;
  }
  Status commit() {
    Status committed = db_.exec("COMMIT", "commit");
    open_ = !committed.ok();
    return committed;
  }

 private:
  Database& db_;
  bool open_ = false;
};

Status ensure_schema(Database& db) {
  auto version_query = db.prepare("PRAGMA user_version", "read the schema version");
  if (!version_query) return Error{version_query.error()};
  if (sqlite3_step(version_query->get()) != SQLITE_ROW) {
    return db.failure("read the schema version");
  }
  const int version = sqlite3_column_int(version_query->get(), 0);
  if (version > kSqliteSchemaVersion) {
    return db.complaint("schema version " + std::to_string(version) +
                        " was written by a newer strest (this one writes " +
                        std::to_string(kSqliteSchemaVersion) + "); use another file");
  }
  if (Status created = db.exec(kCreateTables, "create tables"); !created) return created;
  const std::string set_version = "PRAGMA user_version = " + std::to_string(kSqliteSchemaVersion);
  return db.exec(set_version.c_str(), "set the schema version");
}

Result<int64_t> insert_run(Database& db, const RunResult& result, const RunLogHeader& header) {
  auto insert = db.prepare(
      "INSERT INTO runs (started_unix_us, target, summary_json) "
      "VALUES (?, ?, '{}')",
      "prepare the runs insert");
  if (!insert) return Error{insert.error()};
  sqlite3_bind_int64(insert->get(), 1, header.run_start_unix_us);
  sqlite3_bind_text(insert->get(), 2, result.target.c_str(), -1, SQLITE_TRANSIENT);
  if (Status done = db.run(insert->get(), "insert the run"); !done) return Error{done.error()};
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db.handle()));
}

void bind_metric(sqlite3_stmt* insert, int64_t run_id, const RunLogRecord& record) {
  const std::string_view outcome = export_outcome_name(record.outcome);
  const std::string_view error = export_error_name(record);
  sqlite3_bind_int64(insert, 1, run_id);
  sqlite3_bind_int64(insert, 2, static_cast<sqlite3_int64>(record.sequence));
  sqlite3_bind_double(insert, 3, static_cast<double>(record.start_us) / 1000.0);
  sqlite3_bind_double(insert, 4, static_cast<double>(record.latency_us) / 1000.0);
  sqlite3_bind_double(insert, 5, static_cast<double>(record.service_us) / 1000.0);
  sqlite3_bind_int(insert, 6, record.status);
  // The names are static strings: no copy needed.
  sqlite3_bind_text(insert, 7, outcome.data(), static_cast<int>(outcome.size()), SQLITE_STATIC);
  sqlite3_bind_text(insert, 8, error.data(), static_cast<int>(error.size()), SQLITE_STATIC);
  sqlite3_bind_int64(insert, 9, record.bytes);
  sqlite3_bind_int(insert, 10, record.worker);
  sqlite3_bind_int(insert, 11, record.step);
}

// Streams the windowed run log into `metrics`, then fills in the run's summary.
Status insert_metrics(Database& db, int64_t run_id, const RunResult& result, const Plan& plan) {
  auto insert = db.prepare(kInsertMetric, "prepare the metrics insert");
  if (!insert) return Error{insert.error()};
  Status inserted = Ok{};
  auto log = stream_windowed_run_log(result.run_log_paths, plan.metrics_window,
                                     [&](const RunLogRecord& record) {
                                       if (!inserted) return;  // keep the first error
                                       bind_metric(insert->get(), run_id, record);
                                       inserted = db.run(insert->get(), "insert a metric");
                                     });
  if (!log) return Error{log.error()};
  if (!inserted) return inserted;
  auto update =
      db.prepare("UPDATE runs SET summary_json = ? WHERE id = ?", "prepare the summary update");
  if (!update) return Error{update.error()};
  const std::string summary = export_summary(result, plan, *log)
                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  sqlite3_bind_text(update->get(), 1, summary.c_str(), -1, SQLITE_STATIC);
  sqlite3_bind_int64(update->get(), 2, run_id);
  return db.run(update->get(), "store the summary");
}

}  // namespace

Result<std::string> sqlite_path_from_url(const std::string& url) {
  std::string path = url;
  if (url.rfind("sqlite://", 0) == 0) {
    path = url.substr(9);
  } else if (url.rfind("sqlite:", 0) == 0) {
    path = url.substr(7);
  } else if (url.find("://") != std::string::npos) {
    return Error{"--db-url '" + url + "': only SQLite is supported (sqlite://FILE or a path)"};
  }
  if (path != url) path = path.substr(0, path.find('?'));
  if (path.empty()) return Error{"--db-url '" + url + "' names no file (sqlite://FILE)"};
  return path;
}

Status write_sqlite(const RunResult& result, const Plan& plan, const std::string& db) {
  auto path = sqlite_path_from_url(db);
  if (!path) return Error{path.error()};
  if (result.run_log_paths.empty()) {
    return Error{"--db-url '" + *path + "': the run kept no run log to store"};
  }
  auto header = read_run_log_header(result.run_log_paths.front());
  if (!header) return Error{"--db-url '" + *path + "': " + header.error()};
  Database database(*path);
  if (Status opened = database.open(); !opened) return opened;
  Transaction transaction(database);
  if (Status begun = transaction.begin(); !begun) return begun;
  if (Status schema = ensure_schema(database); !schema) return schema;
  auto run_id = insert_run(database, result, *header);
  if (!run_id) return Error{run_id.error()};
  if (Status rows = insert_metrics(database, *run_id, result, plan); !rows) return rows;
  return transaction.commit();
}

}  // namespace strest

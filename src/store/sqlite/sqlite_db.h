// A thin RAII layer over the SQLite C API: a connection, prepared statements that bind values by
// position and read columns in place, and a transaction that rolls back unless committed. Every
// failure becomes an Error::Storage carrying SQLite's message; the SQLite result code stays
// available so callers can turn constraint failures into conflicts.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/date.h"
#include "core/error.h"

namespace cascade::sqlite {

// A prepared statement. Parameters are 1-based, columns 0-based, as in the C API. Text is copied
// when bound, so arguments may be temporaries.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void BindNull(int i);
  void BindText(int i, std::string_view v);
  void BindRef(int i, std::string_view id);  // "" binds NULL: an absent reference
  void BindDouble(int i, double v);
  void BindDouble(int i, const std::optional<double>& v);  // nullopt binds NULL
  void BindInt64(int i, int64_t v);
  void BindDate(int i, Date d);
  void BindDate(int i, const std::optional<Date>& d);  // nullopt binds NULL

  // Advances: true when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, ignoring rows; for statements that return none.
  Result<void> Run();
  // Makes the statement ready to run again; clears the bindings.
  void Reset();

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  // Valid until the next Step, Reset or column access of another type on the same column.
  std::string_view Text(int col) const;
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  int64_t Int64(int col) const { return sqlite3_column_int64(stmt_, col); }

  // The extended result code of the last Step that failed (SQLITE_CONSTRAINT_UNIQUE, …).
  int last_code() const { return last_code_; }
  // Rows the last INSERT/UPDATE/DELETE changed.
  int64_t changes() const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int last_code_ = SQLITE_OK;
};

// One connection. Movable, closed on destruction.
class Database {
 public:
  // Opens or creates the database file (":memory:" for a private in-memory one).
  static Result<Database> Open(const std::string& path);

  // Prepares one SQL statement; values go in through its Bind* methods, never into `sql`.
  Result<Statement> Prepare(std::string_view sql);
  // Prepares and runs one statement without parameters (DDL, PRAGMA, BEGIN, COMMIT).
  Result<void> Exec(std::string_view sql);
  // The first column of the first row of a statement without parameters, as text ("" when none).
  Result<std::string> QueryText(std::string_view sql);
  // The row id of the last INSERT.
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Closer> db_;
};

// Statements prepared once per connection and kept, by SQL text: writes that run per change or per
// check-in skip the parsing. A statement is reset, its bindings cleared, each time it is handed
// out.
class StatementCache {
 public:
  Result<Statement*> Get(Database& db, const std::string& sql);

 private:
  std::unordered_map<std::string, Statement> statements_;
};

// BEGIN … COMMIT; rolls back on destruction unless Commit succeeded.
class Transaction {
 public:
  // BEGIN IMMEDIATE takes the write lock up front, so a writer never fails half-way for a lock.
  static Result<Transaction> BeginImmediate(Database& db);
  // BEGIN (deferred): a read snapshot for several SELECTs.
  static Result<Transaction> BeginRead(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<void> Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or rolled back
};

// An Error::Storage naming what failed: "the database failed while <doing>: <sqlite message>";
// kBusy when SQLite was busy or locked (another writer held the database past the wait).
Error StorageError(sqlite3* db, std::string_view doing);

}  // namespace cascade::sqlite

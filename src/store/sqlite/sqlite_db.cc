#include "store/sqlite/sqlite_db.h"

#include <utility>

namespace cascade::sqlite {

Error StorageError(sqlite3* db, std::string_view doing) {
  std::string message = "the database failed";
  if (!doing.empty()) message += " while " + std::string(doing);
  if (db != nullptr) {
    const int code = sqlite3_extended_errcode(db);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
      return Error::Busy(message + ": the database is busy (another process is writing); try again");
    }
    message += ": ";
    message += sqlite3_errmsg(db);
  }
  return Error::Storage(std::move(message));
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), last_code_(other.last_code_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    last_code_ = other.last_code_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindNull(int i) { sqlite3_bind_null(stmt_, i); }

void Statement::BindText(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void Statement::BindRef(int i, std::string_view id) {
  if (id.empty()) {
    BindNull(i);
  } else {
    BindText(i, id);
  }
}

void Statement::BindDouble(int i, double v) { sqlite3_bind_double(stmt_, i, v); }

void Statement::BindDouble(int i, const std::optional<double>& v) {
  if (v) {
    BindDouble(i, *v);
  } else {
    BindNull(i);
  }
}

void Statement::BindInt64(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

void Statement::BindDate(int i, Date d) {
  // Formatted by hand into a stack buffer: this runs once per imported check-in.
  char buf[16];
  const int y = d.year();
  const unsigned m = d.month(), day = d.day();
  buf[0] = static_cast<char>('0' + y / 1000 % 10);
  buf[1] = static_cast<char>('0' + y / 100 % 10);
  buf[2] = static_cast<char>('0' + y / 10 % 10);
  buf[3] = static_cast<char>('0' + y % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + m / 10);
  buf[6] = static_cast<char>('0' + m % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + day / 10);
  buf[9] = static_cast<char>('0' + day % 10);
  sqlite3_bind_text(stmt_, i, buf, 10, SQLITE_TRANSIENT);
}

void Statement::BindDate(int i, const std::optional<Date>& d) {
  if (d) {
    BindDate(i, *d);
  } else {
    BindNull(i);
  }
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  last_code_ = sqlite3_extended_errcode(db);
  return StorageError(db, "");
}

Result<void> Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string_view Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

int64_t Statement::changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

// ---- Database ----

Result<Database> Database::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    std::string message = "cannot open the database '" + path + "': ";
    message += raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Error::Storage(std::move(message));
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return StorageError(db_.get(), "preparing a query");
  return Statement(stmt);
}

Result<void> Database::Exec(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->Run();
}

Result<std::string> Database::QueryText(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return std::string();
  return std::string(stmt->Text(0));
}

// ---- StatementCache ----

Result<Statement*> StatementCache::Get(Database& db, const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    auto stmt = db.Prepare(sql);
    if (!stmt) return stmt.error();
    it = statements_.emplace(sql, std::move(*stmt)).first;
  } else {
    it->second.Reset();
  }
  return &it->second;
}

// ---- Transaction ----

Result<Transaction> Transaction::BeginImmediate(Database& db) {
  if (auto r = db.Exec("BEGIN IMMEDIATE"); !r) return r.error();
  return Transaction(&db);
}

Result<Transaction> Transaction::BeginRead(Database& db) {
  if (auto r = db.Exec("BEGIN"); !r) return r.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  // Statements of this transaction may still be mid-step; ROLLBACK handles that since 3.7.11.
  if (db_ != nullptr) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::Commit() {
  auto r = db_->Exec("COMMIT");
  if (!r) return r;  // still open: the destructor rolls it back
  db_ = nullptr;
  return Ok();
}

}  // namespace cascade::sqlite

#include "store/sqlite/sqlite_accounts.h"

#include <utility>

namespace cascade {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

// Resets a cached statement when leaving the scope: a statement left on a row would keep its
// read transaction, and with it an old snapshot, open on the shared connection.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement* s) : s_(s) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { s_->Reset(); }

 private:
  Statement* s_;
};

constexpr const char* kAccountColumns = "name, role, person, password_hash, version";
constexpr const char* kTokenColumns = "id, account, secret_hash, label, created_at, revoked";

Result<Account> ReadAccount(const Statement& s) {
  Account a;
  a.name = s.Text(0);
  auto role = ParseRole(s.Text(1));
  if (!role) {
    return Error::Storage("account '" + a.name + "' has an unknown role '" +
                          std::string(s.Text(1)) + "' in the database");
  }
  a.role = *role;
  a.person = s.Text(2);
  a.password_hash = s.Text(3);
  a.version = s.Int64(4);
  return a;
}

ApiToken ReadToken(const Statement& s) {
  ApiToken t;
  t.id = s.Text(0);
  t.account = s.Text(1);
  t.secret_hash = s.Text(2);
  t.label = s.Text(3);
  t.created_at = s.Int64(4);
  t.revoked = s.Int64(5) != 0;
  return t;
}

bool IsConstraint(const Statement& s, int extended_code) { return s.last_code() == extended_code; }

}  // namespace

// ---- Accounts ----

Result<void> SqliteAccounts::PutAccount(const Account& account) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(db_, R"(INSERT INTO accounts (name, role, person, password_hash, version)
VALUES (?, ?, ?, ?, 1)
ON CONFLICT (name) DO UPDATE SET role = excluded.role, person = excluded.person,
  password_hash = excluded.password_hash, version = accounts.version + 1)");
  if (!stmt) return stmt.error();
  (*stmt)->BindText(1, account.name);
  (*stmt)->BindText(2, ToString(account.role));
  (*stmt)->BindRef(3, account.person);
  (*stmt)->BindText(4, account.password_hash);
  return (*stmt)->Run();
}

Result<std::optional<Account>> SqliteAccounts::FindAccount(const std::string& name) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(
      db_, std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE name = ?");
  if (!stmt) return stmt.error();
  ResetOnExit reset(*stmt);
  (*stmt)->BindText(1, name);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<Account>();
  auto account = ReadAccount(**stmt);
  if (!account) return account.error();
  return std::optional<Account>(std::move(*account));
}

Result<std::vector<Account>> SqliteAccounts::ListAccounts() {
  MutexLock lock(mu_);
  auto stmt = db_.Prepare(std::string("SELECT ") + kAccountColumns + " FROM accounts ORDER BY name");
  if (!stmt) return stmt.error();
  std::vector<Account> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    auto account = ReadAccount(*stmt);
    if (!account) return account.error();
    out.push_back(std::move(*account));
  }
}

Result<void> SqliteAccounts::DeleteAccount(const std::string& name) {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);
  if (!tx) return tx.error();
  // Tokens and sessions explicitly, not only by ON DELETE CASCADE: the same on every backend.
  for (const char* sql : {"DELETE FROM api_tokens WHERE account = ?",
                          "DELETE FROM sessions WHERE account = ?"}) {
    auto stmt = db_.Prepare(sql);
    if (!stmt) return stmt.error();
    stmt->BindText(1, name);
    if (auto r = stmt->Run(); !r) return r;
  }
  auto stmt = db_.Prepare("DELETE FROM accounts WHERE name = ?");
  if (!stmt) return stmt.error();
  stmt->BindText(1, name);
  if (auto r = stmt->Run(); !r) return r;
  if (stmt->changes() == 0) {
    return Error::NotFound("account '" + name + "' does not exist", "account", name, "name");
  }
  return tx->Commit();
}

// ---- API tokens ----

Result<void> SqliteAccounts::PutToken(const ApiToken& token) {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);  // the account check and the insert together
  if (!tx) return tx.error();
  auto exists = db_.Prepare("SELECT 1 FROM accounts WHERE name = ?");
  if (!exists) return exists.error();
  exists->BindText(1, token.account);
  auto found = exists->Step();
  if (!found) return found.error();
  if (!*found) {
    return Error::NotFound("account '" + token.account + "' does not exist", "account",
                           token.account, "account");
  }
  exists->Reset();
  auto stmt = db_.Prepare(
      "INSERT INTO api_tokens (id, account, secret_hash, label, created_at, revoked) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  stmt->BindText(1, token.id);
  stmt->BindText(2, token.account);
  stmt->BindText(3, token.secret_hash);
  stmt->BindText(4, token.label);
  stmt->BindInt64(5, token.created_at);
  stmt->BindInt64(6, token.revoked ? 1 : 0);
  if (auto r = stmt->Run(); !r) {
    if (IsConstraint(*stmt, SQLITE_CONSTRAINT_UNIQUE)) {
      return Error::Conflict("a token with this id or secret already exists", "token", token.id,
                             "id");
    }
    return r;
  }
  return tx->Commit();
}

Result<std::optional<ApiToken>> SqliteAccounts::FindTokenBySecretHash(const std::string& hash) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(
      db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE secret_hash = ?");
  if (!stmt) return stmt.error();
  ResetOnExit reset(*stmt);
  (*stmt)->BindText(1, hash);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(ReadToken(**stmt));
}

Result<void> SqliteAccounts::RevokeToken(const std::string& id) {
  MutexLock lock(mu_);
  auto stmt = db_.Prepare("UPDATE api_tokens SET revoked = 1 WHERE id = ?");
  if (!stmt) return stmt.error();
  stmt->BindText(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (stmt->changes() == 0) {
    return Error::NotFound("token '" + id + "' does not exist", "token", id, "id");
  }
  return Ok();
}

Result<std::vector<ApiToken>> SqliteAccounts::ListTokens(const std::string& account) {
  MutexLock lock(mu_);
  auto stmt = db_.Prepare(std::string("SELECT ") + kTokenColumns + " FROM api_tokens" +
                          (account.empty() ? "" : " WHERE account = ?") + " ORDER BY seq");
  if (!stmt) return stmt.error();
  if (!account.empty()) stmt->BindText(1, account);
  std::vector<ApiToken> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(ReadToken(*stmt));
  }
}

// ---- Sessions ----

Result<void> SqliteAccounts::PutSession(const Session& session) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(db_, R"(INSERT INTO sessions (id_hash, account, csrf_token, expires_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (id_hash) DO UPDATE SET account = excluded.account, csrf_token = excluded.csrf_token,
  expires_at = excluded.expires_at)");
  if (!stmt) return stmt.error();
  (*stmt)->BindText(1, session.id_hash);
  (*stmt)->BindText(2, session.account);
  (*stmt)->BindText(3, session.csrf_token);
  (*stmt)->BindInt64(4, session.expires_at);
  if (auto r = (*stmt)->Run(); !r) {
    if (IsConstraint(**stmt, SQLITE_CONSTRAINT_FOREIGNKEY)) {
      return Error::NotFound("account '" + session.account + "' does not exist", "account",
                             session.account, "account");
    }
    return r;
  }
  return Ok();
}

Result<std::optional<Session>> SqliteAccounts::FindSession(const std::string& id_hash,
                                                           int64_t now) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(db_,
                              "SELECT id_hash, account, csrf_token, expires_at FROM sessions "
                              "WHERE id_hash = ? AND expires_at > ?");
  if (!stmt) return stmt.error();
  ResetOnExit reset(*stmt);
  (*stmt)->BindText(1, id_hash);
  (*stmt)->BindInt64(2, now);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<Session>();
  Session s;
  s.id_hash = (*stmt)->Text(0);
  s.account = (*stmt)->Text(1);
  s.csrf_token = (*stmt)->Text(2);
  s.expires_at = (*stmt)->Int64(3);
  return std::optional<Session>(std::move(s));
}

Result<void> SqliteAccounts::DeleteSession(const std::string& id_hash) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(db_, "DELETE FROM sessions WHERE id_hash = ?");
  if (!stmt) return stmt.error();
  (*stmt)->BindText(1, id_hash);
  return (*stmt)->Run();
}

Result<void> SqliteAccounts::DeleteExpiredSessions(int64_t now) {
  MutexLock lock(mu_);
  auto stmt = statements_.Get(db_, "DELETE FROM sessions WHERE expires_at <= ?");
  if (!stmt) return stmt.error();
  (*stmt)->BindInt64(1, now);
  return (*stmt)->Run();
}

// ---- Failed sign-ins ----

Result<int> SqliteAccounts::CountFailures(const std::string& key, int64_t since) {
  auto stmt = statements_.Get(db_, "SELECT COUNT(*) FROM login_failures WHERE subject = ? AND at >= ?");
  if (!stmt) return stmt.error();
  ResetOnExit reset(*stmt);
  (*stmt)->BindText(1, key);
  (*stmt)->BindInt64(2, since);
  auto row = (*stmt)->Step();
  if (!row) return row.error();
  return *row ? static_cast<int>((*stmt)->Int64(0)) : 0;
}

Result<int> SqliteAccounts::RecordFailedLogin(const std::string& key, int64_t now, int64_t since) {
  MutexLock lock(mu_);
  auto tx = Transaction::BeginImmediate(db_);
  if (!tx) return tx.error();
  auto forget = statements_.Get(db_, "DELETE FROM login_failures WHERE at < ?");
  if (!forget) return forget.error();
  (*forget)->BindInt64(1, since);
  if (auto r = (*forget)->Run(); !r) return r.error();
  auto record = statements_.Get(db_, "INSERT INTO login_failures (subject, at) VALUES (?, ?)");
  if (!record) return record.error();
  (*record)->BindText(1, key);
  (*record)->BindInt64(2, now);
  if (auto r = (*record)->Run(); !r) return r.error();
  auto count = CountFailures(key, since);
  if (!count) return count;
  if (auto r = tx->Commit(); !r) return r.error();
  return count;
}

Result<int> SqliteAccounts::CountFailedLogins(const std::string& key, int64_t since) {
  MutexLock lock(mu_);
  return CountFailures(key, since);
}

}  // namespace cascade

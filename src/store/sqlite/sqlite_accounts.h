// The SQLite AccountStore: accounts, API tokens, sessions and failed sign-ins in the tables of
// migration 2. It shares the SqliteStore's connection and mutex, so account and workspace queries
// never interleave on the one connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "store/accounts.h"
#include "store/sqlite/sqlite_db.h"

namespace cascade {

class SqliteAccounts final : public AccountStore {
 public:
  // `db` and `mu` must outlive this object.
  SqliteAccounts(sqlite::Database& db, Mutex& mu) : mu_(mu), db_(db) {}

  Result<void> PutAccount(const Account& account) override EXCLUDES(mu_);
  Result<std::optional<Account>> FindAccount(const std::string& name) override EXCLUDES(mu_);
  Result<std::vector<Account>> ListAccounts() override EXCLUDES(mu_);
  Result<void> DeleteAccount(const std::string& name) override EXCLUDES(mu_);

  Result<void> PutToken(const ApiToken& token) override EXCLUDES(mu_);
  Result<std::optional<ApiToken>> FindTokenBySecretHash(const std::string& hash) override
      EXCLUDES(mu_);
  Result<void> RevokeToken(const std::string& id) override EXCLUDES(mu_);
  Result<std::vector<ApiToken>> ListTokens(const std::string& account) override EXCLUDES(mu_);

  Result<void> PutSession(const Session& session) override EXCLUDES(mu_);
  Result<std::optional<Session>> FindSession(const std::string& id_hash, int64_t now) override
      EXCLUDES(mu_);
  Result<void> DeleteSession(const std::string& id_hash) override EXCLUDES(mu_);
  Result<void> DeleteExpiredSessions(int64_t now) override EXCLUDES(mu_);

  Result<int> RecordFailedLogin(const std::string& key, int64_t now, int64_t since) override
      EXCLUDES(mu_);
  Result<int> CountFailedLogins(const std::string& key, int64_t since) override EXCLUDES(mu_);

 private:
  Result<int> CountFailures(const std::string& key, int64_t since) REQUIRES(mu_);

  Mutex& mu_;
  sqlite::Database& db_ GUARDED_BY(mu_);
  // Sign-in checks run on every request: their statements are prepared once.
  sqlite::StatementCache statements_ GUARDED_BY(mu_);
};

}  // namespace cascade

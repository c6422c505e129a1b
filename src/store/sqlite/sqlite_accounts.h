// The SQLite AccountStore: accounts, API tokens, sessions and failed sign-ins in the tables of
// migration 2. It shares the SqliteStore's connection and mutex, so account and workspace queries
// never interleave on the one connection.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/accounts.h"
#include "store/sqlite/sqlite_db.h"

namespace cascade {

class SqliteAccounts final : public AccountStore {
 public:
  // `db` and `mu` must outlive this object.
  SqliteAccounts(sqlite::Database& db, std::mutex& mu) : db_(db), mu_(mu) {}

  Result<void> PutAccount(const Account& account) override;
  Result<std::optional<Account>> FindAccount(const std::string& name) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<void> DeleteAccount(const std::string& name) override;

  Result<void> PutToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindTokenBySecretHash(const std::string& hash) override;
  Result<void> RevokeToken(const std::string& id) override;
  Result<std::vector<ApiToken>> ListTokens(const std::string& account) override;

  Result<void> PutSession(const Session& session) override;
  Result<std::optional<Session>> FindSession(const std::string& id_hash, int64_t now) override;
  Result<void> DeleteSession(const std::string& id_hash) override;
  Result<void> DeleteExpiredSessions(int64_t now) override;

  Result<int> RecordFailedLogin(const std::string& key, int64_t now, int64_t since) override;
  Result<int> CountFailedLogins(const std::string& key, int64_t since) override;

 private:
  Result<int> CountFailures(const std::string& key, int64_t since);  // mu_ held

  sqlite::Database& db_;
  std::mutex& mu_;
  // Sign-in checks run on every request: their statements are prepared once.
  sqlite::StatementCache statements_;
};

}  // namespace cascade

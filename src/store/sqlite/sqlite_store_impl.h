// The SQLite Store itself, for code that needs more than the Store interface: tests that inspect
// the connection's settings. Everything else goes through OpenSqliteStore / OpenStore.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "store/sqlite/data_version.h"
#include "store/sqlite/sqlite_accounts.h"
#include "store/sqlite/sqlite_db.h"
#include "core/clock.h"
#include "store/store.h"

namespace cascade {

class SqliteStore final : public Store {
 public:
  // Opens the database and sets the connection up (WAL, foreign keys, full sync, busy timeout);
  // does not migrate. `clock` stamps history rows and migrations; it must outlive the store.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const Clock& clock = SystemClock());

  Result<void> Migrate() override EXCLUDES(mu_);
  Result<Workspace> Load(const LoadOptions& options) override EXCLUDES(mu_);
  Result<Workspace> LoadScope(const ScopeRequest& request) override EXCLUDES(mu_);
  Result<Applied> Apply(const ChangeSet& changes, const std::string& actor) override EXCLUDES(mu_);
  Result<std::vector<HistoryEntry>> History(const std::string& entity_id) override EXCLUDES(mu_);
  Result<std::vector<HistoryEntry>> HistorySince(int64_t after_seq, size_t limit) override
      EXCLUDES(mu_);
  // A file's: PRAGMA data_version on a connection of its own that never writes, answered from the
  // WAL index while it has not moved (sqlite/data_version.h). ":memory:": this connection's own
  // changes, the only ones there can be.
  uint64_t DataVersion() override EXCLUDES(mu_);
  uint64_t OthersVersion() override EXCLUDES(mu_);
  Result<int> SchemaVersion() override EXCLUDES(mu_);
  Result<void> Backup(const std::string& path) override EXCLUDES(mu_);
  AccountStore& accounts() override { return accounts_; }

  // The value of a connection setting: "journal_mode", "foreign_keys", "synchronous" or
  // "busy_timeout" (kInvalid for any other name).
  Result<std::string> PragmaValue(std::string_view name) EXCLUDES(mu_);
  // Whether DataVersion() answers from the WAL index's shared memory (after its first call).
  bool reads_shared_memory() EXCLUDES(watch_mu_);
  // How many loads have read their check-ins on the second connection, in parallel (tests tell
  // the parallel path from the one-connection path by it: both give the same workspace).
  int64_t parallel_loads() const { return parallel_loads_.load(); }

 private:
  SqliteStore(sqlite::Database db, std::string path, const Clock& clock)
      : path_(std::move(path)), clock_(clock), db_(std::move(db)) {}
  Result<int> ReadSchemaVersion() REQUIRES(mu_);
  // Opens the two extra connections of a parallel load once; false when they cannot be had.
  bool OpenSideConnections() REQUIRES(mu_);
  // DataVersion()'s watch connection, opened at the first call; null when there is none.
  sqlite::DataVersionWatch* Watch() EXCLUDES(watch_mu_);

  std::string path_;
  const Clock& clock_;
  Mutex mu_;  // one connection: one caller at a time, transactions are not interleaved
  sqlite::Database db_ GUARDED_BY(mu_);
  // A large load's check-ins are read on reader_ while db_ reads the rest; pin_ holds the write
  // lock for the moment both start their read transactions, so they see the same commit.
  std::optional<sqlite::Database> reader_ GUARDED_BY(mu_);
  std::optional<sqlite::Database> pin_ GUARDED_BY(mu_);
  std::atomic<int64_t> parallel_loads_{0};
  // Declared after db_: finalized before it closes.
  sqlite::StatementCache statements_ GUARDED_BY(mu_);
  SqliteAccounts accounts_{db_, mu_};  // shares the connection and its mutex; after db_ too
  // DataVersion()'s watch connection, opened at its first call (a file database only).
  Mutex watch_mu_;
  bool watch_opened_ GUARDED_BY(watch_mu_) = false;
  std::unique_ptr<sqlite::DataVersionWatch> watch_ GUARDED_BY(watch_mu_);
};

}  // namespace cascade

// Change detection for one SQLite database file: a number that moves whenever any connection, in
// this process or another, commits. SQLite answers (`PRAGMA data_version` on a connection that
// never writes: it moves whenever any other connection commits), but only after a read
// transaction's system calls; so first the WAL-index header in the database's shared memory is
// looked at, which every commit rewrites, and SQLite is asked only when it differs from the last
// time. SqliteStore::DataVersion() answers through one of these.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/mutex.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cascade::sqlite {

class DataVersionWatch {
 public:
  // Opens the watch connection on the existing database file at `path`; nullptr when it cannot
  // (no such file, not a database).
  static std::unique_ptr<DataVersionWatch> Open(const std::string& path);
  ~DataVersionWatch();
  DataVersionWatch(const DataVersionWatch&) = delete;
  DataVersionWatch& operator=(const DataVersionWatch&) = delete;

  // Never 0 while SQLite answers; 0 when it failed (the caller then treats it as "changed").
  // Safe from any thread; the common case (nothing changed, WAL index readable) takes no lock.
  uint64_t Version() EXCLUDES(mu_);
  // Whether Version() can answer from the shared memory (a WAL database on this machine).
  bool reads_shared_memory() const { return shm_.load() != nullptr; }

  // The WAL-index header: SQLite keeps two copies at the start of the -shm file and rewrites both
  // on every commit (https://www.sqlite.org/walformat.html).
  static constexpr size_t kWalHeaderBytes = 48;
  using WalHeader = std::array<unsigned char, kWalHeaderBytes>;

 private:
  DataVersionWatch(sqlite3* db, sqlite3_stmt* data_version);
  // Both copies of the header as they are now; false when they differ (a commit is rewriting
  // them) or the memory is not a WAL index of the known format.
  bool ReadWalHeader(WalHeader& out) const;
  void MapSharedMemory() REQUIRES(mu_);

  Mutex mu_;
  sqlite3* db_ GUARDED_BY(mu_);                 // read-write, never writes; closed last
  sqlite3_stmt* data_version_ GUARDED_BY(mu_);  // PRAGMA data_version, prepared once
  // The WAL index (SQLite's own mapping of the -shm file); set once, under mu_, read without it.
  std::atomic<const volatile unsigned char*> shm_{nullptr};
  const uint64_t id_;  // tells this watch's entries in each thread's last answer from others
};

}  // namespace cascade::sqlite

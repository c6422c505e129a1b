// The workspace as the server last loaded it, reused while the database has not changed. Whether
// it changed is asked on every use, so a second server process or a CLI write is seen at once:
// the cache holds nothing a fresh load would not. SQLite answers (`PRAGMA data_version` on a
// connection that never writes: it moves whenever any other connection, in this process or
// another, commits), but only after a read transaction's system calls; so first the WAL-index
// header in the database's shared memory is looked at, which every commit rewrites, and SQLite is
// asked only when it differs from the last time. Roll-ups and rendered response bodies are kept
// per workspace snapshot, by key.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cascade {

// One loaded workspace and what has been computed from it. Shared by requests; immutable but for
// its memo tables, which are thread-safe.
class WorkspaceSnapshot {
 public:
  WorkspaceSnapshot(Workspace ws, uint64_t version) : ws_(std::move(ws)), version_(version) {}
  const Workspace& ws() const { return ws_; }
  uint64_t version() const { return version_; }

  // The id indexes of ws(), built on first use (the named operations look entities up in them).
  const WorkspaceIndex& Index() const;
  // ComputeRollup(ws, as_of), computed once per date.
  std::shared_ptr<const Rollup> RollupAsOf(Date as_of) const;
  // make() computed once per key (a response body, say); at most a few hundred keys are kept.
  std::shared_ptr<const std::string> Memo(const std::string& key,
                                          const std::function<std::string()>& make) const;

 private:
  Workspace ws_;
  uint64_t version_;
  mutable std::once_flag index_once_;
  mutable std::unique_ptr<const WorkspaceIndex> index_;
  mutable std::mutex mu_;
  mutable std::map<int32_t, std::shared_ptr<const Rollup>> rollups_;
  mutable std::map<std::string, std::shared_ptr<const std::string>, std::less<>> memo_;
};

class WorkspaceCache {
 public:
  // `db_url` as OpenStore takes it. For a SQLite file the cache watches it; for anything else
  // (or if watching fails) every Current() loads afresh.
  explicit WorkspaceCache(const std::string& db_url);
  ~WorkspaceCache();
  WorkspaceCache(const WorkspaceCache&) = delete;
  WorkspaceCache& operator=(const WorkspaceCache&) = delete;

  // The current workspace (with check-ins), loaded through `store` only when the database changed.
  Result<std::shared_ptr<const WorkspaceSnapshot>> Current(Store& store);
  // A number that changes whenever the database does (0 when not watching: always "changed").
  uint64_t DataVersion();
  bool watching() const { return watch_ != nullptr; }
  // Whether DataVersion() can answer from the shared memory (a WAL database on this machine).
  bool reads_shared_memory() const { return shm_.load() != nullptr; }

  // The WAL-index header: SQLite keeps two copies at the start of the -shm file and rewrites both
  // on every commit (https://www.sqlite.org/walformat.html).
  static constexpr size_t kWalHeaderBytes = 48;
  using WalHeader = std::array<unsigned char, kWalHeaderBytes>;

 private:
  // Both copies of the header as they are now; false when they differ (a commit is rewriting
  // them) or the memory is not a WAL index of the known format.
  bool ReadWalHeader(WalHeader& out) const;
  void MapSharedMemory();

  std::string path_;
  std::mutex watch_mu_;
  sqlite3* watch_ = nullptr;
  sqlite3_stmt* data_version_ = nullptr;  // PRAGMA data_version, prepared once
  // The WAL index (SQLite's own mapping of the -shm file); set once, under watch_mu_, read without it.
  std::atomic<const volatile unsigned char*> shm_{nullptr};
  const uint64_t id_;  // tells this cache's entries in each thread's last answer from others
  std::mutex load_mu_;  // one load at a time; the others wait and share it
  std::mutex snap_mu_;
  std::shared_ptr<const WorkspaceSnapshot> snapshot_;
};

}  // namespace cascade

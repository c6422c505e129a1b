// The workspace as the server last loaded it, reused while the database has not changed. Whether
// it changed is asked on every use (Store::DataVersion() of a store of its own: for SQLite the
// WAL-index header, then `PRAGMA data_version`, see store/sqlite/data_version.h), so a second
// server process or a CLI write is seen at once: the cache holds nothing a fresh load would not.
// Roll-ups and rendered response bodies are kept per workspace snapshot, by key.
#pragma once

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
  // `db_url` as OpenStore takes it. For a database file the cache watches it through a store of
  // its own; for anything else (or if opening that fails) every Current() loads afresh.
  explicit WorkspaceCache(const std::string& db_url);
  // Watches through `watcher` (null: not watching), a store used for nothing else.
  explicit WorkspaceCache(std::unique_ptr<Store> watcher);
  ~WorkspaceCache();
  WorkspaceCache(const WorkspaceCache&) = delete;
  WorkspaceCache& operator=(const WorkspaceCache&) = delete;

  // The current workspace (with check-ins), loaded through `store` only when the database changed.
  Result<std::shared_ptr<const WorkspaceSnapshot>> Current(Store& store);
  // A number that changes whenever the database does (0 when not watching: always "changed").
  uint64_t DataVersion();
  bool watching() const { return watch_ != nullptr; }

 private:
  std::unique_ptr<Store> watch_;  // asked DataVersion() only
  std::mutex load_mu_;  // one load at a time; the others wait and share it
  std::mutex snap_mu_;
  std::shared_ptr<const WorkspaceSnapshot> snapshot_;
};

}  // namespace cascade

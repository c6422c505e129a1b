#include "server/workspace_cache.h"

#include <sqlite3.h>

namespace cascade {
namespace {

constexpr size_t kMaxRollups = 16;
constexpr size_t kMaxMemo = 256;

}  // namespace

std::shared_ptr<const Rollup> WorkspaceSnapshot::RollupAsOf(Date as_of) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = rollups_.find(as_of.days()); it != rollups_.end()) return it->second;
  }
  auto computed = std::make_shared<const Rollup>(ComputeRollup(ws_, as_of));
  std::lock_guard lock(mu_);
  if (rollups_.size() >= kMaxRollups) rollups_.erase(rollups_.begin());
  return rollups_.emplace(as_of.days(), std::move(computed)).first->second;
}

std::shared_ptr<const std::string> WorkspaceSnapshot::Memo(
    const std::string& key, const std::function<std::string()>& make) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  auto made = std::make_shared<const std::string>(make());
  std::lock_guard lock(mu_);
  if (memo_.size() >= kMaxMemo) memo_.clear();
  return memo_.emplace(key, std::move(made)).first->second;
}

WorkspaceCache::WorkspaceCache(const std::string& db_url) {
  std::string path = db_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty() || path == ":memory:" || path.find("://") != std::string::npos) return;
  // Read-write without create: a read-only connection cannot use a WAL database's shared memory
  // on every SQLite version; this one never writes all the same.
  if (sqlite3_open_v2(path.c_str(), &watch_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK ||
      sqlite3_prepare_v3(watch_, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                         &data_version_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(data_version_);
    data_version_ = nullptr;
    sqlite3_close_v2(watch_);
    watch_ = nullptr;
  }
}

WorkspaceCache::~WorkspaceCache() {
  sqlite3_finalize(data_version_);
  if (watch_ != nullptr) sqlite3_close_v2(watch_);
}

uint64_t WorkspaceCache::DataVersion() {
  if (watch_ == nullptr) return 0;
  std::lock_guard lock(watch_mu_);
  uint64_t version = 0;
  if (sqlite3_step(data_version_) == SQLITE_ROW) {
    // Never 0, so that 0 can mean "not watching".
    version = static_cast<uint64_t>(sqlite3_column_int64(data_version_, 0)) + 1;
  }
  sqlite3_reset(data_version_);
  return version;
}

Result<std::shared_ptr<const WorkspaceSnapshot>> WorkspaceCache::Current(Store& store) {
  // Read the version before loading: a commit racing the load then shows as a change next time,
  // so a snapshot is never taken for newer than it is.
  uint64_t version = DataVersion();
  if (version != 0) {
    std::lock_guard lock(snap_mu_);
    if (snapshot_ && snapshot_->version() == version) return snapshot_;
  }
  std::lock_guard load_lock(load_mu_);
  if (version != 0) {
    // Another request may have loaded it while this one waited.
    version = DataVersion();
    std::lock_guard lock(snap_mu_);
    if (snapshot_ && snapshot_->version() == version) return snapshot_;
  }
  auto ws = store.Load(LoadOptions{});
  if (!ws) return ws.error();
  auto snap = std::make_shared<const WorkspaceSnapshot>(std::move(*ws), version);
  if (version != 0) {
    std::lock_guard lock(snap_mu_);
    snapshot_ = snap;
  }
  return std::shared_ptr<const WorkspaceSnapshot>(std::move(snap));
}

}  // namespace cascade

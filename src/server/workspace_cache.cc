#include "server/workspace_cache.h"

namespace cascade {
namespace {

constexpr size_t kMaxRollups = 16;
constexpr size_t kMaxMemo = 256;

}  // namespace

const WorkspaceIndex& WorkspaceSnapshot::Index() const {
  std::call_once(index_once_, [this] { index_ = std::make_unique<const WorkspaceIndex>(ws_); });
  return *index_;
}

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

namespace {

// A store to watch `db_url` with: a database file's (a private in-memory database would be
// another one than the server's), null for anything else or when it cannot be opened.
std::unique_ptr<Store> OpenWatcher(const std::string& db_url) {
  std::string path = db_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty() || path == ":memory:") return nullptr;
  auto store = OpenStore(db_url);
  return store ? std::move(*store) : nullptr;
}

}  // namespace

WorkspaceCache::WorkspaceCache(const std::string& db_url) : WorkspaceCache(OpenWatcher(db_url)) {}

WorkspaceCache::WorkspaceCache(std::unique_ptr<Store> watcher) : watch_(std::move(watcher)) {}

WorkspaceCache::~WorkspaceCache() = default;

uint64_t WorkspaceCache::DataVersion() { return watch_ != nullptr ? watch_->DataVersion() : 0; }

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

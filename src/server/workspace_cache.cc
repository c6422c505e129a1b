#include "server/workspace_cache.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace cascade {
namespace {

constexpr size_t kMaxRollups = 16;
constexpr size_t kMaxMemo = 256;

// The WAL index of every SQLite since 3.7.0: two header copies, then the checkpoint information.
constexpr uint32_t kWalIndexVersion = 3007000;

std::atomic<uint64_t> g_next_cache_id{1};

// Each server thread's last answer: the header as it was read just before SQLite gave the
// version. Per thread, so that the common case (nothing changed) takes no lock.
struct LastAnswer {
  uint64_t cache = 0;
  WorkspaceCache::WalHeader header{};
  uint64_t version = 0;
};
thread_local LastAnswer t_last;

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

WorkspaceCache::WorkspaceCache(const std::string& db_url) : id_(g_next_cache_id++) {
  std::string path = db_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty() || path == ":memory:" || path.find("://") != std::string::npos) return;
  path_ = path;
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
  // The WAL index's mapping is SQLite's: closing the connection unmaps it.
  shm_.store(nullptr);
  sqlite3_finalize(data_version_);
  if (watch_ != nullptr) sqlite3_close_v2(watch_);
}

// The WAL index as SQLite itself maps it for the watch connection (the VFS's xShmMap), never a
// descriptor of our own: on Linux, closing any descriptor of a file drops every POSIX lock this
// process holds on it, SQLite's included; another process then took the database for unused and
// truncated the -shm file under the server's mappings (SIGBUS). The region stays mapped while
// the connection is open, which is as long as this cache lives.
void WorkspaceCache::MapSharedMemory() {
  // Only a WAL database's: a -shm file left behind by a database since switched to a rollback
  // journal would never change again.
  sqlite3_stmt* mode = nullptr;
  bool wal = false;
  if (sqlite3_prepare_v2(watch_, "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK &&
      sqlite3_step(mode) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(mode, 0));
    wal = text != nullptr && std::strcmp(text, "wal") == 0;
  }
  sqlite3_finalize(mode);
  if (!wal) return;
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(watch_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return;
  }
  // Region 0 of the index, which holds both header copies; bExtend 0: only if it exists.
  constexpr int kWalIndexRegionBytes = 32768;
  void volatile* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &region) == SQLITE_OK &&
      region != nullptr) {
    shm_.store(static_cast<const volatile unsigned char*>(region));
  }
}

bool WorkspaceCache::ReadWalHeader(WalHeader& out) const {
  const volatile unsigned char* shm = shm_.load(std::memory_order_acquire);
  if (shm == nullptr) return false;
  // As SQLite's readers do: the first copy, then the second; a writer stores the second first.
  WalHeader second;
  for (size_t i = 0; i < kWalHeaderBytes; ++i) out[i] = shm[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  for (size_t i = 0; i < kWalHeaderBytes; ++i) second[i] = shm[kWalHeaderBytes + i];
  if (out != second) return false;
  uint32_t version = 0;
  std::memcpy(&version, out.data(), sizeof version);
  const unsigned char is_init = out[12];
  return version == kWalIndexVersion && is_init == 1;
}

uint64_t WorkspaceCache::DataVersion() {
  if (watch_ == nullptr) return 0;
  // Read before SQLite is asked: a commit in between then shows as a change next time, never as
  // a header that seems to belong to the version before it.
  WalHeader now;
  const bool stable = ReadWalHeader(now);
  if (stable && t_last.cache == id_ && t_last.header == now) return t_last.version;
  uint64_t version = 0;
  {
    std::lock_guard lock(watch_mu_);
    if (sqlite3_step(data_version_) == SQLITE_ROW) {
      // Never 0, so that 0 can mean "not watching".
      version = static_cast<uint64_t>(sqlite3_column_int64(data_version_, 0)) + 1;
    }
    sqlite3_reset(data_version_);
    if (shm_.load() == nullptr && version != 0) MapSharedMemory();
  }
  if (stable && version != 0) {
    t_last = LastAnswer{id_, now, version};
  } else if (t_last.cache == id_) {
    t_last.cache = 0;
  }
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

#include "store/sqlite/data_version.h"

#include <sqlite3.h>

#include <cstring>

namespace cascade::sqlite {
namespace {

// The WAL index of every SQLite since 3.7.0: two header copies, then the checkpoint information.
constexpr uint32_t kWalIndexVersion = 3007000;

std::atomic<uint64_t> g_next_watch_id{1};

// Each thread's last answer: the header as it was read just before SQLite gave the version. Per
// thread, so that the common case (nothing changed) takes no lock.
struct LastAnswer {
  uint64_t watch = 0;
  DataVersionWatch::WalHeader header{};
  uint64_t version = 0;
};
thread_local LastAnswer t_last;

}  // namespace

std::unique_ptr<DataVersionWatch> DataVersionWatch::Open(const std::string& path) {
  // Read-write without create: a read-only connection cannot use a WAL database's shared memory
  // on every SQLite version; this one never writes all the same.
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK ||
      sqlite3_prepare_v3(db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    sqlite3_close_v2(db);
    return nullptr;
  }
  return std::unique_ptr<DataVersionWatch>(new DataVersionWatch(db, stmt));
}

DataVersionWatch::DataVersionWatch(sqlite3* db, sqlite3_stmt* data_version)
    : db_(db), data_version_(data_version), id_(g_next_watch_id++) {}

DataVersionWatch::~DataVersionWatch() {
  // The WAL index's mapping is SQLite's: closing the connection unmaps it.
  shm_.store(nullptr);
  sqlite3_finalize(data_version_);
  sqlite3_close_v2(db_);
}

// The WAL index as SQLite itself maps it for the watch connection (the VFS's xShmMap), never a
// descriptor of our own: on Linux, closing any descriptor of a file drops every POSIX lock this
// process holds on it, SQLite's included; another process then took the database for unused and
// truncated the -shm file under the server's mappings (SIGBUS). The region stays mapped while
// the connection is open, which is as long as this watch lives.
void DataVersionWatch::MapSharedMemory() {
  // Only a WAL database's: a -shm file left behind by a database since switched to a rollback
  // journal would never change again.
  sqlite3_stmt* mode = nullptr;
  bool wal = false;
  if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &mode, nullptr) == SQLITE_OK &&
      sqlite3_step(mode) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(mode, 0));
    wal = text != nullptr && std::strcmp(text, "wal") == 0;
  }
  sqlite3_finalize(mode);
  if (!wal) return;
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
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

bool DataVersionWatch::ReadWalHeader(WalHeader& out) const {
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

uint64_t DataVersionWatch::Version() {
  // Read before SQLite is asked: a commit in between then shows as a change next time, never as
  // a header that seems to belong to the version before it.
  WalHeader now;
  const bool stable = ReadWalHeader(now);
  if (stable && t_last.watch == id_ && t_last.header == now) return t_last.version;
  uint64_t version = 0;
  {
    MutexLock lock(mu_);
    if (sqlite3_step(data_version_) == SQLITE_ROW) {
      // Never 0, so that 0 can mean "cannot tell".
      version = static_cast<uint64_t>(sqlite3_column_int64(data_version_, 0)) + 1;
    }
    sqlite3_reset(data_version_);
    if (shm_.load() == nullptr && version != 0) MapSharedMemory();
  }
  if (stable && version != 0) {
    t_last = LastAnswer{id_, now, version};
  } else if (t_last.watch == id_) {
    t_last.watch = 0;
  }
  return version;
}

}  // namespace cascade::sqlite

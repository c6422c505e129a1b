// WorkspaceCache's freshness check: every commit of another connection is seen at once, and
// nothing else looks like a change. How SQLite answers (the WAL index's shared memory, or SQLite
// asked) is tested with the store (src/store/sqlite_data_version_test.cc).
#include "server/workspace_cache.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"

namespace cascade {
namespace {

class WorkspaceCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "w.db").string();
    auto store = OpenStore(path_);  // the schema, in WAL mode
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
    ASSERT_EQ(sqlite3_open(path_.c_str(), &writer_), SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(writer_);
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(writer_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "") << " in " << sql;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  sqlite3* writer_ = nullptr;
};

TEST_F(WorkspaceCacheTest, EveryCommitOfAnotherConnectionIsSeenAtOnce) {
  WorkspaceCache cache(path_);
  ASSERT_TRUE(cache.watching());
  uint64_t version = cache.DataVersion();
  EXPECT_NE(version, 0u);
  EXPECT_EQ(cache.DataVersion(), version);
  for (int i = 0; i < 200; ++i) {
    Exec("INSERT INTO login_failures (subject, at) VALUES ('x', " + std::to_string(i) + ")");
    if (i % 50 == 49) Exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the WAL starts over
    const uint64_t now = cache.DataVersion();
    EXPECT_NE(now, version) << "commit " << i;
    version = now;
    EXPECT_EQ(cache.DataVersion(), version) << "after commit " << i;
  }
  // A transaction that changes nothing is not a change; one rolled back neither.
  Exec("BEGIN; SELECT count(*) FROM goals; COMMIT");
  Exec("BEGIN IMMEDIATE; DELETE FROM login_failures; ROLLBACK");
  EXPECT_EQ(cache.DataVersion(), version);
}

// The cache asks its store only: one given to it is the one asked.
TEST_F(WorkspaceCacheTest, AskedThroughTheStoreItWasGiven) {
  auto watcher = OpenStore(path_);
  ASSERT_TRUE(watcher.ok());
  WorkspaceCache cache(std::move(*watcher));
  ASSERT_TRUE(cache.watching());
  const uint64_t version = cache.DataVersion();
  EXPECT_NE(version, 0u);
  Exec("INSERT INTO login_failures (subject, at) VALUES ('x', 1)");
  EXPECT_NE(cache.DataVersion(), version);
  // Nothing to watch: every use is a change.
  WorkspaceCache none(std::unique_ptr<Store>{});
  EXPECT_FALSE(none.watching());
  EXPECT_EQ(none.DataVersion(), 0u);
  WorkspaceCache memory(":memory:");
  EXPECT_FALSE(memory.watching());
}

}  // namespace
}  // namespace cascade

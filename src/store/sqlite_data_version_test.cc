// Store::DataVersion() of the SQLite store: every commit, of this store or of another connection,
// is seen at once, whether the answer comes from the WAL index's shared memory or from SQLite, and
// nothing else looks like a change.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/data_version.h"
#include "store/sqlite/sqlite_store_impl.h"
#include "store/store.h"

namespace cascade {
namespace {

class DataVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-data-version-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "w.db").string();
    auto store = SqliteStore::Open(path_);  // the schema, in WAL mode
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->Migrate().ok());
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
  std::unique_ptr<SqliteStore> store_;
  sqlite3* writer_ = nullptr;
};

TEST_F(DataVersionTest, EveryCommitOfAnotherConnectionIsSeenAtOnceFromTheWalIndex) {
  uint64_t version = store_->DataVersion();
  EXPECT_NE(version, 0u);
  EXPECT_TRUE(store_->reads_shared_memory());
  EXPECT_EQ(store_->DataVersion(), version);
  for (int i = 0; i < 200; ++i) {
    Exec("INSERT INTO login_failures (subject, at) VALUES ('x', " + std::to_string(i) + ")");
    if (i % 50 == 49) Exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the WAL starts over
    const uint64_t now = store_->DataVersion();
    EXPECT_NE(now, version) << "commit " << i;
    version = now;
    EXPECT_EQ(store_->DataVersion(), version) << "after commit " << i;
  }
  // A transaction that changes nothing is not a change; one rolled back neither.
  Exec("BEGIN; SELECT count(*) FROM goals; COMMIT");
  Exec("BEGIN IMMEDIATE; DELETE FROM login_failures; ROLLBACK");
  EXPECT_EQ(store_->DataVersion(), version);
}

TEST_F(DataVersionTest, OthersVersionMovesWithAnotherConnectionsCommitsOnly) {
  const uint64_t before = store_->OthersVersion();
  EXPECT_NE(before, 0u);
  ChangeSet cs;
  Team t;
  t.id = "marketing";
  t.name = "Marketing";
  cs.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(t)});
  ASSERT_TRUE(store_->Apply(cs, "tester").ok());
  EXPECT_EQ(store_->OthersVersion(), before);  // its own commit
  Exec("INSERT INTO login_failures (subject, at) VALUES ('x', 1)");
  const uint64_t after = store_->OthersVersion();
  EXPECT_NE(after, before);
  EXPECT_EQ(store_->OthersVersion(), after);
}

TEST_F(DataVersionTest, TheStoresOwnWritesAreChangesToo) {
  const uint64_t version = store_->DataVersion();
  ChangeSet cs;
  Team t;
  t.id = "marketing";
  t.name = "Marketing";
  cs.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(t)});
  ASSERT_TRUE(store_->Apply(cs, "tester").ok());
  const uint64_t after_apply = store_->DataVersion();
  EXPECT_NE(after_apply, version);
  Account a;
  a.name = "ann";
  a.role = Role::kViewer;
  a.password_hash = "x";
  ASSERT_TRUE(store_->accounts().PutAccount(a).ok());
  EXPECT_NE(store_->DataVersion(), after_apply);
}

// A database in rollback-journal mode has no shared memory: SQLite is asked every time.
TEST_F(DataVersionTest, WithoutAWalIndexEveryCheckAsksSqlite) {
  store_.reset();
  Exec("PRAGMA journal_mode = DELETE");
  auto watch = sqlite::DataVersionWatch::Open(path_);
  ASSERT_NE(watch, nullptr);
  uint64_t version = watch->Version();
  EXPECT_NE(version, 0u);
  EXPECT_FALSE(watch->reads_shared_memory());
  EXPECT_EQ(watch->Version(), version);
  Exec("INSERT INTO login_failures (subject, at) VALUES ('x', 1)");
  EXPECT_NE(watch->Version(), version);
}

TEST_F(DataVersionTest, NoWatchOnAFileThatIsNotThere) {
  EXPECT_EQ(sqlite::DataVersionWatch::Open((dir_ / "missing.db").string()), nullptr);
}

// A private in-memory database changes only through its own connection: that is what is counted.
TEST(DataVersionMemory, CountsTheConnectionsOwnWrites) {
  auto store = OpenStore(":memory:");
  ASSERT_TRUE(store.ok());
  const uint64_t version = (*store)->DataVersion();
  EXPECT_NE(version, 0u);
  EXPECT_EQ((*store)->DataVersion(), version);
  ChangeSet cs;
  Team t;
  t.id = "marketing";
  t.name = "Marketing";
  cs.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(t)});
  ASSERT_TRUE((*store)->Apply(cs, "tester").ok());
  EXPECT_NE((*store)->DataVersion(), version);
}

}  // namespace
}  // namespace cascade

// The SQLite layer's errors: a database another connection holds locked is kBusy, not a failure.
#include "store/sqlite/sqlite_db.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace cascade::sqlite {
namespace {

TEST(StorageError, BusyOrLockedIsKBusyOthersKStorage) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cascade-sqlite-db-test-" + std::to_string(::getpid()) + ".db"))
                               .string();
  std::filesystem::remove(path);
  auto holder = Database::Open(path);
  auto other = Database::Open(path);
  ASSERT_TRUE(holder.ok() && other.ok());
  ASSERT_TRUE(holder->Exec("CREATE TABLE t (x)").ok());
  ASSERT_TRUE(holder->Exec("BEGIN IMMEDIATE").ok());
  sqlite3_busy_timeout(other->handle(), 0);
  auto tx = Transaction::BeginImmediate(*other);
  ASSERT_FALSE(tx.ok());
  EXPECT_EQ(tx.error().code, ErrorCode::kBusy) << tx.error().message;
  const Error e = StorageError(other->handle(), "saving");
  EXPECT_EQ(e.code, ErrorCode::kBusy);
  EXPECT_EQ(e.message,
            "the database failed while saving: the database is busy (another process is writing); "
            "try again");
  ASSERT_TRUE(holder->Exec("ROLLBACK").ok());

  auto bad = other->Exec("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kStorage);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace cascade::sqlite

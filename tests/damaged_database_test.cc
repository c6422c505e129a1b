// A database damaged, edited by hand or held by another process: every command ends with one line
// and exit 3 naming what cannot be read (or that the database is busy), never an abort.
#include <sqlite3.h>

#include <algorithm>

#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DamagedDatabaseTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Run({"init"}).exit_code, 0);
  }
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }
};

TEST_F(DamagedDatabaseTest, ASchemaVersionBeyondAnyNumberIsRefusedNotAborted) {
  Exec("UPDATE schema_version SET version = 9223372036854775807 WHERE version = "
       "(SELECT max(version) FROM schema_version)");
  for (const char* command : {"status", "lint", "export", "init"}) {
    SCOPED_TRACE(command);
    const RunResult r = Run({command});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.err,
              "error: the database's schema_version table holds '9223372036854775807', not a "
              "schema version this cascade knows; restore a backup\n");
    EXPECT_THAT(r.err, Not(HasSubstr("terminate")));
  }
}

TEST_F(DamagedDatabaseTest, AValueOfTheWrongKindIsNamedWithItsEntity) {
  ASSERT_EQ(Run({"apply", TestData("launch.yaml")}).exit_code, 0);
  Exec("UPDATE goals SET level = 'mega' WHERE parent IS NULL");
  const RunResult r = Run({"status"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("whose level cannot be read; the file may be damaged"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

// An older cascade could store a note that is not UTF-8 (an import of a Latin-1 file); correcting
// it writes the note as it was into history, which must not throw half-way through a write.
TEST_F(DamagedDatabaseTest, ANoteThatIsNotUtf8CanStillBeCorrected) {
  ASSERT_EQ(Run({"apply", TestData("launch.yaml")}).exit_code, 0);
  const RunResult added = Run({"checkin", "share", "3", "--date", "2026-02-01", "--note", "x"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  Exec("UPDATE checkins SET note = CAST(x'636166e9' AS TEXT) "
       "WHERE seq = (SELECT max(seq) FROM checkins)");
  const RunResult listed = Run({"--json", "checkins", "list", "--kpi", "share"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string seq = listed.Json()["checkins"].back()["seq"].dump();
  const RunResult fixed = Run({"checkins", "set", seq, "--note", "café"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_THAT(Run({"--json", "checkins", "list", "--kpi", "share"}).out, HasSubstr("café"));
}

// Another process holds the write lock past the 5 s wait: exit 3 and one line saying the database
// is busy (kBusy), nothing written.
TEST_F(DamagedDatabaseTest, AWriteWhileAnotherProcessHoldsTheLockIsBusyExit3) {
  ASSERT_EQ(Run({"apply", TestData("launch.yaml")}).exit_code, 0);
  sqlite3* lock = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &lock), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(lock, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const RunResult r = Run({"checkin", "followers-count", "5", "--date", "2026-02-01"});
  ASSERT_EQ(sqlite3_exec(lock, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(lock);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("the database is busy (another process is writing); try again"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_EQ(Run({"checkin", "followers-count", "5", "--date", "2026-02-01"}).exit_code, 0);
}

}  // namespace
}  // namespace cascade::testing

// `cascade backup` while another process keeps writing: every copy opens, passes SQLite's
// integrity check and holds a consistent prefix of the check-ins.
#include <sqlite3.h>

#include <gmock/gmock.h>

#include "cli_runner.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;

std::string Query(const std::string& db_path, const char* sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

class BackupTest : public CliFixture {};

TEST_F(BackupTest, CopiesAreConsistentWhileAnotherProcessWrites) {
  ASSERT_EQ(Run({"apply", TestData("launch.yaml")}).exit_code, 0);
  // A second process records 150 check-ins, one transaction each, while we take backups.
  const std::string writer = "cd " + ShellQuote(dir_.string()) + " && for i in $(seq 1 150); do " +
                             ShellQuote(CASCADE_BIN) + " --db " + ShellQuote(db_) +
                             " checkin share 7 --date 2026-03-02 >/dev/null 2>writer.err || "
                             "{ touch writer.failed; exit 1; }; done; touch writer.done";
  const std::string background = "(" + writer + ") >/dev/null 2>&1 &";
  ASSERT_EQ(std::system(background.c_str()), 0);

  std::vector<int> counts;
  for (int i = 0; i < 5; ++i) {
    const std::string copy = "copy" + std::to_string(i) + ".db";
    const RunResult r = Run({"backup", copy});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("integrity ok"));
    const std::string path = (dir_ / copy).string();
    EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok");
    counts.push_back(std::stoi(Query(path, "SELECT count(*) FROM checkins")));
    // The copy is a working database: status reads it.
    const RunResult status = RunOn(path, {"--json", "--as-of", "2026-03-01", "status"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  // Up to five minutes: the writer's 150 durable commits take seconds, minutes under a sanitizer.
  for (int waited = 0; waited < 3000 && !std::filesystem::exists(dir_ / "writer.done") &&
                       !std::filesystem::exists(dir_ / "writer.failed");
       ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // A check-in the writer was refused is a failure of its own, not a slow machine.
  ASSERT_FALSE(std::filesystem::exists(dir_ / "writer.failed")) << ReadAll(dir_ / "writer.err");
  ASSERT_TRUE(std::filesystem::exists(dir_ / "writer.done"))
      << Query(db_, "SELECT count(*) FROM checkins") << " check-ins after five minutes";
  const int final_count = std::stoi(Query(db_, "SELECT count(*) FROM checkins"));
  EXPECT_EQ(final_count, 7 + 150);
  for (size_t i = 0; i < counts.size(); ++i) {
    EXPECT_GE(counts[i], 7);
    EXPECT_LE(counts[i], final_count);
    if (i > 0) {
      EXPECT_GE(counts[i], counts[i - 1]);  // later copies never go back in time
    }
  }
}

TEST_F(BackupTest, RefusesToOverwriteAFile) {
  ASSERT_EQ(Run({"init"}).exit_code, 0);
  WriteFile("taken.db", "not empty");
  const RunResult r = Run({"backup", "taken.db"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("taken.db"));
  EXPECT_EQ(ReadAll(dir_ / "taken.db"), "not empty");
}

}  // namespace
}  // namespace cascade::testing

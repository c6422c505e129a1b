// The AccountStore contract on real SQLite databases: ":memory:" and files shared by two
// connections, plus the migration that adds the account tables to an existing database.
#include "store/sqlite/sqlite_accounts.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "store/migrations.h"
#include "store/store.h"

namespace cascade {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("cascade-accounts-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::unique_ptr<Store> Open(const std::string& url = ":memory:") {
  auto store = OpenStore(url);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return std::move(*store);
}

Account MakeAccount(std::string name, Role role, std::string person = "") {
  Account a;
  a.name = std::move(name);
  a.role = role;
  a.person = std::move(person);
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$fake";
  return a;
}

ApiToken MakeToken(std::string id, std::string account, std::string hash) {
  return ApiToken{std::move(id), std::move(account), std::move(hash), "ci", 1000, false};
}

TEST(SqliteAccounts, PutFindListReplaceAndDelete) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("zoe", Role::kViewer)).ok());
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("dana", Role::kMember, "dana")).ok());

  auto dana = accounts.FindAccount("dana");
  ASSERT_TRUE(dana.ok());
  ASSERT_TRUE(dana->has_value());
  EXPECT_EQ((*dana)->name, "dana");
  EXPECT_EQ((*dana)->role, Role::kMember);
  EXPECT_EQ((*dana)->person, "dana");
  EXPECT_EQ((*dana)->password_hash, "$argon2id$v=19$m=65536,t=2,p=1$fake");
  EXPECT_EQ((*dana)->version, 1);
  EXPECT_FALSE(accounts.FindAccount("nobody")->has_value());

  Account promoted = **dana;
  promoted.role = Role::kLead;
  promoted.person = "";
  ASSERT_TRUE(accounts.PutAccount(promoted).ok());
  auto again = accounts.FindAccount("dana");
  EXPECT_EQ((*again)->role, Role::kLead);
  EXPECT_EQ((*again)->person, "");
  EXPECT_EQ((*again)->version, 2);

  auto list = accounts.ListAccounts();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "dana");  // by name
  EXPECT_EQ((*list)[1].name, "zoe");

  ASSERT_TRUE(accounts.DeleteAccount("zoe").ok());
  EXPECT_FALSE(accounts.FindAccount("zoe")->has_value());
  auto missing = accounts.DeleteAccount("zoe");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(SqliteAccounts, DeletingAnAccountDeletesItsTokensAndSessions) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("dana", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("sam", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t1", "dana", "h1")).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t2", "sam", "h2")).ok());
  ASSERT_TRUE(accounts.PutSession({"s1", "dana", "csrf", 5000}).ok());
  ASSERT_TRUE(accounts.DeleteAccount("dana").ok());
  EXPECT_FALSE(accounts.FindTokenBySecretHash("h1")->has_value());
  EXPECT_FALSE(accounts.FindSession("s1", 0)->has_value());
  EXPECT_TRUE(accounts.FindTokenBySecretHash("h2")->has_value());
  EXPECT_EQ(accounts.ListTokens("")->size(), 1u);
}

TEST(SqliteAccounts, TokensAreFoundByHashRevokedAndListed) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("dana", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("sam", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t1", "dana", "h1")).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t2", "sam", "h2")).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t3", "dana", "h3")).ok());

  auto found = accounts.FindTokenBySecretHash("h1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "t1");
  EXPECT_EQ((*found)->account, "dana");
  EXPECT_EQ((*found)->label, "ci");
  EXPECT_EQ((*found)->created_at, 1000);
  EXPECT_FALSE((*found)->revoked);
  EXPECT_FALSE(accounts.FindTokenBySecretHash("nope")->has_value());

  ASSERT_TRUE(accounts.RevokeToken("t1").ok());
  EXPECT_TRUE((*accounts.FindTokenBySecretHash("h1"))->revoked);
  auto unknown = accounts.RevokeToken("t9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);

  auto danas = accounts.ListTokens("dana");
  ASSERT_EQ(danas->size(), 2u);
  EXPECT_EQ((*danas)[0].id, "t1");
  EXPECT_EQ((*danas)[1].id, "t3");
  EXPECT_EQ(accounts.ListTokens("")->size(), 3u);
}

TEST(SqliteAccounts, TokenForAnUnknownAccountOrWithATakenIdIsRefused) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  auto orphan = accounts.PutToken(MakeToken("t1", "ghost", "h1"));
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("dana", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutToken(MakeToken("t1", "dana", "h1")).ok());
  auto taken = accounts.PutToken(MakeToken("t1", "dana", "h2"));
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  EXPECT_EQ(accounts.ListTokens("")->size(), 1u);
}

TEST(SqliteAccounts, SessionsExpire) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  ASSERT_TRUE(accounts.PutAccount(MakeAccount("dana", Role::kMember)).ok());
  ASSERT_TRUE(accounts.PutSession({"s1", "dana", "csrf1", 2000}).ok());
  ASSERT_TRUE(accounts.PutSession({"s2", "dana", "csrf2", 9000}).ok());

  auto live = accounts.FindSession("s1", 1999);
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(live->has_value());
  EXPECT_EQ((*live)->account, "dana");
  EXPECT_EQ((*live)->csrf_token, "csrf1");
  EXPECT_EQ((*live)->expires_at, 2000);
  EXPECT_FALSE(accounts.FindSession("s1", 2000)->has_value());  // expired at expires_at
  EXPECT_FALSE(accounts.FindSession("nope", 0)->has_value());

  ASSERT_TRUE(accounts.DeleteExpiredSessions(5000).ok());
  EXPECT_FALSE(accounts.FindSession("s1", 0)->has_value());
  EXPECT_TRUE(accounts.FindSession("s2", 5000)->has_value());
  ASSERT_TRUE(accounts.DeleteSession("s2").ok());
  EXPECT_FALSE(accounts.FindSession("s2", 0)->has_value());
  EXPECT_TRUE(accounts.DeleteSession("s2").ok());  // already gone is fine

  auto orphan = accounts.PutSession({"s3", "ghost", "c", 9000});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
}

TEST(SqliteAccounts, FailedSignInsAreCountedPerKeyWithinTheWindow) {
  auto store = Open();
  AccountStore& accounts = store->accounts();
  EXPECT_EQ(*accounts.RecordFailedLogin("account:dana", 100, 0), 1);
  EXPECT_EQ(*accounts.RecordFailedLogin("account:dana", 200, 0), 2);
  EXPECT_EQ(*accounts.RecordFailedLogin("client:10.0.0.1", 200, 0), 1);
  EXPECT_EQ(*accounts.CountFailedLogins("account:dana", 0), 2);
  EXPECT_EQ(*accounts.CountFailedLogins("account:dana", 150), 1);
  EXPECT_EQ(*accounts.CountFailedLogins("account:sam", 0), 0);
  // A failure at 1000 with the window starting at 150 forgets the one at 100.
  EXPECT_EQ(*accounts.RecordFailedLogin("account:dana", 1000, 150), 2);
  EXPECT_EQ(*accounts.CountFailedLogins("account:dana", 0), 2);
}

// Cached statements must not pin an old snapshot: a second connection's writes are seen at once.
TEST(SqliteAccounts, TwoConnectionsSeeEachOthersAccountsAndSessions) {
  TempDir dir;
  const std::string path = dir.File("shared.db");
  auto a = Open(path);
  auto b = Open(path);
  EXPECT_FALSE(a->accounts().FindAccount("dana")->has_value());
  EXPECT_FALSE(a->accounts().FindSession("s1", 0)->has_value());
  ASSERT_TRUE(b->accounts().PutAccount(MakeAccount("dana", Role::kMember)).ok());
  ASSERT_TRUE(b->accounts().PutSession({"s1", "dana", "c", 9000}).ok());
  EXPECT_TRUE(a->accounts().FindAccount("dana")->has_value());
  EXPECT_TRUE(a->accounts().FindSession("s1", 0)->has_value());
  ASSERT_TRUE(a->accounts().DeleteSession("s1").ok());
  EXPECT_FALSE(b->accounts().FindSession("s1", 0)->has_value());
  EXPECT_EQ(*a->accounts().RecordFailedLogin("k", 10, 0), 1);
  EXPECT_EQ(*b->accounts().RecordFailedLogin("k", 11, 0), 2);
}

// A database made before accounts existed gains the tables and keeps its workspace.
TEST(SqliteAccounts, MigratingAVersionOneDatabaseAddsTheAccountTables) {
  TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
      char* message = nullptr;
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
          << (message ? message : "") << " in " << sql;
      sqlite3_free(message);
    };
    exec(std::string(SchemaVersionTableSql()));
    ASSERT_EQ(Migrations().front().version, 1);
    for (std::string_view sql : Migrations().front().statements) {
      exec(RenderSql(sql, SqlDialect::kSqlite));
    }
    exec("INSERT INTO schema_version VALUES (1, 'initial schema', 'x')");
    exec("INSERT INTO teams (id, name, parent, version) VALUES ('social', 'Social', NULL, 1)");
    sqlite3_close(db);
  }
  auto store = Open(path);
  EXPECT_EQ(*store->SchemaVersion(), LatestSchemaVersion());  // every later migration applied
  ASSERT_EQ(store->Load()->teams.size(), 1u);
  ASSERT_TRUE(store->accounts().PutAccount(MakeAccount("dana", Role::kMember)).ok());
  EXPECT_TRUE(store->accounts().FindAccount("dana")->has_value());
  store.reset();

  // Version 3 replaced the check-ins' (kpi, date) index by one status reads alone.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> indexes;
  sqlite3_exec(
      db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checkins' ORDER BY name",
      [](void* out, int, char** values, char**) {
        static_cast<std::vector<std::string>*>(out)->push_back(values[0]);
        return 0;
      },
      &indexes, nullptr);
  std::string plan;
  sqlite3_exec(
      db, "EXPLAIN QUERY PLAN SELECT seq, kpi, date, value FROM checkins ORDER BY kpi, date, seq",
      [](void* out, int n, char** values, char**) {
        *static_cast<std::string*>(out) += values[n - 1];
        return 0;
      },
      &plan, nullptr);
  sqlite3_close(db);
  // The covering index status scans, and the partial one for the few check-ins with a confidence.
  EXPECT_EQ(indexes,
            (std::vector<std::string>{"checkins_confidence", "checkins_kpi_date_seq_value"}));
  EXPECT_EQ(plan, "SCAN checkins USING COVERING INDEX checkins_kpi_date_seq_value");
}

}  // namespace
}  // namespace cascade

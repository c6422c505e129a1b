// End-to-end tests of `cascade user …` and `cascade token …`: the built binary writes the
// accounts, and the server's AuthService, opened on the same database file, signs in with them.
#include <gmock/gmock.h>

#include <chrono>

#include "cli_runner.h"
#include "server/auth.h"
#include "store/store.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPassword = "correct horse battery";

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class AccountTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult demo = Run({"demo"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }

  // The server's view of the database, opened afresh each time.
  std::unique_ptr<Store> OpenDb() const {
    auto store = OpenStore(db_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return std::move(*store);
  }

  Result<LoginResult> SignIn(const std::string& name, const std::string& password) const {
    auto store = OpenDb();
    auto ws = store->Load(LoadOptions{.checkins = false});
    EXPECT_TRUE(ws.ok());
    return AuthService(store->accounts()).Login(*ws, name, password, "", NowUnix());
  }

  Result<Principal> WithToken(const std::string& secret) const {
    auto store = OpenDb();
    auto ws = store->Load(LoadOptions{.checkins = false});
    EXPECT_TRUE(ws.ok());
    AuthRequest request;
    request.authorization = "Bearer " + secret;
    request.state_changing = true;
    return AuthService(store->accounts()).Authenticate(*ws, request, NowUnix());
  }
};

TEST_F(AccountTest, UserAddWithPasswordFromStdinSignsIn) {
  const RunResult r =
      RunWithInput({"user", "add", "dana", "--person", "dana", "--password-stdin"},
                   std::string(kPassword) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "added account dana (lead, person dana)\n");  // the person's role

  auto login = SignIn("dana", kPassword);
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(login->principal.role, Role::kLead);
  EXPECT_EQ(login->principal.team, "social");
  EXPECT_FALSE(SignIn("dana", "not the password").ok());
}

TEST_F(AccountTest, WithoutATerminalThePasswordIsOneLineOfStdin) {
  const RunResult r =
      RunWithInput({"user", "add", "ops", "--role", "admin"}, std::string(kPassword) + "\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "added account ops (admin)\n");
  EXPECT_THAT(r.err, Not(HasSubstr("Password")));  // no prompt without a terminal
  EXPECT_TRUE(SignIn("ops", kPassword).ok());
}

TEST_F(AccountTest, SecretsAreNotStoredInTheDatabase) {
  ASSERT_EQ(RunWithInput({"user", "add", "ops", "--role", "admin"}, kPassword).exit_code, 0);
  const RunResult token = Run({"--json", "token", "create", "ops"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string secret = token.Json()["secret"];
  // Fold the write-ahead log into the file, then look at every byte.
  ASSERT_EQ(Run({"backup", (dir_ / "copy.db").string()}).exit_code, 0);
  for (const std::string& file : {db_, (dir_ / "copy.db").string()}) {
    const std::string bytes = ReadAll(file) + ReadAll(file + "-wal");
    EXPECT_THAT(bytes, Not(HasSubstr(kPassword))) << file;
    EXPECT_THAT(bytes, Not(HasSubstr(secret))) << file;
  }
}

TEST_F(AccountTest, UserListAndJson) {
  const RunResult added = RunWithInput(
      {"--json", "user", "add", "sam", "--person", "sam", "--password-stdin"}, kPassword);
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(added.Json(), nlohmann::json::parse(R"({"name":"sam","role":"member","person":"sam"})"));
  ASSERT_EQ(Run({"user", "add", "bot", "--role", "member", "--no-password"}).exit_code, 0);

  const RunResult list = Run({"user", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("bot"));
  EXPECT_THAT(list.out, HasSubstr("tokens only"));
  EXPECT_THAT(list.out, HasSubstr("sam"));
  EXPECT_THAT(list.out, Not(HasSubstr("argon2")));

  const auto json = Run({"--json", "user", "list"}).Json();
  ASSERT_EQ(json["accounts"].size(), 2u);
  EXPECT_EQ(json["accounts"][0]["name"], "bot");
  EXPECT_EQ(json["accounts"][0]["person"], nullptr);
  EXPECT_EQ(json["accounts"][0]["has_password"], false);
  EXPECT_EQ(json["accounts"][1]["role"], "member");
  EXPECT_EQ(json["accounts"][1]["has_password"], true);
  EXPECT_FALSE(SignIn("bot", "").ok());
}

TEST_F(AccountTest, PasswdReplacesThePassword) {
  ASSERT_EQ(RunWithInput({"user", "add", "sam", "--person", "sam"}, kPassword).exit_code, 0);
  const RunResult r =
      RunWithInput({"user", "passwd", "sam", "--password-stdin"}, "a brand new password\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "changed the password of sam\n");
  EXPECT_FALSE(SignIn("sam", kPassword).ok());
  EXPECT_TRUE(SignIn("sam", "a brand new password").ok());

  const RunResult unknown = RunWithInput({"user", "passwd", "ghost"}, kPassword);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "error: account 'ghost' does not exist\n");
}

TEST_F(AccountTest, RemovingAUserEndsItsTokens) {
  ASSERT_EQ(RunWithInput({"user", "add", "sam", "--person", "sam"}, kPassword).exit_code, 0);
  const RunResult token = Run({"--json", "token", "create", "sam"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string secret = token.Json()["secret"];
  ASSERT_TRUE(WithToken(secret).ok());

  const RunResult rm = Run({"user", "rm", "sam"});
  ASSERT_EQ(rm.exit_code, 0) << rm.err;
  EXPECT_EQ(rm.out, "removed account sam with its tokens and sessions\n");
  EXPECT_FALSE(WithToken(secret).ok());
  EXPECT_FALSE(SignIn("sam", kPassword).ok());
  EXPECT_EQ(Run({"--json", "user", "list"}).Json()["accounts"].size(), 0u);
  const RunResult again = Run({"user", "rm", "sam"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "error: account 'sam' does not exist\n");
}

TEST_F(AccountTest, TokenCreateShowsTheSecretOnceAndRevokeStopsIt) {
  ASSERT_EQ(RunWithInput({"user", "add", "sam", "--person", "sam"}, kPassword).exit_code, 0);
  const RunResult created = Run({"token", "create", "sam", "--label", "looker"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("shown only this once"));
  const std::string secret = created.out.substr(created.out.rfind('\n', created.out.size() - 2) + 1,
                                                std::string::npos);
  const std::string trimmed = secret.substr(0, secret.size() - 1);
  auto who = WithToken(trimmed);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->account, "sam");
  EXPECT_EQ(who->role, Role::kMember);
  EXPECT_EQ(who->team, "social");

  const auto list = Run({"--json", "token", "list"}).Json();
  ASSERT_EQ(list["tokens"].size(), 1u);
  const std::string id = list["tokens"][0]["id"];
  EXPECT_THAT(created.out, HasSubstr("created token " + id + " for sam"));
  EXPECT_EQ(list["tokens"][0]["label"], "looker");
  EXPECT_EQ(list["tokens"][0]["revoked"], false);
  EXPECT_THAT(Run({"token", "list", "sam"}).out, Not(HasSubstr(trimmed)));

  const RunResult revoked = Run({"token", "revoke", id});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(revoked.out, "revoked token " + id + "\n");
  auto after = WithToken(trimmed);
  ASSERT_FALSE(after.ok());
  EXPECT_THAT(after.error().message, HasSubstr("revoked"));
  EXPECT_EQ(Run({"--json", "token", "list", "sam"}).Json()["tokens"][0]["revoked"], true);

  const RunResult unknown = Run({"token", "revoke", "0000000000000000"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "error: token '0000000000000000' does not exist\n");
}

TEST_F(AccountTest, TokenCreateJsonHasIdAndSecret) {
  ASSERT_EQ(Run({"user", "add", "bot", "--role", "viewer", "--no-password"}).exit_code, 0);
  const RunResult r = Run({"--json", "token", "create", "bot"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = r.Json();
  EXPECT_EQ(j["id"].get<std::string>().size(), 16u);
  auto who = WithToken(j["secret"]);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->role, Role::kViewer);
  const RunResult ghost = Run({"token", "create", "ghost"});
  EXPECT_EQ(ghost.exit_code, 2);
  EXPECT_EQ(ghost.err, "error: account 'ghost' does not exist\n");
}

TEST_F(AccountTest, BadInputIsRefusedWithExitTwoAndNothingWritten) {
  struct Case {
    std::vector<std::string> args;
    std::string input;
    std::string error;
  };
  const Case cases[] = {
      {{"user", "add", "x", "--role", "boss"}, kPassword,
       "error: --role 'boss' is not allowed; use one of: admin, lead, member, viewer\n"},
      {{"user", "add", "x", "--person", "ghost"}, kPassword, "error: person 'ghost' does not exist\n"},
      {{"user", "add", "Not A Slug"}, kPassword,
       "error: account name 'Not A Slug' is not allowed; use lowercase letters, digits, '-' and "
       "'_', starting with a letter or digit (at most 64)\n"},
      {{"user", "add", "x"}, "short\n", "error: a password needs at least 8 characters\n"},
      {{"user", "add", "x"}, "\n", "error: a password needs at least 8 characters\n"},
      {{"user", "add", "x"}, "",
       "error: no password given for account 'x'; type it when asked or pipe it in with "
       "--password-stdin\n"},
  };
  for (const Case& c : cases) {
    const RunResult r = RunWithInput(c.args, c.input);
    EXPECT_EQ(r.exit_code, 2) << c.args[2];
    EXPECT_EQ(r.err, c.error);
  }
  EXPECT_EQ(Run({"--json", "user", "list"}).Json()["accounts"].size(), 0u);

  ASSERT_EQ(RunWithInput({"user", "add", "sam"}, kPassword).exit_code, 0);
  const RunResult duplicate = RunWithInput({"user", "add", "sam"}, kPassword);
  EXPECT_EQ(duplicate.exit_code, 2);
  EXPECT_EQ(duplicate.err, "error: account 'sam' already exists\n");
}

}  // namespace
}  // namespace cascade::testing

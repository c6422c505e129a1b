// Sign-in on a real SQLite store (":memory:"): accounts, bearer tokens, sessions with CSRF
// tokens, logout, revocation and the rate limit, with the clock in the test's hands.
#include "server/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/mutate.h"
#include "store/store.h"

namespace cascade {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kPassword = "correct horse battery";

Workspace Org() {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 0}, {"social", "Social", "marketing", 0}};
  ws.people = {{"dana", "Dana", "", "social", Role::kMember, 0},
               {"lee", "Lee", "", "marketing", Role::kLead, 0}};
  Goal g;
  g.id = "followers";
  g.title = "10,000 followers";
  g.team = "social";
  g.owner = "dana";
  g.start = Date::Parse("2026-01-01");
  g.due = Date::Parse("2026-03-31");
  ws.goals = {g};
  Kpi k;
  k.id = "k-followers";
  k.goal = "followers";
  k.name = "Followers";
  k.target = 10000;
  ws.kpis = {k};
  return ws;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Argon2id at its minimum: these tests make and check dozens of passwords, not their cost.
    SetPasswordHashCostForTests(PasswordHashCost::kMinimal);
    auto store = OpenStore(":memory:");
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
    ws_ = Org();
    ASSERT_TRUE(store_->Apply(DiffWorkspaces(Workspace{}, ws_), "setup").ok());
    auth_ = std::make_unique<AuthService>(store_->accounts());
  }

  void TearDown() override { SetPasswordHashCostForTests(PasswordHashCost::kInteractive); }

  void AddDana() {
    auto added = auth_->AddUser(ws_, "dana", kPassword, std::nullopt, "dana");
    ASSERT_TRUE(added.ok()) << added.error().message;
  }

  LoginResult LoginDana(int64_t now = kNow) {
    auto login = auth_->Login(ws_, "dana", kPassword, "10.0.0.1", now);
    EXPECT_TRUE(login.ok()) << login.error().message;
    return login.ok() ? *login : LoginResult{};
  }

  Result<Principal> WithCookie(const std::string& cookie, bool state_changing,
                               const std::string& csrf = "", int64_t now = kNow) {
    AuthRequest r;
    r.cookie = cookie;
    r.state_changing = state_changing;
    r.csrf_header = csrf;
    r.client = "10.0.0.1";
    return auth_->Authenticate(ws_, r, now);
  }

  Result<Principal> WithAuthorization(const std::string& header, bool state_changing = true) {
    AuthRequest r;
    r.authorization = header;
    r.state_changing = state_changing;
    return auth_->Authenticate(ws_, r, kNow);
  }

  // The code the field goes with: it alone chooses the HTTP status.
  static void ExpectField(const Error& e, const std::string& field) {
    const ErrorCode code = field == "unauthenticated" ? ErrorCode::kUnauthenticated
                           : field == "rate_limit"    ? ErrorCode::kRateLimited
                                                      : ErrorCode::kForbidden;
    EXPECT_EQ(e.code, code) << e.message;
    EXPECT_EQ(e.field, field) << e.message;
  }

  std::unique_ptr<Store> store_;
  Workspace ws_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthTest, AddUserStoresAnArgon2idHashAndTakesTheRoleFromThePerson) {
  AddDana();
  auto stored = store_->accounts().FindAccount("dana");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->role, Role::kMember);
  EXPECT_EQ((*stored)->person, "dana");
  EXPECT_THAT((*stored)->password_hash, ::testing::StartsWith("$argon2id$"));
  EXPECT_THAT((*stored)->password_hash, Not(HasSubstr(kPassword)));
  EXPECT_TRUE(VerifyPassword(kPassword, (*stored)->password_hash));
  EXPECT_FALSE(VerifyPassword("wrong password", (*stored)->password_hash));

  auto lead = auth_->AddUser(ws_, "lee-admin", kPassword, Role::kAdmin, "lee");
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->role, Role::kAdmin);  // an explicit role wins over the person's
  auto bot = auth_->AddUser(ws_, "bot", "", std::nullopt, "");
  ASSERT_TRUE(bot.ok());
  EXPECT_EQ(bot->role, Role::kViewer);  // nobody, no role: read only
  EXPECT_EQ(bot->password_hash, "");
}

// The program's hashes are at libsodium's interactive limits; a test's at the minimum; each hash
// says which, and verifies either way.
TEST_F(AuthTest, HashesRecordTheirCostAndTheProgramsIsInteractive) {
  auto cheap = HashPassword(kPassword);
  ASSERT_TRUE(cheap.ok());
  EXPECT_THAT(*cheap, ::testing::StartsWith("$argon2id$v=19$m=8,t=1,p=1$"));
  SetPasswordHashCostForTests(PasswordHashCost::kInteractive);
  auto full = HashPassword(kPassword);
  ASSERT_TRUE(full.ok());
  EXPECT_THAT(*full, ::testing::StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword(kPassword, *cheap));
  EXPECT_TRUE(VerifyPassword(kPassword, *full));
  EXPECT_FALSE(VerifyPassword("wrong password", *cheap));
}

TEST_F(AuthTest, AddUserRefusesBadInput) {
  AddDana();
  auto duplicate = auth_->AddUser(ws_, "dana", kPassword, std::nullopt, "dana");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  auto bad_name = auth_->AddUser(ws_, "Dana Lee", kPassword, std::nullopt, "");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().field, "name");
  auto no_person = auth_->AddUser(ws_, "ghost", kPassword, std::nullopt, "ghost");
  ASSERT_FALSE(no_person.ok());
  EXPECT_EQ(no_person.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(no_person.error().field, "person");
  auto short_password = auth_->AddUser(ws_, "sam", "short", std::nullopt, "");
  ASSERT_FALSE(short_password.ok());
  EXPECT_EQ(short_password.error().field, "password");
  EXPECT_FALSE(store_->accounts().FindAccount("sam")->has_value());
}

TEST_F(AuthTest, SessionCookieAuthenticatesAndStateChangesNeedTheCsrfToken) {
  AddDana();
  const LoginResult login = LoginDana();
  EXPECT_EQ(login.principal.account, "dana");
  EXPECT_EQ(login.principal.role, Role::kMember);
  EXPECT_EQ(login.principal.person, "dana");
  EXPECT_EQ(login.principal.team, "social");
  EXPECT_EQ(login.expires_at, kNow + 12 * 3600);
  EXPECT_GE(login.session_cookie.size(), 40u);
  EXPECT_GE(login.csrf_token.size(), 40u);
  EXPECT_NE(login.session_cookie, login.csrf_token);

  auto read = WithCookie(login.session_cookie, /*state_changing=*/false);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->team, "social");

  auto missing = WithCookie(login.session_cookie, true);
  ASSERT_FALSE(missing.ok());
  ExpectField(missing.error(), "csrf");
  auto wrong = WithCookie(login.session_cookie, true, login.csrf_token.substr(1) + "x");
  ASSERT_FALSE(wrong.ok());
  ExpectField(wrong.error(), "csrf");
  auto shorter = WithCookie(login.session_cookie, true, login.csrf_token.substr(1));
  ASSERT_FALSE(shorter.ok());
  ExpectField(shorter.error(), "csrf");
  EXPECT_TRUE(WithCookie(login.session_cookie, true, login.csrf_token).ok());
}

TEST_F(AuthTest, OnlyTheCookieHashIsStored) {
  AddDana();
  const LoginResult login = LoginDana();
  EXPECT_FALSE(store_->accounts().FindSession(login.session_cookie, kNow)->has_value());
}

TEST_F(AuthTest, SessionsExpireAfterTwelveHoursAndEndAtLogout) {
  AddDana();
  const LoginResult login = LoginDana();
  EXPECT_TRUE(WithCookie(login.session_cookie, false, "", kNow + 12 * 3600 - 1).ok());
  auto expired = WithCookie(login.session_cookie, false, "", kNow + 12 * 3600);
  ASSERT_FALSE(expired.ok());
  ExpectField(expired.error(), "unauthenticated");

  const LoginResult second = LoginDana();
  ASSERT_TRUE(auth_->Logout(second.session_cookie).ok());
  auto after = WithCookie(second.session_cookie, false);
  ASSERT_FALSE(after.ok());
  ExpectField(after.error(), "unauthenticated");
  EXPECT_TRUE(auth_->Logout(second.session_cookie).ok());  // twice is fine
  EXPECT_TRUE(auth_->Logout("").ok());
}

TEST_F(AuthTest, ALiveSessionTellsItsCsrfTokenAnEndedOneNothing) {
  AddDana();
  const LoginResult login = LoginDana();
  auto token = auth_->SessionCsrfToken(login.session_cookie, kNow);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, login.csrf_token);
  EXPECT_EQ(*auth_->SessionCsrfToken(login.session_cookie, kNow + 12 * 3600), "");  // expired
  EXPECT_EQ(*auth_->SessionCsrfToken("not-a-session", kNow), "");
  EXPECT_EQ(*auth_->SessionCsrfToken("", kNow), "");
  ASSERT_TRUE(auth_->Logout(login.session_cookie).ok());
  EXPECT_EQ(*auth_->SessionCsrfToken(login.session_cookie, kNow), "");
}

TEST_F(AuthTest, WrongPasswordOrUnknownNameSayTheSame) {
  AddDana();
  auto wrong = auth_->Login(ws_, "dana", "not the password", "10.0.0.1", kNow);
  ASSERT_FALSE(wrong.ok());
  ExpectField(wrong.error(), "unauthenticated");
  EXPECT_EQ(wrong.error().message, "wrong name or password");
  auto unknown = auth_->Login(ws_, "nobody", kPassword, "10.0.0.2", kNow);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "wrong name or password");
  // An account without a password signs in only with tokens.
  ASSERT_TRUE(auth_->AddUser(ws_, "bot", "", Role::kMember, "").ok());
  auto bot = auth_->Login(ws_, "bot", "", "10.0.0.3", kNow);
  ASSERT_FALSE(bot.ok());
  EXPECT_EQ(bot.error().message, "wrong name or password");
}

TEST_F(AuthTest, MoreThanFiveFailuresForANameAreRateLimitedFor15Minutes) {
  AddDana();
  for (int i = 0; i < 5; ++i) {
    auto r = auth_->Login(ws_, "dana", "guess " + std::to_string(i), "10.0.0." + std::to_string(i),
                          kNow + i);
    ASSERT_FALSE(r.ok());
    ExpectField(r.error(), "unauthenticated");
  }
  auto sixth = auth_->Login(ws_, "dana", "guess 6", "10.0.1.1", kNow + 10);
  ASSERT_FALSE(sixth.ok());
  ExpectField(sixth.error(), "rate_limit");
  // Now even the right password waits, from any address.
  auto right = auth_->Login(ws_, "dana", kPassword, "10.0.2.2", kNow + 20);
  ASSERT_FALSE(right.ok());
  ExpectField(right.error(), "rate_limit");
  // 15 minutes after the failures, sign-in works again.
  EXPECT_TRUE(auth_->Login(ws_, "dana", kPassword, "10.0.2.2", kNow + 15 * 60 + 11).ok());
}

TEST_F(AuthTest, MoreThanFiveFailuresFromAnAddressAreRateLimited) {
  AddDana();
  for (int i = 0; i < 6; ++i) {
    (void)auth_->Login(ws_, "user" + std::to_string(i), "guess", "192.0.2.7", kNow + i);
  }
  auto blocked = auth_->Login(ws_, "dana", kPassword, "192.0.2.7", kNow + 10);
  ASSERT_FALSE(blocked.ok());
  ExpectField(blocked.error(), "rate_limit");
  EXPECT_TRUE(auth_->Login(ws_, "dana", kPassword, "192.0.2.8", kNow + 10).ok());
}

TEST_F(AuthTest, FiveFailuresStillLetTheRightPasswordIn) {
  AddDana();
  for (int i = 0; i < 5; ++i) (void)auth_->Login(ws_, "dana", "guess", "10.0.0.1", kNow);
  EXPECT_TRUE(auth_->Login(ws_, "dana", kPassword, "10.0.0.1", kNow).ok());
}

TEST_F(AuthTest, BearerTokensAuthenticateWithoutCsrfUntilRevoked) {
  AddDana();
  auto token = auth_->CreateToken("dana", "ci", kNow);
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->id.size(), 16u);
  EXPECT_GE(token->secret.size(), 40u);

  auto who = WithAuthorization("Bearer " + token->secret);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who->account, "dana");
  EXPECT_EQ(who->role, Role::kMember);
  EXPECT_EQ(who->team, "social");
  EXPECT_TRUE(WithAuthorization("bearer  " + token->secret + " ").ok());

  // Only a hash of the secret is kept.
  auto stored = store_->accounts().ListTokens("dana");
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].id, token->id);
  EXPECT_EQ((*stored)[0].label, "ci");
  EXPECT_EQ((*stored)[0].created_at, kNow);
  EXPECT_NE((*stored)[0].secret_hash, token->secret);
  EXPECT_THAT((*stored)[0].secret_hash, Not(HasSubstr(token->secret)));

  ASSERT_TRUE(auth_->RevokeToken(token->id).ok());
  auto revoked = WithAuthorization("Bearer " + token->secret);
  ASSERT_FALSE(revoked.ok());
  ExpectField(revoked.error(), "unauthenticated");
  EXPECT_THAT(revoked.error().message, HasSubstr("revoked"));
  auto unknown_id = auth_->RevokeToken("0000000000000000");
  ASSERT_FALSE(unknown_id.ok());
  EXPECT_EQ(unknown_id.error().code, ErrorCode::kNotFound);
}

TEST_F(AuthTest, BadCredentialsAreUnauthenticated) {
  AddDana();
  const LoginResult login = LoginDana();
  for (const std::string header : {"Bearer nope", "Basic ZGFuYTpwYXNz", "Bearer", "Bearer   "}) {
    auto r = WithAuthorization(header);
    ASSERT_FALSE(r.ok()) << header;
    ExpectField(r.error(), "unauthenticated");
  }
  // A bad Authorization header is not rescued by a good cookie.
  AuthRequest both;
  both.authorization = "Bearer nope";
  both.cookie = login.session_cookie;
  ASSERT_FALSE(auth_->Authenticate(ws_, both, kNow).ok());
  auto nothing = auth_->Authenticate(ws_, AuthRequest{}, kNow);
  ASSERT_FALSE(nothing.ok());
  ExpectField(nothing.error(), "unauthenticated");
  auto forged = WithCookie("forged-cookie", false);
  ASSERT_FALSE(forged.ok());
  ExpectField(forged.error(), "unauthenticated");
}

TEST_F(AuthTest, RemovingAUserEndsItsTokensAndSessions) {
  AddDana();
  const LoginResult login = LoginDana();
  auto token = auth_->CreateToken("dana", "", kNow);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(auth_->RemoveUser("dana").ok());
  EXPECT_FALSE(WithAuthorization("Bearer " + token->secret).ok());
  EXPECT_FALSE(WithCookie(login.session_cookie, false).ok());
  auto again = auth_->RemoveUser("dana");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  auto orphan = auth_->CreateToken("dana", "", kNow);
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
}

TEST_F(AuthTest, ChangingThePasswordKeepsTheAccount) {
  AddDana();
  ASSERT_TRUE(auth_->SetPassword("dana", "a brand new password").ok());
  EXPECT_FALSE(auth_->Login(ws_, "dana", kPassword, "10.0.0.1", kNow).ok());
  auto login = auth_->Login(ws_, "dana", "a brand new password", "10.0.0.1", kNow);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->principal.role, Role::kMember);
  EXPECT_EQ(auth_->SetPassword("ghost", "whatever-password").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(auth_->SetPassword("dana", "short").error().field, "password");
}

TEST_F(AuthTest, DemoAdminGetsARandomPassword) {
  auto password = CreateAdminWithRandomPassword(*store_, "admin");
  ASSERT_TRUE(password.ok()) << password.error().message;
  EXPECT_GE(password->size(), 16u);
  auto login = auth_->Login(ws_, "admin", *password, "127.0.0.1", kNow);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->principal.role, Role::kAdmin);
  EXPECT_EQ(login->principal.person, "");
  auto twice = CreateAdminWithRandomPassword(*store_, "admin");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto other = CreateAdminWithRandomPassword(*store_, "admin2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *password);
}

TEST_F(AuthTest, PrincipalOfAPersonNoLongerThereIsNobody) {
  Account a;
  a.name = "old";
  a.role = Role::kLead;
  a.person = "gone";
  const Principal p = PrincipalFor(ws_, a);
  EXPECT_EQ(p.account, "old");
  EXPECT_EQ(p.role, Role::kLead);
  EXPECT_EQ(p.person, "");  // nor does it author records under a name that is no person
  EXPECT_EQ(p.team, "");
}

// The server's write path: the principal authentication gives is what MutateWorkspace checks.
TEST_F(AuthTest, AuthenticatedPrincipalDrivesTheMutateHook) {
  AddDana();
  auto token = auth_->CreateToken("dana", "", kNow);
  ASSERT_TRUE(token.ok());
  auto who = WithAuthorization("Bearer " + token->secret);
  ASSERT_TRUE(who.ok());
  MutateOptions options;
  options.actor = who->account;
  options.authorize = [&](const Workspace& before, const ChangeSet& changes) {
    return AuthorizeChanges(before, changes, *who);
  };
  auto checkin = MutateWorkspace(
      *store_,
      [](Workspace& ws) -> Result<void> {
        ws.checkins.push_back({"k-followers", *Date::Parse("2026-02-01"), 120, "", "dana", 0});
        return Ok();
      },
      options);
  ASSERT_TRUE(checkin.ok()) << checkin.error().message;
  auto edit = MutateWorkspace(
      *store_,
      [](Workspace& ws) -> Result<void> {
        ws.goals[0].title = "20,000 followers";
        return Ok();
      },
      options);
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, ErrorCode::kForbidden);
  EXPECT_THAT(edit.error().message, HasSubstr("dana is a member"));
  EXPECT_EQ(store_->Load()->goals[0].title, "10,000 followers");
  EXPECT_EQ(store_->Load()->checkins.size(), 1u);
}

}  // namespace
}  // namespace cascade

// The API on a clock a test sets (ApiOptions::clock): sessions that expire, sign-in lockouts that
// end, and the dates and instants a write records, without waiting for the wall clock.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/changeset.h"
#include "core/clock.h"
#include "server/api.h"
#include "server/api_internal.h"
#include "server/auth.h"
#include "server/request_for_test.h"
#include "store/store.h"

namespace cascade {
namespace {

using nlohmann::json;

Date D(const char* text) { return *Date::Parse(text); }

// 2026-03-10T08:00:00Z, counted by hand from the date: days since 1970 × 86400 + 8 h.
int64_t March10At8() { return int64_t{D("2026-03-10").days()} * 86400 + 8 * 3600; }

class ApiClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetPasswordHashCostForTests(PasswordHashCost::kMinimal);
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-api-clock-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string db = (dir_ / "api.db").string();
    {
      auto store = OpenStore(db);
      ASSERT_TRUE(store.ok());
      Workspace ws;
      ws.teams = {{"marketing", "Marketing", "", 0}};
      ws.people = {{"dana", "Dana Lee", "", "marketing", Role::kLead, 0}};
      Goal g;
      g.id = "leads";
      g.title = "Fifty qualified leads this quarter";
      g.level = Level::kMacro;
      g.owner = "dana";
      g.team = "marketing";
      g.start = D("2026-01-01");
      g.due = D("2026-03-31");
      ws.goals = {g};
      Kpi k;
      k.id = "qualified";
      k.goal = "leads";
      k.kind = KpiKind::kCumulative;
      k.target = 50;
      ws.kpis = {k};
      ASSERT_TRUE((*store)->Apply(DiffWorkspaces(Workspace{}, ws), "test").ok());
      AuthService auth((*store)->accounts());
      ASSERT_TRUE(auth.AddUser(ws, "dana", "a long enough password", Role::kLead, "dana").ok());
    }
    auto api = Api::Open(ApiOptions{.db_url = db, .connections = 2, .clock = &clock_});
    ASSERT_TRUE(api.ok()) << api.error().message;
    api_ = std::move(*api);
  }
  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(dir_);
    SetPasswordHashCostForTests(PasswordHashCost::kInteractive);
  }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest req = RequestFor(method, path, body, std::move(headers), "127.0.0.1");
    return api_->Handle(req);
  }
  HttpResponse Login(const std::string& password) {
    return Send("POST", "/api/v1/login",
                json{{"name", "dana"}, {"password", password}}.dump(),
                {{"content-type", "application/json"}});
  }
  // The session cookie's value from a sign-in's Set-Cookie.
  static std::string Cookie(const HttpResponse& res) {
    for (const auto& [name, value] : res.headers) {
      if (name == "Set-Cookie") return value.substr(0, value.find(';'));
    }
    return "";
  }

  FixedClock clock_{March10At8()};
  std::filesystem::path dir_;
  std::unique_ptr<Api> api_;
};

TEST_F(ApiClockTest, ASessionEndsTwelveHoursAfterSignInByTheApisClock) {
  const HttpResponse login = Login("a long enough password");
  ASSERT_EQ(login.status, 200) << login.Body();
  const std::string cookie = Cookie(login);
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(Send("GET", "/api/v1/me", "", {{"cookie", cookie}}).status, 200);
  clock_.Advance(12 * 3600 - 1);  // the session's last second
  EXPECT_EQ(Send("GET", "/api/v1/me", "", {{"cookie", cookie}}).status, 200);
  clock_.Advance(1);  // 12 h: over, even though the API remembered who the cookie was
  const HttpResponse late = Send("GET", "/api/v1/me", "", {{"cookie", cookie}});
  EXPECT_EQ(late.status, 401);
  EXPECT_EQ(json::parse(late.Body())["error"]["code"], "unauthenticated");
}

TEST_F(ApiClockTest, ALockedOutNameMaySignInAgainOnceTheWindowHasPassed) {
  // Five failures are allowed; the sixth within the window is refused, and so is every attempt
  // after it, right or wrong, while a failure is within the last 15 minutes.
  for (int i = 0; i < kMaxFailedLogins; ++i) EXPECT_EQ(Login("wrong").status, 401);
  EXPECT_EQ(Login("wrong").status, 429);
  EXPECT_EQ(Login("a long enough password").status, 429);
  clock_.Advance(kFailedLoginWindowSeconds);  // the failures are 15 minutes old: still counted
  EXPECT_EQ(Login("a long enough password").status, 429);
  clock_.Advance(1);
  EXPECT_EQ(Login("a long enough password").status, 200);
}

TEST_F(ApiClockTest, TodayAndTheHistoryStampAreTheClocks) {
  const std::string cookie = Cookie(Login("a long enough password"));
  const std::string csrf =
      json::parse(Send("GET", "/api/v1/me", "", {{"cookie", cookie}}).Body())["csrf_token"];
  // No date: the check-in is today's by the API's clock.
  const HttpResponse posted =
      Send("POST", "/api/v1/checkins", json{{"kpi", "qualified"}, {"value", 20}}.dump(),
           {{"cookie", cookie}, {"x-csrf-token", csrf}, {"content-type", "application/json"}});
  ASSERT_EQ(posted.status, 201) << posted.Body();
  const json status = json::parse(Send("GET", "/api/v1/status", "", {{"cookie", cookie}}).Body());
  EXPECT_EQ(status["as_of"], "2026-03-10");
  const json& kpi = status["goals"][0]["kpis"][0];
  EXPECT_EQ(kpi["last_checkin"], "2026-03-10");
  EXPECT_DOUBLE_EQ(kpi["value"].get<double>(), 20.0);
  // E as of 2026-03-10 over [01-01, 03-31]: 68 days of 89.
  EXPECT_NEAR(status["goals"][0]["expected"].get<double>(), 68.0 / 89.0, 1e-9);
  const json history =
      json::parse(Send("GET", "/api/v1/history?id=qualified", "", {{"cookie", cookie}}).Body());
  ASSERT_TRUE(history.contains("history")) << history.dump();
  bool stamped = false;
  for (const json& e : history["history"]) {
    if (e["kind"] == "checkin") {
      EXPECT_EQ(e["at"], "2026-03-10T08:00:00Z");
      stamped = true;
    }
  }
  EXPECT_TRUE(stamped) << history.dump();
  // The next day, by the clock alone (16 h later, in a new session: the first has expired).
  clock_.Advance(16 * 3600);
  const std::string again = Cookie(Login("a long enough password"));
  const json next = json::parse(Send("GET", "/api/v1/status", "", {{"cookie", again}}).Body());
  EXPECT_EQ(next["as_of"], "2026-03-11");
}

}  // namespace
}  // namespace cascade

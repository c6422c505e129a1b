// End-to-end tests of issue 16's money and appraisal parts on the built binary: achieved_on,
// breakdowns, allocation beside spend, period scorecards and `import spend`.
#include <gmock/gmock.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "cli_runner.h"
#include "http_client.h"
#include "server/auth.h"
#include "server_process.h"
#include "store/store.h"

namespace cascade::testing {
namespace {

using ::testing::HasSubstr;

// As of 2026-03-01: social at 80% (it was at 100% on 01-20, then fell back), email missed at 40%
// (due 02-28), content at 50%, brand at (0.4 + 0.8 + 0.4 + 0.5) / 4 = 52.5%; paused is a draft.
constexpr const char* kPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
  - {id: social, name: Social, parent: marketing}
people:
  - {id: dana, name: Dana Lee, team: marketing, role: lead}
  - {id: sam, name: Sam Doe, team: social, role: member}
  - {id: lee, name: Lee Park, team: marketing, role: member}
goals:
  - id: brand
    title: Grow the brand this half
    level: macro
    owner: dana
    team: marketing
    start: 2026-01-01
    due: 2026-06-30
    kpis:
      - {id: share, name: Share, kind: level, baseline: 0, target: 10}
  - id: social
    title: Grow social followers fast
    level: micro
    parent: brand
    owner: sam
    team: social
    channel: social
    segment: gen-z
    stage: awareness
    growth_potential: 4
    budget_max: 3000
    start: 2026-01-01
    due: 2026-03-31
    kpis:
      - {id: followers, name: Followers, kind: level, baseline: 0, target: 100}
  - id: email
    title: Lift email open rate
    level: micro
    parent: brand
    owner: lee
    contributors: [sam]
    team: marketing
    channel: email
    stage: conversion
    growth_potential: 1
    start: 2026-01-01
    due: 2026-02-28
    kpis:
      - {id: opens, name: Opens, kind: level, baseline: 0, target: 50}
  - id: content
    title: Publish ten strong posts
    level: micro
    parent: brand
    owner: dana
    team: marketing
    channel: social
    segment: smb
    growth_potential: 2
    start: 2026-01-01
    due: 2026-04-30
    kpis:
      - {id: posts, name: Posts, kind: cumulative, baseline: 0, target: 10}
  - id: paused
    title: A paused email idea
    level: micro
    parent: brand
    owner: lee
    channel: email
    state: draft
    start: 2026-01-01
    due: 2026-04-30
checkins:
  - {kpi: followers, date: 2026-01-20, value: 100, author: sam}
  - {kpi: followers, date: 2026-02-10, value: 80, author: sam}
  - {kpi: opens, date: 2026-02-01, value: 20, author: lee}
  - {kpi: posts, date: 2026-02-15, value: 5, author: dana}
  - {kpi: share, date: 2026-02-20, value: 4, author: dana}
spend:
  - {goal: social, date: 2026-01-10, amount: 1000}
  - {goal: social, date: 2026-02-05, amount: 500}
  - {goal: email, date: 2026-01-15, amount: 300}
  - {goal: content, date: 2026-02-01, amount: 200}
)";

class MoneyTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult r = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string Snapshot() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }
  // Refused with exit 2, one `error:` line containing `message`, nothing written.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& message) {
    const std::string before = Snapshot();
    const RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(Snapshot(), before);
  }
  nlohmann::json StatusGoal(const std::string& as_of, const std::string& id) const {
    const RunResult r = Run({"--json", "--as-of", as_of, "status"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json status = r.Json();
    for (const auto& g : status["goals"]) {
      if (g["id"] == id) return g;
    }
    ADD_FAILURE() << "no goal " << id;
    return {};
  }
};

TEST_F(MoneyTest, AchievedOnStaysAfterTheGoalFallsBack) {
  nlohmann::json g = StatusGoal("2026-01-19", "social");
  EXPECT_TRUE(g["achieved_on"].is_null());
  g = StatusGoal("2026-03-01", "social");
  EXPECT_EQ(g["status"], "on_track");
  EXPECT_DOUBLE_EQ(g["progress"].get<double>(), 0.8);
  EXPECT_EQ(g["achieved_on"], "2026-01-20");
  EXPECT_TRUE(StatusGoal("2026-03-01", "brand")["achieved_on"].is_null());

  RunResult r = Run({"--as-of", "2026-03-01", "goal", "show", "social"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  achieved on 2026-01-20\n"));
  r = Run({"--json", "--as-of", "2026-03-01", "goal", "show", "social"});
  EXPECT_EQ(r.Json()["status"]["achieved_on"], "2026-01-20");
  r = Run({"--as-of", "2026-03-01", "goal", "show", "email"});
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("achieved on")));
}

// ---- breakdown ----------------------------------------------------------------------------------

// By channel as of 2026-03-01: email (missed, 40%, 300 spent: 750 a goal done); social (social
// 80% and content 50%: 65%, 1,700 spent: 1700 / 1.3); none (brand 52.5%, nothing spent).
TEST_F(MoneyTest, BreakdownByChannelJson) {
  const RunResult r = Run({"--json", "--as-of", "2026-03-01", "breakdown", "--by", "channel"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = r.Json();
  EXPECT_EQ(j["by"], "channel");
  EXPECT_EQ(j["as_of"], "2026-03-01");
  const auto& g = j["groups"];
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0], nlohmann::json::parse(R"({"key": "email", "goals": 1, "progress": 0.4,
      "counts": {"missed": 1}, "spent": 300.0, "cost_per_goal_done": 750.0})"));
  EXPECT_EQ(g[1]["key"], "social");
  EXPECT_EQ(g[1]["goals"], 2);
  EXPECT_NEAR(g[1]["progress"].get<double>(), 0.65, 1e-9);
  EXPECT_EQ(g[1]["counts"], nlohmann::json::parse(R"({"on_track": 2})"));
  EXPECT_EQ(g[1]["spent"], 1700.0);
  EXPECT_NEAR(g[1]["cost_per_goal_done"].get<double>(), 1700 / 1.3, 1e-9);
  EXPECT_TRUE(g[2]["key"].is_null());
  EXPECT_EQ(g[2]["goals"], 1);
  EXPECT_NEAR(g[2]["progress"].get<double>(), 0.525, 1e-9);
  EXPECT_EQ(g[2]["spent"], 0.0);
  EXPECT_EQ(g[2]["cost_per_goal_done"], 0.0);
}

TEST_F(MoneyTest, BreakdownTableByTeamAndStage) {
  RunResult r = Run({"--as-of", "2026-03-01", "breakdown", "--by", "team"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // marketing: brand 52.5%, email 40%, content 50%: 47.5%, 500 spent, 500 / 1.425 = 350.877.
  // 100 columns (no terminal, no COLUMNS): 12 cells a bar.
  EXPECT_EQ(r.out,
            "4 active goals by team\n"
            "\n"
            "  team       goals  progress                     spent   cost/done  statuses\n"
            "  marketing      3       47%  █████░░░░░░░         500      350.88  1 missed, 2 on track\n"
            "  social         1       80%  █████████░░░       1,500       1,875  1 on track\n"
            "\n"
            "cost/done: what one fully achieved goal cost there, spent / Σ progress "
            "(— when nothing has progressed)\n");
  r = Run({"--json", "--as-of", "2026-03-01", "breakdown", "--by", "stage"});
  const nlohmann::json j = r.Json();
  ASSERT_EQ(j["groups"].size(), 3u);
  EXPECT_EQ(j["groups"][0]["key"], "awareness");
  EXPECT_EQ(j["groups"][1]["key"], "conversion");
  EXPECT_TRUE(j["groups"][2]["key"].is_null());
  EXPECT_EQ(j["groups"][2]["goals"], 2);  // brand, content
  r = Run({"--json", "--as-of", "2026-03-01", "breakdown", "--by", "segment"});
  EXPECT_EQ(r.Json()["groups"][0]["key"], "gen-z");
}

TEST_F(MoneyTest, BreakdownRefusesAnUnknownField) {
  ExpectRefused({"breakdown", "--by", "owner"},
                "--by 'owner' is not a field a breakdown groups by; use channel, segment, team, "
                "stage or cycle");
}

// ---- allocate -----------------------------------------------------------------------------------

// Candidates as of 2026-03-01: social (g 4) and content (g 2); email is missed, brand a macro, the
// draft not active. λ·(16 + 4) = 1,000: social 800, content 200.
TEST_F(MoneyTest, AllocateLeavesOutGoalsThatAreOverAndShowsSpendBeside) {
  RunResult r = Run({"--json", "--as-of", "2026-03-01", "allocate", "--budget", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = r.Json();
  const auto& a = j["allocations"];
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0]["goal"], "social");
  EXPECT_NEAR(a[0]["amount"].get<double>(), 800, 1e-6);
  EXPECT_EQ(a[0]["spent"], 1500.0);
  EXPECT_NEAR(a[0]["channel_cost_per_goal_done"].get<double>(), 1700 / 1.3, 1e-9);
  EXPECT_EQ(a[1]["goal"], "content");
  EXPECT_NEAR(a[1]["amount"].get<double>(), 200, 1e-6);
  EXPECT_EQ(a[1]["spent"], 200.0);
  EXPECT_NEAR(j["total_uplift"].get<double>(), 4 * std::sqrt(800.0) + 2 * std::sqrt(200.0), 1e-6);

  // As of 2026-02-01 email is not over yet, and social is achieved (followers at 100 since 01-20).
  r = Run({"--json", "--as-of", "2026-02-01", "allocate", "--budget", "1000"});
  const nlohmann::json feb = r.Json();
  ASSERT_EQ(feb["allocations"].size(), 2u);
  EXPECT_EQ(feb["allocations"][0]["goal"], "email");
  EXPECT_EQ(feb["allocations"][1]["goal"], "content");

  r = Run({"--as-of", "2026-03-01", "allocate", "--budget", "1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("       1,500       1,308\n"));
  EXPECT_THAT(r.out, HasSubstr("         200       1,308\n"));
}

// ---- scorecard --from --to ----------------------------------------------------------------------

nlohmann::json Card(const nlohmann::json& board, const std::string& id) {
  for (const auto& c : board["leaderboard"]) {
    if (c["id"] == id) return c;
  }
  ADD_FAILURE() << "no card " << id;
  return {};
}

TEST_F(MoneyTest, ScorecardOverAnAppraisalPeriod) {
  // January: social reached 100% on 01-20 (sam: 10 points + his check-in that day).
  RunResult r = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--from", "2026-01-01",
                     "--to", "2026-01-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json sam = Card(r.Json(), "sam");
  EXPECT_EQ(sam["achieved"], 1);
  EXPECT_EQ(sam["missed"], 0);
  EXPECT_EQ(sam["checkins"], 1);
  EXPECT_EQ(sam["points"], 11.0);
  EXPECT_EQ(sam["goals_owned"], 1);        // as of t: social
  EXPECT_EQ(sam["goals_contributed"], 1);  // and email, lee's
  EXPECT_EQ(Card(r.Json(), "dana")["points"], 0.0);
  EXPECT_EQ(r.Json()["leaderboard"][0]["id"], "sam");

  // February: email missed (due 02-28) for lee and sam; check-ins dated in February.
  r = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--from", "2026-02-01", "--to",
           "2026-02-28"});
  sam = Card(r.Json(), "sam");
  EXPECT_EQ(sam["achieved"], 0);
  EXPECT_EQ(sam["missed"], 1);
  EXPECT_EQ(sam["points"], 1.0);
  const nlohmann::json lee = Card(r.Json(), "lee");
  EXPECT_EQ(lee["missed"], 1);
  EXPECT_EQ(lee["points"], 1.0);
  EXPECT_EQ(Card(r.Json(), "dana")["points"], 2.0);

  r = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--person", "sam", "--from",
           "2026-01-01", "--to", "2026-01-31"});
  EXPECT_EQ(r.Json()["person"]["points"], 11.0);
  // Without a period the scorecard is as of t: social is no longer achieved.
  r = Run({"--json", "--as-of", "2026-03-01", "scorecard", "--person", "sam"});
  EXPECT_EQ(r.Json()["person"]["achieved"], 0);
}

TEST_F(MoneyTest, ScorecardPeriodRefusals) {
  ExpectRefused({"scorecard", "--from", "2026-03-01", "--to", "2026-02-01"},
                "--from 2026-03-01 is after --to 2026-02-01; an appraisal period runs from its "
                "first day to its last");
  ExpectRefused({"scorecard", "--from", "2026-03-01"},
                "an appraisal period needs both --from and --to; --to is missing");
  ExpectRefused({"scorecard", "--from", "2026-02-30", "--to", "2026-03-01"}, "--from");
}

// ---- import spend -------------------------------------------------------------------------------

TEST_F(MoneyTest, ImportSpendAsItsOwnCommand) {
  const std::string bad = WriteFile("bad.csv",
                                    "goal,date,amount,note\n"
                                    "email,2026-01-20,40,list\n"
                                    "nope,2026-01-21,5,\n");
  const std::string before = Snapshot();
  RunResult r = Run({"import", "spend", bad});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("bad.csv:3: column goal: goal 'nope' does not exist"));
  EXPECT_THAT(r.err, HasSubstr("1 of 2 rows refused; nothing was imported"));
  EXPECT_EQ(Snapshot(), before);

  const std::string good = WriteFile("good.csv",
                                     "goal,date,amount,note\n"
                                     "email,2026-01-20,40,list\n"
                                     "content,20260210,60,\n");
  r = Run({"import", "spend", good});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 spend records, skipped 0 already stored\n");
  r = Run({"import", "spend", good});
  EXPECT_EQ(r.out, "imported 0 spend records, skipped 2 already stored\n");
  EXPECT_EQ(StatusGoal("2026-03-01", "email")["spent"], 340.0);
  EXPECT_EQ(StatusGoal("2026-03-01", "content")["spent"], 260.0);

  r = Run({"import", "spend", bad, "--skip-bad"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 0 spend records, skipped 1 already stored, skipped 1 row with "
                   "problems\n");
  ExpectRefused({"import", "spend", WriteFile("nohead.csv", "goal,date\nemail,2026-01-05\n")},
                "the header has no column 'amount'");
  ExpectRefused({"import", "spend", (dir_ / "missing.csv").string()}, "cannot open");
}

// ---- over HTTP ----------------------------------------------------------------------------------

class MoneyHttpTest : public MoneyTest {
 protected:
  void SetUp() override {
    MoneyTest::SetUp();
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok());
    auto ws = (*store)->Load();
    ASSERT_TRUE(ws.ok());
    AuthService auth((*store)->accounts());
    ASSERT_TRUE(auth.AddUser(*ws, "viewer", "", Role::kViewer, "").ok());
    auto token = auth.CreateToken("viewer", "tests", 1'700'000'000);
    ASSERT_TRUE(token.ok());
    server_ = std::make_unique<ServerProcess>(db_, dir_);
    ASSERT_GT(server_->port(), 0) << server_->Out() << server_->Log();
    client_ = std::make_unique<HttpClient>(server_->port());
    client_->defaults["Authorization"] = "Bearer " + token->secret;
  }
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(MoneyHttpTest, BreakdownAndPeriodScorecardAnswerAsTheCliDoes) {
  HttpResult r = client_->Get("/api/v1/breakdown?by=channel&as_of=2026-03-01");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(),
            Run({"--json", "--as-of", "2026-03-01", "breakdown", "--by", "channel"}).Json());
  EXPECT_EQ(r.Json()["groups"][0]["cost_per_goal_done"], 750.0);

  r = client_->Get("/api/v1/scorecards?from=2026-01-01&to=2026-01-31&as_of=2026-03-01");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json(), Run({"--json", "--as-of", "2026-03-01", "scorecard", "--from",
                           "2026-01-01", "--to", "2026-01-31"})
                          .Json());
  EXPECT_EQ(Card(r.Json(), "sam")["points"], 11.0);

  r = client_->Get("/api/v1/goals?as_of=2026-03-01");
  ASSERT_EQ(r.status, 200) << r.body;
  const nlohmann::json goals = r.Json()["goals"];
  const auto social = std::find_if(goals.begin(), goals.end(),
                                   [](const nlohmann::json& g) { return g["id"] == "social"; });
  ASSERT_NE(social, goals.end());
  EXPECT_EQ((*social)["achieved_on"], "2026-01-20");
  r = client_->Get("/api/v1/allocation?budget=1000&as_of=2026-03-01");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["allocations"].size(), 2u);
  EXPECT_EQ(r.Json()["allocations"][0]["spent"], 1500.0);
}

TEST_F(MoneyHttpTest, RefusalsAre400) {
  for (const auto& [target, field, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"/api/v1/breakdown?by=owner", "by", "by 'owner' is not a field"},
           {"/api/v1/breakdown", "by", "'by' is required"},
           {"/api/v1/scorecards?from=2026-03-01&to=2026-02-01", "from",
            "from 2026-03-01 is after to 2026-02-01"},
           {"/api/v1/scorecards?from=2026-03-01", "to", "to is missing"},
           {"/api/v1/scorecards?from=march&to=2026-02-01", "from", "from 'march' is not a date"}}) {
    const HttpResult r = client_->Get(target);
    EXPECT_EQ(r.status, 400) << target << r.body;
    EXPECT_EQ(r.Json()["error"]["field"], field) << target;
    EXPECT_THAT(r.Json()["error"]["message"].get<std::string>(), HasSubstr(message)) << target;
  }
}

}  // namespace
}  // namespace cascade::testing

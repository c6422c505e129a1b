// End-to-end tests of issues 15 and 16 over HTTP: confidence on check-ins, comment kinds (every
// account may comment, viewers included) and spend (who may record it, refusals, listing).
#include <gmock/gmock.h>

#include <memory>

#include "cli_runner.h"
#include "served_accounts.h"

namespace cascade::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
  - {id: social, name: Social, parent: marketing}
  - {id: content, name: Content, parent: marketing}
people:
  - {id: lena, name: Lena Lead, team: social, role: lead}
  - {id: mo, name: Mo Member, team: social, role: member}
  - {id: val, name: Val Viewer, team: social, role: viewer}
  - {id: cole, name: Cole Content, team: content, role: lead}
goals:
  - id: followers
    title: Reach ten thousand followers
    level: micro
    owner: mo
    team: social
    start: 2026-01-01
    due: 2026-03-31
    budget_max: 1000
    kpis:
      - {id: followers-count, name: Followers, kind: level, baseline: 0, target: 10000}
  - id: blog
    title: Publish twenty blog posts
    level: micro
    owner: cole
    team: content
    start: 2026-01-01
    due: 2026-06-30
    kpis:
      - {id: posts, name: Posts, kind: cumulative, target: 20}
)";

class RecordsHttpTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    const RunResult applied = Run({"apply", WriteFile("plan.yaml", kPlan)});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
    served_.Start(db_, dir_,
                  {
                      {"admin", "", Role::kAdmin},
                      {"lead", "lena", std::nullopt},
                      {"member", "mo", std::nullopt},
                      {"viewer", "val", std::nullopt},
                  });
    ASSERT_FALSE(HasFatalFailure());
  }

  std::unique_ptr<HttpClient> As(const std::string& account) const { return served_.As(account); }

  std::string Stored() const {
    return Run({"export", "--format", "json"}).out + Run({"--json", "history"}).out;
  }

  // Refused with `status`, the error naming `field`, nothing written.
  void ExpectRefused(const std::function<HttpResult()>& request, int status,
                     const std::string& field, const std::string& message = "") {
    ExpectRefusal([this] { return Stored(); }, request, {status, "", field, message});
  }

  ServedAccounts served_;
};

TEST_F(RecordsHttpTest, CheckinsCarryConfidenceOneAtATimeAndInBatches) {
  auto member = As("member");
  HttpResult r = member->Post("/api/v1/checkins", json{{"kpi", "followers-count"},
                                                       {"date", "2026-01-20"},
                                                       {"value", 500},
                                                       {"confidence", "on_track"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["checkin"]["confidence"], "on_track");
  EXPECT_EQ(r.Json()["checkin"]["author"], "mo");
  r = member->Post("/api/v1/checkins/batch",
                   json{{"checkins",
                         {{{"kpi", "followers-count"}, {"date", "2026-01-25"}, {"value", 600}},
                          {{"kpi", "followers-count"},
                           {"date", "2026-01-24"},
                           {"value", 550},
                           {"confidence", "off_track"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  // As of Feb 15: P = 0.06, E = 45/89: off track; the latest judgement (Jan 24) agrees.
  r = member->Get("/api/v1/status?as_of=2026-02-15");
  ASSERT_EQ(r.status, 200) << r.body;
  json g = r.Json()["goals"][0];
  EXPECT_EQ(g["id"], "followers");
  EXPECT_EQ(g["status"], "off_track");
  EXPECT_EQ(g["confidence"], "off_track");
  EXPECT_EQ(g["disagrees"], false);
  EXPECT_EQ(g["disagreement"], 0);

  ExpectRefused(
      [&] {
        return member->Post("/api/v1/checkins", json{{"kpi", "followers-count"},
                                                    {"value", 1},
                                                    {"confidence", "fine"}});
      },
      400, "confidence", "'confidence' \"fine\" is not allowed; use one of: on_track, at_risk");
  ExpectRefused(
      [&] {
        return member->Post(
            "/api/v1/checkins/batch",
            json{{"checkins",
                  {{{"kpi", "followers-count"}, {"value", 1}},
                   {{"kpi", "followers-count"}, {"value", 2}, {"confidence", 3}}}}});
      },
      400, "checkins[1].confidence");
}

TEST_F(RecordsHttpTest, EveryAccountMayCommentWithAKindViewersIncluded) {
  HttpResult r = As("viewer")->Post(
      "/api/v1/comments", json{{"goal", "blog"}, {"text", "Short posts work"}, {"kind", "lesson"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["comment"]["kind"], "lesson");
  EXPECT_EQ(r.Json()["comment"]["author"], "val");
  r = As("member")->Post("/api/v1/comments", json{{"goal", "blog"}, {"text", "Agreed"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["comment"]["kind"], "comment");
  r = As("admin")->Get("/api/v1/comments?goal=blog");
  ASSERT_EQ(r.Json()["comments"].size(), 2u);
  EXPECT_EQ(r.Json()["comments"][0]["kind"], "lesson");

  ExpectRefused(
      [&] {
        return As("viewer")->Post("/api/v1/comments",
                                  json{{"goal", "blog"}, {"text", "x"}, {"kind", "rant"}});
      },
      400, "kind", "'kind' \"rant\" is not allowed; use one of: comment, lesson, decision");
  // A viewer still changes nothing else, spend included.
  ExpectRefused(
      [&] {
        return As("viewer")->Post("/api/v1/spend", json{{"goal", "followers"}, {"amount", 5}});
      },
      403, "");
}

// Spec §1: a contributor checks in and comments as the owner does, whatever their team (mo is in
// social, blog is content's); editing the goal stays a lead's, and the refusal says the rule.
TEST_F(RecordsHttpTest, AContributorOfAnotherTeamChecksInButDoesNotEditTheGoal) {
  auto member = As("member");
  ExpectRefused(
      [&] {
        return member->Post("/api/v1/checkins",
                            json{{"kpi", "posts"}, {"value", 2}, {"date", "2026-02-01"}});
      },
      403, "",
      "member is a member: members may check in, record spend and change comments only on goals "
      "they own, contribute to or their team holds, and comment on any goal; goal 'blog' belongs "
      "to team 'content' and is owned by 'cole'");
  HttpResult r = As("admin")->Patch("/api/v1/goals/blog", json{{"contributors", {"mo"}}});
  ASSERT_EQ(r.status, 200) << r.body;

  r = member->Post("/api/v1/checkins", json{{"kpi", "posts"}, {"value", 2}, {"date", "2026-02-01"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["checkin"]["author"], "mo");
  r = member->Post("/api/v1/spend", json{{"goal", "blog"}, {"amount", 40}, {"date", "2026-02-01"}});
  ASSERT_EQ(r.status, 201) << r.body;
  ExpectRefused(
      [&] { return member->Patch("/api/v1/goals/blog", json{{"title", "Publish thirty posts"}}); },
      403, "",
      "member is a member: members may check in, record spend and change comments only on goals "
      "they own, contribute to or their team holds, and comment on any goal; cannot change goal "
      "'blog'");
}

// A plan applied over HTTP names people as authors, as on the command line (one check shared by
// both): an unknown one is refused naming the field and the plan's line, nothing written. A
// check-in naming none is by the account applying it.
TEST_F(RecordsHttpTest, APlanAppliedOverHttpNamesKnownAuthors) {
  auto admin = As("admin");
  for (const auto& [plan, says] : std::vector<std::pair<std::string, std::string>>{
           {"version: 1\ncheckins:\n  - {kpi: posts, date: 2026-02-01, value: 2, author: ghost}\n",
            "plan:3: check-in of 2026-02-01 for KPI 'posts': author 'ghost' is not a person of "
            "the workspace; name a person's id (the plan's people or `cascade person list`)"},
           {"version: 1\nspend:\n  - {goal: blog, date: 2026-02-01, amount: 5, author: ghost}\n",
            "plan:3: spend of 2026-02-01 on goal 'blog': author 'ghost' is not a person of the "
            "workspace; name a person's id (the plan's people or `cascade person list`)"},
           {"version: 1\ncomments:\n  - {goal: blog, date: 2026-02-01, text: Hi, author: ghost}\n",
            "plan:3: comment of 2026-02-01 on goal 'blog': author 'ghost' is not a person of the "
            "workspace; name a person's id (the plan's people or `cascade person list`)"}}) {
    ExpectRefused([&] { return admin->Post("/api/v1/apply", plan); }, 422, "author", says);
    const HttpResult r = admin->Post("/api/v1/apply?dry_run=true", plan);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.Json()["error"]["message"], says);
  }
  HttpResult r = admin->Post("/api/v1/apply",
                             std::string("version: 1\ncheckins:\n"
                                         "  - {kpi: posts, date: 2026-02-01, value: 2}\n"
                                         "  - {kpi: posts, date: 2026-02-02, value: 1, author: cole}\n"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["checkins_added"], 2);
}

TEST_F(RecordsHttpTest, SpendIsRecordedAsCheckInsAre) {
  auto member = As("member");
  HttpResult r = member->Post("/api/v1/spend", json{{"goal", "followers"},
                                                   {"date", "2026-01-10"},
                                                   {"amount", 250.5},
                                                   {"note", "boosted posts"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const json posted = r.Json()["spend"];
  EXPECT_EQ(posted["author"], "mo");
  EXPECT_EQ(posted["amount"], 250.5);
  EXPECT_EQ(r.Header("location"), "/api/v1/spend/" + posted["seq"].dump());
  EXPECT_EQ(member->Get(r.Header("location")).Json(), posted);

  r = As("admin")->Post("/api/v1/spend", json{{"goal", "blog"},
                                              {"date", "2026-01-11"},
                                              {"amount", -50},
                                              {"author", "cole"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["spend"]["author"], "cole");
  r = As("lead")->Post("/api/v1/spend",
                       json{{"goal", "followers"}, {"date", "2026-01-12"}, {"amount", 100}});
  ASSERT_EQ(r.status, 201) << r.body;

  r = member->Get("/api/v1/spend?goal=followers");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["spend"].size(), 2u);
  EXPECT_EQ(r.Json()["total"], 350.5);
  r = member->Get("/api/v1/goals/followers?as_of=2026-02-01");
  ASSERT_EQ(r.status, 200) << r.body;
  r = member->Get("/api/v1/status?as_of=2026-02-01");
  EXPECT_EQ(r.Json()["goals"][0]["spent"], 350.5);
  EXPECT_EQ(r.Json()["goals"][0]["budget_left"], 649.5);
  EXPECT_TRUE(r.Json()["goals"][1]["budget_left"].is_null());

  // A member only on goals they own or their team holds, and only as themselves.
  ExpectRefused(
      [&] { return member->Post("/api/v1/spend", json{{"goal", "blog"}, {"amount", 5}}); }, 403,
      "", "members may check in, record spend and change comments only on goals they own, "
         "contribute to or their team holds, and comment on any goal");
  ExpectRefused(
      [&] {
        return member->Post("/api/v1/spend",
                            json{{"goal", "followers"}, {"amount", 5}, {"author", "lena"}});
      },
      403, "author", "only admins may record on another person's behalf");
  ExpectRefused(
      [&] {
        return As("admin")->Post("/api/v1/spend",
                                 json{{"goal", "followers"}, {"amount", 5}, {"author", "ghost"}});
      },
      422, "author", "author 'ghost' is not a person of the workspace");
  ExpectRefused(
      [&] { return member->Post("/api/v1/spend", json{{"goal", "followers"}, {"amount", 0}}); },
      422, "amount", "amount 0 is not allowed");
  ExpectRefused(
      [&] {
        return member->Post("/api/v1/spend", json{{"goal", "followers"}, {"amount", "12"}});
      },
      400, "amount");
  ExpectRefused([&] { return member->Post("/api/v1/spend", json{{"goal", "followers"}}); }, 400,
                "amount");
  ExpectRefused([&] { return member->Post("/api/v1/spend", json{{"goal", "nope"}, {"amount", 1}}); },
                422, "goal", "goal 'nope' does not exist");
  ExpectRefused(
      [&] {
        return member->Post("/api/v1/spend", json{{"goal", "followers"}, {"amount", 1}, {"x", 1}});
      },
      400, "x");
  ExpectRefused([&] { return member->Get("/api/v1/spend?team=social"); }, 400, "team");

  // Removal by seq, with the rights of recording it.
  ExpectRefused(
      [&] { return As("viewer")->Delete("/api/v1/spend/" + posted["seq"].dump()); }, 403, "");
  r = member->Delete("/api/v1/spend/" + posted["seq"].dump());
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(member->Get("/api/v1/spend/" + posted["seq"].dump()).status, 404);
  EXPECT_EQ(member->Get("/api/v1/spend?goal=followers").Json()["total"], 100.0);

  r = As("")->Get("/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Json()["paths"].contains("/api/v1/spend"));
  EXPECT_TRUE(r.Json()["paths"].contains("/api/v1/spend/{seq}"));
  EXPECT_EQ(r.Json()["components"]["schemas"]["Comment"]["properties"]["kind"]["enum"],
            json::parse(R"(["comment", "lesson", "decision"])"));
}

}  // namespace
}  // namespace cascade::testing

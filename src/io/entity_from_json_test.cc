#include "io/entity_from_json.h"

#include <gtest/gtest.h>

#include "io/entity_json.h"

namespace cascade {
namespace {

using nlohmann::json;

TEST(EntityFromJsonTest, EveryEntityRoundTripsThroughItsJson) {
  Goal g;
  g.id = "followers";
  g.title = "Generate 10,000 followers";
  g.level = Level::kMicro;
  g.parent = "market-share";
  g.owner = "dana";
  g.start = Date::Parse("2026-01-01");
  g.due = Date::Parse("2026-01-31");
  g.weight = 2;
  g.priority = Priority::kHigh;
  g.growth_potential = 3;
  g.budget_max = 5000;
  g.channel = "social";
  g.stage = Stage::kAwareness;
  g.tags = {"launch"};
  g.contributors = {"sam", "kim"};
  g.supports = {"brand"};
  g.segment = "gen-z";
  g.cycle = "2026-q1";
  Goal g2;
  ASSERT_TRUE(GoalFromJson(ToJson(g), g2).ok());
  EXPECT_EQ(g, g2);

  Kpi k;
  k.id = "nps";
  k.goal = "g";
  k.name = "NPS";
  k.kind = KpiKind::kThreshold;
  k.target = 50;
  k.direction = Direction::kAbove;
  k.cadence_days = 14;
  Kpi k2;
  ASSERT_TRUE(KpiFromJson(ToJson(k), k2).ok());
  EXPECT_EQ(k, k2);

  Action a{.id = "b", .goal = "g", .title = "Do", .owner = "dana", .due = Date::Parse("2026-02-01"),
           .done = true, .depends_on = {"a"}};
  Action a2;
  ASSERT_TRUE(ActionFromJson(ToJson(a), a2).ok());
  EXPECT_EQ(a, a2);

  Experiment e{.id = "x", .goal = "g", .name = "Hero", .control = {1000, 50}, .variant = {1000, 70}};
  Experiment e2;
  ASSERT_TRUE(ExperimentFromJson(ToJson(e), e2).ok());
  EXPECT_EQ(e, e2);

  Person p{.id = "dana", .name = "Dana", .email = "d@x", .team = "social", .role = Role::kLead};
  Person p2;
  ASSERT_TRUE(PersonFromJson(ToJson(p), p2).ok());
  EXPECT_EQ(p, p2);

  Team t{.id = "social", .name = "Social", .parent = "marketing"};
  Team t2;
  ASSERT_TRUE(TeamFromJson(ToJson(t), t2).ok());
  EXPECT_EQ(t, t2);

  Funnel f{.id = "launch", .name = "Launch", .stages = {"visits", "signups"}};
  Funnel f2;
  ASSERT_TRUE(FunnelFromJson(ToJson(f), f2).ok());
  EXPECT_EQ(f, f2);

  Cycle c{.id = "2026-q1", .name = "Q1", .start = *Date::Parse("2026-01-01"),
          .end = *Date::Parse("2026-03-31"), .state = CycleState::kClosed};
  Cycle c2;
  ASSERT_TRUE(CycleFromJson(ToJson(c), c2).ok());
  EXPECT_EQ(c, c2);
  auto bad = CycleFromJson(nlohmann::json{{"state", "done"}}, c2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "state");
  EXPECT_EQ(bad.error().message,
            "cycle '2026-q1': 'state' \"done\" is not allowed; use one of: open, closed");
}

TEST(EntityFromJsonTest, AppliesOnlyTheFieldsGiven) {
  Goal g;
  g.id = "leads";
  g.title = "Old title";
  g.owner = "dana";
  ASSERT_TRUE(GoalFromJson(json{{"title", "New title"}, {"due", nullptr}}, g).ok());
  EXPECT_EQ(g.title, "New title");
  EXPECT_EQ(g.owner, "dana");
  EXPECT_FALSE(g.due);
  ASSERT_TRUE(GoalFromJson(json{{"owner", nullptr}, {"stage", nullptr}}, g).ok());
  EXPECT_EQ(g.owner, "");
  EXPECT_EQ(g.stage, Stage::kNone);
}

// Each bad body is refused with the field it names.
TEST(EntityFromJsonTest, RefusesBadBodiesNamingTheField) {
  struct Case {
    json body;
    std::string field;
    std::string message_part;
  } cases[] = {
      {json::array(), "", "must be a JSON object"},
      {{{"titel", "x"}}, "titel", "unknown field 'titel'"},
      {{{"title", 3}}, "title", "must be a string, not a number"},
      {{{"id", "Bad Id"}}, "id", "is not an id"},
      {{{"parent", "UPPER"}}, "parent", "is not an id"},
      {{{"due", "2026-13-01"}}, "due", "must be a date YYYY-MM-DD"},
      {{{"due", 20260101}}, "due", "must be a date"},
      {{{"level", "mega"}}, "level", "use one of: macro, micro"},
      {{{"weight", "2"}}, "weight", "must be a number"},
      {{{"tags", "launch"}}, "tags", "must be an array of strings"},
      {{{"tags", {"a", 1}}}, "tags[1]", "must be a string"},
      {{{"contributors", "sam"}}, "contributors", "must be an array of ids"},
      {{{"contributors", {"sam", "Sam Roe"}}}, "contributors[1]", "is not an id"},
      {{{"supports", {3}}}, "supports[0]", "must be an id"},
      {{{"segment", nullptr}}, "segment", "must be a string"},
      {{{"state", nullptr}}, "state", "must be a string"},
      {{{"version", -1}}, "version", "must not be negative"},
      {{{"version", 1.5}}, "version", "whole number"},
  };
  for (const Case& c : cases) {
    Goal g;
    g.id = "g";
    auto r = GoalFromJson(c.body, g);
    ASSERT_FALSE(r.ok()) << c.body.dump();
    EXPECT_EQ(r.error().field, c.field) << c.body.dump();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos)
        << r.error().message << " / " << c.body.dump();
  }
}

TEST(EntityFromJsonTest, KpiAndExperimentTypes) {
  Kpi k;
  auto r = KpiFromJson(json{{"cadence_days", 7.5}}, k);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "cadence_days");
  r = KpiFromJson(json{{"cadence_days", 1e12}}, k);
  ASSERT_FALSE(r.ok());
  r = KpiFromJson(json{{"cadence_days", 99999999999LL}}, k);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("out of range"), std::string::npos);
  r = KpiFromJson(json{{"direction", "sideways"}}, k);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "direction");

  Experiment e;
  auto er = ExperimentFromJson(json{{"control", {{"visitors", 10}, {"clicks", 2}}}}, e);
  ASSERT_FALSE(er.ok());
  EXPECT_EQ(er.error().field, "control.clicks");
  er = ExperimentFromJson(json{{"variant", {{"visitors", "10"}}}}, e);
  ASSERT_FALSE(er.ok());
  EXPECT_EQ(er.error().field, "variant.visitors");
}

TEST(EntityFromJsonTest, CheckinsNeedKpiAndValue) {
  Checkin c;
  c.date = *Date::Parse("2026-03-01");
  ASSERT_TRUE(CheckinFromJson(json{{"kpi", "share"}, {"value", 3.5}, {"note", "panel"}}, c).ok());
  EXPECT_EQ(c.kpi, "share");
  EXPECT_EQ(c.value, 3.5);
  EXPECT_EQ(c.date.ToString(), "2026-03-01");  // left as it was
  ASSERT_TRUE(CheckinFromJson(json{{"kpi", "share"}, {"value", 1}, {"date", "2026-02-01"}}, c).ok());
  EXPECT_EQ(c.date.ToString(), "2026-02-01");

  struct Case {
    json body;
    std::string field;
  } cases[] = {
      {{{"value", 1}}, "kpi"},
      {{{"kpi", "share"}}, "value"},
      {{{"kpi", "share"}, {"value", "12"}}, "value"},
      {{{"kpi", "share"}, {"value", 1}, {"date", "yesterday"}}, "date"},
      {{{"kpi", "share"}, {"value", 1}, {"mood", "good"}}, "mood"},
      {{{"kpi", ""}, {"value", 1}}, "kpi"},
      {{{"kpi", "share"}, {"value", 1}, {"confidence", "fine"}}, "confidence"},
      {{{"kpi", "share"}, {"value", 1}, {"confidence", 2}}, "confidence"},
  };
  for (const Case& k : cases) {
    Checkin x;
    auto r = CheckinFromJson(k.body, x);
    ASSERT_FALSE(r.ok()) << k.body.dump();
    EXPECT_EQ(r.error().field, k.field) << k.body.dump();
  }
  ASSERT_TRUE(CheckinFromJson(json{{"kpi", "share"}, {"value", 1}, {"confidence", "at_risk"}}, c).ok());
  EXPECT_EQ(c.confidence, Confidence::kAtRisk);
  ASSERT_TRUE(CheckinFromJson(json{{"kpi", "share"}, {"value", 1}, {"confidence", nullptr}}, c).ok());
  EXPECT_EQ(c.confidence, Confidence::kNone);
}

TEST(EntityFromJsonTest, CommentKindsAndSpend) {
  Comment c;
  ASSERT_TRUE(CommentFromJson(json{{"goal", "g"}, {"text", "t"}, {"kind", "lesson"}}, c).ok());
  EXPECT_EQ(c.kind, CommentKind::kLesson);
  auto bad = CommentFromJson(json{{"goal", "g"}, {"text", "t"}, {"kind", "note"}}, c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "kind");
  EXPECT_EQ(bad.error().message,
            "comment: 'kind' \"note\" is not allowed; use one of: comment, lesson, decision");

  Spend s;
  s.date = *Date::Parse("2026-03-01");
  ASSERT_TRUE(SpendFromJson(json{{"goal", "g"}, {"amount", -5.5}, {"note", "refund"}}, s).ok());
  EXPECT_EQ(s.goal, "g");
  EXPECT_EQ(s.amount, -5.5);
  EXPECT_EQ(s.note, "refund");
  EXPECT_EQ(s.date.ToString(), "2026-03-01");
  for (const auto& [body, field] : std::vector<std::pair<json, std::string>>{
           {json{{"amount", 1}}, "goal"},
           {json{{"goal", "g"}}, "amount"},
           {json{{"goal", "g"}, {"amount", "1"}}, "amount"},
           {json{{"goal", "g"}, {"amount", 1}, {"date", "soon"}}, "date"},
           {json{{"goal", "g"}, {"amount", 1}, {"kind", "ads"}}, "kind"},
           {json{{"goal", "Bad Id"}, {"amount", 1}}, "goal"}}) {
    Spend x;
    auto r = SpendFromJson(body, x);
    ASSERT_FALSE(r.ok()) << body.dump();
    EXPECT_EQ(r.error().field, field) << body.dump();
  }
}

TEST(EntityFromJsonTest, NumbersAndDatesOutsideTheEntryBoundsAreRefused) {
  Checkin c;
  auto big = CheckinFromJson(json{{"kpi", "share"}, {"value", 1e307}}, c);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().field, "value");
  EXPECT_EQ(big.error().message,
            "check-in: 'value' 1e+307 is out of range; 'value' must be a number between -1e15 and "
            "1e15");
  auto old = CheckinFromJson(json{{"kpi", "share"}, {"value", 1}, {"date", "0001-01-01"}}, c);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().field, "date");
  EXPECT_EQ(old.error().message,
            "check-in: 'date' 0001-01-01 is outside the dates Cascade accepts; use a date from "
            "1900-01-01 to 2199-12-31");
  EXPECT_TRUE(
      CheckinFromJson(json{{"kpi", "share"}, {"value", -1e15}, {"date", "1900-01-01"}}, c).ok());
  EXPECT_TRUE(
      CheckinFromJson(json{{"kpi", "share"}, {"value", 1e15}, {"date", "2199-12-31"}}, c).ok());
}

TEST(EntityFromJsonTest, VersionFromJson) {
  EXPECT_EQ(*VersionFromJson(json{{"version", 4}}), std::optional<int64_t>(4));
  EXPECT_EQ(*VersionFromJson(json{{"title", "x"}}), std::nullopt);
  EXPECT_FALSE(VersionFromJson(json{{"version", "4"}}).ok());
}

}  // namespace
}  // namespace cascade

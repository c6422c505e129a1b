#include "core/model.h"

#include <gtest/gtest.h>

#include <string>

namespace cascade {
namespace {

TEST(ModelTest, ValidIds) {
  const struct {
    std::string id;
    bool valid;
  } cases[] = {
      {"a", true},
      {"0", true},
      {"market-share", true},
      {"q2_leads", true},
      {"2026-launch", true},
      {"a-", true},
      {std::string(64, 'a'), true},
      {std::string(65, 'a'), false},
      {"", false},
      {"-a", false},
      {"_a", false},
      {"Market", false},
      {"market share", false},
      {"market.share", false},
      {"café", false},
      {"a/b", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsValidId(c.id), c.valid) << "'" << c.id << "'";
}

TEST(ModelTest, EnumSpellingsRoundTrip) {
  for (Level v : {Level::kMacro, Level::kMicro}) EXPECT_EQ(ParseLevel(ToString(v)), v);
  for (GoalState v : {GoalState::kActive, GoalState::kDraft, GoalState::kCancelled}) {
    EXPECT_EQ(ParseGoalState(ToString(v)), v);
  }
  for (Priority v : {Priority::kHigh, Priority::kMedium, Priority::kLow}) {
    EXPECT_EQ(ParsePriority(ToString(v)), v);
  }
  for (Stage v : {Stage::kNone, Stage::kAwareness, Stage::kConsideration, Stage::kConversion,
                  Stage::kRetention}) {
    EXPECT_EQ(ParseStage(ToString(v)), v);
  }
  for (KpiKind v :
       {KpiKind::kLevel, KpiKind::kCumulative, KpiKind::kMilestone, KpiKind::kThreshold}) {
    EXPECT_EQ(ParseKpiKind(ToString(v)), v);
  }
  for (Direction v : {Direction::kNone, Direction::kAbove, Direction::kBelow}) {
    EXPECT_EQ(ParseDirection(ToString(v)), v);
  }
  for (Role v : {Role::kAdmin, Role::kLead, Role::kMember, Role::kViewer}) {
    EXPECT_EQ(ParseRole(ToString(v)), v);
  }
  EXPECT_EQ(ToString(KpiKind::kCumulative), "cumulative");
  EXPECT_EQ(ToString(Stage::kNone), "");
  EXPECT_EQ(ParseLevel("Macro"), std::nullopt);
  EXPECT_EQ(ParseKpiKind("counter"), std::nullopt);
  EXPECT_EQ(ParseGoalState(""), std::nullopt);
  EXPECT_EQ(ParseRole("owner"), std::nullopt);
}

TEST(ModelTest, EffectiveBaseline) {
  Kpi k;
  k.kind = KpiKind::kLevel;
  EXPECT_EQ(k.effective_baseline(), 0.0);
  k.kind = KpiKind::kCumulative;
  EXPECT_EQ(k.effective_baseline(), 0.0);
  k.kind = KpiKind::kMilestone;
  EXPECT_EQ(k.effective_baseline(), 0.0);
  k.kind = KpiKind::kThreshold;
  EXPECT_EQ(k.effective_baseline(), std::nullopt);
  k.baseline = 3.5;
  EXPECT_EQ(k.effective_baseline(), 3.5);
}

template <typename T>
T WithId(const char* id) {
  T t;
  t.id = id;
  return t;
}

TEST(ModelTest, WorkspaceIndexFindsPositions) {
  Workspace ws;
  ws.goals.push_back(WithId<Goal>("a"));
  ws.goals.push_back(WithId<Goal>("b"));
  ws.goals.push_back(WithId<Goal>("a"));  // a duplicate: the first one wins
  ws.kpis.push_back(WithId<Kpi>("k"));
  ws.teams.push_back(WithId<Team>("t"));
  ws.people.push_back(WithId<Person>("p"));
  ws.actions.push_back(WithId<Action>("x"));
  ws.funnels.push_back(WithId<Funnel>("f"));
  ws.experiments.push_back(WithId<Experiment>("e"));
  const WorkspaceIndex index(ws);
  EXPECT_EQ(index.goal("a"), 0);
  EXPECT_EQ(index.goal("b"), 1);
  EXPECT_EQ(index.goal("c"), -1);
  EXPECT_EQ(index.kpi("k"), 0);
  EXPECT_EQ(index.kpi("a"), -1);  // ids are per kind
  EXPECT_EQ(index.team("t"), 0);
  EXPECT_EQ(index.person("p"), 0);
  EXPECT_EQ(index.action("x"), 0);
  EXPECT_EQ(index.funnel("f"), 0);
  EXPECT_EQ(index.experiment("e"), 0);
}

}  // namespace
}  // namespace cascade

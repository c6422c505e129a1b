#include "core/model.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
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

// An index layered over the one before it, through random removals and creates (ids reused
// too), finds every id where an index built whole on the same workspace does.
TEST(ModelTest, AnIndexLayeredThroughRemovalsAndCreatesFindsWhatOneBuiltWholeFinds) {
  std::mt19937 rng(11);
  std::vector<std::unique_ptr<Workspace>> kept;  // the base's ids are views into the first
  kept.push_back(std::make_unique<Workspace>());
  for (int i = 0; i < 40; ++i) kept.back()->goals.push_back(WithId<Goal>(("g" + std::to_string(i)).c_str()));
  for (int i = 0; i < 10; ++i) kept.back()->kpis.push_back(WithId<Kpi>(("k" + std::to_string(i)).c_str()));
  auto index = std::make_shared<const WorkspaceIndex>(*kept.back());
  int next = 100;
  for (int step = 0; step < 60; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    auto ws = std::make_unique<Workspace>(*kept.back());
    WorkspaceIndex::Removed removed;
    // Goals at random positions go (ascending), a few come, some under an id removed before.
    std::vector<int>& gone = removed[WorkspaceIndex::kGoals];
    for (int q = 0; q < static_cast<int>(ws->goals.size()); ++q) {
      if (rng() % 8 == 0) gone.push_back(q);
    }
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) ws->goals.erase(ws->goals.begin() + *it);
    const int made = static_cast<int>(rng() % 4);
    for (int i = 0; i < made; ++i) {
      const std::string id = rng() % 3 == 0 ? "g" + std::to_string(rng() % 40)
                                            : "n" + std::to_string(next++);
      if (WorkspaceIndex(*ws).goal(id) < 0) ws->goals.push_back(WithId<Goal>(id.c_str()));
    }
    if (rng() % 4 == 0 && !ws->kpis.empty()) {
      removed[WorkspaceIndex::kKpis].push_back(0);
      ws->kpis.erase(ws->kpis.begin());
    }
    index = std::make_shared<const WorkspaceIndex>(index, *ws, removed);
    const WorkspaceIndex whole(*ws);
    for (int i = 0; i < 200; ++i) {
      for (const std::string& id : {"g" + std::to_string(i), "n" + std::to_string(i)}) {
        ASSERT_EQ(index->goal(id), whole.goal(id)) << id;
      }
      const std::string k = "k" + std::to_string(i);
      ASSERT_EQ(index->kpi(k), whole.kpi(k)) << k;
    }
    kept.push_back(std::move(ws));
  }
  EXPECT_GT(index->added(), 0u);
}

}  // namespace
}  // namespace cascade

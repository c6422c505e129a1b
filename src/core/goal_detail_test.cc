#include "core/goal_detail.h"

#include <gtest/gtest.h>

#include "core/incremental_rollup.h"

namespace cascade {
namespace {

Goal MakeGoal(const char* id, const char* parent = "", std::vector<std::string> supports = {}) {
  Goal g;
  g.id = id;
  g.title = id;
  g.parent = parent;
  g.supports = std::move(supports);
  return g;
}
Kpi MakeKpi(const char* id, const char* goal, const char* benchmark_for = "") {
  Kpi k;
  k.id = id;
  k.name = id;
  k.goal = goal;
  k.benchmark_for = benchmark_for;
  return k;
}

// A goal's KPIs, their benchmarks (on another goal too) and last check-ins, its children,
// supporters and records; nothing of the goals beside it.
TEST(GoalDetailTest, GathersWhatBelongsToTheGoalInStoredOrder) {
  Workspace ws;
  ws.goals = {MakeGoal("root"), MakeGoal("other"), MakeGoal("a", "root"),
              MakeGoal("helper", "", {"root"}), MakeGoal("b", "root")};
  ws.kpis = {MakeKpi("k1", "root"), MakeKpi("x", "other", "k2"), MakeKpi("k2", "root"),
             MakeKpi("y", "other"), MakeKpi("z", "root", "k2")};
  for (const auto& [kpi, value] : std::vector<std::pair<const char*, double>>{
           {"k2", 1}, {"k1", 2}, {"y", 3}, {"k2", 4}, {"y", 5}}) {
    Checkin c;
    c.kpi = kpi;
    c.value = value;
    ws.checkins.push_back(c);
  }
  for (const char* goal : {"other", "root", "root"}) {
    Action a;
    a.id = std::string("act-") + std::to_string(ws.actions.size());
    a.goal = goal;
    ws.actions.push_back(a);
    Comment c;
    c.goal = goal;
    ws.comments.push_back(c);
    Spend s;
    s.goal = goal;
    ws.spend.push_back(s);
    Experiment e;
    e.id = std::string("exp-") + std::to_string(ws.experiments.size());
    e.goal = goal;
    ws.experiments.push_back(e);
  }
  const WorkspaceIndex index(ws);
  const GoalLinks links(ws, index);

  const GoalDetail d = GatherGoalDetail(ws, links, 0, /*last_checkins=*/true);
  EXPECT_EQ(d.goal, 0);
  EXPECT_EQ(d.kpis, (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(d.benchmarks, (std::vector<std::vector<int>>{{}, {1, 4}, {}}));
  EXPECT_EQ(d.last_checkins, (std::vector<int>{1, 3, -1}));
  EXPECT_EQ(d.children, (std::vector<int>{2, 4}));
  EXPECT_EQ(d.supported_by, (std::vector<int>{3}));
  EXPECT_EQ(d.actions, (std::vector<int>{1, 2}));
  EXPECT_EQ(d.experiments, (std::vector<int>{1, 2}));
  EXPECT_EQ(d.comments, (std::vector<int>{1, 2}));
  EXPECT_EQ(d.spend, (std::vector<int>{1, 2}));

  // Without last check-ins: no pass over them.
  EXPECT_EQ(GatherGoalDetail(ws, links, 0).last_checkins, (std::vector<int>{-1, -1, -1}));
  const GoalDetail leaf = GatherGoalDetail(ws, links, 2, true);
  EXPECT_TRUE(leaf.kpis.empty());
  EXPECT_TRUE(leaf.children.empty());
  EXPECT_TRUE(leaf.actions.empty());
}

}  // namespace
}  // namespace cascade

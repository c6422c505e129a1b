#include "analytics/breakdown.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, std::string parent, std::string channel, std::string team,
              double weight = 1) {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id + " for testing";
  g.owner = "dana";
  g.level = parent.empty() ? Level::kMacro : Level::kMicro;
  g.parent = std::move(parent);
  g.channel = std::move(channel);
  g.team = std::move(team);
  g.weight = weight;
  g.start = D("2026-01-01");
  g.due = D("2026-06-30");
  return g;
}

void AddKpi(Workspace& ws, const std::string& goal, double value) {
  Kpi k;
  k.id = goal + "-kpi";
  k.goal = goal;
  k.baseline = 0;
  k.target = 100;
  ws.kpis.push_back(k);
  Checkin c;
  c.kpi = k.id;
  c.date = D("2026-02-01");
  c.value = value;
  c.seq = static_cast<int64_t>(ws.checkins.size()) + 1;
  ws.checkins.push_back(c);
}

void AddSpend(Workspace& ws, const std::string& goal, double amount) {
  Spend s;
  s.seq = static_cast<int64_t>(ws.spend.size()) + 1;
  s.goal = goal;
  s.date = D("2026-01-15");
  s.amount = amount;
  ws.spend.push_back(s);
}

// As of 2026-03-01 (E = 59/180 = 0.3278): brand (no channel, own KPI 40%, children social 80%
// w 1, email 40%, content 50% w 3) = (0.4 + 0.8 + 0.4 + 1.5) / 6 = 0.51667; paused is a draft.
Workspace Sample() {
  Workspace ws;
  ws.goals.push_back(MakeGoal("brand", "", "", "marketing"));
  ws.goals.push_back(MakeGoal("social", "brand", "social", "social"));
  ws.goals.push_back(MakeGoal("email", "brand", "email", "marketing"));
  ws.goals.push_back(MakeGoal("content", "brand", "social", "marketing", 3));
  ws.goals.push_back(MakeGoal("paused", "brand", "email", "marketing"));
  ws.goals.back().state = GoalState::kDraft;
  ws.goals[2].due = D("2026-02-28");  // email: missed
  ws.goals[1].stage = Stage::kAwareness;
  AddKpi(ws, "brand", 40);
  AddKpi(ws, "social", 80);
  AddKpi(ws, "email", 40);
  AddKpi(ws, "content", 50);
  AddKpi(ws, "paused", 90);
  AddSpend(ws, "social", 1500);
  AddSpend(ws, "email", 300);
  AddSpend(ws, "content", 200);
  AddSpend(ws, "paused", 999);
  return ws;
}

TEST(BreakdownTest, ByChannelWithHandComputedNumbers) {
  const Workspace ws = Sample();
  const Breakdown b = ComputeBreakdown(ws, ComputeRollup(ws, D("2026-03-01")),
                                       BreakdownField::kChannel);
  EXPECT_EQ(b.by, BreakdownField::kChannel);
  ASSERT_EQ(b.groups.size(), 3u);
  // email: 300 / 0.4 = 750 for one goal done.
  EXPECT_EQ(b.groups[0].key, "email");
  EXPECT_EQ(b.groups[0].goals, 1);
  EXPECT_NEAR(*b.groups[0].progress, 0.4, 1e-9);
  EXPECT_EQ(b.groups[0].counts[static_cast<size_t>(GoalStatus::kMissed)], 1);
  EXPECT_DOUBLE_EQ(b.groups[0].spent, 300);
  EXPECT_NEAR(*b.groups[0].cost_per_goal_done, 750, 1e-9);
  // social: progress (1·0.8 + 3·0.5) / 4 = 0.575; 1700 / (0.8 + 0.5) = 1307.6923.
  EXPECT_EQ(b.groups[1].key, "social");
  EXPECT_EQ(b.groups[1].goals, 2);
  EXPECT_NEAR(*b.groups[1].progress, 0.575, 1e-9);
  EXPECT_EQ(b.groups[1].counts[static_cast<size_t>(GoalStatus::kOnTrack)], 2);
  EXPECT_DOUBLE_EQ(b.groups[1].spent, 1700);
  EXPECT_NEAR(*b.groups[1].cost_per_goal_done, 1700 / 1.3, 1e-9);
  // The goals without a channel: brand, P = 3.1 / 6; nothing spent, so 0 a goal done.
  EXPECT_FALSE(b.groups[2].key.has_value());
  EXPECT_EQ(b.groups[2].goals, 1);
  EXPECT_NEAR(*b.groups[2].progress, 3.1 / 6, 1e-9);
  EXPECT_DOUBLE_EQ(b.groups[2].spent, 0);
  EXPECT_NEAR(*b.groups[2].cost_per_goal_done, 0, 1e-12);
  EXPECT_EQ(FindGroup(b, "social"), &b.groups[1]);
  EXPECT_EQ(FindGroup(b, ""), &b.groups[2]);
  EXPECT_EQ(FindGroup(b, "pr"), nullptr);
}

TEST(BreakdownTest, ByTeamAndStage) {
  const Workspace ws = Sample();
  const Rollup r = ComputeRollup(ws, D("2026-03-01"));
  Breakdown b = ComputeBreakdown(ws, r, BreakdownField::kTeam);
  ASSERT_EQ(b.groups.size(), 2u);
  // marketing: brand (w 1, P 3.1/6), email (w 1, 0.4), content (w 3, 0.5).
  EXPECT_EQ(b.groups[0].key, "marketing");
  EXPECT_EQ(b.groups[0].goals, 3);
  EXPECT_NEAR(*b.groups[0].progress, (3.1 / 6 + 0.4 + 1.5) / 5, 1e-9);
  EXPECT_DOUBLE_EQ(b.groups[0].spent, 500);
  EXPECT_NEAR(*b.groups[0].cost_per_goal_done, 500 / (3.1 / 6 + 0.9), 1e-9);
  EXPECT_EQ(b.groups[1].key, "social");

  b = ComputeBreakdown(ws, r, BreakdownField::kStage);
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_EQ(b.groups[0].key, "awareness");
  EXPECT_EQ(b.groups[0].goals, 1);
  EXPECT_FALSE(b.groups[1].key.has_value());
  EXPECT_EQ(b.groups[1].goals, 3);
}

// By the planning period a goal belongs to (its own `cycle`; goals without one form the null group).
TEST(BreakdownTest, ByCycle) {
  Workspace ws = Sample();
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1}};
  ws.goals[0].cycle = "q1";
  const Rollup r = ComputeRollup(ws, D("2026-03-01"));
  const Breakdown b = ComputeBreakdown(ws, r, BreakdownField::kCycle);
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_EQ(b.groups[0].key, "q1");
  EXPECT_EQ(b.groups[0].goals, 1);
  EXPECT_FALSE(b.groups[1].key.has_value());
  EXPECT_EQ(b.groups[1].goals, 3);
  EXPECT_EQ(ParseBreakdownField("cycle"), BreakdownField::kCycle);
}

TEST(BreakdownTest, NoProgressMeansNoCost) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("idle", "", "pr", ""));
  AddSpend(ws, "idle", 100);
  const Breakdown b = ComputeBreakdown(ws, ComputeRollup(ws, D("2026-03-01")),
                                       BreakdownField::kChannel);
  ASSERT_EQ(b.groups.size(), 1u);
  EXPECT_FALSE(b.groups[0].progress.has_value());
  EXPECT_EQ(b.groups[0].counts[static_cast<size_t>(GoalStatus::kUnmeasured)], 1);
  EXPECT_DOUBLE_EQ(b.groups[0].spent, 100);
  EXPECT_FALSE(b.groups[0].cost_per_goal_done.has_value());
}

TEST(BreakdownTest, FieldNames) {
  EXPECT_EQ(ParseBreakdownField("segment"), BreakdownField::kSegment);
  EXPECT_EQ(ParseBreakdownField("owner"), std::nullopt);
  EXPECT_EQ(BreakdownFieldsText(), "channel, segment, team, stage or cycle");
}

}  // namespace
}  // namespace cascade

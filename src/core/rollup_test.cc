#include "core/rollup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, std::optional<Date> start, std::optional<Date> due,
              std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id + " for testing";
  g.owner = "dana";
  g.start = start;
  g.due = due;
  g.parent = std::move(parent);
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, KpiKind kind, std::optional<double> baseline,
            double target) {
  Kpi k;
  k.id = std::move(id);
  k.goal = std::move(goal);
  k.kind = kind;
  k.baseline = baseline;
  k.target = target;
  return k;
}

Checkin MakeCheckin(std::string kpi, const char* date, double value, int64_t seq = 0) {
  Checkin c;
  c.kpi = std::move(kpi);
  c.date = D(date);
  c.value = value;
  c.seq = seq;
  return c;
}

int GoalPos(const Workspace& ws, std::string_view id) {
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    if (ws.goals[i].id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no goal " << id;
  return 0;
}
int KpiPos(const Workspace& ws, std::string_view id) {
  for (size_t i = 0; i < ws.kpis.size(); ++i) {
    if (ws.kpis[i].id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no kpi " << id;
  return 0;
}
const GoalResult& G(const Rollup& r, const Workspace& ws, std::string_view id) {
  return r.goals[static_cast<size_t>(GoalPos(ws, id))];
}
const KpiResult& K(const Rollup& r, const Workspace& ws, std::string_view id) {
  return r.kpis[static_cast<size_t>(KpiPos(ws, id))];
}

// One goal, Jan 1 – Jan 31 2026 (30 days), with one KPI "k".
Workspace OneKpi(KpiKind kind, std::optional<double> baseline, double target) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("k", "g", kind, baseline, target));
  return ws;
}

TEST(GoalStatusTest, SpellingsRoundTrip) {
  const struct {
    GoalStatus status;
    const char* name;
  } cases[] = {
      {GoalStatus::kCancelled, "cancelled"},   {GoalStatus::kDraft, "draft"},
      {GoalStatus::kUnmeasured, "unmeasured"}, {GoalStatus::kAchieved, "achieved"},
      {GoalStatus::kUnscheduled, "unscheduled"}, {GoalStatus::kMissed, "missed"},
      {GoalStatus::kNotStarted, "not_started"}, {GoalStatus::kOnTrack, "on_track"},
      {GoalStatus::kAtRisk, "at_risk"},        {GoalStatus::kOffTrack, "off_track"},
  };
  static_assert(std::size(cases) == kGoalStatusCount);
  for (const auto& c : cases) {
    EXPECT_EQ(ToString(c.status), c.name);
    EXPECT_EQ(ParseGoalStatus(c.name), c.status);
  }
  EXPECT_EQ(ParseGoalStatus("on-track"), std::nullopt);
  EXPECT_EQ(ParseGoalStatus(""), std::nullopt);
  EXPECT_EQ(ParseGoalStatus("On_Track"), std::nullopt);
}

// ---- KPI kinds ----

TEST(RollupKpiTest, LevelTakesTheLastCheckinInDateThenSeqOrder) {
  Workspace ws = OneKpi(KpiKind::kLevel, 100, 200);
  // Recorded out of order: the bucket is sorted by (date, seq).
  ws.checkins.push_back(MakeCheckin("k", "2026-01-20", 150, 3));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-20", 140, 2));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-10", 120, 1));
  const Rollup r = ComputeRollup(ws, D("2026-01-21"));
  const KpiResult& k = K(r, ws, "k");
  // Last by (date, seq) is 150 (seq 3). attainment = (150 − 100) / (200 − 100) = 0.5.
  ASSERT_TRUE(k.value);
  EXPECT_NEAR(*k.value, 150, 1e-9);
  EXPECT_NEAR(k.attainment, 0.5, 1e-9);
  EXPECT_NEAR(k.progress, 0.5, 1e-9);
  EXPECT_EQ(k.last_checkin, D("2026-01-20"));
}

TEST(RollupKpiTest, EqualDateAndSeqKeepRecordedOrder) {
  Workspace ws = OneKpi(KpiKind::kLevel, 0, 10);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 7));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 3));
  const Rollup r = ComputeRollup(ws, D("2026-01-06"));
  // Both seq 0 on the same day: the later recorded (3) is the last. 3 / 10 = 0.3.
  EXPECT_NEAR(*K(r, ws, "k").value, 3, 1e-9);
  EXPECT_NEAR(K(r, ws, "k").progress, 0.3, 1e-9);
}

TEST(RollupKpiTest, LevelWithoutCheckinsIsItsBaseline) {
  Workspace ws = OneKpi(KpiKind::kLevel, 40, 50);
  ws.kpis.push_back(MakeKpi("nobase", "g", KpiKind::kLevel, std::nullopt, 50));
  const Rollup r = ComputeRollup(ws, D("2026-01-10"));
  EXPECT_NEAR(*K(r, ws, "k").value, 40, 1e-9);
  EXPECT_NEAR(K(r, ws, "k").attainment, 0, 1e-9);
  EXPECT_EQ(K(r, ws, "k").last_checkin, std::nullopt);
  // A level KPI without a baseline starts from 0.
  EXPECT_NEAR(*K(r, ws, "nobase").value, 0, 1e-9);
}

TEST(RollupKpiTest, LevelCountsCheckinsBeforeTheStart) {
  Workspace ws = OneKpi(KpiKind::kLevel, 0, 100);
  ws.checkins.push_back(MakeCheckin("k", "2025-12-20", 30));
  const Rollup r = ComputeRollup(ws, D("2026-01-05"));
  // A reading taken before the start is still the latest reading: 30 / 100.
  EXPECT_NEAR(K(r, ws, "k").progress, 0.3, 1e-9);
  EXPECT_EQ(K(r, ws, "k").last_checkin, D("2025-12-20"));
}

TEST(RollupKpiTest, AttainmentAboveOneAndBelowZero) {
  const struct {
    double baseline, target, value, attainment, progress;
  } cases[] = {
      {0, 100, 150, 1.5, 1.0},     // (150 − 0) / (100 − 0)
      {0, 100, -20, -0.2, 0.0},    // (−20 − 0) / 100
      {10, 5, 8, 0.4, 0.4},        // decrease target: (8 − 10) / (5 − 10) = −2 / −5
      {10, 5, 12, -0.4, 0.0},      // moved the wrong way: (12 − 10) / (5 − 10)
      {10, 5, 2, 1.6, 1.0},        // beat a decrease target: (2 − 10) / (5 − 10) = −8 / −5
      {10, 5, 5, 1.0, 1.0},        // exactly on target
  };
  for (const auto& c : cases) {
    Workspace ws = OneKpi(KpiKind::kLevel, c.baseline, c.target);
    ws.checkins.push_back(MakeCheckin("k", "2026-01-05", c.value));
    const Rollup r = ComputeRollup(ws, D("2026-01-06"));
    SCOPED_TRACE(testing::Message() << c.baseline << "→" << c.target << " at " << c.value);
    EXPECT_NEAR(K(r, ws, "k").attainment, c.attainment, 1e-9);
    EXPECT_NEAR(K(r, ws, "k").progress, c.progress, 1e-9);
  }
}

TEST(RollupKpiTest, CumulativeAddsCheckinsInsideTheWindow) {
  Workspace ws;
  // Feb 1 → Mar 3 2026 is 30 days (February has 28).
  ws.goals.push_back(MakeGoal("g", D("2026-02-01"), D("2026-03-03")));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kCumulative, 10, 110));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-31", 100));  // before the start: not counted
  ws.checkins.push_back(MakeCheckin("k", "2026-02-05", 20));
  ws.checkins.push_back(MakeCheckin("k", "2026-02-05", 5));
  ws.checkins.push_back(MakeCheckin("k", "2026-02-15", 25));
  ws.checkins.push_back(MakeCheckin("k", "2026-03-04", 1000));  // after the due date: frozen out
  ws.checkins.push_back(MakeCheckin("k", "2026-03-30", 1000));  // after as_of
  const Rollup r = ComputeRollup(ws, D("2026-03-20"));
  const KpiResult& k = K(r, ws, "k");
  // V = 10 + 20 + 5 + 25 = 60; attainment = (60 − 10) / (110 − 10) = 0.5.
  EXPECT_NEAR(*k.value, 60, 1e-9);
  EXPECT_NEAR(k.attainment, 0.5, 1e-9);
  EXPECT_EQ(k.last_checkin, D("2026-02-15"));
  // P = 0.5 < 1 and t > due.
  EXPECT_EQ(G(r, ws, "g").status, GoalStatus::kMissed);
}

TEST(RollupKpiTest, CumulativeWithoutCheckinsIsItsBaseline) {
  Workspace ws = OneKpi(KpiKind::kCumulative, std::nullopt, 50);
  const Rollup r = ComputeRollup(ws, D("2026-01-10"));
  EXPECT_NEAR(*K(r, ws, "k").value, 0, 1e-9);
  EXPECT_NEAR(K(r, ws, "k").progress, 0, 1e-9);
}

TEST(RollupKpiTest, MilestoneDoneOrNot) {
  Workspace ws = OneKpi(KpiKind::kMilestone, std::nullopt, 1);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 0));
  Rollup r = ComputeRollup(ws, D("2026-01-06"));
  EXPECT_NEAR(*K(r, ws, "k").value, 0, 1e-9);
  EXPECT_NEAR(K(r, ws, "k").progress, 0, 1e-9);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-08", 1));
  r = ComputeRollup(ws, D("2026-01-09"));
  EXPECT_NEAR(*K(r, ws, "k").value, 1, 1e-9);
  EXPECT_NEAR(K(r, ws, "k").progress, 1, 1e-9);
  EXPECT_EQ(G(r, ws, "g").status, GoalStatus::kAchieved);
}

TEST(RollupKpiTest, ThresholdAboveIsTheShareOfCheckinsHoldingTheLine) {
  Workspace ws = OneKpi(KpiKind::kThreshold, std::nullopt, 50);
  ws.kpis[0].direction = Direction::kAbove;
  ws.checkins.push_back(MakeCheckin("k", "2025-12-30", 10));  // before the start: not counted
  ws.checkins.push_back(MakeCheckin("k", "2026-01-03", 40));  // below the line
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 55));  // holds
  ws.checkins.push_back(MakeCheckin("k", "2026-01-07", 50));  // exactly on the line holds
  ws.checkins.push_back(MakeCheckin("k", "2026-01-09", 45));  // below
  ws.checkins.push_back(MakeCheckin("k", "2026-02-09", 99));  // after the due date
  const Rollup r = ComputeRollup(ws, D("2026-03-01"));
  const KpiResult& k = K(r, ws, "k");
  // 2 of the 4 counted check-ins hold: 2 / 4 = 0.5. V is the last counted value, 45.
  EXPECT_NEAR(k.attainment, 0.5, 1e-9);
  EXPECT_NEAR(k.progress, 0.5, 1e-9);
  EXPECT_NEAR(*k.value, 45, 1e-9);
  EXPECT_EQ(k.last_checkin, D("2026-01-09"));
  EXPECT_EQ(k.forecast, std::nullopt);  // thresholds have no forecast
}

TEST(RollupKpiTest, ThresholdBelow) {
  Workspace ws = OneKpi(KpiKind::kThreshold, 7, 5);
  ws.kpis[0].direction = Direction::kBelow;
  ws.checkins.push_back(MakeCheckin("k", "2026-01-03", 4));    // holds
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 6));    // above the line
  ws.checkins.push_back(MakeCheckin("k", "2026-01-07", 5));    // on the line holds
  const Rollup r = ComputeRollup(ws, D("2026-01-10"));
  // 2 of 3 hold: 2 / 3.
  EXPECT_NEAR(K(r, ws, "k").progress, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(*K(r, ws, "k").value, 5, 1e-9);
}

TEST(RollupKpiTest, ThresholdWithoutCheckins) {
  Workspace ws = OneKpi(KpiKind::kThreshold, std::nullopt, 50);
  ws.kpis[0].direction = Direction::kAbove;
  ws.kpis.push_back(MakeKpi("based", "g", KpiKind::kThreshold, 42, 50));
  ws.kpis[1].direction = Direction::kAbove;
  const Rollup r = ComputeRollup(ws, D("2026-01-10"));
  EXPECT_EQ(K(r, ws, "k").value, std::nullopt);  // no baseline, no check-ins: null
  EXPECT_NEAR(K(r, ws, "k").progress, 0, 1e-9);
  EXPECT_NEAR(*K(r, ws, "based").value, 42, 1e-9);
  EXPECT_NEAR(K(r, ws, "based").progress, 0, 1e-9);
  // The goal is still measured: P = (0 + 0) / 2 = 0.
  EXPECT_NEAR(*G(r, ws, "g").progress, 0, 1e-9);
}

TEST(RollupKpiTest, LevelAfterTheDueDateIsFrozen) {
  Workspace ws = OneKpi(KpiKind::kLevel, 0, 100);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-31", 60));   // on the due date: counts
  ws.checkins.push_back(MakeCheckin("k", "2026-02-01", 100));  // late: does not count
  const Rollup r = ComputeRollup(ws, D("2026-02-10"));
  EXPECT_NEAR(*K(r, ws, "k").value, 60, 1e-9);
  EXPECT_EQ(K(r, ws, "k").last_checkin, D("2026-01-31"));
  // The late 100 cannot turn the missed goal into an achieved one.
  EXPECT_EQ(G(r, ws, "g").status, GoalStatus::kMissed);
}

TEST(RollupKpiTest, CheckinsAfterAsOfAreIgnored) {
  Workspace ws = OneKpi(KpiKind::kLevel, 0, 100);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-05", 20));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-15", 90));
  const Rollup r = ComputeRollup(ws, D("2026-01-10"));
  EXPECT_NEAR(*K(r, ws, "k").value, 20, 1e-9);
}

TEST(RollupKpiTest, GoalWithoutStartHasNoLowerBound) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", std::nullopt, D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kCumulative, 0, 100));
  ws.checkins.push_back(MakeCheckin("k", "2020-01-01", 30));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-10", 20));
  const Rollup r = ComputeRollup(ws, D("2026-01-20"));
  // 0 + 30 + 20 = 50.
  EXPECT_NEAR(*K(r, ws, "k").value, 50, 1e-9);
  EXPECT_EQ(G(r, ws, "g").start, std::nullopt);
  EXPECT_EQ(G(r, ws, "g").expected, std::nullopt);
  EXPECT_EQ(K(r, ws, "k").forecast, std::nullopt);  // no start, no forecast
  EXPECT_EQ(G(r, ws, "g").status, GoalStatus::kUnscheduled);
}

// ---- Goal progress ----

TEST(RollupGoalTest, WeightedMeanOfKpis) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("a", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.back().weight = 3;
  ws.kpis.push_back(MakeKpi("b", "g", KpiKind::kLevel, 0, 10));
  ws.checkins.push_back(MakeCheckin("a", "2026-01-05", 50));  // 0.5
  ws.checkins.push_back(MakeCheckin("b", "2026-01-05", 20));  // 2.0, clamped to 1
  const Rollup r = ComputeRollup(ws, D("2026-01-06"));
  // P = (3·0.5 + 1·1) / (3 + 1) = 2.5 / 4 = 0.625.
  EXPECT_NEAR(*G(r, ws, "g").progress, 0.625, 1e-9);
}

TEST(RollupGoalTest, ChildrenCountOnlyWhenActiveAndMeasured) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("p", D("2026-01-01"), D("2026-12-31")));
  ws.goals.back().level = Level::kMacro;
  ws.goals.push_back(MakeGoal("active", std::nullopt, D("2026-01-31"), "p"));
  ws.goals.back().weight = 2;
  ws.goals.push_back(MakeGoal("draft", std::nullopt, D("2026-01-31"), "p"));
  ws.goals.back().state = GoalState::kDraft;
  ws.goals.push_back(MakeGoal("cancelled", std::nullopt, D("2026-01-31"), "p"));
  ws.goals.back().state = GoalState::kCancelled;
  ws.goals.push_back(MakeGoal("empty", std::nullopt, D("2026-01-31"), "p"));  // no KPI: P null
  ws.kpis.push_back(MakeKpi("own", "p", KpiKind::kLevel, 0, 10));
  ws.kpis.push_back(MakeKpi("ka", "active", KpiKind::kLevel, 0, 10));
  ws.kpis.push_back(MakeKpi("kd", "draft", KpiKind::kLevel, 0, 10));
  ws.kpis.push_back(MakeKpi("kc", "cancelled", KpiKind::kLevel, 0, 10));
  ws.checkins.push_back(MakeCheckin("own", "2026-01-05", 2));  // 0.2
  ws.checkins.push_back(MakeCheckin("ka", "2026-01-05", 8));   // 0.8
  ws.checkins.push_back(MakeCheckin("kd", "2026-01-05", 10));  // 1.0, but a draft
  ws.checkins.push_back(MakeCheckin("kc", "2026-01-05", 0));   // 0.0, but cancelled
  const Rollup r = ComputeRollup(ws, D("2026-01-06"));
  // P(p) = (1·0.2 + 2·0.8) / (1 + 2) = 1.8 / 3 = 0.6.
  EXPECT_NEAR(*G(r, ws, "p").progress, 0.6, 1e-9);
  // Drafts and cancelled goals still show their own P; their status is their state.
  EXPECT_NEAR(*G(r, ws, "draft").progress, 1.0, 1e-9);
  EXPECT_EQ(G(r, ws, "draft").status, GoalStatus::kDraft);
  EXPECT_NEAR(*G(r, ws, "cancelled").progress, 0.0, 1e-9);
  EXPECT_EQ(G(r, ws, "cancelled").status, GoalStatus::kCancelled);
  EXPECT_EQ(G(r, ws, "empty").progress, std::nullopt);
  EXPECT_EQ(G(r, ws, "empty").status, GoalStatus::kUnmeasured);
  // A draft that reaches 100% is still a draft.
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kDraft)], 1);
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kCancelled)], 1);
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kUnmeasured)], 1);
}

TEST(RollupGoalTest, ProgressRollsUpThroughSeveralLevels) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("top", D("2026-01-01"), D("2026-12-31")));
  ws.goals.push_back(MakeGoal("mid", std::nullopt, D("2026-06-30"), "top"));
  ws.goals.push_back(MakeGoal("leaf1", std::nullopt, D("2026-01-31"), "mid"));
  ws.goals.push_back(MakeGoal("leaf2", std::nullopt, D("2026-01-31"), "mid"));
  ws.goals.back().weight = 3;
  ws.kpis.push_back(MakeKpi("k1", "leaf1", KpiKind::kLevel, 0, 4));
  ws.kpis.push_back(MakeKpi("k2", "leaf2", KpiKind::kLevel, 0, 4));
  ws.checkins.push_back(MakeCheckin("k1", "2026-01-10", 4));  // 1.0
  ws.checkins.push_back(MakeCheckin("k2", "2026-01-10", 1));  // 0.25
  const Rollup r = ComputeRollup(ws, D("2026-01-11"));
  // mid = (1·1 + 3·0.25) / 4 = 1.75 / 4 = 0.4375; top has only mid: 0.4375.
  EXPECT_NEAR(*G(r, ws, "mid").progress, 0.4375, 1e-9);
  EXPECT_NEAR(*G(r, ws, "top").progress, 0.4375, 1e-9);
}

TEST(RollupGoalTest, StartIsInheritedFromTheNearestAncestor) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("top", D("2026-01-01"), D("2026-12-31")));
  ws.goals.push_back(MakeGoal("mid", std::nullopt, D("2026-06-30"), "top"));
  ws.goals.push_back(MakeGoal("leaf", std::nullopt, D("2026-01-11"), "mid"));
  ws.goals.push_back(MakeGoal("own", D("2026-01-06"), D("2026-01-11"), "mid"));
  ws.kpis.push_back(MakeKpi("k", "leaf", KpiKind::kCumulative, 0, 10));
  ws.kpis.push_back(MakeKpi("k2", "own", KpiKind::kLevel, 0, 10));
  ws.checkins.push_back(MakeCheckin("k", "2025-12-31", 5));  // before the inherited start
  ws.checkins.push_back(MakeCheckin("k", "2026-01-02", 3));
  const Rollup r = ComputeRollup(ws, D("2026-01-06"));
  EXPECT_EQ(G(r, ws, "mid").start, D("2026-01-01"));
  EXPECT_EQ(G(r, ws, "leaf").start, D("2026-01-01"));
  EXPECT_EQ(G(r, ws, "own").start, D("2026-01-06"));
  EXPECT_EQ(G(r, ws, "leaf").due, D("2026-01-11"));
  EXPECT_EQ(G(r, ws, "mid").due, D("2026-06-30"));  // due is not inherited
  // The inherited start bounds the cumulative window: V = 3, not 8.
  EXPECT_NEAR(*K(r, ws, "k").value, 3, 1e-9);
  // E(leaf) = (Jan 6 − Jan 1) / (Jan 11 − Jan 1) = 5 / 10.
  EXPECT_NEAR(*G(r, ws, "leaf").expected, 0.5, 1e-9);
  // E(own) = 0 / 5.
  EXPECT_NEAR(*G(r, ws, "own").expected, 0.0, 1e-9);
}

TEST(RollupGoalTest, ExpectedProgress) {
  const struct {
    const char *start, *due, *as_of;
    double expected;
  } cases[] = {
      {"2026-01-01", "2026-01-31", "2026-01-16", 0.5},    // 15 / 30
      {"2026-01-01", "2026-01-31", "2026-01-01", 0.0},    // 0 / 30
      {"2026-01-01", "2026-01-31", "2025-12-01", 0.0},    // −31 / 30, clamped
      {"2026-01-01", "2026-01-31", "2026-03-01", 1.0},    // 59 / 30, clamped
      {"2026-01-01", "2026-01-31", "2026-01-31", 1.0},    // 30 / 30
      {"2026-01-01", "2026-01-04", "2026-01-02", 1.0 / 3},  // 1 / 3
      {"2026-01-10", "2026-01-10", "2026-01-10", 1.0},    // due == start, t ≥ due
      {"2026-01-10", "2026-01-10", "2026-01-11", 1.0},
      {"2026-01-10", "2026-01-10", "2026-01-09", 0.0},    // due == start, t < due
  };
  for (const auto& c : cases) {
    Workspace ws;
    ws.goals.push_back(MakeGoal("g", D(c.start), D(c.due)));
    const Rollup r = ComputeRollup(ws, D(c.as_of));
    SCOPED_TRACE(testing::Message() << c.start << " " << c.due << " " << c.as_of);
    ASSERT_TRUE(r.goals[0].expected);
    EXPECT_NEAR(*r.goals[0].expected, c.expected, 1e-9);
  }
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), std::nullopt));
  EXPECT_EQ(ComputeRollup(ws, D("2026-01-05")).goals[0].expected, std::nullopt);
}

// ---- Status ----

// A goal Jan 1 – Jan 11 (10 days) with a level KPI 0 → 100 standing at `value` on Jan 2.
GoalStatus StatusAt(double value, const char* as_of, std::optional<Date> start = D("2026-01-01"),
                    std::optional<Date> due = D("2026-01-11")) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", start, due));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-02", value));
  return ComputeRollup(ws, D(as_of)).goals[0].status;
}

TEST(RollupStatusTest, RulesAndBoundaries) {
  const struct {
    const char* name;
    double value;
    const char* as_of;
    GoalStatus status;
  } cases[] = {
      // E on Jan 6 = 5 / 10 = 0.5.
      {"ahead", 60, "2026-01-06", GoalStatus::kOnTrack},         // gap = 0.5 − 0.6 < 0
      {"level", 50, "2026-01-06", GoalStatus::kOnTrack},         // gap = 0
      {"gap 0.10", 40, "2026-01-06", GoalStatus::kOnTrack},      // gap = 0.5 − 0.4 = 0.10
      {"gap 0.11", 39, "2026-01-06", GoalStatus::kAtRisk},       // gap = 0.5 − 0.39 = 0.11
      {"gap 0.25", 25, "2026-01-06", GoalStatus::kAtRisk},       // gap = 0.5 − 0.25 = 0.25
      {"gap 0.26", 24, "2026-01-06", GoalStatus::kOffTrack},     // gap = 0.5 − 0.24 = 0.26
      {"far behind", 0, "2026-01-06", GoalStatus::kOffTrack},    // gap = 0.5
      // E on Jan 9 = 8 / 10 = 0.8: 0.8 − 0.7 = 0.10 and 0.8 − 0.55 = 0.25.
      {"gap 0.10 late", 70, "2026-01-09", GoalStatus::kOnTrack},
      {"gap 0.25 late", 55, "2026-01-09", GoalStatus::kAtRisk},
      {"achieved", 100, "2026-01-06", GoalStatus::kAchieved},
      {"achieved beyond", 130, "2026-01-06", GoalStatus::kAchieved},
      {"achieved after due", 100, "2026-02-01", GoalStatus::kAchieved},  // rule 3 before 5
      {"missed", 99, "2026-01-12", GoalStatus::kMissed},                // t > due
      {"due day is not missed", 95, "2026-01-11", GoalStatus::kOnTrack},  // E = 1, gap 0.05
      {"not started", 50, "2025-12-31", GoalStatus::kNotStarted},        // t < start
      {"start day", 0, "2026-01-01", GoalStatus::kOnTrack},              // E = 0, gap 0
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(StatusAt(c.value, c.as_of), c.status);
  }
  // Unscheduled: measured but without a due date or without a start.
  EXPECT_EQ(StatusAt(50, "2026-01-06", D("2026-01-01"), std::nullopt), GoalStatus::kUnscheduled);
  EXPECT_EQ(StatusAt(50, "2026-01-06", std::nullopt, D("2026-01-11")), GoalStatus::kUnscheduled);
  // Achieved beats unscheduled.
  EXPECT_EQ(StatusAt(100, "2026-01-06", std::nullopt, std::nullopt), GoalStatus::kAchieved);
}

TEST(RollupStatusTest, GapBoundariesFromWeightedProgress) {
  // E = 3 / 4 = 0.75 (Jan 1 – Jan 5, as of Jan 4). P must be 0.65 for gap 0.10 and 0.5 for 0.25.
  // KPIs 0 → 20: a at 13 (0.65); b at 10 (0.5) with weight 3 and c at 10 (0.5): (3·0.5 + 0.5)/4.
  Workspace ws;
  ws.goals.push_back(MakeGoal("ten", D("2026-01-01"), D("2026-01-05")));
  ws.goals.push_back(MakeGoal("quarter", D("2026-01-01"), D("2026-01-05")));
  ws.kpis.push_back(MakeKpi("a", "ten", KpiKind::kLevel, 0, 20));
  ws.kpis.push_back(MakeKpi("b", "quarter", KpiKind::kLevel, 0, 20));
  ws.kpis.back().weight = 3;
  ws.kpis.push_back(MakeKpi("c", "quarter", KpiKind::kLevel, 0, 20));
  ws.checkins.push_back(MakeCheckin("a", "2026-01-02", 13));
  ws.checkins.push_back(MakeCheckin("b", "2026-01-02", 10));
  ws.checkins.push_back(MakeCheckin("c", "2026-01-02", 10));
  const Rollup r = ComputeRollup(ws, D("2026-01-04"));
  EXPECT_NEAR(*G(r, ws, "ten").expected - *G(r, ws, "ten").progress, 0.10, 1e-9);
  EXPECT_EQ(G(r, ws, "ten").status, GoalStatus::kOnTrack);
  EXPECT_NEAR(*G(r, ws, "quarter").expected - *G(r, ws, "quarter").progress, 0.25, 1e-9);
  EXPECT_EQ(G(r, ws, "quarter").status, GoalStatus::kAtRisk);
}

TEST(RollupStatusTest, StateBeatsEverything) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("d", D("2026-01-01"), D("2026-01-11")));
  ws.goals.back().state = GoalState::kDraft;
  ws.goals.push_back(MakeGoal("c", D("2026-01-01"), D("2026-01-11")));
  ws.goals.back().state = GoalState::kCancelled;
  ws.goals.push_back(MakeGoal("u", D("2026-01-01"), D("2026-01-11")));
  const Rollup r = ComputeRollup(ws, D("2026-02-01"));
  EXPECT_EQ(r.goals[0].status, GoalStatus::kDraft);      // even unmeasured and past due
  EXPECT_EQ(r.goals[1].status, GoalStatus::kCancelled);
  EXPECT_EQ(r.goals[2].status, GoalStatus::kUnmeasured);  // unmeasured beats missed
}

// ---- Forecast ----

struct ForecastCase {
  const char* name;
  std::vector<std::pair<const char*, double>> checkins;
  KpiKind kind;
  std::optional<double> forecast;
};

TEST(RollupForecastTest, Table) {
  // Goal Jan 1 – Jan 31 (x_due = 30), KPI baseline 0, target 100, as of Jan 25.
  const ForecastCase cases[] = {
      // Only the baseline point (0, 0): fewer than 2 points.
      {"no check-ins", {}, KpiKind::kLevel, std::nullopt},
      // One check-in on the start date replaces the baseline point: one point.
      {"one point on start", {{"2026-01-01", 10}}, KpiKind::kLevel, std::nullopt},
      // Two check-ins, both on the start date: still one distinct date.
      {"same day on start", {{"2026-01-01", 10}, {"2026-01-01", 20}}, KpiKind::kLevel,
       std::nullopt},
      // (0, 0), (10, 25): slope 2.5, ŷ(30) = 75 → 0.75.
      {"two points", {{"2026-01-11", 25}}, KpiKind::kLevel, 0.75},
      // (0, 0), (10, 20), (20, 40): a line of slope 2, ŷ(30) = 60 → 0.6.
      {"collinear", {{"2026-01-11", 20}, {"2026-01-21", 40}}, KpiKind::kLevel, 0.6},
      // (0, 0), (10, 10), (20, 40): x̄ = 10, ȳ = 50/3, Sxx = 100 + 0 + 100 = 200,
      // Sxy = (−10)(−50/3) + 0·(−20/3) + 10·(70/3) = 1200/3 = 400, β = 2,
      // ŷ(30) = 50/3 + 2·(30 − 10) = 50/3 + 40 = 170/3 → 1.7/3 = 0.566666…
      {"several points", {{"2026-01-11", 10}, {"2026-01-21", 40}}, KpiKind::kLevel, 1.7 / 3},
      // Check-in on the start date: points (0, 10), (10, 30), no baseline point.
      // β = 2, α = 10, ŷ(30) = 70 → 0.7.
      {"on the start date", {{"2026-01-01", 10}, {"2026-01-11", 30}}, KpiKind::kLevel, 0.7},
      // Same day twice: V as of Jan 11 is the later value, 30. (0, 0), (10, 30): ŷ = 90 → 0.9.
      {"same day twice", {{"2026-01-11", 10}, {"2026-01-11", 30}}, KpiKind::kLevel, 0.9},
      // Cumulative: V as of each day is the running sum. Jan 11: 10 + 5 = 15, Jan 21: 15 + 15 =
      // 30. (0, 0), (10, 15), (20, 30): slope 1.5, ŷ(30) = 45 → 0.45.
      {"cumulative", {{"2026-01-11", 10}, {"2026-01-11", 5}, {"2026-01-21", 15}},
       KpiKind::kCumulative, 0.45},
      // (0, 0), (10, 80): ŷ(30) = 240 → 2.4, clamped to 1.
      {"overshoot", {{"2026-01-11", 80}}, KpiKind::kLevel, 1.0},
      // (0, 0), (10, −10): ŷ(30) = −30 → −0.3, clamped to 0.
      {"falling", {{"2026-01-11", -10}}, KpiKind::kLevel, 0.0},
      // Check-in after as_of does not count: (0, 0), (10, 25) → 0.75.
      {"future ignored", {{"2026-01-11", 25}, {"2026-01-28", 100}}, KpiKind::kLevel, 0.75},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Workspace ws = OneKpi(c.kind, 0, 100);
    for (const auto& [date, value] : c.checkins) ws.checkins.push_back(MakeCheckin("k", date, value));
    const Rollup r = ComputeRollup(ws, D("2026-01-25"));
    const auto& f = K(r, ws, "k").forecast;
    ASSERT_EQ(f.has_value(), c.forecast.has_value());
    if (f) {
      EXPECT_NEAR(*f, *c.forecast, 1e-9);
    }
  }
}

TEST(RollupForecastTest, BaselineAndDecreasingTarget) {
  // Baseline 10 → target 5 (a decrease), goal Jan 1 – Jan 31.
  // (0, 10), (10, 9), (20, 7): x̄ = 10, ȳ = 26/3, Sxx = 200,
  // Sxy = (−10)(10 − 26/3) + 0 + 10·(7 − 26/3) = (−10)(4/3) + 10·(−5/3) = −90/3 = −30,
  // β = −0.15, ŷ(30) = 26/3 − 0.15·20 = 26/3 − 3 = 17/3,
  // forecast = (17/3 − 10) / (5 − 10) = (−13/3) / (−5) = 13/15.
  Workspace ws = OneKpi(KpiKind::kLevel, 10, 5);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-11", 9));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-21", 7));
  const Rollup r = ComputeRollup(ws, D("2026-01-22"));
  EXPECT_NEAR(*K(r, ws, "k").forecast, 13.0 / 15, 1e-9);
}

TEST(RollupForecastTest, CumulativeIgnoresCheckinsBeforeTheStartAndAfterTheDue) {
  // Goal Jan 1 – Jan 31. Counted: Jan 11 → 20. Points (0, 0), (10, 20): ŷ(30) = 60 → 0.6.
  Workspace ws = OneKpi(KpiKind::kCumulative, 0, 100);
  ws.checkins.push_back(MakeCheckin("k", "2025-12-25", 500));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-11", 20));
  ws.checkins.push_back(MakeCheckin("k", "2026-02-05", 500));
  const Rollup r = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_NEAR(*K(r, ws, "k").forecast, 0.6, 1e-9);
}

TEST(RollupForecastTest, LevelCheckinBeforeTheStartIsAPoint) {
  // Level KPIs count readings before the start. Goal Jan 11 – Feb 10 (30 days).
  // Points (−10, 0) from Jan 1, (0, 0) baseline, (10, 30) from Jan 21:
  // x̄ = 0, ȳ = 10, Sxx = 200, Sxy = (−10)(−10) + 0 + 10·20 = 300, β = 1.5,
  // ŷ(30) = 10 + 1.5·30 = 55 → 0.55.
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-11"), D("2026-02-10")));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-01", 0));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-21", 30));
  const Rollup r = ComputeRollup(ws, D("2026-01-25"));
  EXPECT_NEAR(*K(r, ws, "k").forecast, 0.55, 1e-9);
}

TEST(RollupForecastTest, NullWithoutDueOrForThresholds) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), std::nullopt));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-11", 20));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-21", 40));
  const Rollup r = ComputeRollup(ws, D("2026-01-25"));
  EXPECT_EQ(K(r, ws, "k").forecast, std::nullopt);
  // The goal forecast falls back to progress: 40 / 100.
  EXPECT_NEAR(*G(r, ws, "g").forecast, 0.4, 1e-9);
}

TEST(RollupForecastTest, GoalForecastIsTheWeightedMeanOverTheItemsOfP) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("p", D("2026-01-01"), D("2026-01-31")));
  ws.goals.push_back(MakeGoal("child", std::nullopt, D("2026-01-31"), "p"));
  ws.goals.back().weight = 2;
  ws.goals.push_back(MakeGoal("drafted", std::nullopt, D("2026-01-31"), "p"));
  ws.goals.back().state = GoalState::kDraft;
  // p's KPIs: a with forecast 0.6 (points (0,0),(10,20)); b (threshold, no forecast) at
  // progress 1 (one check-in holding the line).
  ws.kpis.push_back(MakeKpi("a", "p", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("b", "p", KpiKind::kThreshold, std::nullopt, 50));
  ws.kpis.back().direction = Direction::kAbove;
  // child's KPI: c with points (0,0),(10,25) → forecast 0.75, progress 0.25.
  ws.kpis.push_back(MakeKpi("c", "child", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("d", "drafted", KpiKind::kLevel, 0, 100));
  ws.checkins.push_back(MakeCheckin("a", "2026-01-11", 20));
  ws.checkins.push_back(MakeCheckin("b", "2026-01-11", 60));
  ws.checkins.push_back(MakeCheckin("c", "2026-01-11", 25));
  ws.checkins.push_back(MakeCheckin("d", "2026-01-11", 100));
  const Rollup r = ComputeRollup(ws, D("2026-01-12"));
  EXPECT_NEAR(*G(r, ws, "child").forecast, 0.75, 1e-9);
  // P(p) = (1·0.2 + 1·1 + 2·0.25) / 4 = 1.7 / 4 = 0.425.
  EXPECT_NEAR(*G(r, ws, "p").progress, 0.425, 1e-9);
  // forecast(p) = (1·0.6 + 1·1 + 2·0.75) / 4 = 3.1 / 4 = 0.775 (the draft is left out).
  EXPECT_NEAR(*G(r, ws, "p").forecast, 0.775, 1e-9);
}

TEST(RollupForecastTest, GoalForecastNullWhenUnmeasured) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  const Rollup r = ComputeRollup(ws, D("2026-01-12"));
  EXPECT_EQ(r.goals[0].forecast, std::nullopt);
  EXPECT_EQ(r.goals[0].progress, std::nullopt);
}

// ---- Stale ----

TEST(RollupStaleTest, Rules) {
  const struct {
    const char* name;
    std::optional<Date> start;
    std::optional<Date> due;
    GoalState state;
    const char* last;  // last check-in date, or nullptr
    const char* as_of;
    bool stale;
  } cases[] = {
      // cadence 7: stale when t − last > 7.
      {"8 days since the check-in", D("2026-01-01"), D("2026-03-01"), GoalState::kActive,
       "2026-01-10", "2026-01-18", true},
      {"7 days since the check-in", D("2026-01-01"), D("2026-03-01"), GoalState::kActive,
       "2026-01-10", "2026-01-17", false},
      {"8 days since the start", D("2026-01-01"), D("2026-03-01"), GoalState::kActive, nullptr,
       "2026-01-09", true},
      {"7 days since the start", D("2026-01-01"), D("2026-03-01"), GoalState::kActive, nullptr,
       "2026-01-08", false},
      {"unscheduled goals go stale", D("2026-01-01"), std::nullopt, GoalState::kActive,
       "2026-01-10", "2026-01-30", true},
      {"no start, no check-in", std::nullopt, std::nullopt, GoalState::kActive, nullptr,
       "2026-01-30", false},
      {"missed goals do not", D("2026-01-01"), D("2026-01-15"), GoalState::kActive, "2026-01-02",
       "2026-01-30", false},
      {"not started goals do not", D("2026-02-01"), D("2026-03-01"), GoalState::kActive,
       "2026-01-02", "2026-01-30", false},
      {"drafts do not", D("2026-01-01"), D("2026-03-01"), GoalState::kDraft, "2026-01-02",
       "2026-01-30", false},
      {"cancelled goals do not", D("2026-01-01"), D("2026-03-01"), GoalState::kCancelled,
       "2026-01-02", "2026-01-30", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Workspace ws;
    ws.goals.push_back(MakeGoal("g", c.start, c.due));
    ws.goals.back().state = c.state;
    ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
    if (c.last) ws.checkins.push_back(MakeCheckin("k", c.last, 10));
    const Rollup r = ComputeRollup(ws, D(c.as_of));
    EXPECT_EQ(r.kpis[0].stale, c.stale);
  }
}

TEST(RollupStaleTest, AchievedGoalsAreNotStaleAndCadenceIsPerKpi) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-03-01")));
  ws.kpis.push_back(MakeKpi("monthly", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.back().cadence_days = 30;
  ws.checkins.push_back(MakeCheckin("monthly", "2026-01-02", 10));
  Rollup r = ComputeRollup(ws, D("2026-01-20"));  // 18 days ≤ 30
  EXPECT_FALSE(r.kpis[0].stale);
  r = ComputeRollup(ws, D("2026-02-02"));  // 31 days > 30
  EXPECT_TRUE(r.kpis[0].stale);
  ws.checkins.push_back(MakeCheckin("monthly", "2026-01-03", 100));
  r = ComputeRollup(ws, D("2026-02-20"));
  EXPECT_EQ(r.goals[0].status, GoalStatus::kAchieved);
  EXPECT_FALSE(r.kpis[0].stale);
}

// ---- Order, depth, summary ----

// Goals without dates, each {id, parent}, in this vector order.
Workspace Tree(std::initializer_list<std::pair<const char*, const char*>> goals) {
  Workspace ws;
  for (const auto& [id, parent] : goals) {
    ws.goals.push_back(MakeGoal(id, std::nullopt, std::nullopt, parent));
  }
  return ws;
}
std::vector<std::string> OrderIds(const Rollup& r, const Workspace& ws) {
  std::vector<std::string> ids;
  for (int g : r.order) ids.push_back(ws.goals[static_cast<size_t>(g)].id);
  return ids;
}
std::vector<int> Depths(const Rollup& r) { return {r.depth.begin(), r.depth.end()}; }

TEST(RollupOrderTest, DepthFirstParentsBeforeChildrenSiblingsInVectorOrder) {
  const Workspace ws = Tree(
      {{"a1", "a"}, {"r2", ""}, {"a", "r1"}, {"r1", ""}, {"b", "r1"}, {"a2", "a"}, {"c", "r2"}});
  const Rollup r = ComputeRollup(ws, D("2026-01-01"));
  EXPECT_EQ(OrderIds(r, ws), (std::vector<std::string>{"r2", "c", "r1", "a", "a1", "a2", "b"}));
  EXPECT_EQ(Depths(r), (std::vector<int>{2, 0, 1, 0, 1, 2, 1}));
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kUnmeasured)], 7);
  EXPECT_EQ(r.as_of, D("2026-01-01"));
}

TEST(RollupOrderTest, ParentsFirstVectorGivesTheSameDepthFirstOrder) {
  // The tree of the test above, each goal after its parent in the vector.
  const Workspace ws = Tree(
      {{"r2", ""}, {"r1", ""}, {"a", "r1"}, {"b", "r1"}, {"c", "r2"}, {"a1", "a"}, {"a2", "a"}});
  const Rollup r = ComputeRollup(ws, D("2026-01-01"));
  EXPECT_EQ(OrderIds(r, ws), (std::vector<std::string>{"r2", "c", "r1", "a", "a1", "a2", "b"}));
  EXPECT_EQ(Depths(r), (std::vector<int>{0, 0, 1, 1, 1, 2, 2}));
}

// The roll-up does not depend on goals coming after their parents in the vector.
TEST(RollupOrderTest, GoalsBeforeTheirParentsRollUpAsParentsFirst) {
  // r (2026-01-01 to 2026-12-31) <- a (inherits r's start; due 2026-06-30) <- a1 (50%), a2 (100%);
  // r <- b (20%).
  auto make = [](std::initializer_list<const char*> order) {
    Workspace ws;
    for (const std::string id : order) {
      if (id == "r") ws.goals.push_back(MakeGoal("r", D("2026-01-01"), D("2026-12-31")));
      if (id == "a") ws.goals.push_back(MakeGoal("a", std::nullopt, D("2026-06-30"), "r"));
      if (id == "b") ws.goals.push_back(MakeGoal("b", std::nullopt, std::nullopt, "r"));
      if (id == "a1") ws.goals.push_back(MakeGoal("a1", std::nullopt, std::nullopt, "a"));
      if (id == "a2") ws.goals.push_back(MakeGoal("a2", std::nullopt, std::nullopt, "a"));
    }
    ws.kpis = {MakeKpi("k-a1", "a1", KpiKind::kLevel, 0, 100),
               MakeKpi("k-a2", "a2", KpiKind::kLevel, 0, 100),
               MakeKpi("k-b", "b", KpiKind::kLevel, 0, 100)};
    ws.checkins = {MakeCheckin("k-a1", "2026-03-01", 50, 1),
                   MakeCheckin("k-a2", "2026-03-01", 100, 2),
                   MakeCheckin("k-b", "2026-03-01", 20, 3)};
    return ws;
  };
  const Workspace first = make({"r", "a", "b", "a1", "a2"});
  const Workspace later = make({"a1", "a", "r", "a2", "b"});  // a1 before a, a before r
  const Date t = D("2026-04-01");
  const Rollup rf = ComputeRollup(first, t);
  const Rollup rl = ComputeRollup(later, t);
  for (const char* id : {"r", "a", "b", "a1", "a2"}) {
    SCOPED_TRACE(id);
    const GoalResult& x = G(rf, first, id);
    const GoalResult& y = G(rl, later, id);
    EXPECT_EQ(x.start, y.start);
    EXPECT_EQ(x.due, y.due);
    EXPECT_EQ(x.progress, y.progress);
    EXPECT_EQ(x.expected, y.expected);
    EXPECT_EQ(x.status, y.status);
  }
  // a: (0.5 + 1) / 2 = 0.75; r: (0.75 + 0.2) / 2 = 0.475. a1 inherits r's start through a.
  EXPECT_NEAR(*G(rl, later, "a").progress, 0.75, 1e-12);
  EXPECT_NEAR(*G(rl, later, "r").progress, 0.475, 1e-12);
  EXPECT_EQ(G(rl, later, "a1").start, D("2026-01-01"));
  // a's window 2026-01-01 to 2026-06-30 (180 days), 90 days in: E = 0.5, P 0.75: on track.
  EXPECT_NEAR(*G(rl, later, "a").expected, 90.0 / 180.0, 1e-12);
  EXPECT_EQ(G(rl, later, "a").status, GoalStatus::kOnTrack);
}

// Every field of two KPI results, compared exactly: the same check-ins in another order must give
// the very same numbers.
void ExpectSameKpis(const Rollup& a, const Rollup& b) {
  ASSERT_EQ(a.kpis.size(), b.kpis.size());
  for (size_t k = 0; k < a.kpis.size(); ++k) {
    SCOPED_TRACE("kpi " + std::to_string(k));
    EXPECT_EQ(a.kpis[k].value, b.kpis[k].value);
    EXPECT_EQ(a.kpis[k].attainment, b.kpis[k].attainment);
    EXPECT_EQ(a.kpis[k].progress, b.kpis[k].progress);
    EXPECT_EQ(a.kpis[k].forecast, b.kpis[k].forecast);
    EXPECT_EQ(a.kpis[k].last_checkin, b.kpis[k].last_checkin);
    EXPECT_EQ(a.kpis[k].stale, b.kpis[k].stale);
  }
  ASSERT_EQ(a.goals.size(), b.goals.size());
  for (size_t g = 0; g < a.goals.size(); ++g) {
    EXPECT_EQ(a.goals[g].progress, b.goals[g].progress);
    EXPECT_EQ(a.goals[g].forecast, b.goals[g].forecast);
    EXPECT_EQ(a.goals[g].status, b.goals[g].status);
  }
}

TEST(RollupKpiTest, CheckinsGroupedByKpiOrInterleavedGiveTheSameResults) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("lvl", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("sum", "g", KpiKind::kCumulative, 0, 50));
  Kpi held = MakeKpi("held", "g", KpiKind::kThreshold, std::nullopt, 50);
  held.direction = Direction::kAbove;
  ws.kpis.push_back(held);
  ws.kpis.push_back(MakeKpi("none", "g", KpiKind::kLevel, 0, 10));
  // As recorded (seq), the KPIs interleaved and some dates out of order.
  ws.checkins = {MakeCheckin("lvl", "2026-01-05", 20, 1), MakeCheckin("sum", "2026-01-03", 5, 2),
                 MakeCheckin("held", "2026-01-04", 60, 3), MakeCheckin("lvl", "2026-01-02", 10, 4),
                 MakeCheckin("sum", "2026-01-08", 10, 5), MakeCheckin("lvl", "2026-01-09", 35, 6),
                 MakeCheckin("held", "2026-01-06", 40, 7), MakeCheckin("lvl", "2026-01-09", 30, 8),
                 MakeCheckin("sum", "2025-12-30", 99, 9)};
  const Rollup recorded = ComputeRollup(ws, D("2026-01-11"));
  // lvl: last by (date, seq) is 30 (2026-01-09, seq 8): 0.3. sum: 5 + 10 (the 99 is before the
  // start) = 15 of 50: 0.3. held: 1 of 2 check-ins at or above 50: 0.5. none: its baseline, 0.
  EXPECT_EQ(K(recorded, ws, "lvl").value, 30);
  EXPECT_EQ(K(recorded, ws, "sum").value, 15);
  EXPECT_NEAR(K(recorded, ws, "held").progress, 0.5, 1e-9);
  EXPECT_EQ(K(recorded, ws, "none").value, 0);
  // g: (0.3 + 0.3 + 0.5 + 0) / 4 = 0.275.
  EXPECT_NEAR(*G(recorded, ws, "g").progress, 0.275, 1e-9);

  // Grouped by KPI, in an order other than the KPIs', each group's dates out of order: each KPI
  // is computed as its run of check-ins ends.
  Workspace grouped = ws;
  grouped.checkins.clear();
  for (const char* kpi : {"sum", "lvl", "held"}) {
    for (auto it = ws.checkins.rbegin(); it != ws.checkins.rend(); ++it) {
      if (it->kpi == kpi) grouped.checkins.push_back(*it);
    }
  }
  ExpectSameKpis(ComputeRollup(grouped, D("2026-01-11")), recorded);

  // Grouped, but one KPI's check-ins in two runs: bucketed as if interleaved.
  Workspace split = grouped;
  std::rotate(split.checkins.begin(), split.checkins.begin() + 1, split.checkins.end());
  ASSERT_EQ(split.checkins.front().kpi, "sum");
  ASSERT_EQ(split.checkins.back().kpi, "sum");
  ExpectSameKpis(ComputeRollup(split, D("2026-01-11")), recorded);
}

TEST(RollupOrderTest, SummaryCountsEveryStatus) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("on", D("2026-01-01"), D("2026-01-11")));
  ws.goals.push_back(MakeGoal("off", D("2026-01-01"), D("2026-01-11")));
  ws.goals.push_back(MakeGoal("off2", D("2026-01-01"), D("2026-01-11")));
  ws.kpis.push_back(MakeKpi("k1", "on", KpiKind::kLevel, 0, 10));
  ws.kpis.push_back(MakeKpi("k2", "off", KpiKind::kLevel, 0, 10));
  ws.kpis.push_back(MakeKpi("k3", "off2", KpiKind::kLevel, 0, 10));
  ws.checkins.push_back(MakeCheckin("k1", "2026-01-02", 5));
  const Rollup r = ComputeRollup(ws, D("2026-01-06"));
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kOnTrack)], 1);
  EXPECT_EQ(r.summary[static_cast<size_t>(GoalStatus::kOffTrack)], 2);
  int total = 0;
  for (int n : r.summary) total += n;
  EXPECT_EQ(total, 3);
}

TEST(RollupOrderTest, EmptyWorkspace) {
  const Rollup r = ComputeRollup(Workspace{}, D("2026-01-01"));
  EXPECT_TRUE(r.goals.empty());
  EXPECT_TRUE(r.order.empty());
}

TEST(RollupOrderTest, CheckinsOfUnknownKpisAreIgnored) {
  Workspace ws = OneKpi(KpiKind::kCumulative, 0, 10);
  ws.checkins.push_back(MakeCheckin("k", "2026-01-02", 1));
  ws.checkins.push_back(MakeCheckin("ghost", "2026-01-02", 5));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-03", 2));
  const Rollup r = ComputeRollup(ws, D("2026-01-05"));
  EXPECT_NEAR(*r.kpis[0].value, 3, 1e-9);
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

Checkin Judged(std::string kpi, const char* date, double value, int64_t seq, Confidence c) {
  Checkin out = MakeCheckin(std::move(kpi), date, value, seq);
  out.confidence = c;
  return out;
}

// Spec §2 "Confidence": the latest judgement of a goal's own KPIs dated <= t' (by date, then the
// order recorded), and its distance from the status.
TEST(ConfidenceTest, LatestJudgementByDateThenOrderRecorded) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
  ws.kpis.push_back(MakeKpi("k2", "g", KpiKind::kLevel, 0, 100));
  // Stored out of seq order: seq decides among check-ins of one date, not the position.
  ws.checkins.push_back(Judged("k", "2026-01-12", 50, 3, Confidence::kAtRisk));
  ws.checkins.push_back(Judged("k", "2026-01-10", 50, 1, Confidence::kOffTrack));
  ws.checkins.push_back(Judged("k2", "2026-01-12", 50, 2, Confidence::kOnTrack));
  ws.checkins.push_back(MakeCheckin("k", "2026-01-14", 50, 4));  // no judgement: skipped
  ws.checkins.push_back(Judged("k2", "2026-01-20", 50, 5, Confidence::kOffTrack));  // after t
  const Rollup r = ComputeRollup(ws, D("2026-01-16"));
  const GoalResult& g = G(r, ws, "g");
  // P = 0.5, E = 15/30 = 0.5: on track; the owner says at risk.
  EXPECT_EQ(g.status, GoalStatus::kOnTrack);
  EXPECT_EQ(g.confidence, Confidence::kAtRisk);
  EXPECT_EQ(g.confidence_kpi, 0);  // k's check-in of the 12th, seq 3
  EXPECT_EQ(g.confidence_date, D("2026-01-12"));
  EXPECT_EQ(g.confidence_seq, 3);
  EXPECT_TRUE(g.disagrees);
  ASSERT_TRUE(g.disagreement);
  EXPECT_EQ(*g.disagreement, 1);

  // As of the 20th the later judgement counts (off track vs on track: P 0.5, E 19/30).
  const Rollup later = ComputeRollup(ws, D("2026-01-20"));
  EXPECT_EQ(G(later, ws, "g").status, GoalStatus::kAtRisk);  // gap 0.1333
  EXPECT_EQ(G(later, ws, "g").confidence, Confidence::kOffTrack);
  EXPECT_EQ(*G(later, ws, "g").disagreement, 1);
}

TEST(ConfidenceTest, FrozenAtTheDueDate) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.kpis.push_back(MakeKpi("k", "g", KpiKind::kLevel, 0, 100));
  ws.checkins.push_back(Judged("k", "2026-01-31", 10, 1, Confidence::kOffTrack));
  ws.checkins.push_back(Judged("k", "2026-02-01", 10, 2, Confidence::kOnTrack));
  const Rollup r = ComputeRollup(ws, D("2026-02-10"));
  EXPECT_EQ(G(r, ws, "g").confidence, Confidence::kOffTrack);  // t' = Jan 31
  // Missed is not one of the three: no disagreement.
  EXPECT_EQ(G(r, ws, "g").status, GoalStatus::kMissed);
  EXPECT_FALSE(G(r, ws, "g").disagrees);
  EXPECT_FALSE(G(r, ws, "g").disagreement);
}

TEST(ConfidenceTest, DisagreementRanks) {
  Workspace ws;
  // as of Jan 16 (E = 0.5): "off" has P 0 (off track), "agree" P 0.5 (on track), "done" P 1.
  for (const char* id : {"off", "agree", "done", "none"}) {
    ws.goals.push_back(MakeGoal(id, D("2026-01-01"), D("2026-01-31")));
    ws.kpis.push_back(MakeKpi(std::string(id) + "-k", id, KpiKind::kLevel, 0, 100));
  }
  ws.checkins.push_back(Judged("off-k", "2026-01-10", 0, 1, Confidence::kOnTrack));
  ws.checkins.push_back(Judged("agree-k", "2026-01-10", 50, 2, Confidence::kOnTrack));
  ws.checkins.push_back(Judged("done-k", "2026-01-10", 100, 3, Confidence::kAtRisk));
  ws.checkins.push_back(MakeCheckin("none-k", "2026-01-10", 50, 4));
  const Rollup r = ComputeRollup(ws, D("2026-01-16"));
  EXPECT_EQ(G(r, ws, "off").status, GoalStatus::kOffTrack);
  EXPECT_TRUE(G(r, ws, "off").disagrees);
  EXPECT_EQ(*G(r, ws, "off").disagreement, 2);
  EXPECT_EQ(G(r, ws, "agree").status, GoalStatus::kOnTrack);
  EXPECT_FALSE(G(r, ws, "agree").disagrees);
  EXPECT_EQ(*G(r, ws, "agree").disagreement, 0);
  EXPECT_EQ(G(r, ws, "done").status, GoalStatus::kAchieved);
  EXPECT_EQ(G(r, ws, "done").confidence, Confidence::kAtRisk);
  EXPECT_FALSE(G(r, ws, "done").disagrees);
  EXPECT_FALSE(G(r, ws, "done").disagreement);
  EXPECT_EQ(G(r, ws, "none").confidence, Confidence::kNone);
  EXPECT_EQ(G(r, ws, "none").confidence_kpi, -1);
  EXPECT_FALSE(G(r, ws, "none").disagreement);
}

Spend MakeSpend(std::string goal, const char* date, double amount) {
  Spend s;
  s.goal = std::move(goal);
  s.date = D(date);
  s.amount = amount;
  return s;
}

// Spec §2 "Spend and breakdowns": spent = Σ amounts dated in [start, t'].
TEST(SpendTest, WindowFromStartToTPrime) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("g", D("2026-01-01"), D("2026-01-31")));
  ws.goals.back().budget_max = 1000;
  ws.spend.push_back(MakeSpend("g", "2025-12-31", 100));  // before the start: not counted
  ws.spend.push_back(MakeSpend("g", "2026-01-01", 200));  // on the start date: counted
  ws.spend.push_back(MakeSpend("g", "2026-01-15", 300));
  ws.spend.push_back(MakeSpend("g", "2026-01-20", -25));  // a refund
  ws.spend.push_back(MakeSpend("g", "2026-01-31", 50));   // on the due date
  ws.spend.push_back(MakeSpend("g", "2026-02-02", 400));  // after the due date: never counted

  const Rollup jan20 = ComputeRollup(ws, D("2026-01-20"));
  EXPECT_DOUBLE_EQ(G(jan20, ws, "g").spent, 475);  // 200 + 300 - 25; the 31st is after t
  EXPECT_DOUBLE_EQ(*G(jan20, ws, "g").budget_left, 525);
  const Rollup jan19 = ComputeRollup(ws, D("2026-01-19"));
  EXPECT_DOUBLE_EQ(G(jan19, ws, "g").spent, 500);
  const Rollup feb10 = ComputeRollup(ws, D("2026-02-10"));
  EXPECT_DOUBLE_EQ(G(feb10, ws, "g").spent, 525);  // t' = Jan 31
  EXPECT_DOUBLE_EQ(*G(feb10, ws, "g").budget_left, 475);
}

TEST(SpendTest, NoStartCountsEverythingUpToTAndUnboundedHasNoBudgetLeft) {
  Workspace ws;
  ws.goals.push_back(MakeGoal("u", std::nullopt, std::nullopt));
  ws.goals.push_back(MakeGoal("child", std::nullopt, std::nullopt, "parent"));
  ws.goals.push_back(MakeGoal("parent", D("2026-01-10"), D("2026-03-31")));
  ws.spend.push_back(MakeSpend("u", "2020-01-05", 10));
  ws.spend.push_back(MakeSpend("u", "2026-03-01", 20));
  ws.spend.push_back(MakeSpend("child", "2026-01-09", 7));   // before the inherited start
  ws.spend.push_back(MakeSpend("child", "2026-01-10", 5));
  ws.spend.push_back(MakeSpend("parent", "2026-01-10", 1));  // the parent's own only
  const Rollup r = ComputeRollup(ws, D("2026-02-01"));
  EXPECT_DOUBLE_EQ(G(r, ws, "u").spent, 10);
  EXPECT_FALSE(G(r, ws, "u").budget_left);
  EXPECT_DOUBLE_EQ(G(r, ws, "child").spent, 5);
  EXPECT_DOUBLE_EQ(G(r, ws, "parent").spent, 1);
}

}  // namespace
}  // namespace cascade

#include "analytics/todo.h"

#include <gtest/gtest.h>

#include "core/validate.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
const Date kAsOf = D("2026-03-10");

// dana leads social (under marketing); ava is a member of it. Goals of dana as of 2026-03-10:
//   g1 2026-03-01..03-31, E = 9/30 = 0.3; k1 checked in 03-04 (30), k2 03-03 (30), k3 03-05 (30):
//      P = 0.3, on track; days since 6, 7 and 5 with cadence 7.
//   g2 02-01..03-31, E = 37/58 = 0.638; k4 02-20 (20): P = 0.2, gap 0.438, off track; 18 days.
//   g3 02-01..03-31; a-kpi 02-20 (45): P = 0.45, gap 0.188, at risk; 18 days.
//   g5 not started (04-01..04-30), g6 missed (01-01..03-01), g7 a draft: none of their KPIs.
// ava's g4 has an overdue KPI too, not dana's.
Workspace Build() {
  Workspace ws;
  ws.teams = {{.id = "marketing", .name = "Marketing"},
              {.id = "social", .name = "Social", .parent = "marketing"},
              {.id = "brand", .name = "Brand", .parent = "marketing"}};
  ws.people = {{.id = "dana", .name = "Dana", .team = "social", .role = Role::kLead},
               {.id = "ava", .name = "Ava", .team = "social", .role = Role::kMember}};
  auto goal = [&](const char* id, const char* owner, const char* start, const char* due,
                  GoalState state = GoalState::kActive) {
    ws.goals.push_back({.id = id, .title = "Goal number one", .owner = owner, .team = "social",
                        .start = D(start), .due = D(due), .state = state});
  };
  goal("g1", "dana", "2026-03-01", "2026-03-31");
  goal("g2", "dana", "2026-02-01", "2026-03-31");
  goal("g3", "dana", "2026-02-01", "2026-03-31");
  goal("g4", "ava", "2026-02-01", "2026-03-31");
  goal("g5", "dana", "2026-04-01", "2026-04-30");
  goal("g6", "dana", "2026-01-01", "2026-03-01");
  goal("g7", "dana", "2026-02-01", "2026-03-31", GoalState::kDraft);
  auto kpi = [&](const char* id, const char* g, const char* date, double value) {
    ws.kpis.push_back({.id = id, .goal = g, .name = id, .target = 100});
    ws.checkins.push_back({.kpi = id, .date = D(date), .value = value});
  };
  kpi("k1", "g1", "2026-03-04", 30);
  kpi("k2", "g1", "2026-03-03", 30);
  kpi("k3", "g1", "2026-03-05", 30);
  kpi("k4", "g2", "2026-02-20", 20);
  kpi("a-kpi", "g3", "2026-02-20", 45);
  kpi("k5", "g4", "2026-02-20", 45);
  kpi("k6", "g5", "2026-02-20", 10);
  kpi("k7", "g6", "2026-02-20", 50);
  kpi("k8", "g7", "2026-02-01", 10);
  auto action = [&](const char* id, const char* g, const char* owner, std::optional<Date> due,
                    bool done = false) {
    ws.actions.push_back({.id = id, .goal = g, .title = "Do it", .owner = owner, .due = due,
                          .done = done});
  };
  action("a1", "g1", "dana", D("2026-03-09"));        // overdue by a day
  action("a2", "g1", "dana", D("2026-03-17"));        // due in 7 days: upcoming
  action("a3", "g1", "dana", D("2026-03-18"));        // in 8: not yet
  action("a4", "g1", "dana", D("2026-03-10"));        // today: upcoming, not overdue
  action("a5", "g1", "dana", D("2026-03-01"), true);  // done
  action("a6", "g7", "dana", D("2026-03-01"));        // a draft's
  action("a7", "g1", "ava", D("2026-03-01"));         // ava's
  action("a8", "g2", "dana", D("2026-03-05"));        // overdue by five days
  action("a9", "g2", "dana", std::nullopt);           // no due date
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
  return ws;
}

std::vector<std::string> KpiIds(const Workspace& ws, const TodoList& t) {
  std::vector<std::string> out;
  for (const CheckinDue& c : t.checkins_due) out.push_back(ws.kpis[c.kpi].id);
  return out;
}
std::vector<std::string> ActionIds(const Workspace& ws, const std::vector<int>& list) {
  std::vector<std::string> out;
  for (int a : list) out.push_back(ws.actions[a].id);
  return out;
}

TEST(TodoTest, StatusesOfTheExampleAreAsComputedByHand) {
  const Workspace ws = Build();
  const Rollup r = ComputeRollup(ws, kAsOf);
  EXPECT_EQ(r.goals[0].status, GoalStatus::kOnTrack);
  EXPECT_NEAR(*r.goals[1].expected, 37.0 / 58, 1e-9);
  EXPECT_EQ(r.goals[1].status, GoalStatus::kOffTrack);
  EXPECT_EQ(r.goals[2].status, GoalStatus::kAtRisk);
  EXPECT_EQ(r.goals[4].status, GoalStatus::kNotStarted);
  EXPECT_EQ(r.goals[5].status, GoalStatus::kMissed);
  EXPECT_EQ(r.goals[6].status, GoalStatus::kDraft);
}

TEST(TodoTest, CheckinsDueTomorrowTodayAndOverdueMostOverdueFirst) {
  const Workspace ws = Build();
  auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "dana");
  ASSERT_TRUE(t);
  // a-kpi and k4 are 11 days late (tie: by id), k2 due today (7 of 7), k1 due tomorrow (6 of 7);
  // k3 (5 days) is not due; not-started, missed and draft goals' KPIs and ava's are not dana's to do.
  EXPECT_EQ(KpiIds(ws, *t), (std::vector<std::string>{"a-kpi", "k4", "k2", "k1"}));
  EXPECT_EQ(t->checkins_due[0].days_since, 18);
  EXPECT_EQ(t->checkins_due[0].goal, 2);
  EXPECT_EQ(*t->checkins_due[0].last_checkin, D("2026-02-20"));
  EXPECT_EQ(t->checkins_due[2].days_since, 7);
  EXPECT_EQ(t->checkins_due[3].days_since, 6);
}

TEST(TodoTest, AKpiWithoutCheckinsCountsFromItsGoalsStart) {
  Workspace ws = Build();
  ws.kpis.push_back({.id = "fresh", .goal = "g1", .name = "Fresh", .target = 100, .cadence_days = 9});
  const Rollup r = ComputeRollup(ws, kAsOf);
  auto t = BuildTodoList(ws, r, "dana");
  ASSERT_TRUE(t);
  // g1 started 03-01: 9 days, cadence 9, on time today (late 0, after k2 by id).
  ASSERT_EQ(t->checkins_due.size(), 5u);
  EXPECT_EQ(ws.kpis[t->checkins_due[2].kpi].id, "fresh");
  EXPECT_FALSE(t->checkins_due[2].last_checkin);
  EXPECT_EQ(t->checkins_due[2].days_since, 9);
}

TEST(TodoTest, GoalsAtRiskInCascadeOrder) {
  const Workspace ws = Build();
  auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "dana");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->goals_at_risk.size(), 2u);
  EXPECT_EQ(t->goals_at_risk[0].goal, 1);
  EXPECT_EQ(t->goals_at_risk[0].status, GoalStatus::kOffTrack);
  EXPECT_EQ(t->goals_at_risk[1].goal, 2);
  EXPECT_EQ(t->goals_at_risk[1].status, GoalStatus::kAtRisk);
}

TEST(TodoTest, OverdueAndUpcomingActionsAtTheirBoundaries) {
  const Workspace ws = Build();
  auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "dana");
  ASSERT_TRUE(t);
  EXPECT_EQ(ActionIds(ws, t->overdue_actions), (std::vector<std::string>{"a8", "a1"}));
  EXPECT_EQ(ActionIds(ws, t->upcoming_actions), (std::vector<std::string>{"a4", "a2"}));
  EXPECT_TRUE(IsOverdue(ws.actions[0], kAsOf));
  EXPECT_FALSE(IsOverdue(ws.actions[3], kAsOf));  // due today
  EXPECT_FALSE(IsOverdue(ws.actions[4], kAsOf));  // done
  EXPECT_FALSE(IsOverdue(ws.actions[8], kAsOf));  // no due date
}

TEST(TodoTest, ALeadsTeamIsDueForReviewAfterSevenDays) {
  Workspace ws = Build();
  auto due = [&]() {
    auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "dana");
    EXPECT_TRUE(t);
    return t->reviews_due;
  };
  ASSERT_EQ(due().size(), 1u);  // never reviewed
  EXPECT_EQ(due()[0].team, "social");
  EXPECT_FALSE(due()[0].last_review);

  ws.reviews.push_back({.seq = 1, .date = D("2026-03-02"), .team = ""});  // 8 days ago
  ASSERT_EQ(due().size(), 1u);
  EXPECT_EQ(*due()[0].last_review, D("2026-03-02"));
  ws.reviews.push_back({.seq = 2, .date = D("2026-03-09"), .team = "brand"});  // not social's
  ASSERT_EQ(due().size(), 1u);
  ws.reviews.push_back({.seq = 3, .date = D("2026-03-03"), .team = "marketing"});  // 7 days, above
  EXPECT_TRUE(due().empty());
  ws.reviews.push_back({.seq = 4, .date = D("2026-03-11"), .team = "social"});  // after t: unseen
  EXPECT_TRUE(due().empty());

  auto ava = BuildTodoList(ws, ComputeRollup(Build(), kAsOf), "ava");  // a member: no reviews
  ASSERT_TRUE(ava);
  EXPECT_TRUE(ava->reviews_due.empty());
  EXPECT_EQ(ActionIds(ws, ava->overdue_actions), (std::vector<std::string>{"a7"}));
  EXPECT_EQ(KpiIds(ws, *ava), (std::vector<std::string>{"k5"}));
}

TEST(TodoTest, UnknownPersonIsNotFound) {
  const Workspace ws = Build();
  auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "nobody");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(t.error().message, "person 'nobody' does not exist");
}

// A contributor's to-do holds the goals they contribute to as an owner's does (spec §2): ava
// contributes to dana's off-track g2 (k4, 18 days since its check-in) and to the draft g7.
TEST(TodoTest, AContributorChecksInOnTheGoalsTheyContributeTo) {
  Workspace ws = Build();
  ws.goals[1].contributors = {"ava"};
  ws.goals[6].contributors = {"ava"};
  ASSERT_TRUE(ValidateWorkspace(ws).empty());
  auto t = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "ava");
  ASSERT_TRUE(t);
  // k4 and k5 are both 11 days late: by id. The draft's KPI is nobody's to do.
  EXPECT_EQ(KpiIds(ws, *t), (std::vector<std::string>{"k4", "k5"}));
  EXPECT_EQ(t->checkins_due[0].goal, 1);
  EXPECT_EQ(t->checkins_due[0].days_since, 18);
  ASSERT_EQ(t->goals_at_risk.size(), 2u);
  EXPECT_EQ(t->goals_at_risk[0].goal, 1);
  EXPECT_EQ(t->goals_at_risk[0].status, GoalStatus::kOffTrack);
  EXPECT_EQ(t->goals_at_risk[1].goal, 3);
  EXPECT_EQ(t->goals_at_risk[1].status, GoalStatus::kAtRisk);
  // Actions stay their owner's: a8 on g2 is dana's, a7 ava's own.
  EXPECT_EQ(ActionIds(ws, t->overdue_actions), (std::vector<std::string>{"a7"}));
  // dana's list is unchanged by ava's contributing.
  auto dana = BuildTodoList(ws, ComputeRollup(ws, kAsOf), "dana");
  ASSERT_TRUE(dana);
  EXPECT_EQ(KpiIds(ws, *dana), (std::vector<std::string>{"a-kpi", "k4", "k2", "k1"}));
}

}  // namespace
}  // namespace cascade

#include "analytics/allocation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cascade {
namespace {

AllocationCandidate C(const char* goal, double g, double min = 0,
                      std::optional<double> max = std::nullopt) {
  return {goal, g, min, max};
}

double Sum(const AllocationResult& r) {
  double s = 0;
  for (const Allocation& a : r.allocations) s += a.amount;
  return s;
}

TEST(AllocateBudgetTest, UnboundedSplitIsProportionalToGSquared) {
  // x = λ·g², Σ g² = 14, so λ = 1400 / 14 = 100: 100, 400, 900.
  auto r = AllocateBudget({C("a", 1), C("b", 2), C("c", 3)}, 1400);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->allocations.size(), 3u);
  EXPECT_NEAR(r->lambda, 100, 1e-9);
  EXPECT_NEAR(r->allocations[0].amount, 100, 1e-9);
  EXPECT_NEAR(r->allocations[1].amount, 400, 1e-9);
  EXPECT_NEAR(r->allocations[2].amount, 900, 1e-9);
  EXPECT_NEAR(*r->allocations[0].share, 100.0 / 1400, 1e-12);
  EXPECT_NEAR(*r->allocations[2].share, 900.0 / 1400, 1e-12);
  // Σ g·√x = 1·10 + 2·20 + 3·30.
  EXPECT_NEAR(r->total_uplift, 140, 1e-9);
  EXPECT_EQ(r->allocations[1].goal, "b");
  EXPECT_EQ(r->allocations[1].growth_potential, 2);
  for (const Allocation& a : r->allocations) EXPECT_EQ(a.bound, BudgetBound::kNone);
}

TEST(AllocateBudgetTest, BindingUpperBound) {
  // c would get 900 but is capped at 500; a and b share the rest: λ·(1 + 4) = 900, λ = 180.
  auto r = AllocateBudget({C("a", 1), C("b", 2), C("c", 3, 0, 500)}, 1400);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->lambda, 180, 1e-9);
  EXPECT_NEAR(r->allocations[0].amount, 180, 1e-9);
  EXPECT_NEAR(r->allocations[1].amount, 720, 1e-9);
  EXPECT_NEAR(r->allocations[2].amount, 500, 1e-9);
  EXPECT_EQ(r->allocations[2].bound, BudgetBound::kMax);
  EXPECT_EQ(r->allocations[0].bound, BudgetBound::kNone);
  EXPECT_NEAR(r->total_uplift, std::sqrt(180.0) + 2 * std::sqrt(720.0) + 3 * std::sqrt(500.0),
              1e-9);
}

TEST(AllocateBudgetTest, BindingLowerBound) {
  // a would get 100 but needs 300; b and c share 1,100: λ = 1100 / 13.
  auto r = AllocateBudget({C("a", 1, 300), C("b", 2), C("c", 3)}, 1400);
  ASSERT_TRUE(r);
  const double lambda = 1100.0 / 13;
  EXPECT_NEAR(r->lambda, lambda, 1e-9);
  EXPECT_NEAR(r->allocations[0].amount, 300, 1e-9);
  EXPECT_EQ(r->allocations[0].bound, BudgetBound::kMin);
  EXPECT_NEAR(r->allocations[1].amount, 4 * lambda, 1e-9);
  EXPECT_NEAR(r->allocations[2].amount, 9 * lambda, 1e-9);
}

TEST(AllocateBudgetTest, BothBoundsBind) {
  // a at its minimum 300, c at its maximum 600, b takes the remaining 500 (λ = 125).
  auto r = AllocateBudget({C("a", 1, 300), C("b", 2), C("c", 3, 0, 600)}, 1400);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->lambda, 125, 1e-9);
  EXPECT_NEAR(r->allocations[0].amount, 300, 1e-9);
  EXPECT_NEAR(r->allocations[1].amount, 500, 1e-9);
  EXPECT_NEAR(r->allocations[2].amount, 600, 1e-9);
  EXPECT_EQ(r->allocations[0].bound, BudgetBound::kMin);
  EXPECT_EQ(r->allocations[1].bound, BudgetBound::kNone);
  EXPECT_EQ(r->allocations[2].bound, BudgetBound::kMax);
  EXPECT_NEAR(r->total_uplift, std::sqrt(300.0) + 2 * std::sqrt(500.0) + 3 * std::sqrt(600.0),
              1e-9);
}

TEST(AllocateBudgetTest, ZeroGrowthPotentialGetsItsMinimum) {
  auto r = AllocateBudget({C("flat", 0, 50, 5000), C("grow", 2)}, 1000);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->allocations[0].amount, 50, 1e-9);
  EXPECT_EQ(r->allocations[0].bound, BudgetBound::kMin);
  EXPECT_NEAR(r->allocations[1].amount, 950, 1e-9);
  EXPECT_NEAR(r->total_uplift, 2 * std::sqrt(950.0), 1e-9);
}

TEST(AllocateBudgetTest, BudgetAtTheSumOfMinimumsOrMaximums) {
  auto at_min = AllocateBudget({C("a", 1, 100, 200), C("b", 3, 400, 800)}, 500);
  ASSERT_TRUE(at_min);
  EXPECT_NEAR(at_min->allocations[0].amount, 100, 1e-9);
  EXPECT_NEAR(at_min->allocations[1].amount, 400, 1e-9);
  auto at_max = AllocateBudget({C("a", 1, 100, 200), C("b", 3, 400, 800)}, 1000);
  ASSERT_TRUE(at_max);
  EXPECT_NEAR(at_max->allocations[0].amount, 200, 1e-9);
  EXPECT_NEAR(at_max->allocations[1].amount, 800, 1e-9);
  EXPECT_EQ(at_max->allocations[0].bound, BudgetBound::kMax);
  EXPECT_EQ(at_max->allocations[1].bound, BudgetBound::kMax);
}

TEST(AllocateBudgetTest, ZeroBudgetHasNoShares) {
  auto r = AllocateBudget({C("a", 1), C("b", 2)}, 0);
  ASSERT_TRUE(r);
  for (const Allocation& a : r->allocations) {
    EXPECT_EQ(a.amount, 0);
    EXPECT_FALSE(a.share);
  }
  EXPECT_EQ(r->total_uplift, 0);
}

TEST(AllocateBudgetTest, AmountsAddUpToTheBudget) {
  auto r = AllocateBudget({C("a", 0.3, 10, 20), C("b", 1.7, 0, 4000), C("c", 2.9), C("d", 1.1)},
                          12345.678);
  ASSERT_TRUE(r);
  EXPECT_NEAR(Sum(*r), 12345.678, 1e-9);
  // Every goal inside its bounds is at λ·g².
  for (const Allocation& a : r->allocations) {
    if (a.bound == BudgetBound::kNone) {
      EXPECT_NEAR(a.amount, r->lambda * a.growth_potential * a.growth_potential, 1e-6);
    }
  }
}

TEST(AllocateBudgetTest, RefusesInfeasibleBudgetsNamingTheSums) {
  auto below = AllocateBudget({C("a", 1, 500), C("b", 2, 600)}, 1000);
  ASSERT_FALSE(below);
  EXPECT_EQ(below.error().code, ErrorCode::kInvalid);
  EXPECT_NE(below.error().message.find("minimums"), std::string::npos);
  EXPECT_NE(below.error().message.find("1100"), std::string::npos) << below.error().message;

  auto above = AllocateBudget({C("a", 1, 0, 100), C("b", 2, 0, 200)}, 1000);
  ASSERT_FALSE(above);
  EXPECT_NE(above.error().message.find("maximums"), std::string::npos);
  EXPECT_NE(above.error().message.find("300"), std::string::npos) << above.error().message;

  // The maximums allow 1,000,100, but the goal without growth potential stays at its minimum.
  auto flat = AllocateBudget({C("flat", 0, 0, 1000000), C("b", 1, 0, 100)}, 500);
  ASSERT_FALSE(flat);
  EXPECT_NE(flat.error().message.find("flat"), std::string::npos) << flat.error().message;

  EXPECT_FALSE(AllocateBudget({C("a", 1)}, -1));
  EXPECT_FALSE(AllocateBudget({C("a", 1)}, std::nan("")));
  EXPECT_FALSE(AllocateBudget({}, 100));
  EXPECT_FALSE(AllocateBudget({C("a", -1)}, 100));
  EXPECT_FALSE(AllocateBudget({C("a", 1, 50, 10)}, 100));
}

Workspace AllocationWorkspace() {
  Workspace ws;
  auto add = [&ws](const char* id, Level level, double g, GoalState state = GoalState::kActive) {
    Goal goal;
    goal.id = id;
    goal.title = id;
    goal.level = level;
    goal.growth_potential = g;
    goal.state = state;
    ws.goals.push_back(goal);
  };
  add("brand", Level::kMacro, 5);  // macro: not a default candidate
  add("social", Level::kMicro, 1);
  add("seo", Level::kMicro, 2);
  add("idle", Level::kMicro, 0);                      // no growth potential
  add("later", Level::kMicro, 4, GoalState::kDraft);  // not active
  add("gone", Level::kMicro, 4, GoalState::kCancelled);
  return ws;
}

// The roll-up of AllocationWorkspace (no KPIs: every goal unmeasured).
Rollup Rollup0() { return ComputeRollup(AllocationWorkspace(), *Date::Parse("2026-03-01")); }

TEST(AllocateWorkspaceBudgetTest, DefaultCandidatesAreActiveMicroGoalsWithPotential) {
  auto r = AllocateWorkspaceBudget(AllocationWorkspace(), Rollup0(), 500, {});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->allocations.size(), 2u);
  EXPECT_EQ(r->allocations[0].goal, "social");
  EXPECT_EQ(r->allocations[1].goal, "seo");
  EXPECT_NEAR(r->allocations[0].amount, 100, 1e-9);
  EXPECT_NEAR(r->allocations[1].amount, 400, 1e-9);
}

TEST(AllocateWorkspaceBudgetTest, NamedGoalsInTheOrderGiven) {
  auto r = AllocateWorkspaceBudget(AllocationWorkspace(), Rollup0(), 2500, {"brand", "idle", "seo"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->allocations.size(), 3u);
  EXPECT_EQ(r->allocations[0].goal, "brand");
  // λ·(25 + 4) = 2,500.
  EXPECT_NEAR(r->allocations[0].amount, 2500.0 * 25 / 29, 1e-9);
  EXPECT_NEAR(r->allocations[1].amount, 0, 1e-9);
  EXPECT_NEAR(r->allocations[2].amount, 2500.0 * 4 / 29, 1e-9);

  auto unknown = AllocateWorkspaceBudget(AllocationWorkspace(), Rollup0(), 100, {"seo", "nope"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto twice = AllocateWorkspaceBudget(AllocationWorkspace(), Rollup0(), 100, {"seo", "seo"});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kInvalid);
}

TEST(AllocateWorkspaceBudgetTest, NoCandidates) {
  Workspace ws;
  auto r = AllocateWorkspaceBudget(ws, ComputeRollup(ws, *Date::Parse("2026-03-01")), 100, {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("growth potential"), std::string::npos);
}

// As of 2026-03-01: social missed (due 01-31, 50%), seo achieved, ads at 50% with 600 spent,
// blog unmeasured. The social channel: Σ P = 0.5 + 0.5, spent 600, so 600 a goal done.
TEST(AllocateWorkspaceBudgetTest, GoalsThatAreOverAreNoCandidatesAndSpendShowsBeside) {
  Workspace ws;
  auto add = [&ws](const char* id, double g, const char* channel, const char* due,
                   std::optional<double> value) {
    Goal goal;
    goal.id = id;
    goal.title = id;
    goal.level = Level::kMicro;
    goal.growth_potential = g;
    goal.channel = channel;
    goal.start = *Date::Parse("2026-01-01");
    goal.due = *Date::Parse(due);
    ws.goals.push_back(goal);
    if (!value) return;
    Kpi k;
    k.id = std::string(id) + "-kpi";
    k.goal = id;
    k.baseline = 0;
    k.target = 10;
    ws.kpis.push_back(k);
    ws.checkins.push_back({k.id, *Date::Parse("2026-01-20"), *value, "", "",
                           static_cast<int64_t>(ws.checkins.size()) + 1});
  };
  add("social", 5, "social", "2026-01-31", 5);
  add("seo", 5, "seo", "2026-06-30", 10);
  add("ads", 3, "social", "2026-06-30", 5);
  add("blog", 1, "social", "2026-06-30", std::nullopt);
  ws.spend.push_back({1, "ads", *Date::Parse("2026-02-01"), 600, "", ""});
  const Rollup rollup = ComputeRollup(ws, *Date::Parse("2026-03-01"));
  ASSERT_EQ(rollup.goals[0].status, GoalStatus::kMissed);
  ASSERT_EQ(rollup.goals[1].status, GoalStatus::kAchieved);
  auto r = AllocateWorkspaceBudget(ws, rollup, 1000, {});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->allocations.size(), 2u);
  // λ·(9 + 1) = 1,000.
  EXPECT_EQ(r->allocations[0].goal, "ads");
  EXPECT_NEAR(r->allocations[0].amount, 900, 1e-9);
  EXPECT_DOUBLE_EQ(r->allocations[0].spent, 600);
  EXPECT_NEAR(*r->allocations[0].channel_cost_per_goal_done, 600, 1e-9);
  EXPECT_EQ(r->allocations[1].goal, "blog");
  EXPECT_NEAR(r->allocations[1].amount, 100, 1e-9);
  EXPECT_DOUBLE_EQ(r->allocations[1].spent, 0);
  EXPECT_NEAR(*r->allocations[1].channel_cost_per_goal_done, 600, 1e-9);
  // Named, a goal that is over is allocated to all the same; seo's channel has spent nothing.
  r = AllocateWorkspaceBudget(ws, rollup, 100, {"seo"});
  ASSERT_TRUE(r);
  EXPECT_NEAR(*r->allocations[0].channel_cost_per_goal_done, 0, 1e-12);
}

}  // namespace
}  // namespace cascade

#include "analytics/allocation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "analytics/breakdown.h"
#include "core/validate.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;
constexpr double kInf = std::numeric_limits<double>::infinity();

// A point where the slope of Σ x(λ) changes: a goal starts to rise at λ = min/g² and stops at
// λ = max/g².
struct Breakpoint {
  double lambda;
  double slope_change;  // +g² when it starts rising, −g² when it stops
};

double AmountAt(const AllocationCandidate& c, double lambda) {
  if (c.growth_potential <= 0) return c.budget_min;
  const double x = lambda * c.growth_potential * c.growth_potential;
  return std::clamp(x, c.budget_min, c.budget_max.value_or(kInf));
}

}  // namespace

std::string_view ToString(BudgetBound b) {
  switch (b) {
    case BudgetBound::kNone:
      return "";
    case BudgetBound::kMin:
      return "min";
    case BudgetBound::kMax:
      return "max";
  }
  return "";
}

Result<AllocationResult> AllocateBudget(const std::vector<AllocationCandidate>& candidates,
                                        double budget) {
  if (!IsEntryValue(budget) || budget < 0) {
    return Error::Invalid("budget " + RefusalNumber(budget) + " is not allowed; use 0 to 1e15", "",
                          "", "budget");
  }
  if (candidates.empty()) {
    return Error::Invalid(
        "there is no goal to allocate to: no active micro goal that is neither achieved nor "
        "missed has a growth potential above 0; set growth potentials or name goals",
        "", "", "goal");
  }
  double sum_min = 0, sum_max = 0, sum_takeable = 0;
  std::string fixed;  // goals without growth potential, which keep their minimum
  for (const AllocationCandidate& c : candidates) {
    const double max = c.budget_max.value_or(kInf);
    if (!std::isfinite(c.growth_potential) || c.growth_potential < 0 ||
        !std::isfinite(c.budget_min) || c.budget_min < 0 || std::isnan(max) || max < c.budget_min) {
      return Error::Invalid("goal '" + c.goal +
                                "': growth potential must be 0 or more and 0 ≤ budget_min ≤ "
                                "budget_max",
                            "goal", c.goal, "growth_potential");
    }
    sum_min += c.budget_min;
    sum_max += max;
    if (c.growth_potential > 0) {
      sum_takeable += max;
    } else {
      sum_takeable += c.budget_min;
      fixed += (fixed.empty() ? "" : ", ") + c.goal;
    }
  }
  if (sum_min > budget + kEps) {
    return Error::Invalid("budget " + RefusalNumber(budget) +
                              " is less than the goals' minimums, which "
                              "sum to " +
                              RefusalNumber(sum_min) + "; raise the budget or lower budget_min",
                          "", "", "budget");
  }
  if (sum_max < budget - kEps) {
    return Error::Invalid("budget " + RefusalNumber(budget) +
                              " is more than the goals' maximums, which "
                              "sum to " +
                              RefusalNumber(sum_max) +
                              "; lower the budget, raise budget_max or add goals",
                          "", "", "budget");
  }
  if (sum_takeable < budget - kEps) {
    return Error::Invalid("budget " + RefusalNumber(budget) +
                              " is more than the goals can take: goals " +
                              "without growth potential (" + fixed +
                              ") get only their minimum, so the amounts sum to at most " +
                              RefusalNumber(sum_takeable) +
                              "; lower the budget or give those goals a growth potential",
                          "", "", "budget");
  }

  // Σ x(λ) is continuous, non-decreasing and linear between breakpoints: walk them in order until
  // the sum reaches the budget, then solve the linear piece for λ.
  std::vector<Breakpoint> points;
  for (const AllocationCandidate& c : candidates) {
    const double g2 = c.growth_potential * c.growth_potential;
    if (g2 <= 0) continue;
    points.push_back({c.budget_min / g2, g2});
    if (c.budget_max) points.push_back({*c.budget_max / g2, -g2});
  }
  std::sort(points.begin(), points.end(),
            [](const Breakpoint& a, const Breakpoint& b) { return a.lambda < b.lambda; });
  double lambda = 0, sum = sum_min, slope = 0;
  size_t i = 0;
  while (i < points.size()) {
    const double next = points[i].lambda;
    const double sum_next = sum + slope * (next - lambda);
    if (sum_next >= budget) break;
    lambda = next;
    sum = sum_next;
    for (; i < points.size() && points[i].lambda == next; ++i) slope += points[i].slope_change;
  }
  if (slope > 0 && budget > sum) lambda += (budget - sum) / slope;

  AllocationResult out;
  out.budget = budget;
  out.lambda = lambda;
  double total = 0;
  for (const AllocationCandidate& c : candidates) {
    Allocation a;
    a.goal = c.goal;
    a.growth_potential = c.growth_potential;
    a.amount = AmountAt(c, lambda);
    const double free = c.growth_potential * c.growth_potential * lambda;
    if (c.growth_potential <= 0 || free <= c.budget_min) {
      a.bound = BudgetBound::kMin;
    } else if (c.budget_max && free >= *c.budget_max) {
      a.bound = BudgetBound::kMax;
    }
    total += a.amount;
    out.allocations.push_back(a);
  }
  // Rounding leaves Σ x a few ulps from B: the largest goal strictly inside its bounds absorbs
  // the difference, so the amounts add up to the budget.
  Allocation* largest_free = nullptr;
  for (Allocation& a : out.allocations) {
    if (a.bound == BudgetBound::kNone && (!largest_free || a.amount > largest_free->amount)) {
      largest_free = &a;
    }
  }
  if (largest_free != nullptr) largest_free->amount += budget - total;
  for (Allocation& a : out.allocations) {
    if (budget > 0) a.share = a.amount / budget;
    out.total_uplift += a.growth_potential * std::sqrt(std::max(a.amount, 0.0));
  }
  return out;
}

Result<AllocationResult> AllocateWorkspaceBudget(const Workspace& ws, const Rollup& rollup,
                                                 double budget,
                                                 const std::vector<std::string>& goals) {
  std::vector<AllocationCandidate> candidates;
  std::vector<size_t> positions;  // parallel to candidates
  auto candidate = [](const Goal& g) {
    return AllocationCandidate{g.id, g.growth_potential, g.budget_min, g.budget_max};
  };
  if (goals.empty()) {
    for (size_t i = 0; i < ws.goals.size(); ++i) {
      const Goal& g = ws.goals[i];
      const GoalStatus status = rollup.goals[i].status;
      // Money for a goal that is over (achieved, missed) changes nothing.
      if (g.state == GoalState::kActive && g.level == Level::kMicro && g.growth_potential > 0 &&
          status != GoalStatus::kAchieved && status != GoalStatus::kMissed) {
        candidates.push_back(candidate(g));
        positions.push_back(i);
      }
    }
  } else {
    for (size_t i = 0; i < goals.size(); ++i) {
      const std::string& id = goals[i];
      if (std::find(goals.begin(), goals.begin() + static_cast<long>(i), id) !=
          goals.begin() + static_cast<long>(i)) {
        return Error::Invalid("goal '" + id + "' is named twice; name each goal once", "goal", id,
                              "goal");
      }
      const auto it = std::find_if(ws.goals.begin(), ws.goals.end(),
                                   [&id](const Goal& g) { return g.id == id; });
      if (it == ws.goals.end()) {
        return Error::NotFound("goal '" + id + "' does not exist", "goal", id, "goal");
      }
      candidates.push_back(candidate(*it));
      positions.push_back(static_cast<size_t>(it - ws.goals.begin()));
    }
  }
  auto result = AllocateBudget(candidates, budget);
  if (!result) return result;
  const Breakdown channels = ComputeBreakdown(ws, rollup, BreakdownField::kChannel);
  for (size_t i = 0; i < result->allocations.size(); ++i) {
    Allocation& a = result->allocations[i];
    a.spent = rollup.goals[positions[i]].spent;
    const BreakdownGroup* group = FindGroup(channels, ws.goals[positions[i]].channel);
    if (group != nullptr) a.channel_cost_per_goal_done = group->cost_per_goal_done;
  }
  return result;
}

}  // namespace cascade

// Budget allocation by growth potential (spec §2, Allocation): maximise Σ g·√x over the candidate
// goals subject to Σ x = B and each goal's [budget_min, budget_max]. The optimum is the
// water-filling x_i = clamp(λ·g_i², min_i, max_i); λ is found exactly from the sorted breakpoints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct AllocationCandidate {
  std::string goal;
  double growth_potential = 0;  // g ≥ 0
  double budget_min = 0;
  std::optional<double> budget_max;  // nullopt = unbounded
};

enum class BudgetBound { kNone, kMin, kMax };  // which bound holds a goal's amount, if any
std::string_view ToString(BudgetBound b);      // "", "min", "max"

struct Allocation {
  std::string goal;
  double growth_potential = 0;
  double amount = 0;
  std::optional<double> share;  // amount / B; null when B = 0
  BudgetBound bound = BudgetBound::kNone;
  // Beside the amount, for a goal of the workspace (AllocateWorkspaceBudget): what it has spent so
  // far, and its channel's cost_per_goal_done (analytics/breakdown.h; null when that has none).
  double spent = 0;
  std::optional<double> channel_cost_per_goal_done;
};

struct AllocationResult {
  double budget = 0;
  std::vector<Allocation> allocations;  // in candidate order
  double total_uplift = 0;              // Σ g·√x
  double lambda = 0;                    // the water level λ
};

// The optimal split of `budget` over `candidates` (goals with g = 0 get their minimum). Refuses
// (kInvalid) a negative or non-finite budget, no candidates, a candidate with g < 0 or bounds out
// of order, a budget below the sum of the minimums or above the sum of the maximums (each message
// names the sum), and a budget above what the goals can take when those without growth potential
// stay at their minimum. Σ amount = budget to the last rounding step.
Result<AllocationResult> AllocateBudget(const std::vector<AllocationCandidate>& candidates,
                                        double budget);

// AllocateBudget over goals of `ws`: those named in `goals` (in that order; kNotFound for an
// unknown id, kInvalid for one named twice), else every active micro goal with growth_potential > 0
// whose status in `rollup` (computed on `ws`) is neither achieved nor missed, in workspace order.
// Each allocation carries its goal's spent and its channel's cost_per_goal_done.
Result<AllocationResult> AllocateWorkspaceBudget(const Workspace& ws, const Rollup& rollup,
                                                 double budget,
                                                 const std::vector<std::string>& goals);

}  // namespace cascade

// Budget allocation by growth potential (spec §2, Allocation): maximise Σ g·√x over the candidate
// goals subject to Σ x = B and each goal's [budget_min, budget_max]. The optimum is the
// water-filling x_i = clamp(λ·g_i², min_i, max_i); λ is found exactly from the sorted breakpoints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"

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
// in workspace order.
Result<AllocationResult> AllocateWorkspaceBudget(const Workspace& ws, double budget,
                                                 const std::vector<std::string>& goals);

}  // namespace cascade

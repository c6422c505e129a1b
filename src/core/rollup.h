// The roll-up (spec §2): every KPI's value, attainment, progress, forecast and staleness and every
// goal's progress, expected progress, forecast and status as of a date, computed in one pass.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/big_vector.h"
#include "core/date.h"
#include "core/model.h"

namespace cascade {

enum class GoalStatus {
  kCancelled,
  kDraft,
  kUnmeasured,
  kAchieved,
  kUnscheduled,
  kMissed,
  kNotStarted,
  kOnTrack,
  kAtRisk,
  kOffTrack,
};
inline constexpr int kGoalStatusCount = 10;
std::string_view ToString(GoalStatus s);  // "on_track", "not_started", …
std::optional<GoalStatus> ParseGoalStatus(std::string_view s);

struct KpiResult {
  std::optional<double> value;       // V; null for a threshold KPI without baseline or check-ins
  double attainment = 0;             // unclamped
  double progress = 0;               // clamped to [0, 1]
  std::optional<double> forecast;    // null with < 2 points, for thresholds, or without start/due
  std::optional<Date> last_checkin;  // within the goal's window
  bool stale = false;
};

struct GoalResult {
  std::optional<Date> start;  // effective: own, else inherited from the nearest ancestor with one
  std::optional<Date> due;
  std::optional<double> progress;  // P
  std::optional<double> expected;  // E
  std::optional<double> forecast;
  GoalStatus status = GoalStatus::kUnmeasured;
};

struct Rollup {
  Date as_of;
  BigVector<GoalResult> goals;  // parallel to Workspace::goals
  BigVector<KpiResult> kpis;    // parallel to Workspace::kpis
  // Goal positions, parents before children, siblings in creation order (depth-first).
  BigVector<int> order;
  BigVector<int> depth;  // parallel to Workspace::goals: 0 for roots
  std::array<int, kGoalStatusCount> summary{};  // goals per status
};

// Computes the roll-up of a valid workspace (see ValidateWorkspace) as of `as_of`.
// Runs in O(goals + KPIs + check-ins); check-ins need not be sorted.
Rollup ComputeRollup(const Workspace& ws, Date as_of);

}  // namespace cascade

namespace cascade {

// Pieces of ComputeRollup, for computing part of a roll-up again (core/incremental_rollup.h)
// with the very formulas it uses. `start` is the goal's effective start, `due` its due date.
// One KPI's result from its check-ins (in any order), without `stale`.
KpiResult RollupKpi(const Kpi& kpi, std::optional<Date> start, std::optional<Date> due,
                    std::span<const Checkin> checkins, Date as_of);
// A goal's expected progress (E) and status once start, due, progress and forecast are set.
void RollupFinishGoal(GoalState state, Date as_of, GoalResult& r);
// Whether a KPI of a goal with result `goal` is stale.
bool RollupKpiStale(const KpiResult& kpi, int cadence_days, const GoalResult& goal, Date as_of);

}  // namespace cascade

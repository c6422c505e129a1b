// The roll-up (spec §2): every KPI's value, attainment, progress, forecast and staleness and every
// goal's progress, expected progress, forecast and status as of a date, computed in one pass.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/achieved_on.h"
#include "core/big_vector.h"
#include "core/cow_array.h"
#include "core/order_rope.h"
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
  // False for a KPI left out of its goal's items (spec §2): a benchmark, or a formula that cannot
  // be computed (value null). Its attainment and progress then mean nothing (shown as null).
  bool counted = true;
  // Its history at 100% (core/achieved_on.h): the first date <= t' its progress reached 1, and
  // whether it fell back below 1 after that date.
  std::optional<Date> first_full;
  bool full_dips = false;
};

struct GoalResult {
  std::optional<Date> start;  // effective: own, else inherited from the nearest ancestor with one
  std::optional<Date> due;
  std::optional<double> progress;  // P
  std::optional<double> expected;  // E
  std::optional<double> forecast;
  GoalStatus status = GoalStatus::kUnmeasured;
  // The confidence of the latest check-in of its own KPIs dated <= t' that carries one (date,
  // then order recorded); kNone if none. `disagreement` = |rank(status) - rank(confidence)| when
  // both are one of on_track/at_risk/off_track (spec §2 "Confidence"), else null.
  Confidence confidence = Confidence::kNone;
  // That check-in: its KPI's position (-1: none), date and seq (what DisagreementOf finds it by).
  int confidence_kpi = -1;
  Date confidence_date;
  int64_t confidence_seq = 0;
  bool disagrees = false;
  std::optional<int> disagreement;
  double spent = 0;                   // its spend dated in [start, t'] (no start: <= t')
  std::optional<double> budget_left;  // budget_max - spent; null when unbounded
  // The first check-in date <= t' on which P as of that date reached 1, even if it fell back
  // since (spec §2 "Recognition"); null when none, and for a goal that is not active.
  std::optional<Date> achieved_on;
  // How its history at 100% composes into its parent's (core/achieved_on.h): kExact goals are
  // full from full_from on (never when null).
  AchievedKind achieved_kind = AchievedKind::kNoItems;
  std::optional<Date> full_from;
};

struct Rollup {
  Date as_of;
  // Shared copy-on-write between copies (core/cow_array.h): the server copies a roll-up at every
  // write and computes again only what the write touched.
  CowArray<GoalResult> goals;  // parallel to Workspace::goals
  CowArray<KpiResult> kpis;    // parallel to Workspace::kpis
  // Goal positions, parents before children, siblings in creation order (depth-first).
  OrderRope order;
  CowArray<int> depth;  // parallel to Workspace::goals: 0 for roots
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
// `full_spans`, when given, receives the dates it is at 100% (core/achieved_on.h).
KpiResult RollupKpi(const Kpi& kpi, std::optional<Date> start, std::optional<Date> due,
                    std::span<const Checkin> checkins, Date as_of,
                    DateSpans* full_spans = nullptr);
// A goal's expected progress (E) and status once start, due, progress and forecast are set.
void RollupFinishGoal(GoalState state, Date as_of, GoalResult& r);
// A goal's history at 100% from its items (core/achieved_on.h): its KPIs that are not benchmarks
// and its active children, added in any order; Finish sets achieved_kind, full_from and, unless
// the goal is kComplex (then true is returned and the caller computes it from GoalHistory),
// achieved_on.
class AchievedAccumulator {
 public:
  void AddKpi(const KpiResult& k, bool formula) {
    any_ = true;
    if (formula) {
      complex_ = true;
    } else if (!k.first_full) {
      never_ = true;
    } else {
      from_ = std::max(from_, *k.first_full);
      complex_ |= k.full_dips;
    }
  }
  void AddChild(const GoalResult& c) {
    if (c.achieved_kind == AchievedKind::kNoItems) return;
    any_ = true;
    if (c.achieved_kind == AchievedKind::kComplex) {
      complex_ = true;
    } else if (!c.full_from) {
      never_ = true;
    } else {
      from_ = std::max(from_, *c.full_from);
    }
  }
  bool Finish(GoalState state, Date as_of, GoalResult& r) const;

 private:
  Date from_ = kBeforeAnyDate;
  bool any_ = false;
  bool never_ = false;
  bool complex_ = false;
};
// The last date achieved_on may take: t' = min(t, due).
inline Date AchievedUntil(const GoalResult& r, Date as_of) {
  return r.due && *r.due < as_of ? *r.due : as_of;
}

// Whether a KPI of a goal with result `goal` is stale.
bool RollupKpiStale(const KpiResult& kpi, int cadence_days, const GoalResult& goal, Date as_of);
// Sets a goal's confidence to the judgement of check-in `c` of its KPI at position `kpi` (kNone:
// none), and its disagreement with r.status.
void RollupJudge(GoalResult& r, const Checkin* c, int kpi);
// Whether check-in `c` judges its goal later than `best` does: by date, then order recorded.
// Among check-ins of the same date and seq the later one in workspace order wins, so a caller
// goes through them in that order.
inline bool RollupLaterJudgement(const Checkin& c, const Checkin& best) {
  return c.date > best.date || (c.date == best.date && c.seq >= best.seq);
}

}  // namespace cascade

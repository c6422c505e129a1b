// What `checkin` confirms after a write (spec §5: "the KPI's new value and its goal's progress and
// status"), before and after, computed on the part of the workspace the write loaded
// (Store::LoadScope: the goal's subtree and ancestors, enough for its roll-up).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct CheckinOutcome {
  std::string kpi;
  std::string kpi_name;
  std::string value_text;  // "6.5% / 20%", "57 (line ≥ 50, held 4/5)", "done" (the unit as stored)
  std::optional<double> value;            // V after the write
  std::optional<double> previous_value;   // V before it
  std::string goal;
  std::string goal_title;
  std::optional<double> progress;         // the goal's P after the write
  std::optional<double> previous_progress;
  GoalStatus status = GoalStatus::kUnmeasured;
  GoalStatus previous_status = GoalStatus::kUnmeasured;
  // Why the check-in does not count in the value (spec §2's window), "" when it does: "dated
  // before the goal's start (2026-12-15)", "dated after the goal's due date (…)", "dated after
  // the as-of date (…)".
  std::string not_counted;
};

// The KPI `kpi` and its goal as of `as_of` in `before` and `after` (each holding the KPI, its
// goal's subtree and ancestors, and their check-ins). nullopt when `after` does not hold the KPI.
std::optional<CheckinOutcome> DescribeCheckin(const Workspace& before, const Workspace& after,
                                              const std::string& kpi, Date checkin_date,
                                              Date as_of);

// Two lines under the change line:
//   "  Market share: 6.5% / 20% (was 4.6%)"
//   "  Achieve 20% market share …: 72% on track (was 70% on track)"
// "(was …)" only for what changed; a third line when the check-in falls outside the goal's window
// ("  Not counted: dated before the goal's start (2026-12-15)."). Text from the database is made
// visible.
std::string RenderCheckinOutcome(const CheckinOutcome& outcome);

// {"kpi": {id, value, previous_value, counted}, "goal": {id, progress, status, previous_progress,
// previous_status}}.
nlohmann::json CheckinOutcomeToJson(const CheckinOutcome& outcome);

}  // namespace cascade

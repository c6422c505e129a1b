// One person's to-do list (spec §2, "Overdue actions and the to-do list"): what they must do now —
// check-ins due, their goals at risk, their actions overdue or due within a week, and the reviews
// their team is due for. Deterministic from the data as of a date, so `todo` on the CLI, the API's
// `/me/todo` and the dashboard's My work page show the same list.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// An action is overdue when it is not done and its due date is before t.
bool IsOverdue(const Action& action, Date as_of);

struct CheckinDue {
  int kpi = 0;   // position in Workspace::kpis
  int goal = 0;  // position in Workspace::goals
  std::optional<Date> last_checkin;
  int days_since = 0;  // t − (last check-in, else the goal's start)
};

struct GoalAtRisk {
  int goal = 0;
  GoalStatus status = GoalStatus::kAtRisk;  // at_risk or off_track
};

struct GoalDisagreement {
  int goal = 0;
  Confidence confidence = Confidence::kNone;  // the owner's judgement
  GoalStatus status = GoalStatus::kOnTrack;   // the numbers'
};

struct ReviewDue {
  std::string team;
  std::optional<Date> last_review;  // the latest review covering the team dated ≤ t
};

// Positions refer to the Workspace it was built from, which must outlive it.
struct TodoList {
  std::string person;
  Date as_of;
  // KPIs of the goals the person owns or contributes to whose status is on track, at risk or off track (active,
  // scheduled, started, not past due, not achieved), with days_since ≥ cadence_days − 1: due
  // tomorrow, today or overdue. Most overdue first (days_since − cadence_days descending), then
  // KPI id.
  std::vector<CheckinDue> checkins_due;
  // The person's goals (owned or contributed to) at risk or off track, in cascade order.
  std::vector<GoalAtRisk> goals_at_risk;
  // The person's goals whose confidence disagrees with their status (spec §2), in cascade order.
  std::vector<GoalDisagreement> disagreements;
  // Actions the person owns, not done: due before t (overdue), due in [t, t + 7] (upcoming).
  // Each list by due date, then in the order the actions were made. Actions of draft and cancelled
  // goals are left out: those goals send no reminders.
  std::vector<int> overdue_actions;
  std::vector<int> upcoming_actions;
  // The person's own team when they are a lead and it has no review dated ≤ t covering it (one of
  // the team, of a team above it or of the whole workspace) or the latest is more than 7 days
  // before t.
  std::vector<ReviewDue> reviews_due;
};

// The to-do list of person `person` as of rollup.as_of; kNotFound for an unknown person.
Result<TodoList> BuildTodoList(const Workspace& ws, const Rollup& rollup, const std::string& person);

}  // namespace cascade

#include "analytics/todo.h"

#include <algorithm>
#include <tuple>

#include "analytics/review.h"

namespace cascade {

bool IsOverdue(const Action& action, Date as_of) {
  return !action.done && action.due && *action.due < as_of;
}

namespace {

bool ExpectsCheckins(GoalStatus s) {
  return s == GoalStatus::kOnTrack || s == GoalStatus::kAtRisk || s == GoalStatus::kOffTrack;
}

}  // namespace

Result<TodoList> BuildTodoList(const Workspace& ws, const Rollup& rollup, const std::string& person) {
  const auto who = std::find_if(ws.people.begin(), ws.people.end(),
                                [&](const Person& p) { return p.id == person; });
  if (who == ws.people.end()) {
    return Error::NotFound("person '" + person + "' does not exist", "person", person, "person");
  }
  const Date t = rollup.as_of;
  TodoList out;
  out.person = person;
  out.as_of = t;

  const WorkspaceIndex index(ws);
  std::vector<char> mine(ws.goals.size(), 0);
  // The goals the person owns or contributes to (spec §2: contributors check in as owners do).
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    const Goal& goal = ws.goals[g];
    mine[g] = goal.owner == person || std::find(goal.contributors.begin(), goal.contributors.end(),
                                                person) != goal.contributors.end();
  }

  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const Kpi& kpi = ws.kpis[k];
    // A formula takes no check-ins and a benchmark counts in nothing: neither is ever due.
    if (kpi.kind == KpiKind::kFormula || !kpi.benchmark_for.empty()) continue;
    const int g = index.goal(kpi.goal);
    if (g < 0 || !mine[static_cast<size_t>(g)]) continue;
    const GoalResult& goal = rollup.goals[static_cast<size_t>(g)];
    if (!ExpectsCheckins(goal.status) || !goal.start) continue;
    const std::optional<Date> last = rollup.kpis[k].last_checkin;
    const int days_since = t - (last ? *last : *goal.start);
    if (days_since < kpi.cadence_days - 1) continue;
    out.checkins_due.push_back({static_cast<int>(k), g, last, days_since});
  }
  std::sort(out.checkins_due.begin(), out.checkins_due.end(),
            [&](const CheckinDue& a, const CheckinDue& b) {
              const int late_a = a.days_since - ws.kpis[static_cast<size_t>(a.kpi)].cadence_days;
              const int late_b = b.days_since - ws.kpis[static_cast<size_t>(b.kpi)].cadence_days;
              if (late_a != late_b) return late_a > late_b;
              return ws.kpis[static_cast<size_t>(a.kpi)].id < ws.kpis[static_cast<size_t>(b.kpi)].id;
            });

  for (int g : rollup.order) {
    const GoalStatus s = rollup.goals[static_cast<size_t>(g)].status;
    if (mine[static_cast<size_t>(g)] && (s == GoalStatus::kAtRisk || s == GoalStatus::kOffTrack)) {
      out.goals_at_risk.push_back({g, s});
    }
    if (mine[static_cast<size_t>(g)] && rollup.goals[static_cast<size_t>(g)].disagrees) {
      out.disagreements.push_back({g, rollup.goals[static_cast<size_t>(g)].confidence, s});
    }
  }

  for (size_t a = 0; a < ws.actions.size(); ++a) {
    const Action& action = ws.actions[a];
    if (action.owner != person || action.done || !action.due) continue;
    const int g = index.goal(action.goal);
    if (g < 0 || ws.goals[static_cast<size_t>(g)].state != GoalState::kActive) continue;
    if (*action.due < t) {
      out.overdue_actions.push_back(static_cast<int>(a));
    } else if (*action.due - t <= 7) {
      out.upcoming_actions.push_back(static_cast<int>(a));
    }
  }
  auto by_due = [&](int x, int y) {
    return std::tie(*ws.actions[static_cast<size_t>(x)].due, x) <
           std::tie(*ws.actions[static_cast<size_t>(y)].due, y);
  };
  std::sort(out.overdue_actions.begin(), out.overdue_actions.end(), by_due);
  std::sort(out.upcoming_actions.begin(), out.upcoming_actions.end(), by_due);

  if (who->role == Role::kLead && !who->team.empty()) {
    const std::optional<int> last = LastReview(ws, who->team, t);
    std::optional<Date> last_date;
    if (last) last_date = ws.reviews[static_cast<size_t>(*last)].date;
    if (!last_date || t - *last_date > 7) out.reviews_due.push_back({who->team, last_date});
  }
  return out;
}

}  // namespace cascade

// JSON shapes of the analytics outputs (spec §5): correlation, funnels, allocation, experiments,
// the review agenda, recorded reviews, scorecards and the leaderboard. The CLI's --json and the
// HTTP API print exactly these. Field names are §2's; numbers are unrounded; null where §2 says.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/allocation.h"
#include "analytics/breakdown.h"
#include "analytics/correlation.h"
#include "analytics/experiment.h"
#include "analytics/funnel.h"
#include "analytics/recognition.h"
#include "analytics/review.h"
#include "analytics/todo.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// {"a", "b", "period", "max_lag", "as_of", "series": [{period, a, b}],
//  "lags": [{lag, r, n, p_value, slope}], "best": {lag, r} | null}. `period` of a series row is
// the first day of the period.
nlohmann::json CorrelationToJson(const CorrelationResult& result, const std::string& a,
                                 const std::string& b, Date as_of);

// {"funnel", "name", "as_of", "target", "stages": [{kpi, name, unit, value, rate, required, gap}],
//  "overall"}
nlohmann::json FunnelToJson(const Workspace& ws, const Funnel& funnel, const FunnelResult& result,
                            Date as_of);

// {"budget", "allocations": [{goal, growth_potential, amount, share, bound, spent,
// channel_cost_per_goal_done}], "total_uplift"}; `bound` is "min", "max" or null.
nlohmann::json AllocationToJson(const AllocationResult& result);

// {"by", "as_of", "groups": [{key, goals, progress, counts: {status: n}, spent,
// cost_per_goal_done}]}; the group without a value has the key null, counts list statuses met.
nlohmann::json BreakdownToJson(const Breakdown& breakdown, Date as_of);

// The experiment's fields (id, goal, name, control, variant) and its analysis: p_control,
// p_variant, lift, relative_lift, z, p_value, ci95: [lo, hi], significant.
nlohmann::json ExperimentToJson(const Experiment& experiment, const ExperimentResult& result);

// {"as_of", "team", "since": {seq, date, team, notes} | null,
//  "off_track" / "at_risk": [{goal, title, owner, team, progress, expected, gap}],
//  "missed": [{goal, title, owner, team, progress, due}],
//  "stale": [{kpi, goal, owner, last_checkin, days_since, cadence_days}],
//  "achieved": [{goal, title, owner, team, level}],
//  "lint_errors": [{code, severity, goal, kpi, action, message}],
//  "progress_changes": [{goal, title, before, after, change, status_before, status}],
//  "comments": [{seq, goal, author, date, text}]}
nlohmann::json ReviewAgendaToJson(const Workspace& ws, const Rollup& rollup,
                                  const ReviewAgenda& agenda);

// {"reviews": [{seq, date, team, notes, goals}]}: recorded reviews without their snapshots
// (`goals` counts the snapshot's entries), in the order recorded.
nlohmann::json ReviewListToJson(const std::vector<Review>& reviews);

// {id, name, goals_owned, goals_contributed, achieved, missed, mean_progress, kpis, kpis_not_stale, checkins,
//  goal_points, points, streak, streak_cadence_days}, and `rank` when `with_rank`.
nlohmann::json ScorecardToJson(const Scorecard& card, bool with_rank = false);

// {"as_of", "leaderboard": [scorecards with rank, best first]}
nlohmann::json LeaderboardToJson(const std::vector<Scorecard>& board, Date as_of);

// {as_of, person, checkins_due[{kpi, goal, last_checkin, days_since, cadence_days}], goals_at_risk[{goal,
//  status}], disagreements[{goal, confidence, status}], overdue_actions[{action, goal, due}],
//  upcoming_actions[…], reviews_due[{team, last_review}]} (spec §5).
nlohmann::json TodoToJson(const Workspace& ws, const TodoList& todo);

}  // namespace cascade

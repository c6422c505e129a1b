// Draws the analytics on a terminal: the correlation's lag table with a bar per lag, the funnel
// with its bars, the allocation, an experiment, the review agenda, scorecards and the leaderboard.
// Plain text unless `color` is on; all terminal styling of those commands lives here.
#pragma once

#include <string>
#include <vector>

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

struct InsightPrintOptions {
  bool color = false;  // ANSI colours (the caller decides: a terminal and no NO_COLOR)
  int width = 100;     // terminal columns
};

// The period range, one row per lag (n, r with a bar from −1 to 1, p, slope), the best lag marked,
// and a sentence saying what the best lag means.
std::string RenderCorrelation(const Workspace& ws, const CorrelationResult& result,
                              const std::string& a, const std::string& b,
                              const InsightPrintOptions& opts);

// One row per stage: a centred bar (log scale, so deep funnels stay readable), the value, the rate
// from the stage above and, with a target, the required volume and the gap.
std::string RenderFunnel(const Workspace& ws, const Funnel& funnel, const FunnelResult& result,
                         const InsightPrintOptions& opts);

// One row per goal: growth potential, amount, share with a bar, the bound that holds it.
std::string RenderAllocation(const AllocationResult& result, const InsightPrintOptions& opts);

// A breakdown as a table: each group's goals, progress with a bar, spent, cost a goal done and
// counts by status; the group without a value reads "(none)".
std::string RenderBreakdown(const Breakdown& breakdown, const InsightPrintOptions& opts);

// Both arms with their rates, the lift, the interval, z and p, and the verdict.
std::string RenderExperiment(const Experiment& experiment, const ExperimentResult& result,
                             const InsightPrintOptions& opts);

// The agenda, one section per heading; progress changes list only the goals that moved.
std::string RenderReviewAgenda(const Workspace& ws, const Rollup& rollup,
                               const ReviewAgenda& agenda, const InsightPrintOptions& opts);

// One scorecard (a person's or a team's).
std::string RenderScorecard(const Scorecard& card, const InsightPrintOptions& opts);

// Rank, name, points with a bar, achieved, streak, mean progress and fresh KPIs, best first.
std::string RenderLeaderboard(const std::vector<Scorecard>& board, const InsightPrintOptions& opts);

// A person's to-do list: check-ins due with how late they are, goals at risk, overdue and upcoming
// actions, reviews due; "Nothing to do" when every list is empty.
std::string RenderTodo(const Workspace& ws, const Rollup& rollup, const TodoList& todo,
                       const InsightPrintOptions& opts);

// "1,140", "10,350", "4.35", "0.0213": thousands separators, up to `significant` digits for
// small numbers.
std::string InsightNumber(double v);

}  // namespace cascade

// JSON shapes of the computed outputs (spec §5): `status --json`, lint findings and history.
// The CLI's --json and the HTTP API print exactly these.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/history.h"
#include "core/lint.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

class GoalLinks;
struct GoalDetail;

// {"as_of", "goals": [...parents before children...], "summary": {status: count}}. With `root`,
// only that goal's subtree (the caller checks it exists); with `shown` (one entry per goal, as
// MatchGoals in core/goal_filter.h gives), only the goals it marks, the summary counting those.
// Numbers unrounded; nulls where §2 says.
nlohmann::json StatusToJson(const Workspace& ws, const Rollup& rollup, const std::string& root = {},
                            const std::vector<char>* shown = nullptr);

// StatusToJson(ws, rollup, root, shown) as JSON text, written directly without building the tree
// (what `status --json` prints): the same values, each double the shortest text that reads back
// (nlohmann's dump sometimes writes a 17th digit). WriteStatusJson writes it to `out` as it goes,
// never holding it whole.
std::string StatusJsonText(const Workspace& ws, const Rollup& rollup, const std::string& root = {},
                           const std::vector<char>* shown = nullptr);
void WriteStatusJson(std::ostream& out, const Workspace& ws, const Rollup& rollup,
                     const std::string& root = {}, const std::vector<char>* shown = nullptr);

// One goal of the status output (with its KPIs).
nlohmann::json GoalStatusToJson(const Workspace& ws, const Rollup& rollup, int goal);
// The goal detail of `goal show --json` and GET /api/v1/goals/{id} (the detail `goal show` prints
// too: core/goal_detail.h, gathered with `links`): the goal as stored, its status as of `as_of`
// (GoalStatusToJson), its KPIs and child goals (`child_goals` adds each child's state, weight,
// progress and status: what it adds to this goal's P), the titles of the goals it names by id
// (parent, children, supports, supported_by), its actions (each with `overdue`), experiments,
// comments and spend. `ws` needs no check-ins.
nlohmann::json GoalDetailJson(const Workspace& ws, const WorkspaceIndex& index,
                              const GoalLinks& links, const Rollup& rollup,
                              const GoalDetail& detail, Date as_of);
// GoalStatusToJson of each of `goals` (positions in ws.goals), in that order, as a JSON array: the
// KPIs and the supporting goals of all of them found in one pass over the workspace, not one pass
// per goal (a page of the API's goal list); with `links` (of ws), the KPIs and supporters are
// taken from it, in time in the page rather than in the workspace.
nlohmann::json GoalsStatusToJson(const Workspace& ws, const Rollup& rollup,
                                 const std::vector<int>& goals, const GoalLinks* links = nullptr);

// {"findings": [{code, severity, goal, kpi, action, message}]}
nlohmann::json FindingsToJson(const std::vector<Finding>& findings);

// {"history": [{seq, at, actor, kind, entity, op, before, after}]} with before/after as objects.
nlohmann::json HistoryToJson(const std::vector<HistoryEntry>& entries);

}  // namespace cascade

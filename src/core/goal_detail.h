// One goal's detail, gathered in one place for every view of it: `goal show` in the terminal,
// `goal show --json` and GET /api/v1/goals/{id} (io/report_json.h GoalDetailJson) render it.
#pragma once

#include <vector>

#include "core/model.h"

namespace cascade {

class GoalLinks;

// What belongs to goal `goal`, as positions in the workspace it was gathered from: its KPIs,
// child goals and supporters from the links (in time in the goal's own size), its actions,
// experiments, comments and spend in one pass over each of those vectors.
struct GoalDetail {
  int goal = -1;
  std::vector<int> kpis;                     // its KPIs, in KPI vector order
  std::vector<std::vector<int>> benchmarks;  // per kpis[i]: the KPIs that are a benchmark for it
  // Per kpis[i]: the position in ws.checkins of its last check-in in the order recorded; -1 when
  // it has none or when they were not asked for (a pass over every check-in).
  std::vector<int> last_checkins;
  std::vector<int> children;      // its child goals, in goal vector order
  std::vector<int> supported_by;  // the goals that support it, in goal vector order
  std::vector<int> actions, experiments, comments, spend;  // its own, in the order stored
};

// The detail of the goal at position `goal` of `ws`, whose links `links` are. With
// `last_checkins`, also each KPI's last check-in (ws must hold its check-ins).
GoalDetail GatherGoalDetail(const Workspace& ws, const GoalLinks& links, int goal,
                            bool last_checkins = false);

}  // namespace cascade

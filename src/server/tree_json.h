// The dashboard's goal tree (GET /api/v1/tree): what the Cascade page's rows and filters show of
// every goal, one array a goal under named columns, without the KPIs (a row's KPI values are
// asked for when it opens). For 10,000 goals about a third of `status --json`'s bytes, and one
// small array a goal for the browser to parse instead of an object with nested KPI objects.
#pragma once

#include <string>

#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// {"as_of": "YYYY-MM-DD", "columns": [names], "goals": [[values in the columns' order], …],
//  "summary": {status: count}}. Goals in status's order (depth-first, parents first); "parent" is
// the position of the parent's row in "goals" (null for a root), "kpis" the number of KPIs of
// the goal itself; progress, expected and forecast are the roll-up's numbers as status prints
// them (shortest round-trip form, null when there is none).
std::string TreeJsonText(const Workspace& ws, const Rollup& rollup);

}  // namespace cascade

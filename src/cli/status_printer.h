// Draws the cascade on a terminal: an indented tree, each goal with a progress bar, a mark where
// expected progress stands, its percentage and its status (coloured when colour is on), and under
// each goal its KPIs with value/target and unit. All terminal styling lives here.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct PrintOptions {
  bool color = false;  // ANSI colours (the caller decides: a terminal and no NO_COLOR)
  int width = 100;     // terminal columns
  std::string root;    // print only this goal's subtree; "" = the whole cascade
  // Print only the goals marked (one entry per goal; MatchGoals, core/goal_filter.h), each under
  // its nearest marked ancestor; null = all. Must outlive the call.
  const std::vector<char>* shown = nullptr;
};

// The tree as text, ending with a summary line of goals per status (over the goals printed).
// Lines fit in opts.width display columns (titles and KPI lines are cut with "…") when the width
// leaves room for them: 40 columns or more and a tree of usual depth. An unknown opts.root prints
// only "0 goals": the caller checks the id first.
std::string RenderStatusTree(const Workspace& ws, const Rollup& rollup, const PrintOptions& opts);

}  // namespace cascade

// SMART and alignment findings (spec §2, lint table S1…P2). Lint reports what a plan could do
// better; input that can never be right is refused earlier by ValidateWorkspace.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

enum class Severity { kError, kWarning };
std::string_view ToString(Severity s);  // "error" / "warning"

struct Finding {
  std::string code;  // "S1", "M1", …
  Severity severity = Severity::kWarning;
  std::string goal;
  std::string kpi;      // "" when the finding is about the goal
  std::string action;   // "" unless it is about an action (P1, P2)
  std::string message;  // names the goal and says what to do
};

// Findings in goal order (as Rollup::order), then code order within a goal.
std::vector<Finding> LintWorkspace(const Workspace& ws, const Rollup& rollup);

}  // namespace cascade

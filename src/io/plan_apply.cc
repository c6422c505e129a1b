#include "io/plan_apply.h"

#include <unordered_set>

#include "core/validate.h"

namespace cascade {
namespace {

// Cycles closed in `current` that the plan lists without writing their `state`.
Errors ImplicitReopens(const ParsedPlan& plan, const Workspace& current) {
  Errors errors;
  std::unordered_set<std::string> closed;
  for (const Cycle& c : current.cycles) {
    if (c.state == CycleState::kClosed) closed.insert(c.id);
  }
  if (closed.empty()) return errors;
  for (const Cycle& c : plan.workspace.cycles) {
    if (!closed.contains(c.id) || plan.lines.Has("cycle", c.id, "state")) continue;
    errors.push_back(Error::Conflict(
        "cycle '" + c.id + "' is closed, and the plan leaves out its state (which means open); "
        "write `state: closed` to keep it closed, or `state: open` to reopen it",
        "cycle", c.id, "state"));
  }
  return errors;
}

}  // namespace

Errors CheckPlanApply(const ParsedPlan& plan, const std::string& file_name,
                      const Workspace& current, const Workspace& next) {
  Errors errors = ValidateWorkspace(next);
  if (errors.empty()) errors = UnknownCommentGoals(plan, next);
  if (errors.empty()) errors = ValidateActionsDone(current, next);
  if (errors.empty()) errors = ImplicitReopens(plan, current);
  LocateErrors(errors, plan, file_name);
  return errors;
}

}  // namespace cascade

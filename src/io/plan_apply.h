// What applying a plan checks beyond reading it (spec §3), in one place, so that `cascade apply`
// and POST /api/v1/apply refuse the same plans with the same words and lines.
#pragma once

#include <string>

#include "core/error.h"
#include "core/model.h"
#include "io/plan.h"

namespace cascade {

// The refusals of applying `plan` (read from `file_name`) to `current`, which MergePlan turns into
// `next`: a KPI made a formula while it has check-ins (ValidateKindChanges), then
// ValidateWorkspace of `next` (comments on goals it does not hold included); actions marked done
// while one they depend on is open; and a cycle closed in `current` that the plan lists without a
// `state` (which reads as open): a plan that leaves out one line must not reopen a quarter and
// unfreeze its final numbers, so it says `state: closed` to keep it or `state: open` to reopen it;
// then check-ins, spend and comments the plan adds whose author is not a person of `next` (nor
// `own_author`: who applies the plan, as the API records them; "" on the command line). Each
// error carries the plan's line where it has one. Empty: the plan may be applied; the closed
// cycles' freeze (CheckClosedCycles) and the rights are checked after, on the ChangeSet.
Errors CheckPlanApply(const ParsedPlan& plan, const std::string& file_name,
                      const Workspace& current, const Workspace& next,
                      const std::string& own_author = "");

}  // namespace cascade

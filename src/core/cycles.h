// Cycles (spec §2 "Cycles"): a planning period's score and counts, closing and reopening it, the
// freeze on a closed cycle's goals, and carrying a goal over into the next cycle (`goal copy`).
// A goal's dates from its cycle are GoalOwnDates (core/model.h), read by the roll-up.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/changeset.h"
#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/operations.h"
#include "core/permissions.h"
#include "core/rollup.h"

namespace cascade {

struct CycleSummary {
  // Σ w·P / Σ w (goal weights) over the cycle's active goals whose parent is not in the cycle and
  // whose P is not null; null when there are none.
  std::optional<double> score;
  std::array<int, kGoalStatusCount> counts{};  // the cycle's active goals by status
  int goals = 0;                               // its active goals
  int drafts = 0;  // its draft goals (planned, not yet committed: a carry-over lands as drafts)
};

// The summary of cycle `cycle` from `rollup` (of `ws`, as of any date).
CycleSummary SummarizeCycle(const Workspace& ws, const Rollup& rollup, const std::string& cycle);

// Refuses (kConflict, naming the goal, the cycle and `cascade cycle reopen`) a ChangeSet that
// changes a goal of a cycle closed before it that it leaves closed: a goal created, updated or
// deleted in it or moved out of it, a KPI of such a goal created, updated or deleted, a check-in
// on such a KPI appended or corrected, an action or experiment of such a goal created, updated or
// deleted, spend on such a goal appended or corrected (comments are not refused: a retrospective
// is written after the close); and a closed cycle changed other than by reopening it, or deleted. `before` is the workspace the set applies to (check-ins not needed).
Result<void> CheckClosedCycles(const Workspace& before, const ChangeSet& changes);

// `cycle close ID`: the update that sets it closed, and one history note per goal of the cycle
// (every state) with its progress, status and achieved_on as of the cycle's end ({cycle, as_of,
// progress, status, achieved_on}) and one for the cycle ({as_of, score, counts}). `ws` holds the check-ins. Refuses a
// cycle that does not exist (kNotFound) or is already closed (kConflict); `who` (nullptr: the
// command line) must be an admin or a lead.
Result<ChangeSet> CloseCycle(const Workspace& ws, const std::string& id, const Principal* who);
// `cycle reopen ID`: sets it open again. Refuses one that does not exist or is open.
Result<ChangeSet> ReopenCycle(const Workspace& ws, const std::string& id, const Principal* who);

// What `goal copy` made.
struct GoalCopy {
  struct Made {
    std::string from;
    std::string id;
  };
  std::vector<Made> goals;  // the top copy first, then its descendants parents first
  std::vector<Made> kpis;
};

// `goal copy ID --cycle NEXT [--id NEW]` (spec §2): adds to `ws` a copy of goal `id`, of its KPIs
// and of its descendants with theirs, every copy a draft in cycle `next` without dates of its own
// (it takes the cycle's). The top copy keeps the goal's parent. A copied KPI's baseline is its
// value V as of `as_of` from `rollup` (kept as it was when V is null, and for milestones); its
// target is kept, a relative target re-resolved against the new baseline; formula and benchmark
// references to KPIs copied with it point at their copies. Ids: `new_id` for the top goal when
// given; every other copy is `<id>-<next>`, with `-2`, `-3`, … appended until it is free (cut to
// 64 characters). Actions and experiments are not copied. Refuses an unknown goal or cycle
// (kNotFound) and a `new_id` that is not a slug or is taken (kInvalid / kConflict); the caller
// validates the result.
Result<GoalCopy> CopyGoal(Workspace& ws, const Rollup& rollup, const std::string& id,
                          const std::string& next, const std::string& new_id);

// `goal copy` as a write: CopyGoal on a copy of `at.ws`, the KPI values as of `as_of`, then as
// EditCopy (core/entity_operations.h: validated, the rights and the closed-cycle freeze of
// creating the copies). `at.ws` must hold the goal's subtree with its KPIs' check-ins and every
// goal and KPI whose id a copy could take (store/mutate.h GoalCopyScope), or the whole workspace
// with its check-ins (without them every baseline would stay as it was).
// `made` (when set) receives what was made.
Result<ChangeSet> CopyGoalWrite(const OperationContext& at, Date as_of, const std::string& id,
                                const std::string& next, const std::string& new_id,
                                GoalCopy* made = nullptr);

// What every id CopyGoal may give a copy of goal or KPI `id` into cycle `next` starts with:
// `<id>-<next>`, cut so that the `-2`, `-3`, … it may append keep it (a scoped read finds the
// ids taken by it).
std::string CopyIdStem(std::string_view id, std::string_view next);

}  // namespace cascade

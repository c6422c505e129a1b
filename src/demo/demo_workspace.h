// The demo workspace: the four worked examples of spec §7, dated around a given day so that every
// status shows (on track, at risk, off track, achieved, missed, not started, draft).
#pragma once

#include "core/changeset.h"
#include "core/date.h"
#include "core/error.h"
#include "core/model.h"

namespace cascade {

// A valid workspace (ValidateWorkspace finds nothing, LintWorkspace finds no error) with teams,
// people, goals, KPIs of all four kinds, actions, a funnel, an experiment, growth potentials and
// several weeks of check-ins ending on or before `today`.
// Its cycle `last-quarter` is closed, the goals it did not achieve carried over into `this-quarter`.
Workspace BuildDemoWorkspace(Date today);

// What `cascade demo` writes into the empty workspace `current`, in one transaction: everything
// created as a team would have entered it, last quarter still open, then that quarter closed by
// CloseCycle, the code `cascade cycle close` runs, so that the history holds its goals' final
// numbers as a close by hand records them. What it leaves stored is BuildDemoWorkspace(today).
Result<ChangeSet> DemoChangeSet(const Workspace& current, Date today);

}  // namespace cascade

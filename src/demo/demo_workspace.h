// The demo workspace: the four worked examples of spec §7, dated around a given day so that every
// status shows (on track, at risk, off track, achieved, missed, not started, draft).
#pragma once

#include "core/date.h"
#include "core/model.h"

namespace cascade {

// A valid workspace (ValidateWorkspace finds nothing, LintWorkspace finds no error) with teams,
// people, goals, KPIs of all four kinds, actions, a funnel, an experiment, growth potentials and
// several weeks of check-ins ending on or before `today`.
Workspace BuildDemoWorkspace(Date today);

}  // namespace cascade

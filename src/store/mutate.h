// The one way a workspace is changed, from the CLI and from HTTP alike: load it, let an edit change
// a copy, refuse anything invalid, compute the difference, check who may make it, apply it in one
// transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/changeset.h"
#include "core/error.h"
#include "core/model.h"
#include "store/store.h"

namespace cascade {

struct MutateOptions {
  LoadOptions load;   // what the edit needs loaded (check-ins are often not needed)
  // Set: the edit sees only this part of the workspace (Store::LoadScope), and it is this part
  // that is validated and diffed: a write that costs the size of what it touches. The edit must
  // touch only goals and KPIs the request names (with their subtrees).
  const ScopeRequest* scope = nullptr;
  std::string actor;  // who history records
  // Called with the workspace before the change and the change; an Error refuses it (forbidden).
  std::function<Result<void>(const Workspace&, const ChangeSet&)> authorize;
  bool dry_run = false;  // compute and authorize the change, write nothing
  // The entities the write addresses as the edit left them (the edit fills it, e.g. with the goal
  // a PATCH names). Those the ChangeSet does not change go to ChangeSet::unchanged, so that
  // `authorize` checks the right to write them even when nothing changes.
  const std::vector<Entity>* addressed = nullptr;
};

// The part of the workspace an edit that writes goal `id` reads (MutateOptions::scope): the goal
// (if it exists) with its subtree and ancestors, the goals it is put under or made to support,
// with their ancestors, and the people it is given (owner, contributors). "" parents, supports
// and people are no reference.
ScopeRequest GoalEditScope(const std::string& id, const std::string& parent,
                           const std::vector<std::string>& supports,
                           const std::vector<std::string>& people = {});
// The same for KPI `id`: the KPI (if it exists) with its goal's subtree and ancestors and their
// check-ins (a change of kind is checked against the values recorded), the goal it is put on, and
// what its formula and benchmark refer to.
ScopeRequest KpiEditScope(const std::string& id, const std::string& goal,
                          const std::string& benchmark_for, const std::string& formula);

// The same for action `id` put on goal `goal` ("" when the edit keeps it), depending on
// `depends_on` and owned by `owner`: the action (if it exists) with its goal, and the actions it
// depends on with theirs, each goal with its ancestors (who may write it).
ScopeRequest ActionEditScope(const std::string& id, const std::string& goal,
                             const std::vector<std::string>& depends_on, const std::string& owner);

// The same for `goal copy ID --cycle NEXT [--id NEW]` (core/cycles.h CopyGoalWrite): the goal with
// its subtree, ancestors and its KPIs' check-ins (the copies' baselines), the goal `new_id` if it
// exists, and the goals and KPIs whose ids the copies could take (ScopeRequest::copy_into).
ScopeRequest GoalCopyScope(const std::string& id, const std::string& next,
                           const std::string& new_id);

// Returns the ChangeSet applied (empty when the edit changed nothing), as stored: appended
// records carry the seq they got, created and updated entities their new version (StampApplied). The edit returns an Error to
// refuse; ValidateWorkspace's first error refuses an invalid result. `authorize` is called for
// every write, also one that changes nothing (role checks apply to every write). Nothing is
// written on error.
Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options);

}  // namespace cascade

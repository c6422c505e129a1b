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
  std::string actor;  // who history records
  // Called with the workspace before the change and the change; an Error refuses it (forbidden).
  std::function<Result<void>(const Workspace&, const ChangeSet&)> authorize;
  bool dry_run = false;  // compute and authorize the change, write nothing
  // The entities the write addresses as the edit left them (the edit fills it, e.g. with the goal
  // a PATCH names). Those the ChangeSet does not change go to ChangeSet::unchanged, so that
  // `authorize` checks the right to write them even when nothing changes.
  const std::vector<Entity>* addressed = nullptr;
};

// Returns the ChangeSet applied (empty when the edit changed nothing), as stored: appended
// records carry the seq they got, created and updated entities their new version (StampApplied). The edit returns an Error to
// refuse; ValidateWorkspace's first error refuses an invalid result. `authorize` is called for
// every write, also one that changes nothing (role checks apply to every write). Nothing is
// written on error.
Result<ChangeSet> MutateWorkspace(Store& store, const std::function<Result<void>(Workspace&)>& edit,
                                  const MutateOptions& options);

}  // namespace cascade

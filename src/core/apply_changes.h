// The workspace as storage leaves it after applying a ChangeSet, computed without reloading it:
// what lets a server apply its own committed write to its cached snapshot (issue 13) instead of
// loading the whole workspace again. Exact only when nothing else wrote in between; the caller
// knows that from the store (see docs/architecture.md, "One write").
#pragma once

#include <cstdint>
#include <vector>

#include "core/changeset.h"
#include "core/error.h"
#include "core/model.h"

namespace cascade {

class GoalLinks;

// The seqs storage gave the records a ChangeSet appended, in ChangeSet order.
struct AssignedSeqs {
  std::vector<int64_t> checkins;
  std::vector<int64_t> comments;
  std::vector<int64_t> reviews;
  std::vector<int64_t> spend;
};

// `ws` (as loaded: entities and records in the order stored) with `changes` applied as the store
// applies them: a created entity is added last at version 1; an updated one keeps its place at its
// stored version + 1; a deleted one goes, and with a goal go its KPIs, actions, experiments,
// comments and spend, with a KPI its check-ins (the schema's ON DELETE CASCADE); appended records come last,
// with `seqs`; corrected records are replaced where they are, removed ones go. Returns an Error
// (kInvalid) when `seqs` does not hold one seq per appended record.
// `index`, when given, is `ws`'s (the updated and deleted entities are found in it rather than by
// a scan), and so are `links` (a deleted goal's KPIs found in them).
// Takes time in the size of the workspace's vectors only for kinds the change set deletes from
// (and, without `index`, for the kinds it updates); appends and updates touch what they change,
// check-ins included: a copy of a workspace shares its chunks (CowVector), and only the chunks
// written to are cloned.
Result<Workspace> ApplyChanges(Workspace ws, const ChangeSet& changes, const AssignedSeqs& seqs,
                               const WorkspaceIndex* index = nullptr,
                               const GoalLinks* links = nullptr);

}  // namespace cascade

// Named operations: the edits the CLI and the API make, each one function that reads the workspace
// as stored (never copies it), validates only what it adds or removes and what that refers to
// (by id, through the workspace's indexes; the rules are ValidateWorkspace's own, see
// core/validate.h), checks the actor's rights (core/permissions.h) and returns the ChangeSet to
// apply. A refusal is the Error ValidateWorkspace or the old edit would have given first, so the
// CLI's exit codes and messages and the API's statuses stay what they were.
//
// Creating or changing an entity of any kind (the SetGoal, SetKpi, …) is
// CreateEntity<T> / UpdateEntity<T> (core/entity_operations.h): one rule for every kind, run on the
// part of the workspace the write loads (Store::LoadScope), since a goal's dates, level or parent
// are checked against its subtree and ancestors. The whole-workspace path (store/mutate.h) stays
// for `apply`, where a whole plan is the input; `import` appends through AppendCheckins and
// AppendSpend.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/changeset.h"
#include "core/error.h"
#include "core/model.h"
#include "core/permissions.h"

namespace cascade {

class GoalLinks;

// What an operation reads: the workspace as stored now (check-ins may be left out: no operation
// here reads them), its id indexes, and who acts.
struct OperationContext {
  const Workspace& ws;
  const WorkspaceIndex& index;
  // The account acting (the server), or nullptr: the command line, which acts with the rights of
  // whoever can open the database file.
  const Principal* who = nullptr;
  // The links of `ws` (the server's snapshot keeps them), or nullptr. With them a removal finds a
  // goal's children, supporters and KPIs and a KPI's benchmarks without a scan of the workspace;
  // without, it scans (the command line reads a small part of the workspace).
  const GoalLinks* links = nullptr;
};

using Operation = std::function<Result<ChangeSet>(const OperationContext&)>;

// Appends check-ins (seq 0). Refuses, as ValidateWorkspace does, the first of: a check-in whose KPI
// does not exist (kNotFound, field `kpi`), a date or value outside the entry range, a milestone
// value other than 0 or 1; then a note or author that is not UTF-8 or too long. Then the rights:
// `who` must reach each KPI's goal and record as itself unless an admin.
// Takes time in the number of check-ins and the depth of their goals, not the workspace's size.
Result<ChangeSet> AppendCheckins(const OperationContext& at, std::vector<Checkin> checkins);

// Appends spend records (seq 0). Refuses the first record ValidateSpend refuses (a goal that does
// not exist: kNotFound, field `goal`; a date outside the entry range; an amount that is 0 or not
// an entry value; a note or author not UTF-8 or too long), then what `who` may not do: record on
// a goal out of its reach (as a check-in) or as someone else unless an admin.
Result<ChangeSet> AppendSpend(const OperationContext& at, std::vector<Spend> spend);

// Adds a comment (seq 0) on an existing goal. Refuses a goal that does not exist
// (Error::UnknownReference "goal 'x' does not exist", field `goal`), an empty text ("the comment is empty; …", field `text`),
// then what ValidateWorkspace refuses of a comment (date outside the entry range; text or author
// not UTF-8 or too long), then what `who` may not do (comment as someone else).
Result<ChangeSet> AddComment(const OperationContext& at, Comment comment);

// Records a review (seq 0): its snapshot as given. Refuses, as ValidateWorkspace does, a date
// outside the entry range, then notes that are not UTF-8 or too long; then what `who` may not do
// (a lead records reviews of their team and its sub-teams only). What it snapshots is the
// caller's (analytics/review.h: SnapshotReview).
Result<ChangeSet> RecordReview(const OperationContext& at, Review review);

// Corrections of stored records, addressed by seq as given ("17"): the record must be in `at.ws`
// (a scoped read names it: ScopeRequest::checkin_seqs, …). Each refuses a seq that is not there
// ("check-in #17 does not exist", kNotFound, field `seq`), then what `change` refuses, then what
// ValidateWorkspace refuses of the corrected record (ValidateCheckin, ValidateCheckinText;
// ValidateCommentDate, ValidateCommentText), then what `who` may not do, also for a correction
// that leaves the record as it was (which writes nothing). A check-in keeps its KPI and seq, a
// comment its goal, author and seq.
Result<ChangeSet> CorrectCheckin(const OperationContext& at, const std::string& seq,
                                 const std::function<Result<void>(Checkin&)>& change);
Result<ChangeSet> CorrectComment(const OperationContext& at, const std::string& seq,
                                 const std::function<Result<void>(Comment&)>& change);
// Removes a stored check-in, comment or spend record (the history keeps it), refusing as above.
Result<ChangeSet> RemoveCheckin(const OperationContext& at, const std::string& seq);
Result<ChangeSet> RemoveComment(const OperationContext& at, const std::string& seq);
Result<ChangeSet> RemoveSpend(const OperationContext& at, const std::string& seq);

// Removes an entity. Each refuses an id that does not exist ("goal 'x' does not exist", kNotFound,
// field `id`) and, with `expected_version`, a stale one (kConflict, field `version`); then, for
// RemoveGoal, RemoveKpi, RemoveTeam and RemovePerson, an actor who may not delete it (kForbidden,
// before anything below: nobody is told to change first what they may not change). Then:
// - RemoveGoal: a goal with child goals, or one another goal supports, or whose KPI is a funnel
//   stage (kConflict, field `id`),
//   or one of whose actions another goal's action depends on (kNotFound, field `depends_on`, as
//   ValidateWorkspace says); its KPIs (their check-ins go with them in storage), actions and
//   experiments are removed with it;
// - RemoveKpi: a KPI that is a funnel stage (kConflict);
// - RemoveTeam / RemovePerson: one still referred to (FirstReferrer; kConflict "team 'x' is still
//   used by goal 'y' (team); change or remove that first").
Result<ChangeSet> RemoveGoal(const OperationContext& at, const std::string& id,
                             std::optional<int64_t> expected_version = std::nullopt);
Result<ChangeSet> RemoveKpi(const OperationContext& at, const std::string& id,
                            std::optional<int64_t> expected_version = std::nullopt);
Result<ChangeSet> RemoveTeam(const OperationContext& at, const std::string& id,
                             std::optional<int64_t> expected_version = std::nullopt);
Result<ChangeSet> RemovePerson(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version = std::nullopt);

// Removes a funnel, an experiment, or a cycle no goal is in (kConflict naming such a goal).
Result<ChangeSet> RemoveFunnel(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version = std::nullopt);
Result<ChangeSet> RemoveExperiment(const OperationContext& at, const std::string& id,
                                   std::optional<int64_t> expected_version = std::nullopt);
Result<ChangeSet> RemoveCycle(const OperationContext& at, const std::string& id,
                              std::optional<int64_t> expected_version = std::nullopt);

// Removes an action; the actions that depended on it no longer do (updates, before the delete).
Result<ChangeSet> RemoveAction(const OperationContext& at, const std::string& id,
                               std::optional<int64_t> expected_version = std::nullopt);

// Marks an action done: an update of it, or no change when it already is. Refuses (kConflict,
// field `done`) while an action it depends on is open, naming it (spec §2).
Result<ChangeSet> MarkActionDone(const OperationContext& at, const std::string& id);

// Who still refers to team (`team` true) or person `id`, e.g. "goal 'leads' (owner)": the first
// of team parents, people's teams, goals' teams, owners or contributors, actions' owners; "" when
// nothing does.
std::string FirstReferrer(const Workspace& ws, const std::string& id, bool team);

}  // namespace cascade

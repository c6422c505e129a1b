// A ChangeSet is what one command does to a workspace: entities created, updated and deleted and
// records appended. Storage applies one ChangeSet in one transaction, writing history with it.
// DiffWorkspaces computes the ChangeSet that turns one workspace into another.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model.h"

namespace cascade {

using Entity = std::variant<Team, Person, Goal, Kpi, Action, Funnel, Experiment, Cycle>;

std::string_view EntityKindName(const Entity& e);  // "team", "person", "goal", …
const std::string& EntityId(const Entity& e);
int64_t EntityVersion(const Entity& e);

struct EntityChange {
  enum class Op { kCreate, kUpdate, kDelete };
  Op op = Op::kCreate;
  std::optional<Entity> before;  // set for update and delete; its version is the one expected
  std::optional<Entity> after;   // set for create and update
  bool operator==(const EntityChange&) const = default;
};
std::string_view ToString(EntityChange::Op op);  // "create" / "update" / "delete"

// A correction of a stored check-in or comment, which has no id and no version: it is addressed by
// its `seq`, and storage refuses the change (conflict) unless the stored record still equals
// `before`, so a correction based on a stale read is not lost silently.
template <typename T>
struct RecordChange {
  EntityChange::Op op = EntityChange::Op::kUpdate;  // kUpdate or kDelete
  T before;                                         // as stored (seq set)
  std::optional<T> after;                           // set for an update; same seq
};
using CheckinChange = RecordChange<Checkin>;
using CommentChange = RecordChange<Comment>;
using SpendChange = RecordChange<Spend>;

// A history row that is no change of an entity: what `cycle close` records of each goal of the
// cycle (its P, status and achieved_on as of the cycle's end). Storage writes it as it is.
struct HistoryNote {
  std::string kind;    // "goal"
  std::string entity;  // its id
  std::string op;      // "close"
  std::string after;   // a JSON object
  bool operator==(const HistoryNote&) const = default;
};

struct ChangeSet {
  std::vector<EntityChange> changes;  // applied in this order
  std::vector<Checkin> checkins;      // appended
  std::vector<Comment> comments;      // appended
  std::vector<Review> reviews;        // appended
  std::vector<CheckinChange> checkin_changes;  // stored check-ins corrected or removed
  std::vector<CommentChange> comment_changes;  // stored comments corrected or removed
  std::vector<Spend> spend;                    // appended
  std::vector<SpendChange> spend_changes;      // stored spend records corrected or removed
  std::vector<HistoryNote> notes;              // history rows written with the changes
  // Entities a write addressed and left exactly as they were (a PATCH identical to what is stored):
  // never written, but authorized as updates, so that a write needs the right to make it even when
  // it changes nothing. Not counted by empty().
  std::vector<Entity> unchanged;

  // True when there is nothing to write.
  bool empty() const {
    return changes.empty() && checkins.empty() && comments.empty() && reviews.empty() &&
           checkin_changes.empty() && comment_changes.empty() && spend.empty() &&
           spend_changes.empty() && notes.empty();
  }
};

// The changes that make `from` look like `to`: creates for ids only `to` has, updates where any
// field other than `version` differs (`before` carries from's version), deletes for ids only `from`
// has. Creates come parents first, deletes children first. Check-ins, comments, spend and reviews
// of `to` with seq == 0 are appended. Stored check-ins, comments and spend (seq != 0, in seq order
// in both) that differ are updates; those `to` no longer holds are deletes, unless their KPI or
// goal went too (storage removes them with it, as it always has).
ChangeSet DiffWorkspaces(const Workspace& from, const Workspace& to);

// What `apply` makes of the workspace: `current` with every entity of `plan` created or replacing
// the one with its id (keeping its version), new ones after the existing ones in plan order. With
// `prune`, entities the plan does not hold are dropped (and check-ins of dropped KPIs). Check-ins
// of the plan equal in (kpi, date, value, note) to one already there are not added again; the
// others are added with seq 0. So are spend records (goal, date, amount, note), comments (goal,
// author, date, text, kind) and reviews (every field), each stored record matching one of the
// plan's.
Workspace MergePlan(const Workspace& current, const Workspace& plan, bool prune);

// The KPIs and dates (both inclusive) an import with `--replace-range` replaces (spec §4).
struct CheckinRange {
  std::vector<std::string> kpis;
  Date first;
  Date last;
};

// What an import of check-ins writes, and what it counts.
struct CheckinImport {
  ChangeSet changes;          // the rows appended and, replacing a range, stored ones deleted
  size_t already_stored = 0;  // rows not appended: a stored check-in equals them
  size_t removed = 0;         // stored check-ins of the range deleted
};

// The ChangeSet that imports `rows` (seq 0) into a workspace holding `stored` (spec §4). A row
// equal in (kpi, date, value, note) to a stored check-in is not appended, matched one-for-one as
// MergePlan matches a plan's: importing a file again adds nothing. With `replace`, the stored
// check-ins of its KPIs dated inside it that no row equals are deleted, so the range ends up
// holding what the rows hold (those equal to a row stay as they are, seq and author included).
// Takes time linear in stored and rows (one hash lookup a row).
CheckinImport ImportCheckins(const std::vector<Checkin>& stored, std::vector<Checkin> rows,
                             const CheckinRange* replace);

}  // namespace cascade

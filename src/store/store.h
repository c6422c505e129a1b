// Storage behind one interface: a workspace is loaded whole in a constant number of queries and
// changed by ChangeSets, each applied in one transaction together with its history. SQLite is the
// default backend; PostgreSQL implements the same interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/changeset.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/history.h"
#include "core/model.h"
#include "store/accounts.h"

namespace cascade {

struct LoadOptions {
  bool checkins = true;  // false: leave Workspace::checkins empty (commands that do not need them)
  // false: check-ins without their note and author (left empty), for commands that only compute
  // from them (status reads a third less of each row). A store may fill them anyway.
  bool checkin_text = true;
  // true: check-ins grouped by KPI, each KPI's by date and then in the order recorded, instead of
  // all of them in the order recorded. It is the order the roll-up reads them in, and with
  // checkin_text false a file database reads them from one index alone (status of spec §8).
  bool checkins_by_kpi = false;
  // From this many check-ins on, a store may read them on a connection of its own, on another
  // core, while the first reads everything else, both from the same snapshot (SqliteStore does
  // for a file database). A hint: what is loaded is the same either way (StoreTest checks it).
  size_t parallel_checkins = 50000;
};

// What `status` reads: neither its tree nor its JSON shows check-ins' notes or authors, and the
// roll-up reads check-ins by KPI (spec §8: status of 100,000 goals in under a second).
inline constexpr LoadOptions kLoadForStatus{.checkin_text = false, .checkins_by_kpi = true};

// What a write to a few goals and KPIs reads instead of the whole workspace (Store::LoadScope):
// every team; the named goals and the named KPIs' goals, with their descendants and those
// descendants' KPIs; every ancestor of those (without KPIs); what they refer to in other trees
// (formula inputs, the KPI a benchmark is for, supported goals: each with its goal and that goal's
// ancestors); and the people those goals name and the write names. Enough to validate an edit of
// the named goals and KPIs and to roll them up.
struct ScopeRequest {
  std::vector<std::string> goals{};  // goals the write touches
  std::vector<std::string> kpis{};   // KPIs the write touches (their goals come with them)
  // What the write newly refers to (a new parent, a supported goal; a formula's inputs, the KPI
  // a benchmark is for): loaded as references are, with their goals' ancestors, not subtrees.
  std::vector<std::string> goal_refs{};
  std::vector<std::string> kpi_refs{};
  // People the write names (an author, a new owner or contributor, a person it adds or edits):
  // loaded with those the loaded goals name, so that the write is checked against them. The rest
  // of a large organisation is not read.
  std::vector<std::string> people{};
  // Stored records the write corrects or removes, by seq: loaded, with their KPIs and goals as
  // references (each with its goal's ancestors: who may reach it).
  std::vector<int64_t> checkin_seqs{};
  std::vector<int64_t> comment_seqs{};
  std::vector<int64_t> spend_seqs{};
  // Actions the write touches or names (an action written, those it depends on): loaded with
  // every action they depend on, through chains, each with its goal as a reference and its owner.
  std::vector<std::string> actions{};
  // Cycles the write changes the dates of: the goals in them come as named goals do (with their
  // subtrees, whose dates they pass down, and their ancestors).
  std::vector<std::string> cycles{};
  // Funnels and experiments the write changes or creates (those stored): loaded, their stages and
  // goals as references.
  std::vector<std::string> funnels{};
  std::vector<std::string> experiments{};
  // Teams the write names (every team is loaded; this says which a removal removes).
  std::vector<std::string> teams{};
  // The write removes the goals, KPIs, actions, teams and people named: also what would be left
  // naming them (ValidateWorkspace refuses a name of nothing), each as a reference: the goals
  // supporting such a goal; the KPIs that are a benchmark for, or read in a formula, such a KPI
  // or a KPI of such a goal; every funnel; the actions and experiments of such a goal (removed
  // with it) and the actions that depend on such an action or on one of such a goal's. Of what
  // names a team or person, the first of each kind in creation order, which is all a refusal
  // names (core/operations.h FirstReferrer): the first person in the team and goal of it; the
  // first goal the person owns, the first they contribute to, the first action they own.
  bool referrers = false;
  // The write copies the named goals into this cycle (`goal copy`): also the goals and KPIs whose
  // ids a copy could take, as references: for each goal and KPI of the named goals' subtrees,
  // those whose ids start with `<its id>-<cycle>` (cut as core/cycles.h CopyGoal cuts ids).
  std::string copy_into{};
  // Also the check-ins of every KPI loaded, in the order recorded: enough for the roll-up of the
  // named goals (and of the named KPIs' goals) as of any date.
  bool checkins = false;
};

// The seq `text` names ("17") as a ScopeRequest lists it: empty when it names none ("x", "017").
std::vector<int64_t> SeqsNamed(std::string_view text);

// What Apply wrote that the ChangeSet could not say, so that a caller never reloads to learn it.
struct Applied {
  // The seq each appended record got, in the order of the ChangeSet's vectors: checkin_seqs[i] is
  // ChangeSet::checkins[i]'s, comment_seqs[i] ChangeSet::comments[i]'s, review_seqs[i]
  // ChangeSet::reviews[i]'s.
  std::vector<int64_t> checkin_seqs;
  std::vector<int64_t> comment_seqs;
  std::vector<int64_t> review_seqs;
  std::vector<int64_t> spend_seqs;  // ChangeSet::spend[i]'s
  // The version each of ChangeSet::changes has now, in their order: 1 after a create, the
  // before's + 1 after an update, 0 after a delete.
  std::vector<int64_t> versions;
};

// `changes` as stored: each appended record's seq and each created or updated entity's `after`
// version set from `applied` (what a cache of the workspace needs to apply it as the store did).
void StampApplied(ChangeSet& changes, const Applied& applied);

class Store {
 public:
  virtual ~Store() = default;

  // Creates the schema or migrates it to the current version. Open() already does this.
  virtual Result<void> Migrate() = 0;
  // The whole workspace, every vector in creation order, in a constant number of queries.
  virtual Result<Workspace> Load(const LoadOptions& options = {}) = 0;
  // A part of the workspace, from one snapshot, in time proportional to the part: every team (the
  // org chart: rights) and every cycle; the goals the request names and those of the KPIs and
  // cycles it names, with their ancestors and descendants, the descendants' KPIs and the KPIs
  // their formulas read (through nested formulas, with those KPIs' goals and ancestors), and all
  // those KPIs' check-ins if
  // asked; the people the request names and those the loaded goals name (owners, contributors);
  // nothing else. An id that does not exist is simply not there (the operation run on it refuses
  // it as it would on the whole workspace). What an operation that touches those goals and KPIs
  // reads, and what their goals' progress and status depend on: a goal's progress on its subtree,
  // its start on its ancestors.
  virtual Result<Workspace> LoadScope(const ScopeRequest& request) = 0;
  // Applies every change in one transaction with one history row per change (a batch of check-ins
  // is one row per check-in up to a few, one summary row for a large batch). Refuses the whole set
  // with kConflict when an update or delete's `before.version` is not the stored version, or a
  // create's id exists. Stored entities get version+1 on update, 1 on create. Corrections and
  // deletions of stored check-ins and comments (by seq) are refused with kConflict unless the
  // stored row still equals their `before`; history gets one row each, with before and after.
  // Returns the seqs and versions it assigned (an empty ChangeSet: an empty Applied).
  virtual Result<Applied> Apply(const ChangeSet& changes, const std::string& actor) = 0;
  // History, oldest first; only the entries about `entity_id` when it is not empty.
  virtual Result<std::vector<HistoryEntry>> History(const std::string& entity_id) = 0;
  // History entries after `after_seq` (seq > after_seq), oldest first, at most `limit`, without
  // their before/after (what the server's event stream tells its subscribers).
  virtual Result<std::vector<HistoryEntry>> HistorySince(int64_t after_seq, size_t limit) = 0;
  // Change detection: a number that changes whenever the database changes, whoever commits (this
  // store, another connection, another process), so that a cache of what was loaded can tell it
  // is stale. Compared for equality only; it may also change when nothing did, never stays the
  // same across a commit. 0: this store cannot tell (treat every call as a change). Cheap enough
  // to ask on every request; safe from any thread, also while another call of this store runs.
  virtual uint64_t DataVersion() = 0;
  // A number that changes whenever another connection or process commits and never with this
  // store's own commits (SQLite: `PRAGMA data_version` on the connection that writes). Read before
  // and after its own Apply, it tells a cache that no other write came between, so that it may
  // apply the ChangeSet to what it holds instead of loading again (server/workspace_cache.h).
  // 0: this store cannot tell.
  virtual uint64_t OthersVersion() { return 0; }
  // The schema version the database is at.
  virtual Result<int> SchemaVersion() = 0;
  // Writes a consistent copy of the whole database to `path` (a new file) while others may be
  // writing, and verifies the copy opens and passes an integrity check.
  virtual Result<void> Backup(const std::string& path) = 0;
  // The accounts, tokens and sessions the server signs in with, in the same database. Lives as
  // long as the Store.
  virtual AccountStore& accounts() = 0;
};

// Opens (creating if needed) the store a URL names: a path, `sqlite:PATH`, or `postgresql://…`
// (not yet available: kStorage). Migrates the schema. `clock` stamps history rows; it must outlive
// the store.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url,
                                         const Clock& clock = SystemClock());

}  // namespace cascade

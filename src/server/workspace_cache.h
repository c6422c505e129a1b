// The workspace as the server last loaded it, reused while the database has not changed. Whether
// it changed is asked on every use (Store::DataVersion() of a store of its own: for SQLite the
// WAL-index header, then `PRAGMA data_version`, see store/sqlite/data_version.h), so a second
// server process or a CLI write is seen at once: the cache holds nothing a fresh load would not.
// Roll-ups and rendered response bodies are kept per workspace snapshot, by key. A write of this
// server moves the cache to the next snapshot without loading (Commit, WorkspaceSnapshot::Next);
// readers keep the snapshot they hold meanwhile and never wait for a write.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>  // std::once_flag
#include <span>
#include <string>

#include "core/changeset.h"
#include "core/date.h"
#include "core/error.h"
#include "core/model.h"
#include "core/mutex.h"
#include "core/rollup.h"
#include "store/store.h"

namespace cascade {

class GoalLinks;

// One state of the workspace and what has been computed from it. Shared by requests: immutable
// but for what it builds on first use and its memo tables, all thread-safe.
//
// Either loaded (Store::Load) or made from the one before by a write of this server (Next): the
// next snapshot shares with the one before it everything the write did not change — the entities
// when only check-ins were written, with their id index; every KPI's check-ins but those of the
// KPIs written to (check-ins are kept per KPI, each KPI's in a vector of its own shared between
// snapshots) — and computes its roll-ups again only for the goals the write touched.
class WorkspaceSnapshot {
 public:
  // A workspace as loaded, every vector in the order stored. Its check-ins are moved into one
  // list per KPI (a pass over them; the id index is built for it).
  WorkspaceSnapshot(Workspace ws, uint64_t version);
  ~WorkspaceSnapshot();
  WorkspaceSnapshot(const WorkspaceSnapshot&) = delete;
  WorkspaceSnapshot& operator=(const WorkspaceSnapshot&) = delete;

  // `before` with `changes` applied as the store applied them (`changes` stamped with what it
  // assigned: StampApplied), the database being at `version` then. The roll-ups `before` holds
  // are carried over, computed again for what `changes` touched (AffectedGoals, UpdateRollup:
  // created goals and KPIs too) or, when it removed a goal or KPI, whole from the per-KPI
  // check-ins. Takes time in the size of the change (and the KPIs and goals it touches) plus a
  // copy of one pointer per chunk of entities (core/cow_vector.h), of check-in lists and of
  // roll-up results (core/cow_array.h), the chunks it writes to cloned.
  static Result<std::shared_ptr<const WorkspaceSnapshot>> Next(const WorkspaceSnapshot& before,
                                                               const ChangeSet& changes,
                                                               uint64_t version);

  // The whole workspace, check-ins included, as Store::Load would give it. Built on first use (a
  // copy of every check-in, the snapshot keeping them per KPI): paths every request takes read
  // entities() and CheckinsOf() instead.
  const Workspace& ws() const;
  // The workspace but its check-ins: teams, people, goals, KPIs, actions, funnels, experiments,
  // comments and reviews as of this snapshot. Its `checkins` are empty: read them from
  // CheckinsOf() or ws().
  const Workspace& entities() const;
  // The check-ins of KPI position `kpi` (in entities().kpis), in the order recorded.
  std::span<const Checkin> CheckinsOf(size_t kpi) const;
  // Every check-in, in the order recorded (by seq); made on first use (a sort of pointers).
  std::span<const Checkin* const> CheckinsInOrder() const;
  // The check-in numbered `seq`, or null.
  const Checkin* FindCheckin(int64_t seq) const;
  uint64_t version() const { return version_; }
  // Whether Next() made it (rather than a load).
  bool derived() const { return derived_; }

  // The id indexes of entities(), built on first use (the named operations look entities up in
  // them) and shared with the snapshots after it while the entities stay the same.
  const WorkspaceIndex& Index() const;
  // Each goal's parent, children and KPIs by position (core/incremental_rollup.h), built on first
  // use and shared as Index() is.
  const GoalLinks& Links() const;
  // The roll-up of ws() as of `as_of`, computed once per date (carried over by Next()).
  std::shared_ptr<const Rollup> RollupAsOf(Date as_of) const EXCLUDES(mu_);
  // make() computed once per key (a response body, say); at most a few hundred keys are kept.
  std::shared_ptr<const std::string> Memo(const std::string& key,
                                          const std::function<std::string()>& make) const
      EXCLUDES(mu_);

 private:
  struct Entities;
  struct Checkins;
  WorkspaceSnapshot() = default;
  Rollup ComputeWhole(Date as_of) const;

  std::shared_ptr<const Entities> entities_;
  uint64_t version_ = 0;
  bool derived_ = false;
  // Whether a whole roll-up may be computed from the check-ins kept per KPI (RollupFromParts,
  // UpdateRollupCovers); when not, it is computed on ws().
  bool partial_rollups_ = true;
  // The check-ins per KPI (a load's moved here as the snapshot is made).
  std::shared_ptr<const Checkins> checkins_;
  mutable std::once_flag order_once_;
  mutable std::vector<const Checkin*> order_;  // CheckinsInOrder()
  // ws(), built on first use.
  mutable std::once_flag whole_once_;
  mutable std::unique_ptr<const Workspace> whole_;
  mutable Mutex mu_;
  mutable std::map<int32_t, std::shared_ptr<const Rollup>> rollups_ GUARDED_BY(mu_);
  mutable std::map<std::string, std::shared_ptr<const std::string>, std::less<>> memo_
      GUARDED_BY(mu_);
};

class WorkspaceCache {
 public:
  // `db_url` as OpenStore takes it. For a database file the cache watches it through a store of
  // its own; for anything else (or if opening that fails) every Current() loads afresh.
  explicit WorkspaceCache(const std::string& db_url);
  // Watches through `watcher` (null: not watching), a store used for nothing else.
  explicit WorkspaceCache(std::unique_ptr<Store> watcher);
  ~WorkspaceCache();
  WorkspaceCache(const WorkspaceCache&) = delete;
  WorkspaceCache& operator=(const WorkspaceCache&) = delete;

  // The current workspace (with check-ins), loaded through `store` only when the database changed
  // otherwise than by this cache's Commit(). While a Commit() is writing, returns the snapshot
  // before the write rather than loading (readers do not wait for a write, nor load because of
  // one: the snapshot after it comes with the Commit).
  Result<std::shared_ptr<const WorkspaceSnapshot>> Current(Store& store)
      EXCLUDES(load_mu_, snap_mu_);
  // Applies `changes` through `store` (store.Apply) and, when no other writer came between the
  // snapshot held and this write, makes the snapshot after it with WorkspaceSnapshot::Next, so
  // that the next request finds it ready. Whether another writer came between: the version held
  // is DataVersion() read just before the write, and `store`'s OthersVersion() (which moves with
  // every commit but its own) read before that and again after DataVersion() is read after the
  // write did not move: then the one commit between the two DataVersion() readings was this one.
  // Otherwise (or when either cannot tell) the next Current() loads. Writes through Commit() run
  // one at a time.
  Result<Applied> Commit(Store& store, const ChangeSet& changes, const std::string& actor)
      EXCLUDES(write_mu_, snap_mu_);
  // A number that changes whenever the database does (0 when not watching: always "changed").
  uint64_t DataVersion();
  bool watching() const { return watch_ != nullptr; }
  // How many snapshots Commit() made, and how many loads Current() did (for tests and metrics).
  uint64_t snapshots_made() const { return made_.load(); }
  uint64_t loads() const { return loads_.load(); }

 private:
  std::unique_ptr<Store> watch_;  // asked DataVersion() only
  Mutex load_mu_;                 // one load at a time; the others wait and share it
  Mutex write_mu_;                // one Commit() at a time
  std::atomic<int> committing_{0};
  std::atomic<uint64_t> made_{0};
  std::atomic<uint64_t> loads_{0};
  Mutex snap_mu_;  // held only to read or swap snapshot_
  std::shared_ptr<const WorkspaceSnapshot> snapshot_ GUARDED_BY(snap_mu_);
};

}  // namespace cascade

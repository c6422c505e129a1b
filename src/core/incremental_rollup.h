// The roll-up after a write, computed again only for what the write touched (issue 13): the goals
// and KPIs a ChangeSet changes, the goals whose window it moves, and their ancestors. The server
// keeps its cached roll-up this way after its own commits instead of computing it whole again.
// The result equals ComputeRollup's on the workspace after the write, field by field
// (incremental_rollup_test.cc checks it on random writes); the formulas are ComputeRollup's own
// (RollupKpi, RollupFinishGoal, RollupKpiStale in core/rollup.h), summed in the same order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/changeset.h"
#include "core/cow_array.h"
#include "core/link_groups.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// The goal tree, the KPIs of each goal, the goals supporting it and the KPIs benchmarking a KPI,
// by position, built in O(goals + KPIs + supports). Copies share their arrays in chunks (CowArray, LinkGroups), so the
// links after a create cost the create, not the workspace.
class GoalLinks {
 public:
  GoalLinks(const Workspace& ws, const WorkspaceIndex& index);
  // The links of `ws`, a workspace that holds every goal and KPI `before` was built on at its
  // place, with the same links, and more after them (created since): `before`'s shared, what the
  // new ones add written into the chunks they land in, in the size of the create (O(KPIs) bytes
  // copied when formulas exist).
  GoalLinks(const GoalLinks& before, const Workspace& ws, const WorkspaceIndex& index);
  // The links after a write that removed the goals and KPIs at `goals_removed` and `kpis_removed`
  // (positions before it, ascending), created none and changed no other link: the others keep
  // their order. Work in the size of the chunks from the first removed on, no id looked up.
  GoalLinks(const GoalLinks& before, std::span<const int> goals_removed,
            std::span<const int> kpis_removed);
  // The links after a write that created and removed nothing and changed, of what links are
  // built from, only the parent or supports of the goals at `relinked` (each with the goal as it
  // was) and the goal or benchmark_for of the KPIs at `relinked_kpis`: each taken out of its old
  // groups (parent's children, targets' supporters, goal's KPIs, benchmarked KPI's benchmarks)
  // and put into the new ones in vector order. In the size of the change (a goal moved or made to
  // support another at 100,000 goals built them whole: 60–100 ms, most of it id lookups).
  struct Relinked {
    int goal;
    const Goal* was;
  };
  struct RelinkedKpi {
    int kpi;
    const Kpi* was;
  };
  GoalLinks(const GoalLinks& before, const Workspace& ws, const WorkspaceIndex& index,
            std::span<const Relinked> relinked, std::span<const RelinkedKpi> relinked_kpis);
  int parent(size_t goal) const { return parent_[goal]; }    // -1: a root (or no such goal)
  int kpi_goal(size_t kpi) const { return kpi_goal_[kpi]; }  // -1: no such goal
  // A goal's KPIs in KPI vector order; its children in goal vector order.
  std::span<const int> kpis(size_t goal) const { return kpis_[goal]; }
  std::span<const int> children(size_t goal) const { return children_[goal]; }
  // The goals that list this one among those they support, in goal vector order.
  std::span<const int> supporters(size_t goal) const { return supporters_[goal]; }
  // The KPIs that are a benchmark for this one (benchmark_for), in KPI vector order.
  std::span<const int> benchmarks(size_t kpi) const { return benchmarks_[kpi]; }
  // Whether a KPI is a formula or read by one (which UpdateRollup leaves to a whole roll-up).
  bool formula_bound(size_t kpi) const { return !formula_bound_.empty() && formula_bound_[kpi]; }
  bool has_formulas() const { return !formula_bound_.empty(); }

 private:
  void LinkSupporters(const Workspace& ws, const WorkspaceIndex& index);
  void MarkFormulas(const Workspace& ws, const WorkspaceIndex& index);
  CowArray<int> parent_;
  CowArray<int> kpi_goal_;
  LinkGroups kpis_;
  LinkGroups children_;
  LinkGroups supporters_;
  LinkGroups benchmarks_;
  std::vector<uint8_t> formula_bound_;  // by KPI position; empty without formulas
};

// What a write makes the roll-up compute again, by position in the workspace after it.
struct Affected {
  std::vector<int> kpis;   // KPIs whose value, progress or forecast may have changed
  std::vector<int> goals;  // goals whose result may have changed, every ancestor included
  bool order = false;      // a goal moved or was created: the order and depths change
  bool moved = false;      // a goal moved (its parent changed)
  std::vector<int> moved_goals;  // those goals
};

// The goals and KPIs `changes` (as committed) can change the roll-up of, `before` and `after`
// being the workspace before and after it. Goals and KPIs it creates are at the end of `after`
// (every other at its place), each affected with its ancestors. nullopt when it deletes a goal or
// a KPI (positions move), moves a cycle's dates, or touches a formula KPI or a KPI a formula
// reads: compute the roll-up whole then. Takes time in the size of the change, the depth of the goals it
// touches and, for a moved window (start, due, parent, cycle), the subtree it moves.
//
// The one place that knows what depends on what: a KPI's result on its check-ins, its own fields
// and its goal's window (effective start: inherited down the tree; due; both from its cycle where
// it sets none); a goal's on its own fields, its KPIs and its children; its confidence on its
// KPIs' check-ins; its spend on its spend records and window.
//
// With `removed` (the positions before the write of what it removed, RemoveFromRollup applied to
// the roll-up it updates): a write that removes goals or KPIs and creates none is not left whole;
// a removed goal's parent and a removed KPI's goal are affected.
std::optional<Affected> AffectedGoals(const Workspace& before, const Workspace& after,
                                      const WorkspaceIndex& after_index,
                                      const GoalLinks& after_links, const ChangeSet& changes,
                                      const WorkspaceIndex::Removed* removed = nullptr);

// `before` without the goals and KPIs at `goals_removed` and `kpis_removed` (positions, ascending):
// the others at their places after the removal, the order and depths kept, the summary no longer
// counting the removed. What UpdateRollup then computes again for the removal's AffectedGoals.
Rollup RemoveFromRollup(const Rollup& before, std::span<const int> goals_removed,
                        std::span<const int> kpis_removed);

// `before` (the roll-up of the workspace before the write, as of its as_of) with the results of
// `affected` computed again on `after`; goals and KPIs `after` holds past `before`'s are added
// (created by the write, affected). `checkins(k)` gives the check-ins of KPI position k after
// the write, in the order recorded. nullopt when a goal's achieved_on needs the history of a
// formula KPI (computed from its inputs' check-ins by a whole roll-up).
std::optional<Rollup> UpdateRollup(const Rollup& before, const Workspace& after,
                                   const GoalLinks& links,
                                   const std::function<std::span<const Checkin>(size_t)>& checkins,
                                   const Affected& affected);

// Whether RollupFromParts computes everything ComputeRollup does for `ws`: not with formula KPIs,
// which read other KPIs' check-ins as of other dates (a caller computes the roll-up whole then).
bool UpdateRollupCovers(const Workspace& ws);

// The whole roll-up of `ws` as of `as_of` from its KPIs' check-ins given apart (`checkins(k)`,
// in any order; ws.checkins is not read): UpdateRollup with everything affected. Equals
// ComputeRollup(ws with those check-ins, as_of).
Rollup RollupFromParts(const Workspace& ws, const GoalLinks& links,
                       const std::function<std::span<const Checkin>(size_t)>& checkins, Date as_of);

}  // namespace cascade

#include "server/workspace_cache.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/apply_changes.h"
#include "core/id_table.h"
#include "core/incremental_rollup.h"

namespace cascade {
namespace {

constexpr size_t kMaxRollups = 16;
constexpr size_t kMaxMemo = 256;

// What the updates of `changes` do to what GoalLinks is built from: the goals whose parent or
// supports they change and the KPIs whose goal or benchmark_for they change (each with its
// position after the write, in `index`, and as it was), both empty when they leave every link as
// it was; nullopt when they change a KPI's kind or formula (which KPIs a formula reads: the links
// are then built whole).
struct Relinked {
  std::vector<GoalLinks::Relinked> goals;
  std::vector<GoalLinks::RelinkedKpi> kpis;
  bool empty() const { return goals.empty() && kpis.empty(); }
};
std::optional<Relinked> Relinks(const ChangeSet& changes, const WorkspaceIndex& index) {
  Relinked out;
  for (const EntityChange& c : changes.changes) {
    if (c.op != EntityChange::Op::kUpdate) continue;
    if (const Goal* was = std::get_if<Goal>(&*c.before)) {
      const Goal& now = std::get<Goal>(*c.after);
      if (was->parent != now.parent || was->supports != now.supports) {
        out.goals.push_back({index.goal(now.id), was});
      }
    } else if (const Kpi* was_kpi = std::get_if<Kpi>(&*c.before)) {
      const Kpi& now = std::get<Kpi>(*c.after);
      if (was_kpi->kind != now.kind || was_kpi->formula != now.formula) return std::nullopt;
      if (was_kpi->goal != now.goal || was_kpi->benchmark_for != now.benchmark_for) {
        out.kpis.push_back({index.kpi(now.id), was_kpi});
      }
    }
  }
  return out;
}

}  // namespace

// The entities of one or more snapshots, and the indexes built from them on first use (or taken
// over from the entities before a write that left them as they were).
struct WorkspaceSnapshot::Entities {
  explicit Entities(Workspace w) : ws(std::move(w)) {}
  const WorkspaceIndex& Index() const {
    std::call_once(index_once, [this] {
      if (!index) index = std::make_shared<const WorkspaceIndex>(ws);
    });
    return *index;
  }
  const GoalLinks& Links() const {
    std::call_once(links_once, [this] {
      if (!links) links = std::make_shared<const GoalLinks>(ws, Index());
    });
    return *links;
  }
  // Takes over the id index of `was` and, when the updates of `changes` left every KPI's kind and
  // formula as they were, its goal links: shared when no position moved and no link changed;
  // else layered over it (the ids created come last, those `removed` lists are gone, the others
  // kept their order), built again from it with integers only, or, for goals moved or
  // re-supported and KPIs moved or re-benchmarked in a write that created and removed nothing,
  // changed where they moved. Before this is shared with any other thread.
  void TakeOver(const std::shared_ptr<const Entities>& was, const ChangeSet& changes,
                const WorkspaceIndex::Removed& removed) {
    was->Index();
    const auto sizes = Sizes(ws), was_sizes = Sizes(was->ws);
    size_t moved = 0;  // ids created or removed
    bool goals_created = false;
    for (size_t kind = 0; kind < WorkspaceIndex::kKinds; ++kind) {
      const size_t created = sizes[kind] + removed[kind].size() - was_sizes[kind];
      moved += created + removed[kind].size();
      if (kind == WorkspaceIndex::kGoals || kind == WorkspaceIndex::kKpis) {
        goals_created |= created > 0;
      }
    }
    if (moved == 0) {
      index = was->index;
    } else if (was->index->added() + moved <= kMaxAddedIds) {
      index = std::make_shared<const WorkspaceIndex>(was->index, ws, removed);
    } else {
      return;  // built whole on first use
    }
    // The index's keys are views of the ids of the workspace it was built on: that one is kept
    // (only that one: each snapshot after it points at it, not at the one before).
    index_keys = was->index_keys ? was->index_keys : was;
    const auto relinks = Relinks(changes, *index);
    if (!relinks) return;  // built whole on first use
    const GoalLinks& before = was->Links();
    if (!relinks->empty()) {
      if (moved == 0) {
        links = std::make_shared<const GoalLinks>(before, ws, *index, relinks->goals,
                                                  relinks->kpis);
      }
      return;
    }
    const bool goals_removed =
        !removed[WorkspaceIndex::kGoals].empty() || !removed[WorkspaceIndex::kKpis].empty();
    if (!goals_removed) {
      links = goals_created ? std::make_shared<const GoalLinks>(before, ws, *index) : was->links;
    } else if (!goals_created) {
      links = std::make_shared<const GoalLinks>(before, removed[WorkspaceIndex::kGoals],
                                                removed[WorkspaceIndex::kKpis]);
    }
  }
  // The number of entities of each kind, in WorkspaceIndex's order of kinds.
  static std::array<size_t, WorkspaceIndex::kKinds> Sizes(const Workspace& w) {
    return {w.teams.size(),   w.people.size(),  w.goals.size(),       w.kpis.size(),
            w.actions.size(), w.funnels.size(), w.experiments.size(), w.cycles.size()};
  }
  // Ids an index holds on top of the one it shares before it is built whole again.
  static constexpr size_t kMaxAddedIds = 4096;

  Workspace ws;  // without check-ins (kept per KPI)
  mutable std::once_flag index_once;
  mutable std::shared_ptr<const WorkspaceIndex> index;
  std::shared_ptr<const Entities> index_keys;  // the entities `index` was built on, when not these
  mutable std::once_flag links_once;
  mutable std::shared_ptr<const GoalLinks> links;
};

namespace {

// Whether `changes` removes an entity (every one after it moves).
bool Removes(const ChangeSet& changes) {
  return std::any_of(changes.changes.begin(), changes.changes.end(),
                     [](const EntityChange& c) { return !c.after; });
}

// Whether `changes` deletes an id of a kind and creates it again (what stayed cannot be told from
// the ids then).
bool Recreates(const ChangeSet& changes) {
  std::set<std::pair<size_t, std::string>> deleted;
  for (const EntityChange& c : changes.changes) {
    if (!c.after) deleted.emplace(c.before->index(), EntityId(*c.before));
  }
  return std::any_of(changes.changes.begin(), changes.changes.end(), [&](const EntityChange& c) {
    return c.op == EntityChange::Op::kCreate &&
           deleted.contains({c.after->index(), EntityId(*c.after)});
  });
}

// The positions of `was`'s items that `now` no longer holds, ascending: `now` holds the others in
// their order, then those created (ApplyChanges erases and appends). One walk comparing ids, from
// the first chunk the two do not share.
template <typename Items>
std::vector<int> RemovedFrom(const Items& was, const Items& now) {
  std::vector<int> out;
  size_t j = was.SharedPrefix(now);
  for (size_t i = j; i < was.size(); ++i) {
    if (j < now.size() && was[i].id == now[j].id) {
      ++j;
    } else {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

// What a write removed of each kind (goals' KPIs, actions and experiments with them), by position
// in `was`.
WorkspaceIndex::Removed RemovedPositions(const Workspace& was, const Workspace& now) {
  WorkspaceIndex::Removed r;
  r[WorkspaceIndex::kTeams] = RemovedFrom(was.teams, now.teams);
  r[WorkspaceIndex::kPeople] = RemovedFrom(was.people, now.people);
  r[WorkspaceIndex::kGoals] = RemovedFrom(was.goals, now.goals);
  r[WorkspaceIndex::kKpis] = RemovedFrom(was.kpis, now.kpis);
  r[WorkspaceIndex::kActions] = RemovedFrom(was.actions, now.actions);
  r[WorkspaceIndex::kFunnels] = RemovedFrom(was.funnels, now.funnels);
  r[WorkspaceIndex::kExperiments] = RemovedFrom(was.experiments, now.experiments);
  r[WorkspaceIndex::kCycles] = RemovedFrom(was.cycles, now.cycles);
  return r;
}


}  // namespace

// Each KPI's check-ins (by KPI position), in the order recorded, in chunks of kChunk KPIs shared
// between snapshots: the next snapshot copies one pointer per chunk, and a chunk's lists only where
// the write added to one of its KPIs. (One pointer per KPI, copied at every write, was half of a
// check-in POST's time at 125,000 KPIs: the atomic reference counts of the copies, and of their
// release.) A loaded snapshot's lists are slices of the one vector the load gave, put in KPI order
// where it lies; a KPI written to gets a vector of its own.
struct WorkspaceSnapshot::Checkins {
  static constexpr size_t kChunk = 512;
  struct List {
    std::span<const Checkin> items;
    std::shared_ptr<const void> keep;  // what `items` lies in
  };
  using Chunk = std::vector<List>;
  std::vector<std::shared_ptr<const Chunk>> chunks;

  std::span<const Checkin> of(size_t kpi) const {
    return (*chunks[kpi / kChunk])[kpi % kChunk].items;
  }
  const List& list(size_t kpi) const { return (*chunks[kpi / kChunk])[kpi % kChunk]; }
  // The table of one list per KPI.
  static std::shared_ptr<Checkins> From(std::vector<List> lists) {
    auto table = std::make_shared<Checkins>();
    table->chunks.reserve((lists.size() + kChunk - 1) / kChunk);
    for (size_t at = 0; at < lists.size(); at += kChunk) {
      const size_t end = std::min(lists.size(), at + kChunk);
      table->chunks.push_back(std::make_shared<const Chunk>(
          std::make_move_iterator(lists.begin() + static_cast<std::ptrdiff_t>(at)),
          std::make_move_iterator(lists.begin() + static_cast<std::ptrdiff_t>(end))));
    }
    return table;
  }
  // The table of `checkins` as loaded (in the order recorded) for the KPIs `kpis`: sorted by KPI
  // in place, keeping the order recorded within each, and sliced. In place because on this VM
  // moving a million check-ins into lists of their own cost half a second at 100,000 goals, most of
  // it page faults; the permutation touches no memory the load had not.
  static std::shared_ptr<Checkins> Group(std::vector<Checkin> checkins,
                                         const CowVector<Kpi>& kpis) {
    const size_t n = checkins.size();
    const auto none = static_cast<uint32_t>(kpis.size());  // the KPI of a check-in of no KPI
    std::vector<uint32_t> to(n);  // first each check-in's KPI, then its place
    std::vector<uint32_t> begin(kpis.size() + 2);
    // A flat table with batched lookups: a WorkspaceIndex lookup per check-in took a third longer.
    LookupAll(
        n, [&checkins](size_t i) { return std::string_view(checkins[i].kpi); }, IdTable(kpis),
        kpis, [&](size_t i, int k) {
          to[i] = k >= 0 ? static_cast<uint32_t>(k) : none;
          ++begin[to[i] + 1];
        });
    for (size_t k = 0; k + 1 < begin.size(); ++k) begin[k + 1] += begin[k];
    std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
    for (uint32_t& t : to) t = fill[t]++;
    // Each swap puts one check-in at its place.
    for (uint32_t i = 0; i < n; ++i) {
      while (to[i] != i) {
        const uint32_t j = to[i];
        std::swap(checkins[i], checkins[j]);
        std::swap(to[i], to[j]);
      }
    }
    checkins.resize(begin[none]);  // those of no KPI (the store allows none) dropped
    auto all = std::make_shared<const std::vector<Checkin>>(std::move(checkins));
    std::vector<List> lists(kpis.size());
    for (size_t k = 0; k < kpis.size(); ++k) {
      if (begin[k] == begin[k + 1]) continue;
      lists[k] = List{std::span<const Checkin>(all->data() + begin[k], begin[k + 1] - begin[k]), all};
    }
    return From(std::move(lists));
  }
  // Every KPI's list, in KPI order.
  template <typename F>
  void ForEach(F f) const {
    for (const auto& chunk : chunks) {
      for (const List& list : *chunk) f(list.items);
    }
  }
  // This table with the lists of some KPIs replaced (`lists`: KPI position → its new list),
  // copying only the chunks that hold them.
  void Replace(std::map<size_t, std::shared_ptr<std::vector<Checkin>>>& lists) {
    std::shared_ptr<Chunk> copy;
    size_t copied = SIZE_MAX;
    for (auto& [kpi, list] : lists) {
      const size_t c = kpi / kChunk;
      if (c != copied) {
        if (copy) chunks[copied] = std::move(copy);
        copy = std::make_shared<Chunk>(*chunks[c]);
        copied = c;
      }
      (*copy)[kpi % kChunk] = List{std::span<const Checkin>(*list), std::move(list)};
    }
    if (copy) chunks[copied] = std::move(copy);
  }
  // This table with `n` KPIs more, without check-ins, at the end (KPIs created).
  void Append(size_t n) {
    size_t kpis = chunks.empty() ? 0 : (chunks.size() - 1) * kChunk + chunks.back()->size();
    for (; n > 0; --n, ++kpis) {
      if (kpis % kChunk == 0) {
        chunks.push_back(std::make_shared<const Chunk>(1));
      } else {
        auto copy = std::make_shared<Chunk>(*chunks.back());
        copy->emplace_back();
        chunks.back() = std::move(copy);
      }
    }
  }
};

namespace {

// The roll-ups a snapshot carries over to the next (the latest dates asked for).
constexpr size_t kCarriedRollups = 3;

}  // namespace

WorkspaceSnapshot::WorkspaceSnapshot(Workspace ws, uint64_t version) : version_(version) {
  // Kept per KPI only, as every snapshot after this one keeps them: one copy of the check-ins,
  // and a first write that finds its table ready.
  std::vector<Checkin> checkins = std::move(ws.checkins);
  ws.checkins = {};
  entities_ = std::make_shared<const Entities>(std::move(ws));
  partial_rollups_ = UpdateRollupCovers(entities_->ws);
  checkins_ = Checkins::Group(std::move(checkins), entities_->ws.kpis);
}

WorkspaceSnapshot::~WorkspaceSnapshot() = default;

const Workspace& WorkspaceSnapshot::entities() const { return entities_->ws; }

const WorkspaceIndex& WorkspaceSnapshot::Index() const { return entities_->Index(); }

const GoalLinks& WorkspaceSnapshot::Links() const { return entities_->Links(); }

std::span<const Checkin> WorkspaceSnapshot::CheckinsOf(size_t kpi) const {
  return checkins_->of(kpi);
}

namespace {

// Every vector of `ws` but its check-ins (kept per KPI in a snapshot): one list of the entity and
// record kinds, so that a kind added to Workspace is added here once.
Workspace WithoutCheckins(const Workspace& ws) {
  Workspace out;
  out.teams = ws.teams;
  out.people = ws.people;
  out.goals = ws.goals;
  out.kpis = ws.kpis;
  out.actions = ws.actions;
  out.funnels = ws.funnels;
  out.experiments = ws.experiments;
  out.comments = ws.comments;
  out.reviews = ws.reviews;
  out.spend = ws.spend;
  out.cycles = ws.cycles;
  return out;
}

}  // namespace

std::span<const Checkin* const> WorkspaceSnapshot::CheckinsInOrder() const {
  std::call_once(order_once_, [this] {
    // Each KPI's list is in that order already: what is sorted is a pointer per check-in.
    std::vector<const Checkin*> order;
    checkins_->ForEach([&order](std::span<const Checkin> v) {
      for (const Checkin& c : v) order.push_back(&c);
    });
    std::sort(order.begin(), order.end(),
              [](const Checkin* a, const Checkin* b) { return a->seq < b->seq; });
    order_ = std::move(order);
  });
  return order_;
}

const Checkin* WorkspaceSnapshot::FindCheckin(int64_t seq) const {
  const auto order = CheckinsInOrder();
  auto it = std::lower_bound(order.begin(), order.end(), seq,
                             [](const Checkin* c, int64_t s) { return c->seq < s; });
  return it != order.end() && (*it)->seq == seq ? *it : nullptr;
}

const Workspace& WorkspaceSnapshot::ws() const {
  std::call_once(whole_once_, [this] {
    auto whole = std::make_unique<Workspace>(WithoutCheckins(entities_->ws));
    const auto order = CheckinsInOrder();
    whole->checkins.reserve(order.size());
    for (const Checkin* c : order) whole->checkins.push_back(*c);
    whole_ = std::move(whole);
  });
  return *whole_;
}

Rollup WorkspaceSnapshot::ComputeWhole(Date as_of) const {
  if (!partial_rollups_) return ComputeRollup(ws(), as_of);
  return RollupFromParts(
      entities_->ws, entities_->Links(), [this](size_t k) { return CheckinsOf(k); }, as_of);
}

std::shared_ptr<const Rollup> WorkspaceSnapshot::RollupAsOf(Date as_of) const {
  {
    MutexLock lock(mu_);
    if (auto it = rollups_.find(as_of.days()); it != rollups_.end()) return it->second;
  }
  auto computed = std::make_shared<const Rollup>(ComputeWhole(as_of));
  MutexLock lock(mu_);
  if (rollups_.size() >= kMaxRollups) rollups_.erase(rollups_.begin());
  return rollups_.emplace(as_of.days(), std::move(computed)).first->second;
}

Result<std::shared_ptr<const WorkspaceSnapshot>> WorkspaceSnapshot::Next(
    const WorkspaceSnapshot& before, const ChangeSet& changes, uint64_t version) {
  std::shared_ptr<WorkspaceSnapshot> next(new WorkspaceSnapshot());
  next->version_ = version;
  next->derived_ = true;
  const Entities& was = *before.entities_;
  const Checkins& was_checkins = *before.checkins_;

  const bool removes = Removes(changes);
  // What the write removed, by position before it, when that can be told (it removed some).
  std::optional<WorkspaceIndex::Removed> removed;
  // The entities: shared unless the write changed one (or a comment or review).
  if (!changes.changes.empty() || !changes.comments.empty() || !changes.reviews.empty() ||
      !changes.comment_changes.empty() || !changes.spend.empty() ||
      !changes.spend_changes.empty()) {
    Workspace copy = WithoutCheckins(was.ws);
    AssignedSeqs seqs;
    for (const Checkin& c : changes.checkins) seqs.checkins.push_back(c.seq);
    for (const Comment& c : changes.comments) seqs.comments.push_back(c.seq);
    for (const Review& r : changes.reviews) seqs.reviews.push_back(r.seq);
    for (const Spend& s : changes.spend) seqs.spend.push_back(s.seq);
    auto applied = ApplyChanges(std::move(copy), changes, seqs, &was.Index(),
                                removes ? &was.Links() : nullptr);  // links: built once, if absent
    if (!applied) return applied.error();
    applied->checkins = {};  // kept per KPI below
    auto entities = std::make_shared<Entities>(std::move(*applied));
    if (!removes) {
      entities->TakeOver(before.entities_, changes, {});
    } else if (!Recreates(changes)) {
      removed = RemovedPositions(was.ws, entities->ws);
      entities->TakeOver(before.entities_, changes, *removed);
    }
    next->entities_ = std::move(entities);
  } else {
    next->entities_ = before.entities_;
  }
  const Workspace& after = next->entities_->ws;
  const WorkspaceIndex& index = next->Index();

  // The check-ins: one pointer per chunk of KPIs copied; the vectors of the KPIs written to
  // copied and changed (and their chunks); those of KPIs gone dropped.
  std::shared_ptr<Checkins> table;
  // Without removals every KPI keeps its place and those created come last.
  if (!removes && after.kpis.size() >= was.ws.kpis.size()) {
    table = std::make_shared<Checkins>(was_checkins);
    table->Append(after.kpis.size() - was.ws.kpis.size());
  } else if (removed) {
    // The lists of the KPIs that stay, in their order, then none for those created: the chunks
    // before the first KPI removed shared, the lists from there on placed again.
    const std::vector<int>& gone = (*removed)[WorkspaceIndex::kKpis];
    const size_t kept_chunks =
        (gone.empty() ? was.ws.kpis.size() : static_cast<size_t>(gone[0])) / Checkins::kChunk;
    std::vector<Checkins::List> lists;
    lists.reserve(after.kpis.size() - kept_chunks * Checkins::kChunk);
    for (size_t k = kept_chunks * Checkins::kChunk, r = 0; k < was.ws.kpis.size(); ++k) {
      if (r < gone.size() && static_cast<size_t>(gone[r]) == k) {
        ++r;
      } else {
        lists.push_back(was_checkins.list(k));
      }
    }
    lists.resize(after.kpis.size() - kept_chunks * Checkins::kChunk);
    table = Checkins::From(std::move(lists));
    table->chunks.insert(table->chunks.begin(), was_checkins.chunks.begin(),
                         was_checkins.chunks.begin() + static_cast<std::ptrdiff_t>(kept_chunks));
  } else {
    const WorkspaceIndex& was_index = was.Index();
    std::vector<Checkins::List> lists;
    lists.reserve(after.kpis.size());
    for (const Kpi& k : after.kpis) {
      const int at = was_index.kpi(k.id);
      lists.push_back(at >= 0 ? was_checkins.list(static_cast<size_t>(at)) : Checkins::List{});
    }
    table = Checkins::From(std::move(lists));
  }
  std::map<size_t, std::shared_ptr<std::vector<Checkin>>> written;
  const auto edit = [&](const std::string& kpi) -> std::vector<Checkin>* {
    const int k = index.kpi(kpi);
    if (k < 0) return nullptr;  // a KPI the same write removed
    auto& w = written[static_cast<size_t>(k)];
    if (!w) {
      const auto was = table->of(static_cast<size_t>(k));
      w = std::make_shared<std::vector<Checkin>>(was.begin(), was.end());
    }
    return w.get();
  };
  const auto by_seq = [](const Checkin& c, int64_t seq) { return c.seq < seq; };
  for (const CheckinChange& c : changes.checkin_changes) {
    if (std::vector<Checkin>* from = edit(c.before.kpi)) {
      auto it = std::lower_bound(from->begin(), from->end(), c.before.seq, by_seq);
      if (it != from->end() && it->seq == c.before.seq) from->erase(it);
    }
    if (c.op == EntityChange::Op::kDelete || !c.after) continue;
    if (std::vector<Checkin>* to = edit(c.after->kpi)) {
      to->insert(std::lower_bound(to->begin(), to->end(), c.after->seq, by_seq), *c.after);
    }
  }
  for (const Checkin& c : changes.checkins) {
    if (std::vector<Checkin>* to = edit(c.kpi)) {
      to->insert(std::lower_bound(to->begin(), to->end(), c.seq, by_seq), c);
    }
  }
  table->Replace(written);
  next->checkins_ = std::move(table);

  // The roll-ups, computed again for what the write touched.
  std::vector<std::shared_ptr<const Rollup>> carried;
  {
    MutexLock lock(before.mu_);
    for (auto it = before.rollups_.rbegin();
         it != before.rollups_.rend() && carried.size() < kCarriedRollups; ++it) {
      carried.push_back(it->second);
    }
  }
  // What RollupFromParts covers depends on the entities only: when the write left them as they
  // were, it is what it was, without a look at every KPI.
  // A workspace without formulas gets one only by a KPI created or updated as one.
  const bool formula_written = std::any_of(
      changes.changes.begin(), changes.changes.end(), [](const EntityChange& c) {
        const Kpi* k = c.after ? std::get_if<Kpi>(&*c.after) : nullptr;
        return k != nullptr && k->kind == KpiKind::kFormula;
      });
  next->partial_rollups_ = next->entities_ == before.entities_ ? before.partial_rollups_
                           : before.partial_rollups_          ? !formula_written
                                                               : UpdateRollupCovers(after);
  if (!carried.empty()) {
    const GoalLinks& links = next->entities_->Links();
    const auto checkins = [&next](size_t k) { return next->CheckinsOf(k); };
    const auto affected =
        AffectedGoals(was.ws, after, index, links, changes, removed ? &*removed : nullptr);
    const bool goals_removed = removed && (!(*removed)[WorkspaceIndex::kGoals].empty() ||
                                           !(*removed)[WorkspaceIndex::kKpis].empty());
    std::map<int32_t, std::shared_ptr<const Rollup>> rollups;
    for (const auto& rollup : carried) {
      std::optional<Rollup> updated;
      if (affected && goals_removed) {
        const Rollup kept = RemoveFromRollup(*rollup, (*removed)[WorkspaceIndex::kGoals],
                                             (*removed)[WorkspaceIndex::kKpis]);
        updated = UpdateRollup(kept, after, links, checkins, *affected);
      } else if (affected) {
        updated = UpdateRollup(*rollup, after, links, checkins, *affected);
      }
      if (!updated) {
        updated = next->partial_rollups_ ? RollupFromParts(after, links, checkins, rollup->as_of)
                                         : ComputeRollup(next->ws(), rollup->as_of);
      }
      rollups.emplace(rollup->as_of.days(), std::make_shared<const Rollup>(std::move(*updated)));
    }
    // No other thread sees `next` yet; the lock costs nothing and keeps the rule without exception.
    MutexLock lock(next->mu_);
    next->rollups_ = std::move(rollups);
  }
  return std::shared_ptr<const WorkspaceSnapshot>(std::move(next));
}

std::shared_ptr<const std::string> WorkspaceSnapshot::Memo(
    const std::string& key, const std::function<std::string()>& make) const {
  {
    MutexLock lock(mu_);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  }
  auto made = std::make_shared<const std::string>(make());
  MutexLock lock(mu_);
  if (memo_.size() >= kMaxMemo) memo_.clear();
  return memo_.emplace(key, std::move(made)).first->second;
}

namespace {

// A store to watch `db_url` with: a database file's (a private in-memory database would be
// another one than the server's), null for anything else or when it cannot be opened.
std::unique_ptr<Store> OpenWatcher(const std::string& db_url) {
  std::string path = db_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.empty() || path == ":memory:") return nullptr;
  auto store = OpenStore(db_url);
  return store ? std::move(*store) : nullptr;
}

}  // namespace

WorkspaceCache::WorkspaceCache(const std::string& db_url) : WorkspaceCache(OpenWatcher(db_url)) {}

WorkspaceCache::WorkspaceCache(std::unique_ptr<Store> watcher) : watch_(std::move(watcher)) {}

WorkspaceCache::~WorkspaceCache() = default;

uint64_t WorkspaceCache::DataVersion() { return watch_ != nullptr ? watch_->DataVersion() : 0; }

Result<std::shared_ptr<const WorkspaceSnapshot>> WorkspaceCache::Current(Store& store) {
  // Read the version before loading: a commit racing the load then shows as a change next time,
  // so a snapshot is never taken for newer than it is.
  uint64_t version = DataVersion();
  std::shared_ptr<const WorkspaceSnapshot> seen;  // the snapshot found stale
  if (version != 0) {
    MutexLock lock(snap_mu_);
    if (snapshot_ && snapshot_->version() == version) return snapshot_;
    // A Commit() of ours is writing: the snapshot before it will do (this request began before
    // the write was answered), and a load would be wasted.
    if (snapshot_ && committing_.load() > 0) return snapshot_;
    seen = snapshot_;
  }
  MutexLock load_lock(load_mu_);
  if (version != 0) {
    // Another request may have loaded it while this one waited.
    version = DataVersion();
    MutexLock lock(snap_mu_);
    if (snapshot_ && snapshot_->version() == version) return snapshot_;
  }
  auto ws = store.Load(LoadOptions{});
  if (!ws) return ws.error();
  ++loads_;
  auto snap = std::make_shared<const WorkspaceSnapshot>(std::move(*ws), version);
  if (version != 0) {
    MutexLock lock(snap_mu_);
    // Unless a Commit() moved the cache on meanwhile: its snapshot is the newer one.
    if (snapshot_ == seen) snapshot_ = snap;
  }
  return std::shared_ptr<const WorkspaceSnapshot>(std::move(snap));
}

Result<Applied> WorkspaceCache::Commit(Store& store, const ChangeSet& changes,
                                       const std::string& actor) {
  MutexLock write_lock(write_mu_);
  // The order of the readings matters: OthersVersion first and last, so that another commit
  // anywhere between the two DataVersion readings moves it.
  const uint64_t others_before = store.OthersVersion();
  const uint64_t version_before = DataVersion();
  std::shared_ptr<const WorkspaceSnapshot> base;
  {
    MutexLock lock(snap_mu_);
    base = snapshot_;
  }
  // From before the write until the snapshot after it is in place, Current() answers with the
  // snapshot held rather than loading (a request between the commit and the swap would otherwise
  // load the whole workspace, and a load finishing after the swap would put an older one back).
  struct Committing {
    std::atomic<int>& n;
    explicit Committing(std::atomic<int>& count) : n(count) { ++n; }
    ~Committing() { --n; }
  } committing(committing_);
  auto applied = store.Apply(changes, actor);
  if (!applied || changes.empty()) return applied;
  const uint64_t version_after = DataVersion();
  const uint64_t others_after = store.OthersVersion();
  if (!base || version_before == 0 || base->version() != version_before || others_before == 0 ||
      others_after != others_before || version_after == version_before) {
    return applied;  // the next Current() loads
  }
  ChangeSet stamped = changes;
  StampApplied(stamped, *applied);
  auto next = WorkspaceSnapshot::Next(*base, stamped, version_after);
  if (!next) return applied;  // not expected; a load will do
  MutexLock lock(snap_mu_);
  snapshot_ = std::move(*next);
  ++made_;
  return applied;
}

}  // namespace cascade

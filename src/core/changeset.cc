#include "core/changeset.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <tuple>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace cascade {
namespace {

// Kind names in the order of Entity's alternatives.
constexpr std::string_view kKindNames[] = {"team",   "person", "goal",       "kpi",
                                           "action", "funnel", "experiment", "cycle"};
static_assert(std::size(kKindNames) == std::variant_size_v<Entity>);

using IdIndex = std::unordered_map<std::string_view, size_t>;

// id → position of its first occurrence.
template <typename T>
IdIndex IndexById(const CowVector<T>& items) {
  IdIndex index;
  index.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) index.try_emplace(items[i].id, i);
  return index;
}

template <typename T>
bool SameIgnoringVersion(T a, const T& b) {
  a.version = b.version;
  return a == b;
}

// Positions `selected` of `items` reordered so that each comes after those of its prerequisites
// (`deps(item)`: a goal's or team's parent, an action's depends_on) that are selected too, and
// otherwise in the given order. Cycles (refused by validation) are broken rather than followed.
template <typename T, typename Deps>
std::vector<size_t> DependenciesFirst(const CowVector<T>& items,
                                      const std::vector<size_t>& selected, Deps deps) {
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(selected.size());
  for (size_t i : selected) position.try_emplace(items[i].id, i);

  enum : uint8_t { kNew, kOnPath, kDone };
  std::vector<uint8_t> state(items.size(), kNew);
  std::vector<size_t> order;
  order.reserve(selected.size());
  std::vector<std::pair<size_t, size_t>> stack;  // (item, next prerequisite to look at)
  for (size_t start : selected) {
    if (state[start] != kNew) continue;
    state[start] = kOnPath;
    stack.emplace_back(start, 0);
    while (!stack.empty()) {
      const auto [item, next] = stack.back();
      const std::span<const std::string> prerequisites = deps(items[item]);
      if (next < prerequisites.size()) {
        ++stack.back().second;
        auto it = position.find(prerequisites[next]);
        if (it != position.end() && state[it->second] == kNew) {
          state[it->second] = kOnPath;
          stack.emplace_back(it->second, 0);
        }
        continue;
      }
      state[item] = kDone;
      order.push_back(item);
      stack.pop_back();
    }
  }
  return order;
}

template <typename T>
std::span<const std::string> ParentOf(const T& item) {
  return {&item.parent, item.parent.empty() ? 0u : 1u};
}

std::span<const std::string> DependsOn(const Action& a) { return a.depends_on; }

// What differs between two lists of one kind, as positions.
struct KindDiff {
  std::vector<size_t> created;                     // in `to`, in its order
  std::vector<std::pair<size_t, size_t>> updated;  // (from, to), in `to`'s order
  std::vector<size_t> deleted;                     // in `from`, in its order
};

template <typename T>
KindDiff Compare(const CowVector<T>& from, const CowVector<T>& to) {
  const IdIndex from_ids = IndexById(from);
  const IdIndex to_ids = IndexById(to);
  KindDiff diff;
  for (size_t j = 0; j < to.size(); ++j) {
    auto it = from_ids.find(to[j].id);
    if (it == from_ids.end()) {
      diff.created.push_back(j);
    } else if (!SameIgnoringVersion(from[it->second], to[j])) {
      diff.updated.emplace_back(it->second, j);
    }
  }
  for (size_t i = 0; i < from.size(); ++i) {
    if (!to_ids.contains(from[i].id)) diff.deleted.push_back(i);
  }
  return diff;
}

template <typename T>
void AddCreates(ChangeSet& out, const CowVector<T>& to, const std::vector<size_t>& positions) {
  for (size_t j : positions)
    out.changes.push_back({EntityChange::Op::kCreate, std::nullopt, to[j]});
}

template <typename T>
void AddUpdates(ChangeSet& out, const CowVector<T>& from, const CowVector<T>& to,
                const KindDiff& diff) {
  for (auto [i, j] : diff.updated) {
    out.changes.push_back({EntityChange::Op::kUpdate, Entity(from[i]), Entity(to[j])});
  }
}

template <typename T>
void AddDeletes(ChangeSet& out, const CowVector<T>& from, const std::vector<size_t>& positions) {
  for (size_t i : positions)
    out.changes.push_back({EntityChange::Op::kDelete, from[i], std::nullopt});
}

std::vector<size_t> Reversed(std::vector<size_t> v) { return {v.rbegin(), v.rend()}; }

// How many stored check-ins share each identity (kpi, date, value, note): an open-addressing
// table of positions into the stored vector, which a million check-ins fill in well under a second
// (std::unordered_map spends most of that allocating and chasing its nodes).
class CheckinCounter {
 public:
  explicit CheckinCounter(const std::vector<Checkin>& stored) : stored_(stored) {
    size_t capacity = 16;
    while (capacity < stored.size() * 2) capacity *= 2;
    mask_ = capacity - 1;
    slots_.assign(capacity, kEmpty);
    counts_.assign(capacity, 0);
    for (size_t i = 0; i < stored.size(); ++i) {
      const size_t slot = Find(stored[i]);
      if (slots_[slot] == kEmpty) slots_[slot] = static_cast<uint32_t>(i);
      ++counts_[slot];
    }
  }

  // True (and one fewer left) when a stored check-in equal to `c` is still unmatched.
  bool TakeMatch(const Checkin& c) {
    const size_t slot = Find(c);
    if (slots_[slot] == kEmpty || counts_[slot] == 0) return false;
    --counts_[slot];
    return true;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  static bool SameReading(const Checkin& a, const Checkin& b) {
    return a.date == b.date && a.value == b.value && a.kpi == b.kpi && a.note == b.note;
  }

  static uint64_t Hash(const Checkin& c) {
    // +0.0 and -0.0 are the same reading, so they must hash alike.
    const double value = c.value == 0 ? 0.0 : c.value;
    uint64_t h = std::hash<std::string_view>{}(c.kpi);
    h ^= std::hash<std::string_view>{}(c.note) * 0x9e3779b97f4a7c15ULL;
    h ^= std::bit_cast<uint64_t>(value) + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
    h ^= static_cast<uint64_t>(static_cast<uint32_t>(c.date.days())) * 0xbf58476d1ce4e5b9ULL;
    // splitmix64's finaliser, so that every bit of the key reaches the low bits used as the slot.
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
  }

  // The slot holding `c`'s identity, or the empty slot where it would go.
  size_t Find(const Checkin& c) const {
    for (size_t slot = Hash(c) & mask_;; slot = (slot + 1) & mask_) {
      if (slots_[slot] == kEmpty || SameReading(stored_[slots_[slot]], c)) return slot;
    }
  }

  const std::vector<Checkin>& stored_;
  size_t mask_ = 0;
  std::vector<uint32_t> slots_;   // position in stored_ of the first check-in with this identity
  std::vector<uint32_t> counts_;  // stored check-ins with this identity not yet matched
};

// `current` with `plan`'s entities of one kind merged in (see MergePlan).
template <typename T>
CowVector<T> MergeKind(const CowVector<T>& current, const CowVector<T>& plan, bool prune) {
  const IdIndex plan_ids = IndexById(plan);
  std::vector<bool> taken(plan.size(), false);
  CowVector<T> out;
  out.reserve(current.size() + plan.size());
  for (const T& existing : current) {
    auto it = plan_ids.find(existing.id);
    if (it != plan_ids.end() && !taken[it->second]) {
      taken[it->second] = true;
      T replaced = plan[it->second];
      replaced.version = existing.version;
      out.push_back(std::move(replaced));
    } else if (!prune) {
      out.push_back(existing);
    }
  }
  // A plan listing an id twice keeps both, so validation of the result reports the duplicate.
  for (size_t j = 0; j < plan.size(); ++j) {
    if (!taken[j]) out.push_back(plan[j]);
  }
  return out;
}

// Corrections of stored records (see DiffWorkspaces). `owner_kept(r)`: the KPI or goal of a record
// `to` no longer holds is still there (else the record goes with it, not as a change of its own).
template <typename Records, typename OwnerKept, typename T = typename Records::value_type>
std::vector<RecordChange<T>> CompareRecords(const Records& from, const Records& to,
                                            OwnerKept owner_kept) {
  std::vector<RecordChange<T>> out;
  size_t i = 0, j = 0;
  // The common case, a write that leaves the records alone: the same seqs in the same order.
  for (; i < from.size() && j < to.size() && to[j].seq != 0 && from[i].seq == to[j].seq; ++i, ++j) {
    if (!(from[i] == to[j])) out.push_back({EntityChange::Op::kUpdate, from[i], to[j]});
  }
  if (i == from.size()) return out;
  std::unordered_map<int64_t, const T*> rest;
  for (; j < to.size(); ++j) {
    if (to[j].seq != 0) rest.emplace(to[j].seq, &to[j]);
  }
  for (; i < from.size(); ++i) {
    auto it = rest.find(from[i].seq);
    if (it == rest.end()) {
      if (owner_kept(from[i])) out.push_back({EntityChange::Op::kDelete, from[i], std::nullopt});
    } else if (!(from[i] == *it->second)) {
      out.push_back({EntityChange::Op::kUpdate, from[i], *it->second});
    }
  }
  return out;
}

}  // namespace

std::string_view EntityKindName(const Entity& e) { return kKindNames[e.index()]; }

const std::string& EntityId(const Entity& e) {
  return std::visit([](const auto& x) -> const std::string& { return x.id; }, e);
}

int64_t EntityVersion(const Entity& e) {
  return std::visit([](const auto& x) -> int64_t { return x.version; }, e);
}

std::string_view ToString(EntityChange::Op op) {
  switch (op) {
    case EntityChange::Op::kCreate:
      return "create";
    case EntityChange::Op::kUpdate:
      return "update";
    case EntityChange::Op::kDelete:
      return "delete";
  }
  return "";
}

ChangeSet DiffWorkspaces(const Workspace& from, const Workspace& to) {
  const KindDiff teams = Compare(from.teams, to.teams);
  const KindDiff people = Compare(from.people, to.people);
  const KindDiff goals = Compare(from.goals, to.goals);
  const KindDiff kpis = Compare(from.kpis, to.kpis);
  const KindDiff actions = Compare(from.actions, to.actions);
  const KindDiff funnels = Compare(from.funnels, to.funnels);
  const KindDiff experiments = Compare(from.experiments, to.experiments);
  const KindDiff cycles = Compare(from.cycles, to.cycles);

  ChangeSet out;
  // Creates first, referenced kinds before the kinds that reference them, parents before children
  // and actions after those they depend on; then updates, which may point at what was just created;
  // then deletes, children first, once nothing kept refers to them any more.
  AddCreates(out, to.teams, DependenciesFirst(to.teams, teams.created, ParentOf<Team>));
  AddCreates(out, to.people, people.created);
  AddCreates(out, to.cycles, cycles.created);
  AddCreates(out, to.goals, DependenciesFirst(to.goals, goals.created, ParentOf<Goal>));
  AddCreates(out, to.kpis, kpis.created);
  AddCreates(out, to.actions, DependenciesFirst(to.actions, actions.created, DependsOn));
  AddCreates(out, to.funnels, funnels.created);
  AddCreates(out, to.experiments, experiments.created);

  AddUpdates(out, from.teams, to.teams, teams);
  AddUpdates(out, from.people, to.people, people);
  AddUpdates(out, from.goals, to.goals, goals);
  AddUpdates(out, from.kpis, to.kpis, kpis);
  AddUpdates(out, from.actions, to.actions, actions);
  AddUpdates(out, from.funnels, to.funnels, funnels);
  AddUpdates(out, from.experiments, to.experiments, experiments);
  AddUpdates(out, from.cycles, to.cycles, cycles);

  AddDeletes(out, from.experiments, Reversed(experiments.deleted));
  AddDeletes(out, from.funnels, Reversed(funnels.deleted));
  AddDeletes(out, from.actions,
             Reversed(DependenciesFirst(from.actions, actions.deleted, DependsOn)));
  AddDeletes(out, from.kpis, Reversed(kpis.deleted));
  AddDeletes(out, from.goals,
             Reversed(DependenciesFirst(from.goals, goals.deleted, ParentOf<Goal>)));
  AddDeletes(out, from.cycles, Reversed(cycles.deleted));
  AddDeletes(out, from.people, Reversed(people.deleted));
  AddDeletes(out, from.teams,
             Reversed(DependenciesFirst(from.teams, teams.deleted, ParentOf<Team>)));

  // Built only when a stored record is missing from `to`.
  std::optional<IdIndex> to_kpis, to_goals;
  out.checkin_changes = CompareRecords(from.checkins, to.checkins, [&](const Checkin& c) {
    if (!to_kpis) to_kpis = IndexById(to.kpis);
    return to_kpis->contains(c.kpi);
  });
  out.comment_changes = CompareRecords(from.comments, to.comments, [&](const Comment& c) {
    if (!to_goals) to_goals = IndexById(to.goals);
    return to_goals->contains(c.goal);
  });
  for (const Checkin& c : to.checkins) {
    if (c.seq == 0) out.checkins.push_back(c);
  }
  for (const Comment& c : to.comments) {
    if (c.seq == 0) out.comments.push_back(c);
  }
  out.spend_changes = CompareRecords(from.spend, to.spend, [&](const Spend& s) {
    if (!to_goals) to_goals = IndexById(to.goals);
    return to_goals->contains(s.goal);
  });
  for (const Spend& s : to.spend) {
    if (s.seq == 0) out.spend.push_back(s);
  }
  for (const Review& r : to.reviews) {
    if (r.seq == 0) out.reviews.push_back(r);
  }
  return out;
}

Workspace MergePlan(const Workspace& current, const Workspace& plan, bool prune) {
  Workspace out;
  out.teams = MergeKind(current.teams, plan.teams, prune);
  out.people = MergeKind(current.people, plan.people, prune);
  out.goals = MergeKind(current.goals, plan.goals, prune);
  out.kpis = MergeKind(current.kpis, plan.kpis, prune);
  out.actions = MergeKind(current.actions, plan.actions, prune);
  out.funnels = MergeKind(current.funnels, plan.funnels, prune);
  out.experiments = MergeKind(current.experiments, plan.experiments, prune);
  out.cycles = MergeKind(current.cycles, plan.cycles, prune);

  // Stored check-ins stay (those of pruned KPIs go with them).
  std::unordered_set<std::string_view> kept_kpis;
  if (prune) {
    kept_kpis.reserve(out.kpis.size());
    for (const Kpi& k : out.kpis) kept_kpis.insert(k.id);
  }
  out.checkins.reserve(current.checkins.size() + plan.checkins.size());
  for (const Checkin& c : current.checkins) {
    if (!prune || kept_kpis.contains(c.kpi)) out.checkins.push_back(c);
  }

  // The plan's check-ins are matched one-for-one against stored ones: each stored check-in absorbs
  // at most one equal plan check-in, so re-applying an export (which lists every stored check-in,
  // repeats included) adds nothing, and a plan that lists the same reading twice gets it twice.
  CheckinCounter stored(current.checkins);
  for (const Checkin& c : plan.checkins) {
    if (stored.TakeMatch(c)) continue;
    Checkin added = c;
    added.seq = 0;
    out.checkins.push_back(std::move(added));
  }

  std::unordered_set<std::string_view> kept_goals;
  if (prune) {
    kept_goals.reserve(out.goals.size());
    for (const Goal& g : out.goals) kept_goals.insert(g.id);
  }
  // Stored comments stay (those of pruned goals go with them) and reviews stay; the plan's are
  // matched one-for-one against them, comments by (goal, author, date, text, kind), reviews by
  // every field, so applying an export adds nothing.
  std::map<std::tuple<std::string_view, std::string_view, Date, std::string_view, CommentKind>,
           size_t>
      stored_comments;
  for (const Comment& c : current.comments) {
    if (prune && !kept_goals.contains(c.goal)) continue;
    out.comments.push_back(c);
    ++stored_comments[{c.goal, c.author, c.date, c.text, c.kind}];
  }
  for (const Comment& c : plan.comments) {
    auto it = stored_comments.find({c.goal, c.author, c.date, c.text, c.kind});
    if (it != stored_comments.end() && it->second > 0) {
      --it->second;
      continue;
    }
    Comment added = c;
    added.seq = 0;
    out.comments.push_back(std::move(added));
  }
  out.reviews = current.reviews;
  std::vector<char> review_taken(current.reviews.size(), 0);
  for (const Review& r : plan.reviews) {
    bool stored = false;
    for (size_t i = 0; i < current.reviews.size() && !stored; ++i) {
      const Review& c = current.reviews[i];
      if (review_taken[i] || c.date != r.date || c.team != r.team || c.notes != r.notes ||
          c.snapshot != r.snapshot) {
        continue;
      }
      review_taken[i] = 1;
      stored = true;
    }
    if (stored) continue;
    Review added = r;
    added.seq = 0;
    out.reviews.push_back(std::move(added));
  }

  // Stored spend stays (that of pruned goals goes with them); the plan's is matched one-for-one
  // by (goal, date, amount, note), as check-ins are, so applying an export adds nothing.
  std::map<std::tuple<std::string_view, Date, double, std::string_view>, size_t> stored_spend;
  for (const Spend& s : current.spend) {
    if (prune && !kept_goals.contains(s.goal)) continue;
    out.spend.push_back(s);
    ++stored_spend[{s.goal, s.date, s.amount, s.note}];
  }
  for (const Spend& s : plan.spend) {
    auto it = stored_spend.find({s.goal, s.date, s.amount, s.note});
    if (it != stored_spend.end() && it->second > 0) {
      --it->second;
      continue;
    }
    Spend added = s;
    added.seq = 0;
    out.spend.push_back(std::move(added));
  }
  return out;
}

CheckinImport ImportCheckins(const std::vector<Checkin>& stored, std::vector<Checkin> rows,
                             const CheckinRange* replace) {
  CheckinImport out;
  // Replacing, only the range's stored check-ins can equal a row (the range is the rows' own
  // KPIs and dates), and only those may go.
  std::vector<Checkin> in_range;
  if (replace != nullptr) {
    const std::unordered_set<std::string_view> kpis(replace->kpis.begin(), replace->kpis.end());
    for (const Checkin& c : stored) {
      if (replace->first <= c.date && c.date <= replace->last && kpis.contains(c.kpi)) {
        in_range.push_back(c);
      }
    }
  }
  const std::vector<Checkin>& candidates = replace != nullptr ? in_range : stored;
  if (candidates.empty()) {  // the common first import: nothing to look up
    out.changes.checkins = std::move(rows);
    return out;
  }
  // Two equal rows of one file are two readings (two sales of 1 on one day), not a repeat: each
  // stored check-in answers for one row only, so the first import keeps both and the next skips
  // both, as `apply` does with a plan's check-ins.
  CheckinCounter counter(candidates);
  out.changes.checkins.reserve(rows.size());
  for (Checkin& row : rows) {
    if (counter.TakeMatch(row)) {
      ++out.already_stored;
    } else {
      out.changes.checkins.push_back(std::move(row));
    }
  }
  // What no row took is deleted; of equal stored check-ins the latest go, the earliest stay.
  for (auto it = in_range.rbegin(); it != in_range.rend(); ++it) {
    if (!counter.TakeMatch(*it)) continue;
    out.changes.checkin_changes.push_back({EntityChange::Op::kDelete, *it, std::nullopt});
    ++out.removed;
  }
  std::reverse(out.changes.checkin_changes.begin(), out.changes.checkin_changes.end());
  return out;
}

}  // namespace cascade

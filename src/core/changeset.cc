#include "core/changeset.h"

#include <bit>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace cascade {
namespace {

// Kind names in the order of Entity's alternatives.
constexpr std::string_view kKindNames[] = {"team",   "person", "goal",      "kpi",
                                           "action", "funnel", "experiment"};
static_assert(std::size(kKindNames) == std::variant_size_v<Entity>);

using IdIndex = std::unordered_map<std::string_view, size_t>;

// id → position of its first occurrence.
template <typename T>
IdIndex IndexById(const std::vector<T>& items) {
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

// Positions `selected` of `items` (teams or goals) reordered so that an item comes after its
// parent whenever the parent is selected too; otherwise in the given order. Cycles (refused by
// validation) are broken arbitrarily rather than looping.
template <typename T>
std::vector<size_t> ParentsFirst(const std::vector<T>& items, const std::vector<size_t>& selected) {
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(selected.size());
  for (size_t i : selected) position.try_emplace(items[i].id, i);

  enum : uint8_t { kNew, kOnPath, kDone };
  std::vector<uint8_t> state(items.size(), kNew);
  std::vector<size_t> order;
  order.reserve(selected.size());
  std::vector<size_t> chain;
  for (size_t start : selected) {
    chain.clear();
    // Walk up through selected ancestors not yet placed, then place them top-down.
    for (size_t cur = start;;) {
      if (state[cur] != kNew) break;
      state[cur] = kOnPath;
      chain.push_back(cur);
      auto it = position.find(items[cur].parent);
      if (items[cur].parent.empty() || it == position.end()) break;
      cur = it->second;
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      state[*it] = kDone;
      order.push_back(*it);
    }
  }
  return order;
}

// What differs between two lists of one kind, as positions.
struct KindDiff {
  std::vector<size_t> created;                    // in `to`, in its order
  std::vector<std::pair<size_t, size_t>> updated;  // (from, to), in `to`'s order
  std::vector<size_t> deleted;                    // in `from`, in its order
};

template <typename T>
KindDiff Compare(const std::vector<T>& from, const std::vector<T>& to) {
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
void AddCreates(ChangeSet& out, const std::vector<T>& to, const std::vector<size_t>& positions) {
  for (size_t j : positions) out.changes.push_back({EntityChange::Op::kCreate, std::nullopt, to[j]});
}

template <typename T>
void AddUpdates(ChangeSet& out, const std::vector<T>& from, const std::vector<T>& to,
                const KindDiff& diff) {
  for (auto [i, j] : diff.updated) {
    out.changes.push_back({EntityChange::Op::kUpdate, Entity(from[i]), Entity(to[j])});
  }
}

template <typename T>
void AddDeletes(ChangeSet& out, const std::vector<T>& from, const std::vector<size_t>& positions) {
  for (size_t i : positions) out.changes.push_back({EntityChange::Op::kDelete, from[i], std::nullopt});
}

std::vector<size_t> Reversed(std::vector<size_t> v) {
  return {v.rbegin(), v.rend()};
}

// The identity of a check-in for de-duplication: (kpi, date, value, note). Views into workspaces
// that outlive the table.
struct CheckinKey {
  std::string_view kpi;
  int32_t date;
  double value;
  std::string_view note;
  bool operator==(const CheckinKey&) const = default;
};

struct CheckinKeyHash {
  size_t operator()(const CheckinKey& k) const {
    // +0.0 and -0.0 compare equal, so they must hash alike.
    const double v = k.value == 0 ? 0.0 : k.value;
    size_t h = std::hash<std::string_view>{}(k.kpi);
    auto mix = [&h](size_t x) { h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(std::hash<int32_t>{}(k.date));
    mix(std::hash<uint64_t>{}(std::bit_cast<uint64_t>(v)));
    mix(std::hash<std::string_view>{}(k.note));
    return h;
  }
};

CheckinKey KeyOf(const Checkin& c) { return {c.kpi, c.date.days(), c.value, c.note}; }

// `current` with `plan`'s entities of one kind merged in (see MergePlan).
template <typename T>
std::vector<T> MergeKind(const std::vector<T>& current, const std::vector<T>& plan, bool prune) {
  const IdIndex plan_ids = IndexById(plan);
  std::vector<bool> taken(plan.size(), false);
  std::vector<T> out;
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
    case EntityChange::Op::kCreate: return "create";
    case EntityChange::Op::kUpdate: return "update";
    case EntityChange::Op::kDelete: return "delete";
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

  ChangeSet out;
  // Creates first, referenced kinds before the kinds that reference them and parents before
  // children; then updates, which may point at what was just created; then deletes, children
  // first, once nothing kept refers to them any more.
  AddCreates(out, to.teams, ParentsFirst(to.teams, teams.created));
  AddCreates(out, to.people, people.created);
  AddCreates(out, to.goals, ParentsFirst(to.goals, goals.created));
  AddCreates(out, to.kpis, kpis.created);
  AddCreates(out, to.actions, actions.created);
  AddCreates(out, to.funnels, funnels.created);
  AddCreates(out, to.experiments, experiments.created);

  AddUpdates(out, from.teams, to.teams, teams);
  AddUpdates(out, from.people, to.people, people);
  AddUpdates(out, from.goals, to.goals, goals);
  AddUpdates(out, from.kpis, to.kpis, kpis);
  AddUpdates(out, from.actions, to.actions, actions);
  AddUpdates(out, from.funnels, to.funnels, funnels);
  AddUpdates(out, from.experiments, to.experiments, experiments);

  AddDeletes(out, from.experiments, Reversed(experiments.deleted));
  AddDeletes(out, from.funnels, Reversed(funnels.deleted));
  AddDeletes(out, from.actions, Reversed(actions.deleted));
  AddDeletes(out, from.kpis, Reversed(kpis.deleted));
  AddDeletes(out, from.goals, Reversed(ParentsFirst(from.goals, goals.deleted)));
  AddDeletes(out, from.people, Reversed(people.deleted));
  AddDeletes(out, from.teams, Reversed(ParentsFirst(from.teams, teams.deleted)));

  for (const Checkin& c : to.checkins) {
    if (c.seq == 0) out.checkins.push_back(c);
  }
  for (const Comment& c : to.comments) {
    if (c.seq == 0) out.comments.push_back(c);
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
  std::unordered_map<CheckinKey, size_t, CheckinKeyHash> stored;
  stored.reserve(current.checkins.size());
  for (const Checkin& c : current.checkins) ++stored[KeyOf(c)];
  for (const Checkin& c : plan.checkins) {
    auto it = stored.find(KeyOf(c));
    if (it != stored.end() && it->second > 0) {
      --it->second;
      continue;
    }
    Checkin added = c;
    added.seq = 0;
    out.checkins.push_back(std::move(added));
  }

  std::unordered_set<std::string_view> kept_goals;
  if (prune) {
    kept_goals.reserve(out.goals.size());
    for (const Goal& g : out.goals) kept_goals.insert(g.id);
  }
  for (const Comment& c : current.comments) {
    if (!prune || kept_goals.contains(c.goal)) out.comments.push_back(c);
  }
  out.reviews = current.reviews;
  return out;
}

}  // namespace cascade

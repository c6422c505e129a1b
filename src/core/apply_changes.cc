#include "core/apply_changes.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/entity_operations.h"
#include "core/incremental_rollup.h"

namespace cascade {
namespace {

template <typename T>
CowVector<T>& Items(Workspace& ws) {
  if constexpr (std::is_same_v<T, Team>) return ws.teams;
  if constexpr (std::is_same_v<T, Person>) return ws.people;
  if constexpr (std::is_same_v<T, Goal>) return ws.goals;
  if constexpr (std::is_same_v<T, Kpi>) return ws.kpis;
  if constexpr (std::is_same_v<T, Action>) return ws.actions;
  if constexpr (std::is_same_v<T, Funnel>) return ws.funnels;
  if constexpr (std::is_same_v<T, Experiment>) return ws.experiments;
  if constexpr (std::is_same_v<T, Cycle>) return ws.cycles;
}

// Applies record corrections: updates in place, deletes removed; by seq.
template <typename Records, typename T>
void ApplyRecordChanges(Records& records, const std::vector<RecordChange<T>>& changes) {
  if (changes.empty()) return;
  std::unordered_map<int64_t, const RecordChange<T>*> by_seq;
  for (const RecordChange<T>& c : changes) by_seq[c.before.seq] = &c;
  for (size_t i = 0; i < records.size(); ++i) {
    auto it = by_seq.find(std::as_const(records)[i].seq);
    if (it != by_seq.end() && it->second->op != EntityChange::Op::kDelete) {
      records[i] = *it->second->after;
    }
  }
  erase_if(records, [&](const T& r) {
    auto it = by_seq.find(r.seq);
    return it != by_seq.end() && it->second->op == EntityChange::Op::kDelete;
  });
}

// Ids compared one by one while there are few: a write deletes one entity or a few, and hashing
// every id of a vector of a million to look it up cost more than the rest of a goal DELETE.
class IdSet {
 public:
  void insert(const std::string& id) {
    if (!many_.empty()) {
      many_.insert(id);
    } else if (std::find(few_.begin(), few_.end(), id) != few_.end()) {
      return;
    } else if (few_.size() < kFew) {
      few_.push_back(id);
    } else {  // from here on, all of them hashed
      many_.insert(few_.begin(), few_.end());
      many_.insert(id);
      few_.clear();
    }
  }
  bool contains(std::string_view id) const {
    if (!many_.empty()) return many_.contains(id);
    return std::find(few_.begin(), few_.end(), id) != few_.end();
  }
  bool empty() const { return few_.empty() && many_.empty(); }
  template <typename F>
  void each(F f) const {
    for (const std::string& id : few_) f(id);
    for (const std::string& id : many_) f(id);
  }

 private:
  static constexpr size_t kFew = 16;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::vector<std::string> few_;
  std::unordered_set<std::string, Hash, std::equal_to<>> many_;
};

// The positions in `items` of the ids `gone` among its first `n` (those before the creates; found
// in `index` when given, else by a scan), added to `at`.
template <typename T>
void PositionsOf(const CowVector<T>& items, size_t n, const IdSet& gone,
                 const WorkspaceIndex* index, std::vector<size_t>& at) {
  if (gone.empty()) return;
  if (index == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      if (gone.contains(items[i].id)) at.push_back(i);
    }
    return;
  }
  gone.each([&](const std::string& id) {
    if (const int i = (index->*EntityTraits<T>::kFind)(id); i >= 0) at.push_back(static_cast<size_t>(i));
  });
}

// The positions among the first `n` of `items` (those before the creates) of those whose goal is
// one of `goals`, added to `at`.
template <typename T>
void OfGoals(const CowVector<T>& items, size_t n, const IdSet& goals, std::vector<size_t>& at) {
  if (goals.empty()) return;
  for (size_t i = 0; i < n; ++i) {
    if (goals.contains(items[i].goal)) at.push_back(i);
  }
}

}  // namespace

Result<Workspace> ApplyChanges(Workspace ws, const ChangeSet& changes, const AssignedSeqs& seqs,
                               const WorkspaceIndex* index, const GoalLinks* links) {
  if (seqs.checkins.size() != changes.checkins.size() ||
      seqs.comments.size() != changes.comments.size() ||
      seqs.reviews.size() != changes.reviews.size() || seqs.spend.size() != changes.spend.size()) {
    return Error::Invalid("the store gave " + std::to_string(seqs.checkins.size()) +
                          " check-in seqs for " + std::to_string(changes.checkins.size()) +
                          " check-ins appended (and so for comments and reviews)");
  }
  // Deletes gathered per kind, removed once the updates are in (found by position: `index` is the
  // workspace's before any create, and creates come last).
  IdSet gone[std::variant_size_v<Entity>];
  const Workspace& seen = ws;
  const std::array<size_t, std::variant_size_v<Entity>> n = {
      seen.teams.size(),   seen.people.size(),      seen.goals.size(), seen.kpis.size(),
      seen.actions.size(), seen.funnels.size(), seen.experiments.size(), seen.cycles.size()};
  for (const EntityChange& c : changes.changes) {
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          CowVector<T>& items = Items<T>(ws);
          switch (c.op) {
            case EntityChange::Op::kCreate: {
              T created = e;
              created.version = 1;
              items.push_back(std::move(created));
              break;
            }
            case EntityChange::Op::kUpdate: {
              const T& before = std::get<T>(*c.before);
              // Found reading (a write through a CowVector's iterator clones what it passes).
              const CowVector<T>& seen = items;
              const size_t at =
                  index != nullptr
                      ? static_cast<size_t>((index->*EntityTraits<T>::kFind)(before.id))
                      : static_cast<size_t>(
                            std::find_if(seen.begin(), seen.end(),
                                         [&](const T& x) { return x.id == before.id; }) -
                            seen.begin());
              if (at >= items.size()) break;
              T& item = items[at];
              item = e;
              item.version = before.version + 1;
              break;
            }
            case EntityChange::Op::kDelete:
              gone[c.before->index()].insert(e.id);
              break;
          }
        },
        c.after ? *c.after : *c.before);
  }
  // Read through `seen`: a CowVector's non-const iteration clones every chunk it passes.
  const IdSet& gone_goals = gone[2];
  std::vector<size_t> at[std::variant_size_v<Entity>];
  PositionsOf(seen.teams, n[0], gone[0], index, at[0]);
  PositionsOf(seen.people, n[1], gone[1], index, at[1]);
  PositionsOf(seen.goals, n[2], gone_goals, index, at[2]);
  PositionsOf(seen.kpis, n[3], gone[3], index, at[3]);
  PositionsOf(seen.actions, n[4], gone[4], index, at[4]);
  PositionsOf(seen.funnels, n[5], gone[5], index, at[5]);
  PositionsOf(seen.experiments, n[6], gone[6], index, at[6]);
  PositionsOf(seen.cycles, n[7], gone[7], index, at[7]);
  // What storage removes with a goal.
  if (index != nullptr && links != nullptr) {
    gone_goals.each([&](const std::string& id) {
      if (const int g = index->goal(id); g >= 0) {
        for (const int k : links->kpis(static_cast<size_t>(g))) at[3].push_back(static_cast<size_t>(k));
      }
    });
  } else {
    OfGoals(seen.kpis, n[3], gone_goals, at[3]);
  }
  OfGoals(seen.actions, n[4], gone_goals, at[4]);
  OfGoals(seen.experiments, n[6], gone_goals, at[6]);
  IdSet gone_kpis;
  for (const size_t k : at[3]) gone_kpis.insert(seen.kpis[k].id);  // repeats are inserted once
  if (!gone_goals.empty()) {
    erase_if(ws.comments, [&](const Comment& c) { return gone_goals.contains(c.goal); });
    erase_if(ws.spend, [&](const Spend& s) { return gone_goals.contains(s.goal); });
  }
  EraseAt(ws.teams, at[0]);
  EraseAt(ws.people, at[1]);
  EraseAt(ws.goals, at[2]);
  EraseAt(ws.kpis, at[3]);
  EraseAt(ws.actions, at[4]);
  EraseAt(ws.funnels, at[5]);
  EraseAt(ws.experiments, at[6]);
  EraseAt(ws.cycles, at[7]);
  if (!gone_kpis.empty()) {
    std::erase_if(ws.checkins, [&](const Checkin& c) { return gone_kpis.contains(c.kpi); });
  }
  ApplyRecordChanges(ws.checkins, changes.checkin_changes);
  ApplyRecordChanges(ws.comments, changes.comment_changes);
  ApplyRecordChanges(ws.spend, changes.spend_changes);
  for (size_t i = 0; i < changes.checkins.size(); ++i) {
    ws.checkins.push_back(changes.checkins[i]);
    ws.checkins.back().seq = seqs.checkins[i];
  }
  for (size_t i = 0; i < changes.comments.size(); ++i) {
    ws.comments.push_back(changes.comments[i]);
    ws.comments.back().seq = seqs.comments[i];
  }
  for (size_t i = 0; i < changes.reviews.size(); ++i) {
    ws.reviews.push_back(changes.reviews[i]);
    ws.reviews.back().seq = seqs.reviews[i];
  }
  for (size_t i = 0; i < changes.spend.size(); ++i) {
    ws.spend.push_back(changes.spend[i]);
    ws.spend.back().seq = seqs.spend[i];
  }
  return ws;
}

}  // namespace cascade

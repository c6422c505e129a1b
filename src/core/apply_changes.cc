#include "core/apply_changes.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/entity_operations.h"

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

}  // namespace

Result<Workspace> ApplyChanges(Workspace ws, const ChangeSet& changes, const AssignedSeqs& seqs,
                               const WorkspaceIndex* index) {
  if (seqs.checkins.size() != changes.checkins.size() ||
      seqs.comments.size() != changes.comments.size() ||
      seqs.reviews.size() != changes.reviews.size() || seqs.spend.size() != changes.spend.size()) {
    return Error::Invalid("the store gave " + std::to_string(seqs.checkins.size()) +
                          " check-in seqs for " + std::to_string(changes.checkins.size()) +
                          " check-ins appended (and so for comments and reviews)");
  }
  // Deletes gathered per kind, removed in one pass each.
  std::unordered_set<std::string> gone[std::variant_size_v<Entity>];
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
  const auto& gone_goals = gone[2];
  std::unordered_set<std::string> gone_kpis = gone[3];
  if (!gone_goals.empty()) {
    // What storage removes with a goal.
    // Read through a const view: a CowVector's non-const iteration clones every chunk it passes.
    for (const Kpi& k : std::as_const(ws.kpis)) {
      if (gone_goals.contains(k.goal)) gone_kpis.insert(k.id);
    }
    erase_if(ws.actions, [&](const Action& a) { return gone_goals.contains(a.goal); });
    erase_if(ws.experiments,
                  [&](const Experiment& x) { return gone_goals.contains(x.goal); });
    erase_if(ws.comments, [&](const Comment& c) { return gone_goals.contains(c.goal); });
    erase_if(ws.spend, [&](const Spend& s) { return gone_goals.contains(s.goal); });
  }
  const auto erase = [&](auto& items, const std::unordered_set<std::string>& ids) {
    if (!ids.empty()) erase_if(items, [&](const auto& x) { return ids.contains(x.id); });
  };
  erase(ws.teams, gone[0]);
  erase(ws.people, gone[1]);
  erase(ws.goals, gone_goals);
  erase(ws.kpis, gone_kpis);
  erase(ws.actions, gone[4]);
  erase(ws.funnels, gone[5]);
  erase(ws.experiments, gone[6]);
  erase(ws.cycles, gone[7]);
  if (!gone_kpis.empty()) {
    erase_if(ws.checkins, [&](const Checkin& c) { return gone_kpis.contains(c.kpi); });
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

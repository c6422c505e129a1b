#include "core/goal_detail.h"

#include <string_view>
#include <unordered_map>

#include "core/incremental_rollup.h"

namespace cascade {
namespace {

// The positions of the records of `items` whose `field` is `id`, in order.
template <typename T>
std::vector<int> Of(const CowVector<T>& items, std::string T::*field, std::string_view id) {
  std::vector<int> out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].*field == id) out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace

GoalDetail GatherGoalDetail(const Workspace& ws, const GoalLinks& links, int goal,
                            bool last_checkins) {
  GoalDetail d;
  d.goal = goal;
  const auto g = static_cast<size_t>(goal);
  const std::string& id = ws.goals[g].id;
  const std::span<const int> kpis = links.kpis(g);
  d.kpis.assign(kpis.begin(), kpis.end());
  for (const int k : d.kpis) {
    const std::span<const int> of = links.benchmarks(static_cast<size_t>(k));
    d.benchmarks.emplace_back(of.begin(), of.end());
  }
  d.last_checkins.assign(d.kpis.size(), -1);
  if (last_checkins && !d.kpis.empty()) {
    std::unordered_map<std::string_view, size_t> slot;  // KPI id → its place in d.kpis
    for (size_t i = 0; i < d.kpis.size(); ++i) {
      slot.emplace(ws.kpis[static_cast<size_t>(d.kpis[i])].id, i);
    }
    for (size_t c = 0; c < ws.checkins.size(); ++c) {
      if (auto it = slot.find(ws.checkins[c].kpi); it != slot.end()) {
        d.last_checkins[it->second] = static_cast<int>(c);
      }
    }
  }
  const std::span<const int> children = links.children(g);
  d.children.assign(children.begin(), children.end());
  const std::span<const int> supporters = links.supporters(g);
  d.supported_by.assign(supporters.begin(), supporters.end());
  d.actions = Of(ws.actions, &Action::goal, id);
  d.experiments = Of(ws.experiments, &Experiment::goal, id);
  d.comments = Of(ws.comments, &Comment::goal, id);
  d.spend = Of(ws.spend, &Spend::goal, id);
  return d;
}

}  // namespace cascade

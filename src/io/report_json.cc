#include "io/report_json.h"

namespace cascade {
namespace {

using nlohmann::json;

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

json StringOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// KPI positions of each goal, in KPI creation order, built once for the whole output.
std::vector<std::vector<int>> KpisByGoal(const Workspace& ws, const WorkspaceIndex& index) {
  std::vector<std::vector<int>> by_goal(ws.goals.size());
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    const int g = index.goal(ws.kpis[k].goal);
    if (g >= 0) by_goal[static_cast<size_t>(g)].push_back(static_cast<int>(k));
  }
  return by_goal;
}

json GoalJson(const Workspace& ws, const Rollup& rollup, int g, const std::vector<int>& kpis) {
  const Goal& goal = ws.goals[static_cast<size_t>(g)];
  const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
  json out = {
      {"id", goal.id},
      {"title", goal.title},
      {"level", ToString(goal.level)},
      {"parent", StringOrNull(goal.parent)},
      {"owner", StringOrNull(goal.owner)},
      {"team", StringOrNull(goal.team)},
      {"start", DateOrNull(r.start)},
      {"due", DateOrNull(r.due)},
      {"state", ToString(goal.state)},
      {"progress", OrNull(r.progress)},
      {"expected", OrNull(r.expected)},
      {"forecast", OrNull(r.forecast)},
      {"status", ToString(r.status)},
  };
  json list = json::array();
  for (int k : kpis) {
    const KpiResult& kr = rollup.kpis[static_cast<size_t>(k)];
    list.push_back({
        {"id", ws.kpis[static_cast<size_t>(k)].id},
        {"value", OrNull(kr.value)},
        {"attainment", kr.attainment},
        {"progress", kr.progress},
        {"forecast", OrNull(kr.forecast)},
        {"last_checkin", DateOrNull(kr.last_checkin)},
        {"stale", kr.stale},
    });
  }
  out["kpis"] = std::move(list);
  return out;
}

}  // namespace

json GoalStatusToJson(const Workspace& ws, const Rollup& rollup, int goal) {
  std::vector<int> kpis;
  const std::string& id = ws.goals[static_cast<size_t>(goal)].id;
  for (size_t k = 0; k < ws.kpis.size(); ++k) {
    if (ws.kpis[k].goal == id) kpis.push_back(static_cast<int>(k));
  }
  return GoalJson(ws, rollup, goal, kpis);
}

json StatusToJson(const Workspace& ws, const Rollup& rollup, const std::string& root) {
  const WorkspaceIndex index(ws);
  const auto kpis = KpisByGoal(ws, index);
  json goals = json::array();
  std::array<int, kGoalStatusCount> counts{};
  // Rollup::order is depth-first, so a subtree is the root followed by the deeper goals after it.
  bool inside = root.empty();
  int root_depth = 0;
  for (int g : rollup.order) {
    const auto gi = static_cast<size_t>(g);
    if (!root.empty()) {
      if (ws.goals[gi].id == root) {
        inside = true;
        root_depth = rollup.depth[gi];
      } else if (inside && rollup.depth[gi] <= root_depth) {
        break;
      }
      if (!inside) continue;
    }
    goals.push_back(GoalJson(ws, rollup, g, kpis[gi]));
    ++counts[static_cast<size_t>(rollup.goals[gi].status)];
  }
  json summary = json::object();
  for (int s = 0; s < kGoalStatusCount; ++s) {
    if (counts[static_cast<size_t>(s)] > 0) {
      summary[std::string(ToString(static_cast<GoalStatus>(s)))] = counts[static_cast<size_t>(s)];
    }
  }
  return {{"as_of", rollup.as_of.ToString()}, {"goals", std::move(goals)}, {"summary", summary}};
}

json FindingsToJson(const std::vector<Finding>& findings) {
  json list = json::array();
  for (const Finding& f : findings) {
    list.push_back({{"code", f.code},
                    {"severity", ToString(f.severity)},
                    {"goal", StringOrNull(f.goal)},
                    {"kpi", StringOrNull(f.kpi)},
                    {"action", StringOrNull(f.action)},
                    {"message", f.message}});
  }
  return {{"findings", std::move(list)}};
}

json HistoryToJson(const std::vector<HistoryEntry>& entries) {
  json list = json::array();
  auto parse = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
  };
  for (const HistoryEntry& e : entries) {
    list.push_back({{"seq", e.seq},
                    {"at", e.at},
                    {"actor", StringOrNull(e.actor)},
                    {"kind", e.kind},
                    {"entity", StringOrNull(e.entity)},
                    {"op", e.op},
                    {"before", parse(e.before)},
                    {"after", parse(e.after)}});
  }
  return {{"history", std::move(list)}};
}

}  // namespace cascade

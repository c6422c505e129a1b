#include "core/goal_team.h"

#include <algorithm>
#include <unordered_map>

namespace cascade {

std::vector<std::string_view> HoldingTeams(const Workspace& ws) {
  const size_t n = ws.goals.size();
  std::unordered_map<std::string_view, size_t> pos;
  pos.reserve(n);
  for (size_t i = 0; i < n; ++i) pos.emplace(ws.goals[i].id, i);

  std::vector<std::string_view> team(n);
  std::vector<char> done(n, 0);
  std::vector<size_t> path;
  for (size_t i = 0; i < n; ++i) {
    // Walk up until a goal with a team, a resolved goal or the root; then fill the path down.
    size_t g = i;
    std::string_view found;
    path.clear();
    while (!done[g]) {
      done[g] = 1;  // also ends a (refused) cycle
      path.push_back(g);
      if (!ws.goals[g].team.empty()) {
        found = ws.goals[g].team;
        break;
      }
      const auto it = pos.find(ws.goals[g].parent);
      if (it == pos.end()) break;
      g = it->second;
      if (done[g]) found = team[g];
    }
    for (size_t p : path) team[p] = ws.goals[p].team.empty() ? found : ws.goals[p].team;
  }
  return team;
}

std::string HoldingTeam(const CowVector<Goal>& goals, const Goal& goal) {
  const Goal* g = &goal;
  for (size_t steps = 0; g != nullptr && steps <= goals.size(); ++steps) {
    if (!g->team.empty()) return g->team;
    const Goal* up = nullptr;
    for (const Goal& c : goals) {
      if (c.id == g->parent) {
        up = &c;
        break;
      }
    }
    g = up;
  }
  return "";
}

Result<void> CheckTeamAndOwnerFilter(const Workspace& ws, std::string_view team,
                                     std::string_view owner) {
  const auto has = [](const auto& items, std::string_view id) {
    return std::any_of(items.begin(), items.end(), [id](const auto& e) { return e.id == id; });
  };
  if (!team.empty() && !has(ws.teams, team)) {
    return Error::Invalid("team '" + std::string(team) + "' is not a team of this workspace", "",
                          "", "team");
  }
  if (!owner.empty() && !has(ws.people, owner)) {
    return Error::Invalid("owner '" + std::string(owner) + "' is not a person of this workspace",
                          "", "", "owner");
  }
  return Ok();
}

}  // namespace cascade

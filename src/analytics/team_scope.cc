#include "analytics/team_scope.h"

#include <unordered_map>
#include <vector>

namespace cascade {

TeamScope::TeamScope(const Workspace& ws, const std::string& team) : everything_(team.empty()) {
  if (everything_) return;
  std::unordered_map<std::string, std::string> parent;
  std::unordered_map<std::string, std::vector<std::string>> children;
  for (const Team& t : ws.teams) {
    parent[t.id] = t.parent;
    if (!t.parent.empty()) children[t.parent].push_back(t.id);
  }
  // Both walks stop at a team already seen, so a cycle (only in an invalid workspace) ends them.
  std::vector<std::string> stack{team};
  while (!stack.empty()) {
    std::string t = std::move(stack.back());
    stack.pop_back();
    if (!teams_.insert(t).second) continue;
    for (const std::string& c : children[t]) stack.push_back(c);
  }
  for (std::string t = team; !t.empty() && ancestors_.insert(t).second;) {
    const auto it = parent.find(t);
    t = it == parent.end() ? std::string() : it->second;
  }
}

}  // namespace cascade

#include "core/goal_filter.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/goal_team.h"

namespace cascade {
namespace {

Error Refuse(std::string_view prefix, std::string_view field, const std::string& value,
             const std::string& what) {
  return Error::Invalid(std::string(prefix) + std::string(field) + " '" + value + "' " + what, "",
                        "", std::string(field));
}

// `team` and every team under it.
std::unordered_set<std::string_view> TeamAndSubTeams(const Workspace& ws, std::string_view team) {
  std::unordered_map<std::string_view, std::vector<std::string_view>> children;
  for (const Team& t : ws.teams) {
    if (!t.parent.empty()) children[t.parent].push_back(t.id);
  }
  std::unordered_set<std::string_view> out;
  std::vector<std::string_view> queue = {team};
  while (!queue.empty()) {
    const std::string_view at = queue.back();
    queue.pop_back();
    if (!out.insert(at).second) continue;  // also ends a (refused) cycle
    if (auto it = children.find(at); it != children.end()) {
      queue.insert(queue.end(), it->second.begin(), it->second.end());
    }
  }
  return out;
}

bool Lists(const std::vector<std::string>& items, const std::string& id) {
  return std::find(items.begin(), items.end(), id) != items.end();
}

}  // namespace

bool GoalFilter::empty() const {
  return team.empty() && owner.empty() && status.empty() && level.empty() && priority.empty() &&
         channel.empty() && segment.empty() && stage.empty() && tag.empty() &&
         cycle.empty();
}

Result<void> CheckGoalFilter(const Workspace& ws, const GoalFilter& filter,
                             std::string_view option_prefix) {
  if (!filter.status.empty() && !ParseGoalStatus(filter.status)) {
    return Refuse(option_prefix, "status", filter.status,
                  "is not a status; use on_track, at_risk, off_track, achieved, missed, "
                  "not_started, unscheduled, unmeasured, draft or cancelled");
  }
  if (!filter.level.empty() && !ParseLevel(filter.level)) {
    return Refuse(option_prefix, "level", filter.level, "is not allowed; use macro or micro");
  }
  if (!filter.priority.empty() && !ParsePriority(filter.priority)) {
    return Refuse(option_prefix, "priority", filter.priority,
                  "is not allowed; use high, medium or low");
  }
  if (!filter.stage.empty() && (!ParseStage(filter.stage))) {
    return Refuse(option_prefix, "stage", filter.stage,
                  "is not allowed; use awareness, consideration, conversion or retention");
  }
  if (!filter.cycle.empty() &&
      std::none_of(ws.cycles.begin(), ws.cycles.end(),
                   [&](const Cycle& c) { return c.id == filter.cycle; })) {
    return Refuse(option_prefix, "cycle", filter.cycle,
                  "is not a cycle of this workspace (`cascade cycle list` shows them)");
  }
  return CheckTeamAndOwnerFilter(ws, filter.team, filter.owner);
}

std::vector<char> MatchGoals(const Workspace& ws, const Rollup& rollup, const GoalFilter& f) {
  const size_t n = ws.goals.size();
  std::vector<char> out(n, 1);
  if (f.empty()) return out;
  std::vector<std::string_view> holding;
  std::unordered_set<std::string_view> teams;
  if (!f.team.empty()) {
    holding = HoldingTeams(ws);
    teams = TeamAndSubTeams(ws, f.team);
  }
  for (size_t g = 0; g < n; ++g) {
    const Goal& goal = ws.goals[g];
    out[g] = (f.team.empty() || teams.contains(holding[g])) &&
             (f.owner.empty() || goal.owner == f.owner || Lists(goal.contributors, f.owner)) &&
             (f.status.empty() || ToString(rollup.goals[g].status) == f.status) &&
             (f.level.empty() || ToString(goal.level) == f.level) &&
             (f.priority.empty() || ToString(goal.priority) == f.priority) &&
             (f.channel.empty() || goal.channel == f.channel) &&
             (f.segment.empty() || goal.segment == f.segment) &&
             (f.stage.empty() || ToString(goal.stage) == f.stage) &&
             (f.tag.empty() || Lists(goal.tags, f.tag)) &&
             (f.cycle.empty() || goal.cycle == f.cycle);
  }
  return out;
}

}  // namespace cascade

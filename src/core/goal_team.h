// Which team holds each goal: its own team, else its parent goal's (recursively). A micro goal
// planned under a team's macro goal without a team of its own belongs to that team for filters,
// reviews and permissions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

// One entry per goal of `ws` (same order); "" when neither the goal nor an ancestor has a team.
// The views point into `ws`.
std::vector<std::string_view> HoldingTeams(const Workspace& ws);

// The holding team of one goal, walking `goals` by parent id (for a goal not yet stored, say).
std::string HoldingTeam(const CowVector<Goal>& goals, const Goal& goal);

// Refuses a goal filter naming a team or an owner the workspace does not have: a typo would
// otherwise read as "no goals". Empty means no filter.
Result<void> CheckTeamAndOwnerFilter(const Workspace& ws, std::string_view team,
                                     std::string_view owner);

}  // namespace cascade

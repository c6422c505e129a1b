// The goal filters `goal list`, `status`, `report` and the API's goal list share (spec §5): one
// definition of what each filter means, checked and applied in one place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// Each field empty = no filter; a goal is shown when it passes every filter given.
struct GoalFilter {
  std::string team;      // held (core/goal_team.h) by this team or one of its sub-teams
  std::string owner;     // owned by this person or listing them among its contributors
  std::string status;    // its computed status as of the roll-up's date: on_track, …
  std::string level;     // macro, micro
  std::string priority;  // high, medium, low
  std::string channel;   // exactly this channel
  std::string segment;   // exactly this segment
  std::string stage;     // awareness, consideration, conversion, retention
  std::string tag;       // one of its tags
  std::string cycle;     // in this cycle (its own field; children do not inherit it)

  bool empty() const;
};

// Refuses (kInvalid, `field` the filter's name) a filter that can never be meant: a team or person
// the workspace does not have ("team 'socal' is not a team of this workspace"), or a status,
// level, priority or stage that is not one. `option_prefix` is how the caller spells a filter in
// messages: "--" on the command line ("--status 'late' is not a status; …"), "" for the API.
Result<void> CheckGoalFilter(const Workspace& ws, const GoalFilter& filter,
                             std::string_view option_prefix);

// One entry per goal of `ws` (same order): 1 when it passes `filter`, computed with `rollup`
// (over the same workspace). Call CheckGoalFilter first.
std::vector<char> MatchGoals(const Workspace& ws, const Rollup& rollup, const GoalFilter& filter);

}  // namespace cascade

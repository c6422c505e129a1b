// The goal filter options `goal list`, `status` and `report` share (spec §5), each filling one
// field of a GoalFilter (core/goal_filter.h).
#pragma once

#include <CLI/CLI.hpp>

#include "core/goal_filter.h"

namespace cascade {

inline void AddGoalFilterOptions(CLI::App* cmd, GoalFilter& f) {
  cmd->add_option("--team", f.team,
                  "Only goals this team or one of its sub-teams holds (a goal without a team is "
                  "its parent's)");
  cmd->add_option("--owner", f.owner, "Only goals this person owns or contributes to");
  cmd->add_option("--status", f.status, "Only goals with this status (on_track, at_risk, …)");
  cmd->add_option("--level", f.level, "macro or micro");
  cmd->add_option("--priority", f.priority, "high, medium or low");
  cmd->add_option("--channel", f.channel, "Only goals of this channel");
  cmd->add_option("--segment", f.segment, "Only goals aimed at this segment");
  cmd->add_option("--stage", f.stage, "awareness, consideration, conversion or retention");
  cmd->add_option("--tag", f.tag, "Only goals with this tag");
  cmd->add_option("--cycle", f.cycle, "Only goals of this cycle");
}

}  // namespace cascade

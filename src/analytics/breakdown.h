// Breakdowns (spec §2 "Spend and breakdowns"): the active goals grouped by a field (channel,
// segment, team, stage), each group's progress, counts by status, money spent and what one fully
// achieved goal costs in it (cost_per_goal_done = spent / Σ P): the number that says where money
// works.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

enum class BreakdownField { kChannel, kSegment, kTeam, kStage, kCycle };
std::string_view ToString(BreakdownField f);
std::optional<BreakdownField> ParseBreakdownField(std::string_view s);
// The accepted spellings, as a refusal lists them: "channel, segment, team, stage or cycle".
std::string BreakdownFieldsText();

// A goal's value of `field`; "" when it has none.
std::string_view BreakdownKey(const Goal& g, BreakdownField field);

struct BreakdownGroup {
  std::optional<std::string> key;  // null: the goals without a value
  int goals = 0;                   // active goals in the group
  // Σ w·P / Σ w over its goals with a progress (w = goal weight); null when none has one.
  std::optional<double> progress;
  std::array<int, kGoalStatusCount> counts{};  // by GoalStatus
  double spent = 0;                            // Σ spent
  // spent / Σ P over its goals with a progress; null when Σ P = 0.
  std::optional<double> cost_per_goal_done;
};

struct Breakdown {
  BreakdownField by = BreakdownField::kChannel;
  std::vector<BreakdownGroup> groups;  // by key, ascending; the null group last
};

// The breakdown of `ws`'s active goals by `by`, with the numbers of `rollup` (computed on `ws`).
Breakdown ComputeBreakdown(const Workspace& ws, const Rollup& rollup, BreakdownField by);

// The group of `b` whose key is `key` ("" = the null group); nullptr when there is none.
const BreakdownGroup* FindGroup(const Breakdown& b, std::string_view key);

}  // namespace cascade

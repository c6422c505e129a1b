#include "io/cycle_json.h"

namespace cascade {

nlohmann::json CycleSummaryToJson(const Cycle& cycle, const CycleSummary& summary) {
  nlohmann::json counts = nlohmann::json::object();
  for (int s = 0; s < kGoalStatusCount; ++s) {
    const int n = summary.counts[static_cast<size_t>(s)];
    if (n > 0) counts[std::string(ToString(static_cast<GoalStatus>(s)))] = n;
  }
  return {{"id", cycle.id},
          {"name", cycle.name},
          {"start", cycle.start.ToString()},
          {"end", cycle.end.ToString()},
          {"state", std::string(ToString(cycle.state))},
          {"score", summary.score ? nlohmann::json(*summary.score) : nlohmann::json(nullptr)},
          {"counts", std::move(counts)},
          {"goals", summary.goals},
          {"drafts", summary.drafts}};
}

}  // namespace cascade

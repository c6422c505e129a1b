// A team and every team under it in the org chart: what a review or a scorecard "of a team" covers.
#pragma once

#include <string>
#include <unordered_set>

#include "core/model.h"

namespace cascade {

class TeamScope {
 public:
  // The whole workspace when `team` is "", else `team` and its sub-teams (recursively).
  TeamScope(const Workspace& ws, const std::string& team);

  bool everything() const { return everything_; }
  // True when `team` is in scope; "" (no team) is in scope only for the whole workspace.
  bool Contains(const std::string& team) const { return everything_ || teams_.count(team) > 0; }
  // True when a record made for `team` covers this scope: "" (the whole workspace), the scope's
  // own team or one of its ancestors.
  bool CoveredBy(const std::string& team) const {
    return team.empty() || ancestors_.count(team) > 0;
  }

 private:
  bool everything_ = true;
  std::unordered_set<std::string> teams_;      // the team and its descendants
  std::unordered_set<std::string> ancestors_;  // the team and its ancestors
};

}  // namespace cascade

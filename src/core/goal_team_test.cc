#include "core/goal_team.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

Goal G(std::string id, std::string parent, std::string team) {
  Goal g;
  g.id = std::move(id);
  g.parent = std::move(parent);
  g.team = std::move(team);
  return g;
}

TEST(GoalTeamTest, AGoalWithoutATeamBelongsToItsNearestAncestorsTeam) {
  Workspace ws;
  // Children before parents on purpose: the answer must not depend on the order stored.
  ws.goals = {G("grandchild", "child", ""), G("child", "market-share", ""),
              G("market-share", "", "marketing"), G("own", "market-share", "social"),
              G("under-own", "own", ""), G("orphan", "", ""), G("under-orphan", "orphan", "")};
  const auto teams = HoldingTeams(ws);
  ASSERT_EQ(teams.size(), 7u);
  EXPECT_EQ(teams[0], "marketing");
  EXPECT_EQ(teams[1], "marketing");
  EXPECT_EQ(teams[2], "marketing");
  EXPECT_EQ(teams[3], "social");
  EXPECT_EQ(teams[4], "social");
  EXPECT_EQ(teams[5], "");
  EXPECT_EQ(teams[6], "");
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    EXPECT_EQ(HoldingTeam(ws.goals, ws.goals[i]), teams[i]) << ws.goals[i].id;
  }
}

TEST(GoalTeamTest, ACycleEndsTheWalk) {
  Workspace ws;
  ws.goals = {G("a", "b", ""), G("b", "a", "")};
  const auto teams = HoldingTeams(ws);
  EXPECT_EQ(teams[0], "");
  EXPECT_EQ(teams[1], "");
  EXPECT_EQ(HoldingTeam(ws.goals, ws.goals[0]), "");
}

}  // namespace
}  // namespace cascade

#include "core/goal_filter.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// Teams marketing > social > tiktok, and sales. Goals: brand (marketing, dana) > followers
// (social, sam, contributor dana; gen-z, high, awareness, social, tags launch and q1) > clips
// (tiktok, sam; gen-z); revenue (sales, rae, contributor sam; smb, email, tag launch; a draft).
Workspace Sample() {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 1},
              {"social", "Social", "marketing", 1},
              {"tiktok", "TikTok", "social", 1},
              {"sales", "Sales", "", 1}};
  ws.people = {{"dana", "Dana", "", "marketing", Role::kLead, 1},
               {"sam", "Sam", "", "social", Role::kMember, 1},
               {"rae", "Rae", "", "sales", Role::kLead, 1}};
  auto goal = [&ws](const char* id, const char* parent, Level level, const char* team,
                    const char* owner) -> Goal& {
    Goal& g = ws.goals.emplace_back();
    g.id = id;
    g.title = id;
    g.parent = parent;
    g.level = level;
    g.team = team;
    g.owner = owner;
    g.start = D("2026-01-01");
    g.due = D("2026-12-31");
    return g;
  };
  goal("brand", "", Level::kMacro, "marketing", "dana");
  Goal& followers = goal("followers", "brand", Level::kMicro, "social", "sam");
  followers.contributors = {"dana"};
  followers.segment = "gen-z";
  followers.priority = Priority::kHigh;
  followers.stage = Stage::kAwareness;
  followers.channel = "social";
  followers.tags = {"launch", "q1"};
  Goal& clips = goal("clips", "followers", Level::kMicro, "", "sam");
  clips.segment = "gen-z";
  clips.team = "tiktok";
  Goal& revenue = goal("revenue", "", Level::kMacro, "sales", "rae");
  revenue.contributors = {"sam"};
  revenue.segment = "smb";
  revenue.channel = "email";
  revenue.tags = {"launch"};
  revenue.state = GoalState::kDraft;
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1},
               {"q2", "Q2", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  revenue.cycle = "q1";
  ws.goals[1].cycle = "q1";  // followers (its reference above no longer holds)
  return ws;
}

std::vector<std::string> Ids(const Workspace& ws, const GoalFilter& f) {
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_TRUE(CheckGoalFilter(ws, f, "--").ok());
  const std::vector<char> shown = MatchGoals(ws, rollup, f);
  std::vector<std::string> out;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (shown[g]) out.push_back(ws.goals[g].id);
  }
  return out;
}

using Ids_ = std::vector<std::string>;

using GF = GoalFilter;

// A filter with the given fields set.
GoalFilter F(std::initializer_list<std::pair<std::string GF::*, const char*>> fields) {
  GoalFilter f;
  for (const auto& [field, value] : fields) f.*field = value;
  return f;
}

TEST(GoalFilterTest, EachFilterAndTheirConjunction) {
  const Workspace ws = Sample();
  EXPECT_EQ(Ids(ws, GoalFilter{}), (Ids_{"brand", "followers", "clips", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::team, "marketing"}})), (Ids_{"brand", "followers", "clips"}));
  EXPECT_EQ(Ids(ws, F({{&GF::team, "social"}})), (Ids_{"followers", "clips"}));
  EXPECT_EQ(Ids(ws, F({{&GF::team, "tiktok"}})), (Ids_{"clips"}));
  EXPECT_EQ(Ids(ws, F({{&GF::owner, "dana"}})), (Ids_{"brand", "followers"}));
  EXPECT_EQ(Ids(ws, F({{&GF::owner, "sam"}})), (Ids_{"followers", "clips", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::status, "draft"}})), (Ids_{"revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::level, "macro"}})), (Ids_{"brand", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::priority, "high"}})), (Ids_{"followers"}));
  EXPECT_EQ(Ids(ws, F({{&GF::priority, "medium"}})), (Ids_{"brand", "clips", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::channel, "email"}})), (Ids_{"revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::segment, "gen-z"}})), (Ids_{"followers", "clips"}));
  EXPECT_EQ(Ids(ws, F({{&GF::stage, "awareness"}})), (Ids_{"followers"}));
  EXPECT_EQ(Ids(ws, F({{&GF::tag, "launch"}})), (Ids_{"followers", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::owner, "sam"}, {&GF::segment, "gen-z"}, {&GF::tag, "launch"}})),
            (Ids_{"followers"}));
  EXPECT_EQ(Ids(ws, F({{&GF::team, "sales"}, {&GF::segment, "gen-z"}})), Ids_{});
  // A goal's own cycle: its children are not in it unless they say so.
  EXPECT_EQ(Ids(ws, F({{&GF::cycle, "q1"}})), (Ids_{"followers", "revenue"}));
  EXPECT_EQ(Ids(ws, F({{&GF::cycle, "q2"}})), Ids_{});
  EXPECT_EQ(Ids(ws, F({{&GF::cycle, "q1"}, {&GF::owner, "dana"}})), (Ids_{"followers"}));
  EXPECT_FALSE(F({{&GF::cycle, "q1"}}).empty());
  EXPECT_TRUE(GoalFilter{}.empty());
  EXPECT_FALSE(F({{&GF::tag, "x"}}).empty());
}

TEST(GoalFilterTest, RefusesWhatCanNeverBeMeant) {
  const Workspace ws = Sample();
  struct Case {
    GoalFilter filter;
    std::string prefix, field, message;
  };
  const Case cases[] = {
      {F({{&GF::team, "socal"}}), "--", "team", "team 'socal' is not a team of this workspace"},
      {F({{&GF::owner, "dan"}}), "--", "owner", "owner 'dan' is not a person of this workspace"},
      {F({{&GF::status, "late"}}), "--", "status",
       "--status 'late' is not a status; use on_track, at_risk, off_track, achieved, missed, "
       "not_started, unscheduled, unmeasured, draft or cancelled"},
      {F({{&GF::level, "mezzo"}}), "", "level", "level 'mezzo' is not allowed; use macro or micro"},
      {F({{&GF::priority, "urgent"}}), "--", "priority",
       "--priority 'urgent' is not allowed; use high, medium or low"},
      {F({{&GF::stage, "loyalty"}}), "", "stage",
       "stage 'loyalty' is not allowed; use awareness, consideration, conversion or retention"},
      {F({{&GF::cycle, "q9"}}), "--", "cycle",
       "--cycle 'q9' is not a cycle of this workspace (`cascade cycle list` shows them)"},
  };
  for (const Case& c : cases) {
    auto r = CheckGoalFilter(ws, c.filter, c.prefix);
    ASSERT_FALSE(r.ok()) << c.message;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(r.error().message, c.message);
  }
  // Free tags match nothing rather than being refused: a channel nobody uses yet is no typo.
  EXPECT_TRUE(
      CheckGoalFilter(ws, F({{&GF::channel, "tv"}, {&GF::segment, "boomers"}, {&GF::tag, "x"}}), "")
          .ok());
}

}  // namespace
}  // namespace cascade

#include "core/apply_changes.h"

#include <gtest/gtest.h>

#include "core/incremental_rollup.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Workspace Stored() {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 3}};
  ws.people = {{"dana", "Dana", "", "marketing", Role::kLead, 1}};
  Goal brand;
  brand.id = "brand";
  brand.title = "Brand";
  brand.level = Level::kMacro;
  brand.version = 2;
  Goal social = brand;
  social.id = "social";
  social.parent = "brand";
  social.level = Level::kMicro;
  social.version = 1;
  ws.goals = {brand, social};
  Kpi reach;
  reach.id = "reach";
  reach.goal = "brand";
  reach.target = 10;
  reach.version = 1;
  Kpi fans = reach;
  fans.id = "fans";
  fans.goal = "social";
  ws.kpis = {reach, fans};
  ws.checkins = {{"reach", D("2026-01-01"), 1, "", "dana", 10},
                 {"fans", D("2026-01-02"), 2, "", "dana", 11},
                 {"reach", D("2026-01-03"), 3, "", "dana", 12}};
  ws.actions = {{"brief", "social", "Brief", "", std::nullopt, false, {}, 1}};
  ws.comments = {{5, "social", "dana", D("2026-01-02"), "Go"},
                 {6, "brand", "dana", D("2026-01-02"), "Ok"}};
  return ws;
}

TEST(ApplyChangesTest, IsWhatStorageWouldLoadAfterTheChanges) {
  const Workspace ws = Stored();
  Workspace next = ws;
  next.goals[0].title = "Brand, renamed";                      // update: version 2 → 3
  next.goals.erase(next.goals.begin() + 1);                    // social, with fans and brief
  next.kpis.erase(next.kpis.begin() + 1);
  next.actions.clear();
  next.teams.push_back({"social-team", "Social", "marketing", 0});  // create: version 1
  next.checkins.erase(next.checkins.begin() + 1);  // fans' check-in goes with fans
  next.checkins[0].value = 1.5;                    // a correction, in place
  next.checkins.push_back({"reach", D("2026-01-04"), 4, "", "dana", 0});
  next.comments.erase(next.comments.begin());      // social's comment goes with social
  next.comments.push_back({0, "brand", "dana", D("2026-01-05"), "Nice"});
  const ChangeSet changes = DiffWorkspaces(ws, next);

  // Deleted entities found by a scan, or by position in the workspace's index.
  const WorkspaceIndex index(ws);
  for (const WorkspaceIndex* with : {static_cast<const WorkspaceIndex*>(nullptr), &index}) {
    auto applied = ApplyChanges(ws, changes, AssignedSeqs{{13}, {7}, {}}, with);
    ASSERT_TRUE(applied) << applied.error().message;
    Workspace expected = next;
    expected.goals[0].version = 3;
    expected.teams[1].version = 1;
    expected.checkins.back().seq = 13;
    expected.comments.back().seq = 7;
    EXPECT_EQ(applied->teams, expected.teams);
    EXPECT_EQ(applied->goals, expected.goals);
    EXPECT_EQ(applied->kpis, expected.kpis);
    EXPECT_EQ(applied->actions, expected.actions);
    EXPECT_EQ(applied->checkins, expected.checkins);
    EXPECT_EQ(applied->comments, expected.comments);
  }
}

TEST(ApplyChangesTest, AGoalDeletedTakesWhatStorageDeletesWithIt) {
  // The change set names the goal alone: its KPI (with its check-ins), action and comment go as
  // the schema's ON DELETE CASCADE takes them; what is another goal's stays.
  const Workspace ws = Stored();
  ChangeSet changes;
  changes.changes.push_back({EntityChange::Op::kDelete, ws.goals[1], std::nullopt});
  const WorkspaceIndex index(ws);
  const GoalLinks links(ws, index);
  // By a scan; the goal by its position in the index; its KPIs in the goal links too.
  for (int way = 0; way < 3; ++way) {
    auto applied = ApplyChanges(ws, changes, AssignedSeqs{}, way > 0 ? &index : nullptr,
                                way > 1 ? &links : nullptr);
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(applied->goals, std::vector<Goal>{ws.goals[0]});
    EXPECT_EQ(applied->kpis, std::vector<Kpi>{ws.kpis[0]});
    EXPECT_TRUE(applied->actions.empty());
    EXPECT_EQ(applied->comments, std::vector<Comment>{ws.comments[1]});
    EXPECT_EQ(applied->checkins, (std::vector<Checkin>{ws.checkins[0], ws.checkins[2]}));
  }
}

TEST(ApplyChangesTest, ManyDeletesInOneChangeTakeEveryOneAndWhatGoesWithIt) {
  // 40 goals, each with a KPI, a check-in and a comment; 25 goals deleted in one change (more than
  // are compared one by one): their KPIs, check-ins and comments go with them, nothing else.
  Workspace ws;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "g" + std::to_string(i);
    Goal g;
    g.id = id;
    g.title = id;
    g.version = 1;
    ws.goals.push_back(g);
    Kpi k;
    k.id = "k" + std::to_string(i);
    k.goal = id;
    k.target = 10;
    k.version = 1;
    ws.kpis.push_back(k);
    ws.checkins.push_back({k.id, D("2026-01-01"), 1, "", "", i + 1});
    ws.comments.push_back({i + 1, id, "", D("2026-01-01"), "c"});
  }
  ChangeSet changes;
  Workspace expected;
  for (int i = 0; i < 40; ++i) {
    if (i % 8 < 5) {
      changes.changes.push_back({EntityChange::Op::kDelete, ws.goals[i], std::nullopt});
    } else {
      expected.goals.push_back(ws.goals[i]);
      expected.kpis.push_back(ws.kpis[i]);
      expected.checkins.push_back(ws.checkins[i]);
      expected.comments.push_back(ws.comments[i]);
    }
  }
  ASSERT_EQ(changes.changes.size(), 25u);
  const WorkspaceIndex index(ws);
  const GoalLinks links(ws, index);
  for (int way = 0; way < 3; ++way) {
    SCOPED_TRACE(way);
    auto applied = ApplyChanges(ws, changes, AssignedSeqs{}, way > 0 ? &index : nullptr,
                                way > 1 ? &links : nullptr);
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(applied->goals, expected.goals);
    EXPECT_EQ(applied->kpis, expected.kpis);
    EXPECT_EQ(applied->checkins, expected.checkins);
    EXPECT_EQ(applied->comments, expected.comments);
  }
}

TEST(ApplyChangesTest, RefusesSeqsThatDoNotMatch) {
  ChangeSet changes;
  changes.checkins = {{"reach", D("2026-01-04"), 4, "", "dana", 0}};
  auto applied = ApplyChanges(Stored(), changes, AssignedSeqs{});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(applied.error().message,
            "the store gave 0 check-in seqs for 1 check-ins appended (and so for comments and "
            "reviews)");
}

}  // namespace
}  // namespace cascade

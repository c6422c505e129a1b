#include "core/changeset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cascade {
namespace {

using ::testing::ElementsAre;
using Op = EntityChange::Op;

Date D(const char* text) { return *Date::Parse(text); }

template <typename T>
T WithId(std::string id) {
  T item;
  item.id = std::move(id);
  return item;
}

Goal MakeGoal(std::string id, std::string parent, Level level = Level::kMicro,
              int64_t version = 0) {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id;
  g.parent = std::move(parent);
  g.level = level;
  g.version = version;
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, int64_t version = 0) {
  Kpi k;
  k.id = std::move(id);
  k.goal = std::move(goal);
  k.target = 10;
  k.version = version;
  return k;
}

Checkin MakeCheckin(std::string kpi, const char* date, double value, std::string note = "",
                    int64_t seq = 0) {
  return Checkin{std::move(kpi), D(date), value, std::move(note), "", seq};
}

// "create goal a", "update kpi k@3" (the version expected), "delete team t@1".
std::vector<std::string> Describe(const ChangeSet& changes) {
  std::vector<std::string> out;
  for (const EntityChange& c : changes.changes) {
    const Entity& e = c.before ? *c.before : *c.after;
    std::string line =
        std::string(ToString(c.op)) + " " + std::string(EntityKindName(e)) + " " + EntityId(e);
    if (c.before) line += "@" + std::to_string(EntityVersion(*c.before));
    out.push_back(line);
  }
  return out;
}

TEST(ChangeSetTest, EntityAccessors) {
  EXPECT_EQ(EntityKindName(WithId<Team>("t")), "team");
  EXPECT_EQ(EntityKindName(WithId<Person>("p")), "person");
  EXPECT_EQ(EntityKindName(MakeGoal("g", "")), "goal");
  EXPECT_EQ(EntityKindName(MakeKpi("k", "g")), "kpi");
  EXPECT_EQ(EntityKindName(WithId<Action>("a")), "action");
  EXPECT_EQ(EntityKindName(WithId<Funnel>("f")), "funnel");
  EXPECT_EQ(EntityKindName(WithId<Experiment>("x")), "experiment");
  EXPECT_EQ(EntityId(Entity(MakeKpi("k", "g", 4))), "k");
  EXPECT_EQ(EntityVersion(Entity(MakeKpi("k", "g", 4))), 4);
  EXPECT_EQ(ToString(Op::kCreate), "create");
  EXPECT_EQ(ToString(Op::kUpdate), "update");
  EXPECT_EQ(ToString(Op::kDelete), "delete");
}

TEST(DiffWorkspacesTest, IdenticalWorkspacesDifferInNothing) {
  Workspace ws;
  ws.teams = {{"t", "Team", "", 2}};
  ws.goals = {MakeGoal("g", "", Level::kMacro, 3)};
  ws.kpis = {MakeKpi("k", "g", 1)};
  ws.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1)};
  EXPECT_TRUE(DiffWorkspaces(ws, ws).empty());
}

TEST(DiffWorkspacesTest, VersionAloneIsNoChange) {
  Workspace from, to;
  from.goals = {MakeGoal("g", "", Level::kMacro, 3)};
  to.goals = {MakeGoal("g", "", Level::kMacro, 0)};
  EXPECT_TRUE(DiffWorkspaces(from, to).empty());
}

TEST(DiffWorkspacesTest, CreatesComeParentsFirstAndReferencedKindsFirst) {
  Workspace from;
  Workspace to;
  // Listed children first, as a plan that points up with `parent` may list them.
  to.experiments = {{"x", "leaf", "Pilot", {10, 1}, {10, 2}, 0}};
  to.funnels = {{"f", "Funnel", {"k"}, 0}};
  to.actions = {{"a", "leaf", "Act", "", std::nullopt, false, {}, 0}};
  to.kpis = {MakeKpi("k", "leaf")};
  to.goals = {MakeGoal("leaf", "mid"), MakeGoal("mid", "root", Level::kMacro),
              MakeGoal("root", "", Level::kMacro), MakeGoal("other", "")};
  to.people = {{"p", "P", "", "sub", Role::kLead, 0}};
  to.teams = {{"sub", "Sub", "top", 0}, {"top", "Top", "", 0}};
  EXPECT_THAT(
      Describe(DiffWorkspaces(from, to)),
      ElementsAre("create team top", "create team sub", "create person p", "create goal root",
                  "create goal mid", "create goal leaf", "create goal other", "create kpi k",
                  "create action a", "create funnel f", "create experiment x"));
}

TEST(DiffWorkspacesTest, DeletesComeChildrenFirstAndReferencingKindsFirst) {
  Workspace from;
  from.teams = {{"top", "Top", "", 1}, {"sub", "Sub", "top", 1}};
  from.people = {{"p", "P", "", "sub", Role::kLead, 2}};
  from.goals = {MakeGoal("root", "", Level::kMacro, 1), MakeGoal("mid", "root", Level::kMacro, 1),
                MakeGoal("leaf", "mid", Level::kMicro, 5), MakeGoal("other", "", Level::kMicro, 1)};
  from.kpis = {MakeKpi("k", "leaf", 2)};
  from.actions = {{"a", "leaf", "Act", "", std::nullopt, false, {}, 1}};
  from.funnels = {{"f", "Funnel", {"k"}, 1}};
  from.experiments = {{"x", "leaf", "Pilot", {10, 1}, {10, 2}, 1}};
  Workspace to;
  EXPECT_THAT(Describe(DiffWorkspaces(from, to)),
              ElementsAre("delete experiment x@1", "delete funnel f@1", "delete action a@1",
                          "delete kpi k@2", "delete goal other@1", "delete goal leaf@5",
                          "delete goal mid@1", "delete goal root@1", "delete person p@2",
                          "delete team sub@1", "delete team top@1"));
}

TEST(DiffWorkspacesTest, ActionsComeAfterThoseTheyDependOn) {
  Workspace empty;
  Workspace plan;
  plan.actions = {{"publish", "g", "Publish", "", std::nullopt, false, {"write", "design"}, 0},
                  {"design", "g", "Design", "", std::nullopt, false, {"write"}, 0},
                  {"write", "g", "Write", "", std::nullopt, false, {}, 0},
                  {"loop", "g", "Loop", "", std::nullopt, false, {"loop"}, 0}};
  EXPECT_THAT(Describe(DiffWorkspaces(empty, plan)),
              ElementsAre("create action write", "create action design", "create action publish",
                          "create action loop"));
  EXPECT_THAT(Describe(DiffWorkspaces(plan, empty)),
              ElementsAre("delete action loop@0", "delete action publish@0",
                          "delete action design@0", "delete action write@0"));
}

TEST(DiffWorkspacesTest, UpdatesCarryTheStoredVersionAndComeBetweenCreatesAndDeletes) {
  Workspace from;
  from.goals = {MakeGoal("old-parent", "", Level::kMacro, 1),
                MakeGoal("g", "old-parent", Level::kMicro, 4)};
  from.kpis = {MakeKpi("k", "g", 6)};
  Workspace to;
  to.goals = {MakeGoal("g", "new-parent", Level::kMicro, 4),
              MakeGoal("new-parent", "", Level::kMacro)};
  to.kpis = {MakeKpi("k", "g", 6)};
  to.kpis[0].target = 20;

  const ChangeSet changes = DiffWorkspaces(from, to);
  EXPECT_THAT(Describe(changes), ElementsAre("create goal new-parent", "update goal g@4",
                                             "update kpi k@6", "delete goal old-parent@1"));
  const EntityChange& update = changes.changes[1];
  EXPECT_EQ(std::get<Goal>(*update.before).parent, "old-parent");
  EXPECT_EQ(std::get<Goal>(*update.after).parent, "new-parent");
  EXPECT_EQ(std::get<Kpi>(*changes.changes[2].after).target, 20);
}

TEST(DiffWorkspacesTest, AppendsOnlyUnstoredCheckinsCommentsAndReviews) {
  Workspace from;
  from.kpis = {MakeKpi("k", "g")};
  from.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1)};
  Workspace to = from;
  to.checkins.push_back(MakeCheckin("k", "2026-01-02", 2));
  to.comments = {{0, "g", "dana", D("2026-01-02"), "Nice"},
                 {4, "g", "sam", D("2026-01-01"), "Old"}};
  to.reviews = {{0, D("2026-01-31"), "t", "Notes", {}}};
  const ChangeSet changes = DiffWorkspaces(from, to);
  EXPECT_TRUE(changes.changes.empty());
  EXPECT_THAT(changes.checkins, ElementsAre(MakeCheckin("k", "2026-01-02", 2)));
  ASSERT_EQ(changes.comments.size(), 1u);
  EXPECT_EQ(changes.comments[0].text, "Nice");
  EXPECT_EQ(changes.reviews.size(), 1u);
}

TEST(DiffWorkspacesTest, StoredCheckinsAndCommentsChangedOrRemovedAreCorrections) {
  Workspace from;
  from.goals = {MakeGoal("g", "")};
  from.kpis = {MakeKpi("k", "g")};
  from.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1), MakeCheckin("k", "2026-01-02", 2, "", 2),
                   MakeCheckin("k", "2026-01-03", 3, "", 3)};
  from.comments = {{4, "g", "dana", D("2026-01-02"), "Nice"}, {5, "g", "sam", D("2026-01-03"), "Hm"}};
  Workspace to = from;
  to.checkins[0].value = 10;                  // #1 corrected
  to.checkins.erase(to.checkins.begin() + 1);  // #2 removed
  to.comments[1].text = "Hmm";                 // #5 corrected
  to.comments.erase(to.comments.begin());      // #4 removed
  const ChangeSet changes = DiffWorkspaces(from, to);
  EXPECT_FALSE(changes.empty());
  EXPECT_TRUE(changes.changes.empty());
  EXPECT_TRUE(changes.checkins.empty());
  ASSERT_EQ(changes.checkin_changes.size(), 2u);
  EXPECT_EQ(changes.checkin_changes[0].op, EntityChange::Op::kUpdate);
  EXPECT_EQ(changes.checkin_changes[0].before, from.checkins[0]);
  EXPECT_EQ(changes.checkin_changes[0].after, to.checkins[0]);
  EXPECT_EQ(changes.checkin_changes[1].op, EntityChange::Op::kDelete);
  EXPECT_EQ(changes.checkin_changes[1].before.seq, 2);
  EXPECT_FALSE(changes.checkin_changes[1].after.has_value());
  ASSERT_EQ(changes.comment_changes.size(), 2u);
  EXPECT_EQ(changes.comment_changes[0].op, EntityChange::Op::kDelete);
  EXPECT_EQ(changes.comment_changes[0].before.seq, 4);
  EXPECT_EQ(changes.comment_changes[1].op, EntityChange::Op::kUpdate);
  EXPECT_EQ(changes.comment_changes[1].after->text, "Hmm");
}

TEST(DiffWorkspacesTest, RecordsOfARemovedKpiOrGoalGoWithIt) {
  Workspace from;
  from.goals = {MakeGoal("g", "")};
  from.kpis = {MakeKpi("k", "g")};
  from.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1)};
  from.comments = {{4, "g", "dana", D("2026-01-02"), "Nice"}};
  Workspace to;
  const ChangeSet changes = DiffWorkspaces(from, to);
  EXPECT_EQ(changes.changes.size(), 2u);  // the KPI and the goal; storage cascades the rest
  EXPECT_TRUE(changes.checkin_changes.empty());
  EXPECT_TRUE(changes.comment_changes.empty());
}

Workspace Stored() {
  Workspace ws;
  ws.teams = {{"t", "Team", "", 1}};
  ws.goals = {MakeGoal("a", "", Level::kMacro, 3), MakeGoal("b", "a", Level::kMicro, 2),
              MakeGoal("c", "a", Level::kMicro, 1)};
  ws.kpis = {MakeKpi("ka", "a", 2), MakeKpi("kc", "c", 1)};
  ws.checkins = {MakeCheckin("ka", "2026-01-01", 1, "", 1),
                 MakeCheckin("kc", "2026-01-01", 5, "", 2)};
  ws.comments = {{1, "c", "dana", D("2026-01-02"), "About c"},
                 {2, "a", "dana", D("2026-01-02"), "About a"}};
  return ws;
}

Workspace Plan() {
  Workspace plan;
  plan.goals = {MakeGoal("new", "a"), MakeGoal("a", "", Level::kMacro), MakeGoal("b", "a")};
  plan.goals[2].title = "Renamed b";
  plan.kpis = {MakeKpi("ka", "a")};
  return plan;
}

TEST(MergePlanTest, ReplacesKeepingVersionsAndAppendsNewInPlanOrder) {
  const Workspace merged = MergePlan(Stored(), Plan(), /*prune=*/false);
  ASSERT_EQ(merged.goals.size(), 4u);
  EXPECT_EQ(merged.goals[0].id, "a");
  EXPECT_EQ(merged.goals[0].version, 3);
  EXPECT_EQ(merged.goals[1].title, "Renamed b");
  EXPECT_EQ(merged.goals[1].version, 2);
  EXPECT_EQ(merged.goals[2].id, "c");  // not in the plan, kept
  EXPECT_EQ(merged.goals[3].id, "new");
  EXPECT_EQ(merged.goals[3].version, 0);
  EXPECT_EQ(merged.teams.size(), 1u);
  EXPECT_EQ(merged.kpis.size(), 2u);
  EXPECT_EQ(merged.checkins.size(), 2u);
  EXPECT_EQ(merged.comments.size(), 2u);

  EXPECT_THAT(Describe(DiffWorkspaces(Stored(), merged)),
              ElementsAre("create goal new", "update goal b@2"));
}

TEST(MergePlanTest, PruneDropsWhatThePlanDoesNotHold) {
  const Workspace merged = MergePlan(Stored(), Plan(), /*prune=*/true);
  std::vector<std::string> goals;
  for (const Goal& g : merged.goals) goals.push_back(g.id);
  EXPECT_THAT(goals, ElementsAre("a", "b", "new"));
  EXPECT_TRUE(merged.teams.empty());
  ASSERT_EQ(merged.kpis.size(), 1u);
  EXPECT_THAT(merged.checkins, ElementsAre(MakeCheckin("ka", "2026-01-01", 1, "", 1)));
  ASSERT_EQ(merged.comments.size(), 1u);
  EXPECT_EQ(merged.comments[0].goal, "a");

  EXPECT_THAT(Describe(DiffWorkspaces(Stored(), merged)),
              ElementsAre("create goal new", "update goal b@2", "delete kpi kc@1",
                          "delete goal c@1", "delete team t@1"));
}

TEST(MergePlanTest, CheckinsEqualToStoredOnesAreNotAddedAgain) {
  Workspace stored;
  stored.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1),
                     MakeCheckin("k", "2026-01-02", 2, "call", 2)};
  Workspace plan;
  plan.checkins = {
      MakeCheckin("k", "2026-01-01", 1),           // stored
      MakeCheckin("k", "2026-01-02", 2, "call"),   // stored
      MakeCheckin("k", "2026-01-02", 2, "email"),  // another note: new
      MakeCheckin("k", "2026-01-03", 2),           // another date: new
      MakeCheckin("k", "2026-01-01", 1.5),         // another value: new
      MakeCheckin("j", "2026-01-01", 1),           // another KPI: new
  };
  plan.checkins[0].author = "someone else";  // the author is not part of the identity
  const Workspace merged = MergePlan(stored, plan, false);
  ASSERT_EQ(merged.checkins.size(), 6u);
  EXPECT_EQ(merged.checkins[0], stored.checkins[0]);
  EXPECT_EQ(merged.checkins[1], stored.checkins[1]);
  EXPECT_EQ(merged.checkins[2], MakeCheckin("k", "2026-01-02", 2, "email"));
  EXPECT_EQ(merged.checkins[5], MakeCheckin("j", "2026-01-01", 1));
  EXPECT_EQ(DiffWorkspaces(stored, merged).checkins.size(), 4u);
}

TEST(MergePlanTest, RepeatedReadingsMatchOneForOne) {
  Workspace stored;
  stored.checkins = {MakeCheckin("k", "2026-01-01", 1, "", 1)};
  Workspace plan;
  plan.checkins = {MakeCheckin("k", "2026-01-01", 1), MakeCheckin("k", "2026-01-01", 1)};
  // One of the two is the stored one; the other is a second, equal sale that day.
  EXPECT_EQ(MergePlan(stored, plan, false).checkins.size(), 2u);
  // Re-applying changes nothing.
  const Workspace again = MergePlan(MergePlan(stored, plan, false), plan, false);
  EXPECT_EQ(again.checkins.size(), 2u);
}

TEST(MergePlanTest, ZeroAndNegativeZeroAreTheSameReading) {
  Workspace stored;
  stored.checkins = {MakeCheckin("k", "2026-01-01", 0.0, "", 1)};
  Workspace plan;
  plan.checkins = {MakeCheckin("k", "2026-01-01", -0.0)};
  EXPECT_EQ(MergePlan(stored, plan, false).checkins.size(), 1u);
}

TEST(MergePlanTest, DedupesHundredsOfThousandsOfCheckinsInLinearTime) {
  constexpr int kCount = 300000;
  Workspace stored;
  Workspace plan;
  stored.checkins.reserve(kCount);
  plan.checkins.reserve(kCount + 1);
  for (int i = 0; i < kCount; ++i) {
    const std::string kpi = "kpi-" + std::to_string(i % 50);
    const Date date = D("2026-01-01") + (i % 365);
    stored.checkins.push_back({kpi, date, static_cast<double>(i), "", "", i + 1});
    plan.checkins.push_back({kpi, date, static_cast<double>(i), "", "", 0});
  }
  plan.checkins.push_back(MakeCheckin("kpi-0", "2027-01-01", 1));
  const Workspace merged = MergePlan(stored, plan, false);
  ASSERT_EQ(merged.checkins.size(), static_cast<size_t>(kCount) + 1);
  EXPECT_EQ(DiffWorkspaces(stored, merged).checkins.size(), 1u);
}

// "k 2026-01-01 1 'note'" for each check-in, to compare lists at a glance.
std::vector<std::string> Readings(const std::vector<Checkin>& checkins) {
  std::vector<std::string> out;
  for (const Checkin& c : checkins) {
    std::string line = c.kpi + " " + c.date.ToString() + " " + std::to_string(c.value);
    if (!c.note.empty()) line += " '" + c.note + "'";
    if (c.seq != 0) line += " #" + std::to_string(c.seq);
    out.push_back(line);
  }
  return out;
}

std::vector<Checkin> Deleted(const ChangeSet& changes) {
  std::vector<Checkin> out;
  for (const CheckinChange& c : changes.checkin_changes) {
    EXPECT_EQ(c.op, Op::kDelete);
    EXPECT_FALSE(c.after);
    out.push_back(c.before);
  }
  return out;
}

TEST(ImportCheckinsTest, RowsEqualToStoredOnesAreSkippedAndCounted) {
  const std::vector<Checkin> stored = {MakeCheckin("k", "2026-01-01", 1, "", 1),
                                       MakeCheckin("k", "2026-01-02", 2, "call", 2)};
  std::vector<Checkin> rows = {
      MakeCheckin("k", "2026-01-01", 1),           // stored
      MakeCheckin("k", "2026-01-02", 2, "call"),   // stored
      MakeCheckin("k", "2026-01-02", 2, "email"),  // another note: new
      MakeCheckin("k", "2026-01-01", 1.5),         // another value: new
      MakeCheckin("j", "2026-01-01", 1),           // another KPI: new
  };
  rows[0].author = "someone else";  // the author is not part of the identity
  const CheckinImport got = ImportCheckins(stored, rows, nullptr);
  EXPECT_EQ(got.already_stored, 2u);
  EXPECT_EQ(got.removed, 0u);
  EXPECT_THAT(Readings(got.changes.checkins),
              ElementsAre("k 2026-01-02 2.000000 'email'", "k 2026-01-01 1.500000",
                          "j 2026-01-01 1.000000"));
  EXPECT_TRUE(got.changes.checkin_changes.empty());
}

TEST(ImportCheckinsTest, EqualRowsOfOneFileAreTwoReadingsAndASecondImportAddsNothing) {
  const std::vector<Checkin> rows = {MakeCheckin("k", "2026-01-01", 1),
                                     MakeCheckin("k", "2026-01-01", 1)};
  const CheckinImport first = ImportCheckins({}, rows, nullptr);
  EXPECT_EQ(first.changes.checkins.size(), 2u);
  EXPECT_EQ(first.already_stored, 0u);
  // Both stored now (seq 1 and 2): importing the file again skips both.
  const std::vector<Checkin> stored = {MakeCheckin("k", "2026-01-01", 1, "", 1),
                                       MakeCheckin("k", "2026-01-01", 1, "", 2)};
  const CheckinImport again = ImportCheckins(stored, rows, nullptr);
  EXPECT_TRUE(again.changes.empty());
  EXPECT_EQ(again.already_stored, 2u);
  // With one stored, one of the two rows is that one and the other is added.
  const CheckinImport half = ImportCheckins({stored[0]}, rows, nullptr);
  EXPECT_EQ(half.changes.checkins.size(), 1u);
  EXPECT_EQ(half.already_stored, 1u);
}

TEST(ImportCheckinsTest, ReplacingARangeDeletesWhatNoRowEqualsInsideIt) {
  const std::vector<Checkin> stored = {
      MakeCheckin("k", "2026-01-31", 5, "", 1),  // before the range: stays
      MakeCheckin("k", "2026-02-01", 6, "", 2),  // in the range, equal to a row: stays
      MakeCheckin("k", "2026-02-02", 7, "", 3),  // in the range, corrected by the file: goes
      MakeCheckin("j", "2026-02-02", 1, "", 4),  // a KPI the file does not hold: stays
      MakeCheckin("k", "2026-02-03", 8, "", 5),  // in the range, not in the file: goes
      MakeCheckin("k", "2026-02-04", 9, "", 6),  // after the range: stays
      MakeCheckin("m", "2026-02-03", 3, "", 7),  // another KPI of the file, in the range: goes
  };
  const std::vector<Checkin> rows = {MakeCheckin("k", "2026-02-01", 6),
                                     MakeCheckin("k", "2026-02-02", 70),
                                     MakeCheckin("m", "2026-02-03", 4)};
  const CheckinRange range{{"k", "m"}, D("2026-02-01"), D("2026-02-03")};
  const CheckinImport got = ImportCheckins(stored, rows, &range);
  EXPECT_EQ(got.already_stored, 1u);
  EXPECT_EQ(got.removed, 3u);
  EXPECT_THAT(Readings(got.changes.checkins),
              ElementsAre("k 2026-02-02 70.000000", "m 2026-02-03 4.000000"));
  EXPECT_THAT(Readings(Deleted(got.changes)),
              ElementsAre("k 2026-02-02 7.000000 #3", "k 2026-02-03 8.000000 #5",
                          "m 2026-02-03 3.000000 #7"));
}

TEST(ImportCheckinsTest, ReplacingKeepsTheEarliestOfEqualStoredCheckins) {
  const std::vector<Checkin> stored = {MakeCheckin("k", "2026-02-01", 1, "", 1),
                                       MakeCheckin("k", "2026-02-01", 1, "", 2),
                                       MakeCheckin("k", "2026-02-01", 1, "", 3)};
  const CheckinRange range{{"k"}, D("2026-02-01"), D("2026-02-01")};
  const CheckinImport got = ImportCheckins(stored, {MakeCheckin("k", "2026-02-01", 1)}, &range);
  EXPECT_TRUE(got.changes.checkins.empty());
  EXPECT_EQ(got.already_stored, 1u);
  EXPECT_THAT(Readings(Deleted(got.changes)),
              ElementsAre("k 2026-02-01 1.000000 #2", "k 2026-02-01 1.000000 #3"));
}

TEST(ImportCheckinsTest, SkipsHundredsOfThousandsOfStoredRowsInLinearTime) {
  constexpr int kCount = 300000;
  std::vector<Checkin> stored;
  std::vector<Checkin> rows;
  stored.reserve(kCount);
  rows.reserve(kCount + 1);
  for (int i = 0; i < kCount; ++i) {
    const std::string kpi = "kpi-" + std::to_string(i % 50);
    const Date date = D("2026-01-01") + (i % 365);
    stored.push_back({kpi, date, static_cast<double>(i), "", "", i + 1});
    rows.push_back({kpi, date, static_cast<double>(i), "", "", 0});
  }
  rows.push_back(MakeCheckin("kpi-0", "2027-01-01", 1));
  const CheckinImport got = ImportCheckins(stored, std::move(rows), nullptr);
  EXPECT_EQ(got.already_stored, static_cast<size_t>(kCount));
  EXPECT_THAT(Readings(got.changes.checkins), ElementsAre("kpi-0 2027-01-01 1.000000"));
}

TEST(MergePlanTest, DuplicateIdsInThePlanSurviveForValidationToReport) {
  Workspace stored;
  stored.goals = {MakeGoal("a", "", Level::kMacro, 2)};
  Workspace plan;
  plan.goals = {MakeGoal("a", "", Level::kMacro), MakeGoal("a", "", Level::kMicro)};
  const Workspace merged = MergePlan(stored, plan, true);
  ASSERT_EQ(merged.goals.size(), 2u);
  EXPECT_EQ(merged.goals[0].version, 2);
  EXPECT_EQ(merged.goals[1].level, Level::kMicro);
}

TEST(DiffWorkspacesTest, ContributorsSupportsAndSegmentAreChangesOfTheGoal) {
  Workspace from;
  from.goals = {MakeGoal("a", "", Level::kMacro, 2), MakeGoal("b", "", Level::kMacro, 5)};
  Workspace to = from;
  to.goals[0].contributors = {"dana"};
  to.goals[1].supports = {"a"};
  to.goals[1].segment = "smb";
  const ChangeSet changes = DiffWorkspaces(from, to);
  EXPECT_THAT(Describe(changes), ElementsAre("update goal a@2", "update goal b@5"));
  EXPECT_EQ(std::get<Goal>(*changes.changes[0].after).contributors,
            std::vector<std::string>{"dana"});
  EXPECT_EQ(std::get<Goal>(*changes.changes[1].after).supports, std::vector<std::string>{"a"});
  EXPECT_EQ(std::get<Goal>(*changes.changes[1].after).segment, "smb");
  // The order of a list is part of the goal as written.
  Workspace reordered = to;
  reordered.goals[0].contributors = {"dana", "sam"};
  to.goals[0].contributors = {"sam", "dana"};
  EXPECT_THAT(Describe(DiffWorkspaces(reordered, to)), ElementsAre("update goal a@2"));
  EXPECT_TRUE(DiffWorkspaces(to, to).empty());
}

}  // namespace
}  // namespace cascade

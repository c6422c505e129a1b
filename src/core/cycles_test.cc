#include "core/cycles.h"

#include <gtest/gtest.h>

#include <string>

#include "core/validate.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, std::string cycle, double weight = 1, std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id;
  g.cycle = std::move(cycle);
  g.weight = weight;
  g.parent = std::move(parent);
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, double baseline, double target) {
  Kpi k;
  k.id = std::move(id);
  k.name = k.id;
  k.goal = std::move(goal);
  k.kind = KpiKind::kLevel;
  k.baseline = baseline;
  k.target = target;
  return k;
}

Checkin MakeCheckin(std::string kpi, const char* date, double value) {
  Checkin c;
  c.kpi = std::move(kpi);
  c.date = D(date);
  c.value = value;
  return c;
}

int Pos(const Workspace& ws, std::string_view id) {
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    if (ws.goals[i].id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no goal " << id;
  return 0;
}

// Q1 2026 with three top goals (weights 1, 2, 1; P 0.5, 0.25 and null: c has no KPI), a child of
// a in the same cycle (P 0.5, so a stays at 0.5), a draft in the cycle (P 1) and a goal outside
// it (P 1).
Workspace ScoredWorkspace() {
  Workspace ws;
  ws.cycles = {{"q1", "Q1 2026", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1},
               {"q2", "Q2 2026", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  ws.goals = {MakeGoal("a", "q1", 1),      MakeGoal("b", "q1", 2),     MakeGoal("c", "q1", 1),
              MakeGoal("d", "q1", 1, "a"), MakeGoal("draft", "q1", 5), MakeGoal("outside", "", 1)};
  ws.goals[4].state = GoalState::kDraft;
  ws.goals[5].start = D("2026-01-01");
  ws.goals[5].due = D("2026-03-31");
  ws.kpis = {MakeKpi("ka", "a", 0, 100), MakeKpi("kb", "b", 0, 100), MakeKpi("kd", "d", 0, 100),
             MakeKpi("kdraft", "draft", 0, 100), MakeKpi("kout", "outside", 0, 100)};
  ws.checkins = {MakeCheckin("ka", "2026-02-01", 50), MakeCheckin("kb", "2026-02-01", 25),
                 MakeCheckin("kd", "2026-02-01", 50), MakeCheckin("kdraft", "2026-02-01", 100),
                 MakeCheckin("kout", "2026-02-01", 100)};
  return ws;
}

TEST(CyclesTest, ScoreIsTheWeightedMeanOfItsTopActiveGoalsWithProgress) {
  const Workspace ws = ScoredWorkspace();
  ASSERT_TRUE(ValidateWorkspace(ws).empty()) << ValidateWorkspace(ws).front().message;
  const Rollup r = ComputeRollup(ws, D("2026-02-15"));
  ASSERT_EQ(r.goals[static_cast<size_t>(Pos(ws, "a"))].progress, 0.5);
  ASSERT_EQ(r.goals[static_cast<size_t>(Pos(ws, "b"))].progress, 0.25);
  ASSERT_FALSE(r.goals[static_cast<size_t>(Pos(ws, "c"))].progress);
  const CycleSummary s = SummarizeCycle(ws, r, "q1");
  ASSERT_TRUE(s.score);
  EXPECT_NEAR(*s.score, (1 * 0.5 + 2 * 0.25) / 3, 1e-12);  // 0.333333…
  // a, b, c and d count by status; the draft does not.
  EXPECT_EQ(s.goals, 4);
  // As of Feb 15, E = 45/89: a (0.5) and d (0.5) on track, b (0.25) off track, c unmeasured.
  EXPECT_EQ(s.counts[static_cast<size_t>(GoalStatus::kUnmeasured)], 1);
  EXPECT_EQ(s.counts[static_cast<size_t>(GoalStatus::kOnTrack)], 2);
  EXPECT_EQ(s.counts[static_cast<size_t>(GoalStatus::kOffTrack)], 1);
  int total = 0;
  for (int n : s.counts) total += n;
  EXPECT_EQ(total, 4);
  EXPECT_EQ(s.counts[static_cast<size_t>(GoalStatus::kDraft)], 0);

  const CycleSummary empty = SummarizeCycle(ws, r, "q2");
  EXPECT_FALSE(empty.score);
  EXPECT_EQ(empty.goals, 0);
}

TEST(CyclesTest, AChildWhoseParentIsInAnotherCycleCountsInTheScore) {
  Workspace ws = ScoredWorkspace();
  ws.goals[static_cast<size_t>(Pos(ws, "d"))].cycle = "";
  ws.goals.push_back(MakeGoal("e", "q1", 2, "outside"));
  ws.kpis.push_back(MakeKpi("ke", "e", 0, 100));
  ws.checkins.push_back(MakeCheckin("ke", "2026-02-01", 100));
  const Rollup r = ComputeRollup(ws, D("2026-02-15"));
  const CycleSummary s = SummarizeCycle(ws, r, "q1");
  // a 0.5 (w 1), b 0.25 (w 2), e 1.0 (w 2): (0.5 + 0.5 + 2) / 5.
  EXPECT_NEAR(*s.score, 0.6, 1e-12);
  EXPECT_EQ(s.goals, 4);  // a, b, c, e
}

TEST(CyclesTest, GoalsTakeTheCycleDatesTheirChildrenOnlyItsStart) {
  Workspace ws;
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1}};
  ws.goals = {MakeGoal("top", "q1"), MakeGoal("child", "", 1, "top"), MakeGoal("own", "q1"),
              MakeGoal("late-start", "q1")};
  ws.goals[2].start = D("2026-02-01");
  ws.goals[2].due = D("2026-02-28");
  ws.goals[3].start = D("2026-03-01");
  ws.kpis = {MakeKpi("k", "late-start", 0, 10)};  // P 0: measured, not yet started
  ASSERT_TRUE(ValidateWorkspace(ws).empty()) << ValidateWorkspace(ws).front().message;
  const Rollup r = ComputeRollup(ws, D("2026-02-15"));
  EXPECT_EQ(r.goals[0].start, D("2026-01-01"));
  EXPECT_EQ(r.goals[0].due, D("2026-03-31"));
  EXPECT_EQ(r.goals[1].start, D("2026-01-01"));  // the parent's effective start
  EXPECT_EQ(r.goals[1].due, std::nullopt);       // children do not inherit a cycle
  EXPECT_EQ(r.goals[2].start, D("2026-02-01"));
  EXPECT_EQ(r.goals[2].due, D("2026-02-28"));
  EXPECT_EQ(r.goals[3].start, D("2026-03-01"));
  EXPECT_EQ(r.goals[3].due, D("2026-03-31"));
  EXPECT_EQ(r.goals[3].status, GoalStatus::kNotStarted);
}

TEST(CyclesTest, ValidationRefusesUnknownCyclesDatesOutsideAndBackwardCycles) {
  Workspace ws;
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1}};
  ws.goals = {MakeGoal("g", "q9")};
  Errors e = ValidateWorkspace(ws);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].code, ErrorCode::kInvalid);
  EXPECT_EQ(e[0].field, "cycle");
  EXPECT_EQ(e[0].message,
            "goal 'g': cycle 'q9' does not exist; cycle must be the id of a cycle or empty");

  ws.goals = {MakeGoal("g", "q1")};
  ws.goals[0].start = D("2025-12-31");
  ws.goals[0].due = D("2026-04-01");
  e = ValidateWorkspace(ws);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].field, "start");
  EXPECT_EQ(e[0].message,
            "goal 'g': start 2025-12-31 is outside cycle 'q1' (2026-01-01 to 2026-03-31); start "
            "must lie inside its cycle, or be left out to take the cycle's");
  EXPECT_EQ(e[1].field, "due");

  ws.goals.clear();
  ws.cycles[0].end = D("2025-12-31");
  e = ValidateWorkspace(ws);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, "cycle");
  EXPECT_EQ(e[0].field, "end");
  EXPECT_EQ(e[0].message,
            "cycle 'q1': end 2025-12-31 is before start 2026-01-01; a cycle ends on or after its "
            "start");
}

TEST(CyclesTest, CloseRecordsEachGoalAsOfTheEndAndTheScore) {
  Workspace ws = ScoredWorkspace();
  ws.checkins.push_back(MakeCheckin("kb", "2026-04-10", 100));  // after the end: not counted
  auto closed = CloseCycle(ws, "q1", nullptr);
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  ASSERT_EQ(closed->changes.size(), 1u);
  const Cycle& after = std::get<Cycle>(*closed->changes[0].after);
  EXPECT_EQ(after.state, CycleState::kClosed);
  ASSERT_EQ(closed->notes.size(), 6u);  // a, b, c, d, draft and the cycle
  EXPECT_EQ(
      closed->notes[1],
      (HistoryNote{"goal", "b", "close",
                   R"({"cycle":"q1","as_of":"2026-03-31","progress":0.25,"status":"off_track",)"
                   R"("achieved_on":null})"}));
  EXPECT_EQ(closed->notes[2].after,
            R"({"cycle":"q1","as_of":"2026-03-31","progress":null,"status":"unmeasured",)"
            R"("achieved_on":null})");
  EXPECT_EQ(closed->notes[4].entity, "draft");
  EXPECT_EQ(closed->notes[5].kind, "cycle");
  // As of the end (E 1): a, b and d off track, c unmeasured; the score is (0.5 + 2·0.25) / 3.
  EXPECT_EQ(closed->notes[5].after,
            R"({"as_of":"2026-03-31","score":0.3333333333333333,)"
            R"("counts":{"unmeasured":1,"off_track":3}})");

  // b reached 100% on March 20 and fell back to 40% by the end: the note keeps the date.
  Workspace dipped = ScoredWorkspace();
  dipped.checkins.push_back(MakeCheckin("kb", "2026-03-20", 100));
  dipped.checkins.push_back(MakeCheckin("kb", "2026-03-25", 40));
  auto dip = CloseCycle(dipped, "q1", nullptr);
  ASSERT_TRUE(dip.ok()) << dip.error().message;
  EXPECT_EQ(dip->notes[1].after,
            R"({"cycle":"q1","as_of":"2026-03-31","progress":0.4,"status":"off_track",)"
            R"("achieved_on":"2026-03-20"})");

  ws.cycles[0].state = CycleState::kClosed;
  auto again = CloseCycle(ws, "q1", nullptr);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "cycle 'q1' is already closed");
  auto unknown = CloseCycle(ws, "q7", nullptr);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto reopened = ReopenCycle(ws, "q1", nullptr);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(std::get<Cycle>(*reopened->changes[0].after).state, CycleState::kOpen);
  EXPECT_TRUE(reopened->notes.empty());

  // Members may not close a cycle; leads may.
  ws.cycles[0].state = CycleState::kOpen;
  Principal member{"mo", Role::kMember, "mo", ""};
  EXPECT_EQ(CloseCycle(ws, "q1", &member).error().code, ErrorCode::kForbidden);
  Principal lead{"dana", Role::kLead, "dana", ""};
  EXPECT_TRUE(CloseCycle(ws, "q1", &lead).ok());
}

TEST(CyclesTest, AClosedCyclesGoalsChangeOnlyAfterReopening) {
  Workspace ws = ScoredWorkspace();
  ws.cycles[0].state = CycleState::kClosed;
  const Goal& a = ws.goals[0];
  Goal renamed = a;
  renamed.title = "Renamed";
  ChangeSet set;
  set.changes.push_back({EntityChange::Op::kUpdate, Entity(a), Entity(renamed)});
  auto r = CheckClosedCycles(ws, set);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().message,
            "goal 'a' is in cycle 'q1', which is closed; a closed cycle's goals change only after "
            "`cascade cycle reopen q1`");

  ChangeSet checkin;
  checkin.checkins.push_back(MakeCheckin("kb", "2026-05-01", 80));
  r = CheckClosedCycles(ws, checkin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "a check-in of kpi 'kb': its goal 'b' is in cycle 'q1', which is closed; a closed "
            "cycle's goals change only after `cascade cycle reopen q1`");

  ChangeSet kpi;
  kpi.changes.push_back(
      {EntityChange::Op::kCreate, std::nullopt, Entity(MakeKpi("new", "c", 0, 1))});
  EXPECT_FALSE(CheckClosedCycles(ws, kpi).ok());

  // Moving a goal into the closed cycle, or out of it, is a change to it.
  Goal moved = ws.goals[5];
  moved.cycle = "q1";
  ChangeSet into;
  into.changes.push_back({EntityChange::Op::kUpdate, Entity(ws.goals[5]), Entity(moved)});
  EXPECT_FALSE(CheckClosedCycles(ws, into).ok());

  // A goal outside it, and reopening it together with a change, are fine.
  Goal other = ws.goals[5];
  other.title = "Other";
  ChangeSet outside;
  outside.changes.push_back({EntityChange::Op::kUpdate, Entity(ws.goals[5]), Entity(other)});
  EXPECT_TRUE(CheckClosedCycles(ws, outside).ok());
  Cycle open = ws.cycles[0];
  open.state = CycleState::kOpen;
  set.changes.insert(set.changes.begin(),
                     {EntityChange::Op::kUpdate, Entity(ws.cycles[0]), Entity(open)});
  EXPECT_TRUE(CheckClosedCycles(ws, set).ok());

  // A cycle created closed comes with its goals (a plan rebuilding a workspace).
  Workspace empty;
  ChangeSet rebuild;
  rebuild.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(ws.cycles[0])});
  rebuild.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(ws.goals[0])});
  rebuild.checkins.push_back(MakeCheckin("ka", "2026-02-01", 50));
  EXPECT_TRUE(CheckClosedCycles(empty, rebuild).ok());

  // The closed cycle itself changes only by reopening.
  Cycle longer = ws.cycles[0];
  longer.end = D("2026-04-30");
  ChangeSet stretch;
  stretch.changes.push_back({EntityChange::Op::kUpdate, Entity(ws.cycles[0]), Entity(longer)});
  EXPECT_FALSE(CheckClosedCycles(ws, stretch).ok());
  ChangeSet drop;
  drop.changes.push_back({EntityChange::Op::kDelete, Entity(ws.cycles[0]), std::nullopt});
  EXPECT_FALSE(CheckClosedCycles(ws, drop).ok());
}

// Spend, actions and experiments are part of a closed quarter's record and freeze with its goals;
// comments (lessons, decisions: the retrospective) do not.
TEST(CyclesTest, AClosedCyclesSpendActionsAndExperimentsFreezeButCommentsDoNot) {
  Workspace ws = ScoredWorkspace();
  ws.cycles[0].state = CycleState::kClosed;
  const std::string closed =
      " is in cycle 'q1', which is closed; a closed cycle's goals change only after "
      "`cascade cycle reopen q1`";

  ChangeSet spend;
  spend.spend.push_back({0, "b", D("2026-03-01"), 250, "ads", ""});
  auto r = CheckClosedCycles(ws, spend);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(r.error().field, "cycle");
  EXPECT_EQ(r.error().message, "spend on goal 'b': the goal" + closed);

  // Correcting a stored record of a frozen goal, or moving it onto one, is refused too.
  ws.spend.push_back({7, "outside", D("2026-03-01"), 100, "", ""});
  Spend moved = ws.spend[0];
  moved.goal = "a";
  ChangeSet correct;
  correct.spend_changes.push_back({EntityChange::Op::kUpdate, ws.spend[0], moved});
  r = CheckClosedCycles(ws, correct);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "spend on goal 'a': the goal" + closed);

  Action act;
  act.id = "brief";
  act.goal = "d";
  act.title = "Write the brief";
  ChangeSet action;
  action.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(act)});
  r = CheckClosedCycles(ws, action);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "action 'brief' of goal 'd'" + closed);
  ws.actions.push_back(act);
  Action done = act;
  done.done = true;
  ChangeSet mark;
  mark.changes.push_back({EntityChange::Op::kUpdate, Entity(act), Entity(done)});
  EXPECT_FALSE(CheckClosedCycles(ws, mark).ok());

  Experiment x;
  x.id = "hero";
  x.goal = "a";
  ChangeSet experiment;
  experiment.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(x)});
  r = CheckClosedCycles(ws, experiment);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "experiment 'hero' of goal 'a'" + closed);

  // Spend and actions outside the cycle, and any comment (a lesson on a closed goal included),
  // are fine.
  ChangeSet elsewhere;
  elsewhere.spend.push_back({0, "outside", D("2026-03-01"), 250, "", ""});
  Action other = act;
  other.id = "other";
  other.goal = "outside";
  elsewhere.changes.push_back({EntityChange::Op::kCreate, std::nullopt, Entity(other)});
  EXPECT_TRUE(CheckClosedCycles(ws, elsewhere).ok());
  ChangeSet lesson;
  lesson.comments.push_back(
      {0, "b", "", D("2026-04-02"), "Lead scoring came too late", CommentKind::kLesson});
  EXPECT_TRUE(CheckClosedCycles(ws, lesson).ok());
}

TEST(CyclesTest, CopyCarriesAGoalOverAsDraftsWithKpisRebased) {
  Workspace ws;
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kClosed, 1},
               {"q2", "Q2", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  ws.goals = {MakeGoal("parent", ""), MakeGoal("grow", "q1", 1, "parent"),
              MakeGoal("step", "q1", 1, "grow"), MakeGoal("grow-q2", "")};
  ws.goals[1].start = D("2026-01-15");
  Kpi relative = MakeKpi("followers", "grow", 100, 110);
  relative.target_written = "+10%";
  ws.kpis = {relative, MakeKpi("leads", "grow", 0, 500), MakeKpi("posts", "step", 0, 10)};
  Kpi rate;
  rate.id = "rate";
  rate.name = "rate";
  rate.goal = "grow";
  rate.kind = KpiKind::kFormula;
  rate.formula = "{leads} / {followers} * 100";
  rate.baseline = 0;
  rate.target = 5;
  ws.kpis.push_back(rate);
  ws.checkins = {MakeCheckin("followers", "2026-03-01", 120),
                 MakeCheckin("leads", "2026-03-01", 30)};
  ASSERT_TRUE(ValidateWorkspace(ws).empty()) << ValidateWorkspace(ws).front().message;
  const Rollup r = ComputeRollup(ws, D("2026-03-31"));
  auto copy = CopyGoal(ws, r, "grow", "q2", "");
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  ASSERT_EQ(copy->goals.size(), 2u);
  EXPECT_EQ(copy->goals[0].id, "grow-q2-2");  // grow-q2 is taken
  EXPECT_EQ(copy->goals[1].id, "step-q2");
  ASSERT_TRUE(ValidateWorkspace(ws).empty()) << ValidateWorkspace(ws).front().message;
  const Goal& top = ws.goals[4];
  EXPECT_EQ(top.parent, "parent");
  EXPECT_EQ(top.cycle, "q2");
  EXPECT_EQ(top.state, GoalState::kDraft);
  EXPECT_EQ(top.start, std::nullopt);
  EXPECT_EQ(ws.goals[5].parent, "grow-q2-2");
  EXPECT_EQ(ws.goals[5].state, GoalState::kDraft);
  ASSERT_EQ(ws.kpis.size(), 8u);
  EXPECT_EQ(ws.kpis[4].id, "followers-q2");
  EXPECT_EQ(ws.kpis[4].goal, "grow-q2-2");
  EXPECT_EQ(ws.kpis[4].baseline, 120);
  EXPECT_EQ(ws.kpis[4].target, 132);  // +10% of the new baseline
  EXPECT_EQ(ws.kpis[5].baseline, 30);
  EXPECT_EQ(ws.kpis[5].target, 500);  // kept
  EXPECT_EQ(ws.kpis[6].goal, "step-q2");
  EXPECT_EQ(ws.kpis[6].baseline, 0);
  EXPECT_EQ(ws.kpis[7].formula, "{leads-q2} / {followers-q2} * 100");
  EXPECT_EQ(ws.kpis[7].baseline, 25);  // 30 / 120 * 100

  auto named = CopyGoal(ws, ComputeRollup(ws, D("2026-03-31")), "step", "q2", "next-step");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->goals[0].id, "next-step");
  EXPECT_EQ(named->kpis[0].id, "posts-q2-2");
  EXPECT_EQ(CopyGoal(ws, r, "step", "q2", "grow").error().code, ErrorCode::kConflict);
  EXPECT_EQ(CopyGoal(ws, r, "step", "q9", "").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(CopyGoal(ws, r, "nope", "q2", "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CopyGoal(ws, r, "step", "q2", "Bad Id").error().code, ErrorCode::kInvalid);
}

// Every id a copy may get starts with its stem: `<id>-<cycle>`, cut so that a suffix up to "-"
// and ten digits still fits in 64 characters (a scoped read finds the ids taken by it).
TEST(CyclesTest, EveryIdACopyMayGetStartsWithItsStem) {
  EXPECT_EQ(CopyIdStem("grow", "q2"), "grow-q2");
  EXPECT_EQ(CopyIdStem(std::string(50, 'g'), "q2"), std::string(50, 'g') + "-q2");
  const std::string long_id(60, 'g');
  EXPECT_EQ(CopyIdStem(long_id, "q2"), std::string(53, 'g'));
  Workspace ws;
  ws.cycles = {{"q2", "Q2", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  ws.goals = {MakeGoal(long_id, "")};
  const Rollup r = ComputeRollup(ws, D("2026-03-31"));
  for (const char* expected : {"g-q2", "g-q-2", "g-q-3"}) {
    auto copy = CopyGoal(ws, r, long_id, "q2", "");
    ASSERT_TRUE(copy.ok()) << copy.error().message;
    const std::string& id = copy->goals[0].id;
    EXPECT_LE(id.size(), 64u);
    EXPECT_TRUE(id.starts_with(CopyIdStem(long_id, "q2"))) << id;
    EXPECT_TRUE(id.ends_with(expected)) << id;
  }
}

}  // namespace
}  // namespace cascade

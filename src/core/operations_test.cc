#include "core/operations.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "core/entity_operations.h"
#include "core/incremental_rollup.h"
#include "core/validate.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, std::string team, std::string owner, std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id;
  g.team = std::move(team);
  g.owner = std::move(owner);
  g.parent = std::move(parent);
  g.level = g.parent.empty() ? Level::kMacro : Level::kMicro;
  g.version = 1;
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, KpiKind kind = KpiKind::kLevel) {
  Kpi k;
  k.id = std::move(id);
  k.goal = std::move(goal);
  k.name = "KPI " + k.id;
  k.kind = kind;
  k.target = kind == KpiKind::kMilestone ? 1 : 100;
  k.version = 2;
  return k;
}

Checkin MakeCheckin(std::string kpi, const char* date, double value, std::string author = "") {
  Checkin c;
  c.kpi = std::move(kpi);
  c.date = D(date);
  c.value = value;
  c.author = std::move(author);
  return c;
}

Action MakeAction(std::string id, std::string goal, std::vector<std::string> deps = {}) {
  Action a;
  a.id = std::move(id);
  a.goal = std::move(goal);
  a.title = "Action " + a.id;
  a.depends_on = std::move(deps);
  a.version = 1;
  return a;
}

// company → marketing → social; brand (marketing) → followers (social, owned by sam) → clips;
// revenue (company, owned by rae). lee leads marketing, sam is a member of social, vic views.
Workspace Org() {
  Workspace ws;
  ws.teams = {{"company", "Company", "", 1},
              {"marketing", "Marketing", "company", 1},
              {"social", "Social", "marketing", 1},
              {"spare-team", "Spare", "", 1}};
  ws.people = {{"lee", "Lee", "", "marketing", Role::kLead, 1},
               {"sam", "Sam", "", "social", Role::kMember, 1},
               {"rae", "Rae", "", "company", Role::kMember, 1},
               {"vic", "Vic", "", "", Role::kViewer, 1},
               {"spare", "Spare", "", "", Role::kMember, 1}};
  ws.goals = {MakeGoal("brand", "marketing", "lee"), MakeGoal("followers", "social", "sam", "brand"),
              MakeGoal("clips", "", "", "followers"), MakeGoal("revenue", "company", "rae")};
  ws.kpis = {MakeKpi("reach", "brand"), MakeKpi("fans", "followers"),
             MakeKpi("launched", "followers", KpiKind::kMilestone), MakeKpi("deals", "revenue")};
  ws.actions = {MakeAction("brief", "followers"), MakeAction("shoot", "followers", {"brief"}),
                MakeAction("pitch", "revenue")};
  Experiment x;
  x.id = "landing";
  x.goal = "followers";
  x.name = "Landing page";
  x.control = {100, 10};
  x.variant = {100, 12};
  x.version = 1;
  ws.experiments = {x};
  ws.funnels = {{"pipeline", "Pipeline", {"reach", "deals"}, 1}};
  return ws;
}

Principal Who(const char* account, Role role, const char* person, const char* team) {
  return Principal{account, role, person, team};
}

// The errors and changes the whole-workspace path gives for the same edit: the operations must
// give the same first error and the same ChangeSet.
struct Fixture : ::testing::Test {
  Workspace ws = Org();
  WorkspaceIndex index{ws};
  OperationContext cli{ws, index, nullptr};
};

using AppendCheckinsTest = Fixture;

TEST_F(AppendCheckinsTest, AppendsWithSeqZeroAndTouchesNothingElse) {
  Checkin c = MakeCheckin("fans", "2026-02-01", 120, "sam");
  c.seq = 99;  // whatever the caller left there, a new check-in has none yet
  auto changes = AppendCheckins(cli, {c});
  ASSERT_TRUE(changes) << changes.error().message;
  ASSERT_EQ(changes->checkins.size(), 1u);
  c.seq = 0;
  EXPECT_EQ(changes->checkins[0], c);
  EXPECT_TRUE(changes->changes.empty());
  EXPECT_TRUE(changes->comments.empty());
}

TEST_F(AppendCheckinsTest, EqualsTheWholeWorkspaceDiff) {
  const std::vector<Checkin> rows = {MakeCheckin("fans", "2026-02-01", 120, "sam"),
                                     MakeCheckin("launched", "2026-02-02", 1, "sam")};
  Workspace next = ws;
  next.checkins.insert(next.checkins.end(), rows.begin(), rows.end());
  ASSERT_TRUE(ValidateWorkspace(next).empty());
  const ChangeSet expected = DiffWorkspaces(ws, next);
  auto changes = AppendCheckins(cli, rows);
  ASSERT_TRUE(changes);
  EXPECT_EQ(changes->checkins, expected.checkins);
}

TEST_F(AppendCheckinsTest, RefusesWhatValidationRefusesWithItsFirstError) {
  Checkin long_note = MakeCheckin("fans", "2026-02-01", 1);
  long_note.note = std::string(kMaxTextChars + 1, 'x');
  Checkin bad_utf8 = MakeCheckin("fans", "2026-02-01", 1);
  bad_utf8.author = "\xff";
  const std::vector<std::vector<Checkin>> cases = {
      {MakeCheckin("nope", "2026-02-01", 1)},
      {MakeCheckin("fans", "1800-01-01", 1)},
      {MakeCheckin("fans", "2026-02-01", 2e15)},
      {MakeCheckin("launched", "2026-02-01", 0.5)},
      {long_note},
      {bad_utf8},
      // Structural errors of any row come before text errors of an earlier one, as in
      // ValidateWorkspace.
      {long_note, MakeCheckin("launched", "2026-02-01", 3)},
  };
  for (const auto& rows : cases) {
    Workspace next = ws;
    next.checkins.insert(next.checkins.end(), rows.begin(), rows.end());
    const Errors expected = ValidateWorkspace(next);
    ASSERT_FALSE(expected.empty());
    auto changes = AppendCheckins(cli, rows);
    ASSERT_FALSE(changes) << rows.front().kpi;
    EXPECT_EQ(changes.error().message, expected.front().message);
    EXPECT_EQ(changes.error().code, expected.front().code);
    EXPECT_EQ(changes.error().field, expected.front().field);
    EXPECT_EQ(changes.error().kind, expected.front().kind);
    EXPECT_EQ(changes.error().id, expected.front().id);
  }
}

TEST_F(AppendCheckinsTest, ExactMessages) {
  auto unknown = AppendCheckins(cli, {MakeCheckin("nope", "2026-02-01", 1)});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(unknown.error().message,
            "check-in of 2026-02-01 for KPI 'nope': KPI 'nope' does not exist; a check-in must "
            "name an existing KPI");
  EXPECT_EQ(unknown.error().field, "kpi");
  auto milestone = AppendCheckins(cli, {MakeCheckin("launched", "2026-02-01", 0.5)});
  ASSERT_FALSE(milestone);
  EXPECT_EQ(milestone.error().message,
            "check-in of 2026-02-01 for KPI 'launched': value 0.5 is not allowed; a milestone "
            "takes 0 (not done) or 1 (done)");
  EXPECT_EQ(milestone.error().field, "value");
}

TEST_F(AppendCheckinsTest, ChecksRightsAgainstTheGoalChain) {
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  const Principal rae = Who("rae", Role::kMember, "rae", "company");
  const Principal vic = Who("vic", Role::kViewer, "vic", "");
  // sam's team holds followers.
  EXPECT_TRUE(AppendCheckins({ws, index, &sam}, {MakeCheckin("fans", "2026-02-01", 1, "sam")}));
  // lee leads marketing, above social.
  EXPECT_TRUE(AppendCheckins({ws, index, &lee}, {MakeCheckin("fans", "2026-02-01", 1, "lee")}));
  // rae is a member of company: the sub-teams are a lead's.
  auto refused = AppendCheckins({ws, index, &rae}, {MakeCheckin("fans", "2026-02-01", 1, "rae")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().message,
            "rae is a member: members may check in, record spend and change "
            "comments only on goals they own, contribute to or their team holds, and comment on "
            "any goal; goal 'followers' belongs to team 'social' and is owned by 'sam'");
  EXPECT_EQ(refused.error().kind, "checkin");
  EXPECT_EQ(refused.error().id, "fans");
  // Only an admin records as someone else.
  auto forged = AppendCheckins({ws, index, &sam}, {MakeCheckin("fans", "2026-02-01", 1, "lee")});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(forged.error().field, "author");
  auto viewer = AppendCheckins({ws, index, &vic}, {MakeCheckin("fans", "2026-02-01", 1, "vic")});
  ASSERT_FALSE(viewer);
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
  // The same answers as AuthorizeChanges on the whole workspace.
  for (const Principal* who : {&sam, &lee, &rae, &vic}) {
    ChangeSet whole;
    whole.checkins = {MakeCheckin("fans", "2026-02-01", 1, who->person)};
    auto expected = AuthorizeChanges(ws, whole, *who);
    auto got = AppendCheckins({ws, index, who}, whole.checkins);
    ASSERT_EQ(static_cast<bool>(got), static_cast<bool>(expected)) << who->account;
    if (!got) {
      EXPECT_EQ(got.error().message, expected.error().message);
    }
  }
  // clips has no team: it is held by followers' team, up the chain.
  ws.kpis.push_back(MakeKpi("cuts", "clips"));
  const WorkspaceIndex again(ws);
  EXPECT_TRUE(AppendCheckins({ws, again, &sam}, {MakeCheckin("cuts", "2026-02-01", 1, "sam")}));
}

using AddCommentTest = Fixture;

Comment MakeComment(std::string goal, std::string text, std::string author = "sam") {
  Comment c;
  c.goal = std::move(goal);
  c.text = std::move(text);
  c.author = std::move(author);
  c.date = D("2026-02-01");
  return c;
}

TEST_F(AddCommentTest, AddsOne) {
  auto changes = AddComment(cli, MakeComment("followers", "Great start"));
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->comments.size(), 1u);
  EXPECT_EQ(changes->comments[0], MakeComment("followers", "Great start"));
}

TEST_F(AddCommentTest, Refusals) {
  auto unknown = AddComment(cli, MakeComment("nope", "hi"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalid);  // a reference of the comment
  EXPECT_EQ(unknown.error().message, "goal 'nope' does not exist");
  EXPECT_EQ(unknown.error().field, "goal");
  auto empty = AddComment(cli, MakeComment("followers", " \t"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "the comment is empty; write what you want to say");
  EXPECT_EQ(empty.error().field, "text");
  Comment old = MakeComment("followers", "hi");
  old.date = D("1800-01-01");
  auto dated = AddComment(cli, old);
  ASSERT_FALSE(dated);
  Workspace next = ws;
  next.comments.push_back(old);
  EXPECT_EQ(dated.error().message, ValidateWorkspace(next).front().message);
  auto too_long = AddComment(cli, MakeComment("followers", std::string(kMaxTextChars + 1, 'x')));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().message,
            "comment on goal 'followers': text is 10001 characters long; text may hold at most "
            "10000 characters");
  // Every account may comment on any goal, as itself; not as someone else.
  const Principal vic = Who("vic", Role::kViewer, "vic", "");
  EXPECT_TRUE(AddComment({ws, index, &vic}, MakeComment("revenue", "Why?", "vic")));
  auto forged = AddComment({ws, index, &vic}, MakeComment("revenue", "Why?", "rae"));
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(forged.error().field, "author");
}

using RemoveTest = Fixture;

TEST_F(RemoveTest, GoalGoesWithItsKpisActionsAndExperimentsInDiffOrder) {
  ws.goals.erase(ws.goals.begin() + 2);  // clips, so that followers has no child
  ws.kpis.push_back(MakeKpi("late", "revenue"));
  const WorkspaceIndex again(ws);
  auto changes = RemoveGoal({ws, again, nullptr}, "followers");
  ASSERT_TRUE(changes) << changes.error().message;
  Workspace next = ws;
  erase_if(next.goals, [](const Goal& g) { return g.id == "followers"; });
  erase_if(next.kpis, [](const Kpi& k) { return k.goal == "followers"; });
  erase_if(next.actions, [](const Action& a) { return a.goal == "followers"; });
  erase_if(next.experiments, [](const Experiment& e) { return e.goal == "followers"; });
  ASSERT_TRUE(ValidateWorkspace(next).empty());
  const ChangeSet expected = DiffWorkspaces(ws, next);
  ASSERT_EQ(changes->changes.size(), expected.changes.size());
  std::vector<std::string> got_ids, expected_ids;
  for (size_t i = 0; i < expected.changes.size(); ++i) {
    EXPECT_EQ(changes->changes[i].op, EntityChange::Op::kDelete);
    EXPECT_EQ(changes->changes[i].before, expected.changes[i].before);
    got_ids.push_back(EntityId(*changes->changes[i].before));
  }
  // Children first: the experiment, the actions (shoot before brief, which it depends on), the
  // KPIs in reverse, the goal.
  EXPECT_EQ(got_ids, (std::vector<std::string>{"landing", "shoot", "brief", "launched", "fans",
                                               "followers"}));
}

TEST_F(RemoveTest, GoalRefusals) {
  auto unknown = RemoveGoal(cli, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "goal 'nope' does not exist");
  auto stale = RemoveGoal(cli, "revenue", 7);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message,
            "goal 'revenue' was changed by someone else (it is at version 1); reload it and try "
            "again");
  EXPECT_EQ(stale.error().field, "version");
  auto parent = RemoveGoal(cli, "followers");
  ASSERT_FALSE(parent);
  EXPECT_EQ(parent.error().code, ErrorCode::kConflict);
  EXPECT_EQ(parent.error().message,
            "goal 'followers' has child goal 'clips'; remove or move its children first, or "
            "cancel it instead");
  // The funnel-stage rule: one refusal, from the CLI and the API alike.
  auto stage = RemoveGoal(cli, "revenue", 1);
  ASSERT_FALSE(stage);
  EXPECT_EQ(stage.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stage.error().message,
            "goal 'revenue': its kpi 'deals' is a stage of funnel 'pipeline'; change the funnel "
            "first, or cancel the goal instead");
  EXPECT_EQ(stage.error().field, "id");
  // An action of another goal depending on one removed.
  ws.funnels.clear();
  ws.actions.push_back(MakeAction("follow-up", "brand", {"pitch"}));
  const WorkspaceIndex again(ws);
  auto dangling = RemoveGoal({ws, again, nullptr}, "revenue");
  ASSERT_FALSE(dangling);
  EXPECT_EQ(dangling.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(dangling.error().message,
            "action 'follow-up': depends_on 'pitch' does not exist; list ids of existing actions");
  EXPECT_EQ(dangling.error().field, "depends_on");
}

// What refers to a goal or KPI removed is found by a scan (the command line) or in the goal links
// (the server): the same refusal either way.
TEST_F(RemoveTest, WhatStillRefersToItIsRefusedTheSameWithOrWithoutLinks) {
  ws.goals.erase(ws.goals.begin() + 2);  // clips, so that followers has no child
  ws.funnels.clear();
  const auto refusals = [](const Workspace& w, const std::string& goal, const std::string& kpi) {
    const WorkspaceIndex index(w);
    const GoalLinks links(w, index);
    std::vector<std::string> out;
    for (const GoalLinks* with : {static_cast<const GoalLinks*>(nullptr), &links}) {
      const OperationContext at{w, index, nullptr, with};
      auto g = RemoveGoal(at, goal);
      out.push_back(g ? "removed" : g.error().message);
      auto k = RemoveKpi(at, kpi);
      out.push_back(k ? "removed" : k.error().message);
    }
    EXPECT_EQ(out[0], out[2]);
    EXPECT_EQ(out[1], out[3]);
    return std::vector<std::string>{out[0], out[1]};
  };
  EXPECT_EQ(refusals(ws, "followers", "fans"),
            (std::vector<std::string>{"removed", "removed"}));
  Workspace supported = ws;
  supported.goals[2].supports = {"followers"};  // revenue
  EXPECT_EQ(refusals(supported, "followers", "fans")[0],
            "goal 'followers' is supported by goal 'revenue'; remove it from that goal's supports "
            "first, or cancel it instead");
  Workspace benchmarked = ws;
  benchmarked.kpis.push_back(MakeKpi("own", "followers"));  // in the goal removed: no matter
  benchmarked.kpis.back().benchmark_for = "fans";
  benchmarked.kpis.push_back(MakeKpi("industry", "revenue"));
  benchmarked.kpis.back().benchmark_for = "fans";
  EXPECT_EQ(refusals(benchmarked, "followers", "fans"),
            (std::vector<std::string>{
                "goal 'followers': its kpi 'fans' is read by kpi 'industry', which is a benchmark "
                "for it; change that KPI first, or cancel the goal instead",
                "kpi 'fans' is still used: kpi 'own' is a benchmark for it; change or remove that "
                "KPI first"}));
  Workspace read = ws;
  read.kpis.push_back(MakeKpi("ratio", "revenue", KpiKind::kFormula));
  read.kpis.back().formula = "{deals} / {fans}";
  EXPECT_EQ(refusals(read, "followers", "fans"),
            (std::vector<std::string>{
                "goal 'followers': its kpi 'fans' is read by kpi 'ratio', which reads it in its "
                "formula; change that KPI first, or cancel the goal instead",
                "kpi 'fans' is still used: kpi 'ratio' reads it in its formula; change or remove "
                "that KPI first"}));
}

TEST_F(RemoveTest, GoalRights) {
  ws.goals.erase(ws.goals.begin() + 2);
  ws.funnels.clear();
  const WorkspaceIndex again(ws);
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  EXPECT_TRUE(RemoveGoal({ws, again, &lee}, "followers"));
  auto member = RemoveGoal({ws, again, &sam}, "followers");
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kForbidden);
  auto out_of_reach = RemoveGoal({ws, again, &lee}, "revenue");
  ASSERT_FALSE(out_of_reach);
  EXPECT_EQ(out_of_reach.error().code, ErrorCode::kForbidden);
  // A goal with children that lee may not delete: forbidden, not "remove its children first".
  ws.goals.push_back(MakeGoal("deal-flow", "sales", "rae", "revenue"));
  const WorkspaceIndex with_child(ws);
  auto parent = RemoveGoal({ws, with_child, &lee}, "revenue");
  ASSERT_FALSE(parent);
  EXPECT_EQ(parent.error().code, ErrorCode::kForbidden);
  ws.goals.pop_back();
  // The refusal names the goal asked for (not revenue's action the delete takes with it), as the
  // whole-workspace path does.
  EXPECT_EQ(out_of_reach.error().kind, "goal");
  EXPECT_EQ(out_of_reach.error().id, "revenue");
  Workspace next = ws;
  erase_if(next.goals, [](const Goal& g) { return g.id == "revenue"; });
  erase_if(next.kpis, [](const Kpi& k) { return k.goal == "revenue"; });
  erase_if(next.actions, [](const Action& a) { return a.goal == "revenue"; });
  auto whole = AuthorizeChanges(ws, DiffWorkspaces(ws, next), lee);
  ASSERT_FALSE(whole);
  EXPECT_EQ(out_of_reach.error().message, whole.error().message);
}

TEST_F(RemoveTest, Kpi) {
  auto changes = RemoveKpi(cli, "fans", 2);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->changes.size(), 1u);
  EXPECT_EQ(changes->changes[0].op, EntityChange::Op::kDelete);
  EXPECT_EQ(std::get<Kpi>(*changes->changes[0].before), ws.kpis[1]);
  auto stage = RemoveKpi(cli, "reach");
  ASSERT_FALSE(stage);
  EXPECT_EQ(stage.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stage.error().message,
            "kpi 'reach' is a stage of funnel 'pipeline'; change the funnel first");
  auto unknown = RemoveKpi(cli, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "kpi 'nope' does not exist");
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  auto member = RemoveKpi({ws, index, &sam}, "fans");
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kForbidden);
  // Who may not delete it is told so before being told what stands in the way.
  auto member_stage = RemoveKpi({ws, index, &sam}, "reach");
  ASSERT_FALSE(member_stage);
  EXPECT_EQ(member_stage.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(member_stage.error().id, "reach");
}

TEST_F(RemoveTest, TeamsAndPeopleStillUsedAreKept) {
  EXPECT_EQ(FirstReferrer(ws, "marketing", true), "team 'social' (parent)");
  EXPECT_EQ(FirstReferrer(ws, "sam", false), "goal 'followers' (owner)");
  EXPECT_EQ(FirstReferrer(ws, "spare", false), "");
  auto used = RemoveTeam(cli, "social");
  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().code, ErrorCode::kConflict);
  EXPECT_EQ(used.error().message,
            "team 'social' is still used by person 'sam' (team); change or remove that first");
  auto person = RemovePerson(cli, "rae");
  ASSERT_FALSE(person);
  EXPECT_EQ(person.error().message,
            "person 'rae' is still used by goal 'revenue' (owner); change or remove that first");
  auto team = RemoveTeam(cli, "spare-team");
  ASSERT_TRUE(team);
  ASSERT_EQ(team->changes.size(), 1u);
  EXPECT_EQ(std::get<Team>(*team->changes[0].before).id, "spare-team");
  auto spare = RemovePerson(cli, "spare", 1);
  ASSERT_TRUE(spare);
  EXPECT_EQ(std::get<Person>(*spare->changes[0].before).id, "spare");
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  auto lead = RemoveTeam({ws, index, &lee}, "spare-team");
  ASSERT_FALSE(lead);
  EXPECT_EQ(lead.error().code, ErrorCode::kForbidden);
  auto lead_used = RemoveTeam({ws, index, &lee}, "social");  // still used, and not lee's to remove
  ASSERT_FALSE(lead_used);
  EXPECT_EQ(lead_used.error().code, ErrorCode::kForbidden);
  auto lead_person = RemovePerson({ws, index, &lee}, "rae");
  ASSERT_FALSE(lead_person);
  EXPECT_EQ(lead_person.error().code, ErrorCode::kForbidden);
  auto unknown = RemovePerson(cli, "nobody");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "person 'nobody' does not exist");
}

TEST_F(RemoveTest, ActionAndWhatDependsOnIt) {
  ws.actions.push_back(MakeAction("post", "followers", {"shoot", "brief"}));
  const WorkspaceIndex again(ws);
  auto changes = RemoveAction({ws, again, nullptr}, "brief", 1);
  ASSERT_TRUE(changes) << changes.error().message;
  Workspace next = ws;
  erase_if(next.actions, [](const Action& a) { return a.id == "brief"; });
  for (Action& a : next.actions) std::erase(a.depends_on, "brief");
  ASSERT_TRUE(ValidateWorkspace(next).empty());
  const ChangeSet expected = DiffWorkspaces(ws, next);
  ASSERT_EQ(changes->changes.size(), 3u);
  ASSERT_EQ(expected.changes.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(changes->changes[i].op, expected.changes[i].op);
    EXPECT_EQ(changes->changes[i].before, expected.changes[i].before);
    EXPECT_EQ(changes->changes[i].after, expected.changes[i].after);
  }
  EXPECT_EQ(std::get<Action>(*changes->changes[0].after).depends_on, std::vector<std::string>{});
  EXPECT_EQ(std::get<Action>(*changes->changes[1].after).depends_on,
            std::vector<std::string>{"shoot"});
  EXPECT_EQ(changes->changes[2].op, EntityChange::Op::kDelete);
  auto stale = RemoveAction({ws, again, nullptr}, "brief", 4);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  auto unknown = RemoveAction(cli, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "action 'nope' does not exist");
  // A lead of another team may not take the step out of followers' plan.
  const Principal cole = Who("cole", Role::kLead, "cole", "spare-team");
  auto refused = RemoveAction({ws, again, &cole}, "brief");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
}

TEST_F(RemoveTest, MarkActionDone) {
  auto changes = MarkActionDone(cli, "brief");
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->changes.size(), 1u);
  EXPECT_EQ(changes->changes[0].op, EntityChange::Op::kUpdate);
  EXPECT_FALSE(std::get<Action>(*changes->changes[0].before).done);
  EXPECT_TRUE(std::get<Action>(*changes->changes[0].after).done);
  ws.actions[0].done = true;
  auto again = MarkActionDone(cli, "brief");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  EXPECT_TRUE(again->unchanged.empty());
  // Changing nothing still needs the right to change it.
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  auto member = MarkActionDone({ws, index, &sam}, "brief");
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kForbidden);
  auto unknown = MarkActionDone(cli, "nope");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "action 'nope' does not exist");
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

Spend MakeSpend(std::string goal, const char* date, double amount, std::string author = "") {
  return Spend{0, std::move(goal), D(date), amount, "", std::move(author)};
}

using AppendSpendTest = Fixture;

TEST_F(AppendSpendTest, AppendsWithSeqZeroAndEqualsTheWholeWorkspaceDiff) {
  Spend s = MakeSpend("followers", "2026-02-01", -12.5, "sam");
  s.seq = 7;
  auto changes = AppendSpend(cli, {s});
  ASSERT_TRUE(changes) << changes.error().message;
  ASSERT_EQ(changes->spend.size(), 1u);
  EXPECT_EQ(changes->spend[0].seq, 0);
  EXPECT_EQ(changes->spend[0].amount, -12.5);
  EXPECT_TRUE(changes->changes.empty() && changes->checkins.empty());
  Workspace after = ws;
  after.spend.push_back(changes->spend[0]);
  EXPECT_TRUE(ValidateWorkspace(after).empty());
  EXPECT_EQ(DiffWorkspaces(ws, after).spend, changes->spend);
}

TEST_F(AppendSpendTest, RefusesWithValidationsFirstError) {
  const struct {
    Spend spend;
    ErrorCode code;
    const char* field;
    const char* message;
  } cases[] = {
      {MakeSpend("nope", "2026-02-01", 5), ErrorCode::kInvalid, "goal",
       "spend of 2026-02-01 on goal 'nope': goal 'nope' does not exist; spend must name an "
       "existing goal"},
      {MakeSpend("followers", "2026-02-01", 0), ErrorCode::kInvalid, "amount",
       "spend of 2026-02-01 on goal 'followers': amount 0 is not allowed; give the amount spent "
       "(negative for a refund or a correction)"},
      {MakeSpend("followers", "2026-02-01", std::numeric_limits<double>::infinity()),
       ErrorCode::kInvalid, "amount", "amount infinity is not allowed"},
      {MakeSpend("followers", "2026-02-01", 2e15), ErrorCode::kInvalid, "amount", "amount"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    auto r = AppendSpend(cli, {MakeSpend("followers", "2026-01-01", 1), c.spend});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().kind, "spend");
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
    Workspace after = ws;
    after.spend.push_back(c.spend);
    const Errors whole = ValidateWorkspace(after);
    ASSERT_FALSE(whole.empty());
    EXPECT_EQ(whole.front().message, r.error().message);
  }
}

TEST_F(AppendSpendTest, ChecksRightsAsForCheckins) {
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  const Principal rae = Who("rae", Role::kMember, "rae", "company");
  const Principal vic = Who("vic", Role::kViewer, "vic", "");
  const Principal admin = Who("root", Role::kAdmin, "", "");
  EXPECT_TRUE(AppendSpend({ws, index, &sam}, {MakeSpend("followers", "2026-02-01", 1, "sam")}));
  EXPECT_TRUE(AppendSpend({ws, index, &lee}, {MakeSpend("clips", "2026-02-01", 1, "lee")}));
  EXPECT_TRUE(AppendSpend({ws, index, &admin}, {MakeSpend("revenue", "2026-02-01", 1, "sam")}));
  auto refused = AppendSpend({ws, index, &rae}, {MakeSpend("followers", "2026-02-01", 1, "rae")});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(refused.error().message,
            "rae is a member: members may check in, record spend and change "
            "comments only on goals they own, contribute to or their team holds, and comment on "
            "any goal; goal 'followers' belongs to team 'social' and is owned by 'sam'");
  EXPECT_EQ(refused.error().kind, "spend");
  EXPECT_EQ(refused.error().id, "followers");
  auto forged = AppendSpend({ws, index, &sam}, {MakeSpend("followers", "2026-02-01", 1, "lee")});
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(forged.error().field, "author");
  auto viewer = AppendSpend({ws, index, &vic}, {MakeSpend("followers", "2026-02-01", 1, "vic")});
  ASSERT_FALSE(viewer);
  EXPECT_EQ(viewer.error().code, ErrorCode::kForbidden);
}

// Every account may comment, viewers included, with any kind (spec §1, §6).
TEST_F(AppendSpendTest, AViewerMayCommentOfAnyKindButNotSpend) {
  const Principal vic = Who("vic", Role::kViewer, "vic", "");
  for (CommentKind kind : {CommentKind::kComment, CommentKind::kLesson, CommentKind::kDecision}) {
    Comment c{0, "revenue", "vic", D("2026-02-01"), "We should try video", kind};
    auto r = AddComment({ws, index, &vic}, c);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->comments.size(), 1u);
    EXPECT_EQ(r->comments[0].kind, kind);
  }
}

// Spec §2: an action cannot be marked done while one it depends on is open; the refusal names it.
TEST_F(RemoveTest, MarkActionDoneWaitsForWhatItDependsOn) {
  ws.actions.push_back(MakeAction("post", "followers", {"shoot", "brief"}));
  const WorkspaceIndex again(ws);
  const OperationContext at{ws, again, nullptr};
  auto refused = MarkActionDone(at, "shoot");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().field, "done");
  EXPECT_EQ(refused.error().message,
            "action 'shoot' cannot be marked done while 'brief', which it depends on, is open; "
            "mark it done first");
  auto both = MarkActionDone(at, "post");
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().message,
            "action 'post' cannot be marked done while 'shoot' and 'brief', which it depends on, "
            "are open; mark them done first");
  ws.actions[0].done = true;  // brief
  auto allowed = MarkActionDone(at, "shoot");
  ASSERT_TRUE(allowed) << allowed.error().message;
  ASSERT_EQ(allowed->changes.size(), 1u);
  EXPECT_TRUE(std::get<Action>(*allowed->changes[0].after).done);
}

// The same rule over a whole edit (a plan, an API update): only actions turning done are checked,
// against the workspace the edit leaves, so marking an action and its dependency done together is
// fine and a workspace stored before the rule keeps working.
TEST(ValidateActionsDoneTest, ChecksActionsTurningDoneAgainstTheResult) {
  Workspace before;
  before.actions = {MakeAction("brief", "g"), MakeAction("shoot", "g", {"brief"})};
  Workspace after = before;
  after.actions[1].done = true;
  Errors errors = ValidateActionsDone(before, after);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::kConflict);
  EXPECT_EQ(errors[0].kind, "action");
  EXPECT_EQ(errors[0].id, "shoot");
  EXPECT_EQ(errors[0].field, "done");
  EXPECT_EQ(errors[0].message,
            "action 'shoot' cannot be marked done while 'brief', which it depends on, is open; "
            "mark it done first");
  after.actions[0].done = true;
  EXPECT_TRUE(ValidateActionsDone(before, after).empty());
  // Created done with an open dependency: refused as well.
  Workspace empty;
  Workspace created;
  created.actions = {MakeAction("brief", "g"), MakeAction("shoot", "g", {"brief"})};
  created.actions[1].done = true;
  EXPECT_EQ(ValidateActionsDone(empty, created).size(), 1u);
  // Already done before the edit (stored before the rule): left alone.
  EXPECT_TRUE(ValidateActionsDone(created, created).empty());
}


TEST_F(RemoveTest, FunnelsExperimentsAndCyclesNoGoalIsIn) {
  ws.cycles = {{"q1", "Q1", D("2026-01-01"), D("2026-03-31"), CycleState::kOpen, 1},
               {"q2", "Q2", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  ws.goals[3].cycle = "q1";
  const WorkspaceIndex idx(ws);
  const OperationContext at{ws, idx, nullptr};
  auto held = RemoveCycle(at, "q1");
  ASSERT_FALSE(held);
  EXPECT_EQ(held.error().code, ErrorCode::kConflict);
  EXPECT_EQ(held.error().message,
            "cycle 'q1' cannot be deleted: goal 'revenue' is in it; move its goals to another "
            "cycle (or none) first");
  for (auto [removed, gone] : {std::pair{RemoveCycle(at, "q2", 1), Entity(ws.cycles[1])},
                               std::pair{RemoveFunnel(at, "pipeline"), Entity(ws.funnels[0])},
                               std::pair{RemoveExperiment(at, "landing"), Entity(ws.experiments[0])}}) {
    ASSERT_TRUE(removed) << removed.error().message;
    ASSERT_EQ(removed->changes.size(), 1u);
    EXPECT_EQ(removed->changes[0].op, EntityChange::Op::kDelete);
    EXPECT_EQ(removed->changes[0].before, gone);
  }
  EXPECT_EQ(RemoveFunnel(at, "nope").error().message, "funnel 'nope' does not exist");
  EXPECT_EQ(RemoveExperiment(at, "landing", 4).error().field, "version");
  // An experiment is its goal's: sam (a member) may not remove it, lee (who leads above) may.
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  EXPECT_EQ(RemoveExperiment({ws, idx, &sam}, "landing").error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(RemoveExperiment({ws, idx, &lee}, "landing"));
  EXPECT_EQ(RemoveFunnel({ws, idx, &lee}, "pipeline").error().code, ErrorCode::kForbidden);
  // A cycle with a goal in it: sam may not delete it at all, and is told that first.
  EXPECT_EQ(RemoveCycle({ws, idx, &sam}, "q1").error().code, ErrorCode::kForbidden);
  // A closed cycle's goal: who may not delete it hears that, not "reopen the cycle first".
  ws.cycles[0].state = CycleState::kClosed;
  const WorkspaceIndex closed(ws);
  EXPECT_EQ(RemoveGoal({ws, closed, &sam}, "revenue").error().code, ErrorCode::kForbidden);
  EXPECT_EQ(RemoveGoal({ws, closed, nullptr}, "revenue").error().code, ErrorCode::kConflict);
}

// ---- Corrections of stored records ----

struct CorrectionTest : Fixture {
  CorrectionTest() {
    ws.checkins = {MakeCheckin("fans", "2026-02-01", 120, "sam"),
                   MakeCheckin("launched", "2026-02-02", 0, "sam"),
                   MakeCheckin("deals", "2026-02-03", 4, "rae")};
    for (size_t i = 0; i < ws.checkins.size(); ++i) ws.checkins[i].seq = 10 + i;
    ws.comments = {{.seq = 20, .goal = "followers", .author = "sam", .date = D("2026-02-04"),
                    .text = "Going well", .kind = CommentKind::kComment}};
    ws.spend = {{.seq = 30, .goal = "revenue", .date = D("2026-02-05"), .amount = 500,
                 .note = "", .author = "rae"}};
  }
};

TEST_F(CorrectionTest, EachGivesTheWholeWorkspaceDiff) {
  auto corrected = CorrectCheckin(cli, "10", [](Checkin& c) -> Result<void> {
    c.value = 150;
    c.kpi = "reach";  // a correction keeps the KPI
    c.seq = 99;       // and the seq
    return Ok();
  });
  ASSERT_TRUE(corrected) << corrected.error().message;
  Workspace next = ws;
  next.checkins[0].value = 150;
  EXPECT_EQ(corrected->checkin_changes.size(), 1u);
  EXPECT_EQ(corrected->checkin_changes[0].before, DiffWorkspaces(ws, next).checkin_changes[0].before);
  EXPECT_EQ(corrected->checkin_changes[0].after, DiffWorkspaces(ws, next).checkin_changes[0].after);

  auto removed = RemoveCheckin(cli, "12");
  ASSERT_TRUE(removed);
  ASSERT_EQ(removed->checkin_changes.size(), 1u);
  EXPECT_EQ(removed->checkin_changes[0].op, EntityChange::Op::kDelete);
  EXPECT_EQ(removed->checkin_changes[0].before, ws.checkins[2]);
  EXPECT_FALSE(removed->checkin_changes[0].after);

  auto retext = CorrectComment(cli, "20", [](Comment& c) -> Result<void> {
    c.text = "Going very well";
    c.author = "rae";  // a comment keeps its author
    return Ok();
  });
  ASSERT_TRUE(retext);
  EXPECT_EQ(retext->comment_changes.at(0).after->text, "Going very well");
  EXPECT_EQ(retext->comment_changes.at(0).after->author, "sam");
  EXPECT_EQ(RemoveComment(cli, "20")->comment_changes.at(0).before, ws.comments[0]);
  EXPECT_EQ(RemoveSpend(cli, "30")->spend_changes.at(0).before, ws.spend[0]);
}

TEST_F(CorrectionTest, RefusesAMissingSeqThenTheChangeThenValidationThenTheRight) {
  for (const char* seq : {"99", "x", "010", "20"}) {  // 20 is a comment's seq, not a check-in's
    auto missing = RemoveCheckin(cli, seq);
    ASSERT_FALSE(missing) << seq;
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(missing.error().field, "seq");
    EXPECT_EQ(missing.error().message, std::string("check-in #") + seq + " does not exist");
  }
  EXPECT_EQ(RemoveSpend(cli, "31").error().message, "spend #31 does not exist");
  auto own = CorrectCheckin(cli, "10", [](Checkin&) -> Result<void> {
    return Error::Invalid("give something", "checkin", "10", "value");
  });
  EXPECT_EQ(own.error().message, "give something");
  // A milestone takes 0 or 1: ValidateWorkspace's words for the corrected record.
  auto half = CorrectCheckin(cli, "11", [](Checkin& c) -> Result<void> {
    c.value = 0.5;
    return Ok();
  });
  ASSERT_FALSE(half);
  Workspace next = ws;
  next.checkins[1].value = 0.5;
  EXPECT_EQ(half.error().message, ValidateWorkspace(next).front().message);
  auto blank = CorrectComment(cli, "20", [](Comment& c) -> Result<void> {
    c.text = "  ";
    return Ok();
  });
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().field, "text");

  // sam reaches followers' KPIs, not revenue's; a correction that changes nothing still needs it.
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  const OperationContext as_sam{ws, index, &sam};
  const auto same = [](Checkin&) { return Ok(); };
  auto allowed = CorrectCheckin(as_sam, "10", same);
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_TRUE(allowed->empty());
  for (auto refused : {CorrectCheckin(as_sam, "12", same), RemoveCheckin(as_sam, "12"),
                       RemoveSpend(as_sam, "30")}) {
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  }
}

// ---- RecordReview ----

using RecordReviewTest = Fixture;

TEST_F(RecordReviewTest, RecordsTheSnapshotAsGivenWithValidationsFirstErrorAndTheLeadsRight) {
  Review review{.seq = 7, .date = D("2026-03-02"), .team = "social", .notes = "Good month",
                .snapshot = {{"followers", 0.5, "on_track"}}};
  auto recorded = RecordReview(cli, review);
  ASSERT_TRUE(recorded) << recorded.error().message;
  review.seq = 0;
  ASSERT_EQ(recorded->reviews.size(), 1u);
  EXPECT_EQ(recorded->reviews[0], review);
  EXPECT_TRUE(recorded->changes.empty());
  // What ValidateWorkspace refuses of the same review, its first error first: the date, then
  // the notes.
  Review bad = review;
  bad.date = D("1800-01-01");
  bad.notes = "\xff";
  Workspace next = ws;
  next.reviews.push_back(bad);
  const Errors expected = ValidateWorkspace(next);
  ASSERT_FALSE(expected.empty());
  auto refused = RecordReview(cli, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, expected.front().message);
  EXPECT_EQ(refused.error().field, "date");
  bad.date = review.date;
  refused = RecordReview(cli, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "notes");
  // lee leads marketing: social is below it; company is not.
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  const OperationContext as_lee{ws, index, &lee};
  EXPECT_TRUE(RecordReview(as_lee, review));
  review.team = "company";
  auto other = RecordReview(as_lee, review);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
}

// ---- core/entity_operations.h: create and update an entity of any kind ----

using EntityOperationsTest = Fixture;

TEST_F(EntityOperationsTest, CreateGivesTheWholeWorkspaceDiffAndRefusesATakenId) {
  Goal g = MakeGoal("reviews", "social", "sam", "brand");
  g.version = 5;  // whatever the caller left there, a new entity has none yet
  auto created = CreateEntity(cli, g);
  ASSERT_TRUE(created) << created.error().message;
  Workspace next = ws;
  g.version = 0;
  next.goals.push_back(g);
  EXPECT_EQ(created->changes, DiffWorkspaces(ws, next).changes);

  for (auto refused : {CreateEntity(cli, MakeGoal("brand", "marketing", "lee")),
                       CreateEntity(cli, MakeAction("brief", "followers"))}) {
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(refused.error().field, "id");
  }
  EXPECT_EQ(CreateEntity(cli, MakeGoal("brand", "marketing", "lee")).error().message,
            "goal 'brand' already exists; choose another id");
}

TEST_F(EntityOperationsTest, UpdateRefusesAMissingIdAndAStaleVersionNamingBoth) {
  const auto rename = [](Goal& g) -> Result<void> {
    g.title = "Renamed brand goal";
    return Ok();
  };
  auto missing = UpdateEntity<Goal>(cli, "nope", std::nullopt, rename);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "goal 'nope' does not exist");
  EXPECT_EQ(missing.error().field, "id");
  auto stale = UpdateEntity<Goal>(cli, "brand", 7, rename);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().field, "version");
  EXPECT_EQ(stale.error().message,
            "goal 'brand' was changed by someone else (it is at version 1, the request has 7); "
            "reload it and try again");
  auto current = UpdateEntity<Goal>(cli, "brand", 1, rename);
  ASSERT_TRUE(current) << current.error().message;
  ASSERT_EQ(current->changes.size(), 1u);
  EXPECT_EQ(std::get<Goal>(*current->changes[0].after).title, "Renamed brand goal");
}

TEST_F(EntityOperationsTest, UpdateKeepsTheIdAndVersionAndGivesTheWholeWorkspaceDiff) {
  auto changed = UpdateEntity<Kpi>(cli, "reach", std::nullopt, [](Kpi& k) -> Result<void> {
    k.id = "other";
    k.version = 99;
    k.baseline = 50;
    k.target_written = "+10%";  // resolved against the new baseline: 55
    return Ok();
  });
  ASSERT_TRUE(changed) << changed.error().message;
  Workspace next = ws;
  next.kpis[0].baseline = 50;
  next.kpis[0].target_written = "+10%";
  next.kpis[0].target = 55;
  EXPECT_EQ(changed->changes, DiffWorkspaces(ws, next).changes);
  // A change that leaves the entity as it was changes nothing.
  auto same = UpdateEntity<Kpi>(cli, "reach", std::nullopt, [](Kpi&) { return Ok(); });
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->empty());
}

TEST_F(EntityOperationsTest, RefusesWhatValidationRefusesWithItsFirstError) {
  // brand under clips: a cycle in the goal tree.
  auto refused = UpdateEntity<Goal>(cli, "brand", std::nullopt, [](Goal& g) -> Result<void> {
    g.parent = "clips";
    return Ok();
  });
  ASSERT_FALSE(refused);
  Workspace next = ws;
  next.goals[0].parent = "clips";
  const Errors expected = ValidateWorkspace(next);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(refused.error().message, expected.front().message);
  // An owner who is nobody: ValidateWorkspace's reference refusal.
  Action a = MakeAction("post", "followers");
  a.owner = "ghost";
  auto unknown = CreateEntity(cli, a);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(unknown.error().field, "owner");
  // What the change refuses comes first, untouched.
  auto own = UpdateEntity<Team>(cli, "social", std::nullopt, [](Team&) -> Result<void> {
    return Error::Invalid("no", "team", "social", "name");
  });
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().message, "no");
}

TEST_F(EntityOperationsTest, ChecksTheRightToMakeTheWriteEvenWhenItChangesNothing) {
  const Principal sam = Who("sam", Role::kMember, "sam", "social");
  const Principal lee = Who("lee", Role::kLead, "lee", "marketing");
  const OperationContext as_sam{ws, index, &sam};
  const OperationContext as_lee{ws, index, &lee};
  const auto retitle = [](Goal& g) -> Result<void> {
    g.title = "A new title for it";
    return Ok();
  };
  // A member edits no goal; a lead edits those of their team and its sub-teams.
  auto member = UpdateEntity<Goal>(as_sam, "followers", std::nullopt, retitle);
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(UpdateEntity<Goal>(as_lee, "followers", std::nullopt, retitle));
  auto other_team = UpdateEntity<Goal>(as_lee, "revenue", std::nullopt, retitle);
  ASSERT_FALSE(other_team);
  EXPECT_EQ(other_team.error().code, ErrorCode::kForbidden);
  // The same refusal for a write that would change nothing: it still needs the right.
  auto unchanged = UpdateEntity<Goal>(as_sam, "followers", std::nullopt,
                                      [](Goal&) { return Ok(); });
  ASSERT_FALSE(unchanged);
  EXPECT_EQ(unchanged.error().code, ErrorCode::kForbidden);
  auto create = CreateEntity(as_sam, MakeGoal("reviews", "social", "sam", "brand"));
  ASSERT_FALSE(create);
  EXPECT_EQ(create.error().code, ErrorCode::kForbidden);
}

}  // namespace
}  // namespace cascade

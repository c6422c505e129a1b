#include "core/lint.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/validate.h"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }
const Date kAsOf = D("2026-02-15");

Goal* FindGoal(Workspace& ws, std::string_view id) {
  for (Goal& g : ws.goals) {
    if (g.id == id) return &g;
  }
  ADD_FAILURE() << "no goal " << id;
  return &ws.goals[0];
}
Action* FindAction(Workspace& ws, std::string_view id) {
  for (Action& a : ws.actions) {
    if (a.id == id) return &a;
  }
  ADD_FAILURE() << "no action " << id;
  return &ws.actions[0];
}

Goal MakeGoal(std::string id, std::string title, Level level, std::string parent) {
  Goal g;
  g.id = std::move(id);
  g.title = std::move(title);
  g.level = level;
  g.parent = std::move(parent);
  g.owner = "dana";
  return g;
}

Kpi MakeKpi(std::string id, std::string goal, double target) {
  Kpi k;
  k.id = std::move(id);
  k.goal = std::move(goal);
  k.kind = KpiKind::kLevel;
  k.target = target;
  return k;
}

Action MakeAction(std::string id, std::string goal, const char* due,
                  std::vector<std::string> depends_on = {}) {
  Action a;
  a.id = std::move(id);
  a.goal = std::move(goal);
  a.title = "Do " + a.id;
  a.due = D(due);
  a.depends_on = std::move(depends_on);
  return a;
}

// A workspace lint finds nothing in, as of 2026-02-15: a macro goal over 180 days with a micro
// goal over 89 days (start inherited), both owned, with KPIs (no check-ins, so no forecasts) and
// two actions due on time.
Workspace Clean() {
  Workspace ws;
  ws.people.push_back(Person{"dana", "Dana Lee", "", "", Role::kLead, 0});
  Goal share = MakeGoal("share", "Grow market share to 20%", Level::kMacro, "");
  share.start = D("2026-01-01");
  share.due = D("2026-06-30");  // 180 days
  ws.goals.push_back(share);
  Goal followers = MakeGoal("followers", "Reach 10,000 social followers", Level::kMicro, "share");
  followers.due = D("2026-03-31");  // 89 days from the inherited 2026-01-01
  ws.goals.push_back(followers);
  ws.kpis.push_back(MakeKpi("share-pct", "share", 20));
  ws.kpis.push_back(MakeKpi("followers-count", "followers", 10000));
  ws.actions.push_back(MakeAction("plan", "followers", "2026-01-05"));
  ws.actions.push_back(MakeAction("publish", "followers", "2026-03-31", {"plan"}));
  return ws;
}

// "CODE goal[/kpi][/action]"
std::vector<std::string> Summarise(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    std::string s = f.code + " " + f.goal;
    if (!f.kpi.empty()) s += " kpi=" + f.kpi;
    if (!f.action.empty()) s += " action=" + f.action;
    out.push_back(s);
  }
  return out;
}

std::vector<Finding> Lint(const Workspace& ws, Date as_of = kAsOf) {
  return LintWorkspace(ws, ComputeRollup(ws, as_of));
}

TEST(LintTest, CleanWorkspaceHasNoFindings) {
  const Workspace ws = Clean();
  ASSERT_TRUE(ValidateWorkspace(ws).empty());
  EXPECT_EQ(Summarise(Lint(ws)), std::vector<std::string>{});
  EXPECT_TRUE(Lint(Workspace{}).empty());
}

void AddCheckin(Workspace& ws, const char* kpi, const char* date, double value) {
  Checkin c;
  c.kpi = kpi;
  c.date = D(date);
  c.value = value;
  ws.checkins.push_back(c);
}

TEST(LintTest, EachRuleFiresAndDoesNot) {
  const struct {
    const char* name;
    std::function<void(Workspace&)> mutate;
    std::vector<std::string> findings;
  } cases[] = {
      // S1
      {"S1 no owner", [](Workspace& w) { FindGoal(w, "share")->owner = ""; }, {"S1 share"}},
      // S2
      {"S2 two words", [](Workspace& w) { FindGoal(w, "followers")->title = "  More \t followers "; },
       {"S2 followers"}},
      // An empty title is refused before lint (ValidateWorkspace); one word is the shortest.
      {"S2 one word", [](Workspace& w) { FindGoal(w, "followers")->title = "Followers"; },
       {"S2 followers"}},
      {"B1 spent over budget_max",
       [](Workspace& w) {
         FindGoal(w, "followers")->budget_max = 1000;
         w.spend.push_back(Spend{0, "followers", D("2026-01-10"), 700, "", ""});
         w.spend.push_back(Spend{0, "followers", D("2026-02-01"), 300.5, "", ""});
       },
       {"B1 followers"}},
      {"B1 spent exactly budget_max does not fire",
       [](Workspace& w) {
         FindGoal(w, "followers")->budget_max = 1000;
         w.spend.push_back(Spend{0, "followers", D("2026-01-10"), 1000, "", ""});
         w.spend.push_back(Spend{0, "followers", D("2026-03-01"), 5, "", ""});  // after t
       },
       {}},
      {"S2 three words do not fire",
       [](Workspace& w) { FindGoal(w, "followers")->title = "Get\tmore\nfollowers"; }, {}},
      // M1
      {"M1 no KPI, no child", [](Workspace& w) { w.kpis.pop_back(); }, {"M1 followers"}},
      {"M1 not with an active child", [](Workspace& w) { w.kpis.erase(w.kpis.begin()); }, {}},
      {"M1 a draft child does not count",
       [](Workspace& w) {
         w.kpis.erase(w.kpis.begin());
         FindGoal(w, "followers")->state = GoalState::kDraft;
       },
       {"M1 share"}},
      {"M1 not for drafts",
       [](Workspace& w) {
         w.kpis.pop_back();
         FindGoal(w, "followers")->state = GoalState::kDraft;
       },
       {}},
      // A1: share runs 2026-01-01 → 2026-06-30, x_due = 180; a check-in on Jan 31 (x = 30).
      // (0, 0), (30, 1): slope 1/30, ŷ(180) = 6, forecast = 6 / 20 = 0.3 → 30%.
      {"A1 forecast 0.3", [](Workspace& w) { AddCheckin(w, "share-pct", "2026-01-31", 1); },
       {"A1 share kpi=share-pct"}},
      // (0, 0), (30, 5/3): ŷ(180) = 10, forecast = 10 / 20 = 0.5: not below 0.5.
      {"A1 forecast exactly 0.5",
       [](Workspace& w) { AddCheckin(w, "share-pct", "2026-01-31", 5.0 / 3); }, {}},
      // (0, 0), (30, 2): ŷ(180) = 12, forecast 0.6.
      {"A1 forecast 0.6", [](Workspace& w) { AddCheckin(w, "share-pct", "2026-01-31", 2); }, {}},
      {"A1 not for drafts",
       [](Workspace& w) {
         AddCheckin(w, "share-pct", "2026-01-31", 1);
         FindGoal(w, "share")->state = GoalState::kDraft;
       },
       {}},
      // R1
      {"R1 micro root",
       [](Workspace& w) {
         Goal g = MakeGoal("solo", "Run a solo campaign", Level::kMicro, "");
         g.start = D("2026-01-01");
         g.due = D("2026-02-01");
         w.goals.push_back(g);
         w.kpis.push_back(MakeKpi("solo-kpi", "solo", 5));
       },
       {"R1 solo"}},
      {"R1 not with a macro grandparent",
       [](Workspace& w) {
         Goal g = MakeGoal("sub", "Post three times daily", Level::kMicro, "followers");
         g.due = D("2026-02-01");
         w.goals.push_back(g);
         w.kpis.push_back(MakeKpi("sub-kpi", "sub", 5));
       },
       {}},
      // R2
      {"R2 only micro child cancelled",
       [](Workspace& w) { FindGoal(w, "followers")->state = GoalState::kCancelled; },
       {"R2 share"}},
      {"R2 macro child without micro goals",
       [](Workspace& w) {
         Goal g = MakeGoal("brand", "Lift brand awareness overall", Level::kMacro, "share");
         g.due = D("2026-06-30");
         w.goals.push_back(g);
         w.kpis.push_back(MakeKpi("brand-kpi", "brand", 5));
       },
       {"R2 brand"}},
      {"R2 not when a micro grandchild exists",
       [](Workspace& w) {
         Goal g = MakeGoal("brand", "Lift brand awareness overall", Level::kMacro, "share");
         g.due = D("2026-06-30");
         w.goals.push_back(g);
         w.kpis.push_back(MakeKpi("brand-kpi", "brand", 5));
         FindGoal(w, "followers")->parent = "brand";
       },
       {}},
      {"R2 a draft micro child still counts",
       [](Workspace& w) { FindGoal(w, "followers")->state = GoalState::kDraft; }, {}},
      // T1
      {"T1 no due", [](Workspace& w) { FindGoal(w, "followers")->due.reset(); }, {"T1 followers"}},
      {"T1 not for drafts",
       [](Workspace& w) {
         FindGoal(w, "followers")->due.reset();
         FindGoal(w, "followers")->state = GoalState::kDraft;
       },
       {}},
      // A goal of a cycle without a due date of its own is due at the cycle's end.
      {"T1 not in a cycle",
       [](Workspace& w) {
         w.cycles.push_back({.id = "q1", .name = "Q1", .start = D("2026-01-01"),
                             .end = D("2026-03-31")});
         FindGoal(w, "followers")->due.reset();
         FindGoal(w, "followers")->cycle = "q1";
       },
       {}},
      {"T2 a cycle ending after the parent's due",
       [](Workspace& w) {
         w.cycles.push_back({.id = "q3", .name = "Q3", .start = D("2026-05-01"),
                             .end = D("2026-07-31")});
         FindGoal(w, "followers")->due.reset();
         FindGoal(w, "followers")->cycle = "q3";
       },
       {"T2 followers"}},
      // T2
      {"T2 due after the parent's",
       [](Workspace& w) { FindGoal(w, "followers")->due = D("2026-07-01"); }, {"T2 followers"}},
      {"T2 same due as the parent",
       [](Workspace& w) { FindGoal(w, "followers")->due = D("2026-06-30"); }, {}},
      {"T2 parent without due",
       [](Workspace& w) {
         FindGoal(w, "share")->due.reset();
         FindGoal(w, "share")->state = GoalState::kDraft;  // a draft: no T1
       },
       {}},
      // T3: 2026-01-01 → 2026-07-03 is 31+28+31+30+31+30+2 = 183 days; → 07-04 is 184.
      {"T3 micro over 183 days",
       [](Workspace& w) {
         FindGoal(w, "share")->due = D("2026-12-31");
         FindGoal(w, "followers")->due = D("2026-07-04");
       },
       {"T3 followers"}},
      {"T3 micro of exactly 183 days",
       [](Workspace& w) {
         FindGoal(w, "share")->due = D("2026-12-31");
         FindGoal(w, "followers")->due = D("2026-07-03");
       },
       {}},
      // T4: 2026-01-01 → 2026-03-31 is 89 days; → 04-01 is 90.
      {"T4 macro under 90 days", [](Workspace& w) { FindGoal(w, "share")->due = D("2026-03-31"); },
       {"T4 share"}},
      {"T4 macro of exactly 90 days",
       [](Workspace& w) { FindGoal(w, "share")->due = D("2026-04-01"); }, {}},
      // P1
      {"P1 two actions in a cycle",
       [](Workspace& w) {
         FindAction(w, "plan")->depends_on = {"publish"};
         w.actions.push_back(MakeAction("report", "followers", "2026-03-01", {"publish"}));
       },
       {"P1 followers action=plan", "P1 followers action=publish"}},
      {"P1 an action depending on itself",
       [](Workspace& w) { FindAction(w, "plan")->depends_on = {"plan"}; },
       {"P1 followers action=plan"}},
      {"P1 a cycle across goals",
       [](Workspace& w) {
         w.actions.push_back(MakeAction("brief", "share", "2026-01-03", {"publish"}));
         FindAction(w, "plan")->depends_on = {"brief"};
       },
       {"P1 share action=brief", "P1 followers action=plan", "P1 followers action=publish"}},
      // P2
      {"P2 action due after its goal",
       [](Workspace& w) { FindAction(w, "publish")->due = D("2026-04-01"); },
       {"P2 followers action=publish"}},
      {"P2 action due on the goal's due date",
       [](Workspace& w) { FindAction(w, "publish")->due = D("2026-03-31"); }, {}},
      {"P2 action without due", [](Workspace& w) { FindAction(w, "publish")->due.reset(); }, {}},
      // Cancelled goals are skipped entirely; drafts get the rules not limited to active goals.
      {"cancelled goal skipped",
       [](Workspace& w) {
         Goal g = MakeGoal("old", "Old", Level::kMicro, "");
         g.owner = "";
         g.state = GoalState::kCancelled;
         w.goals.push_back(g);
         w.actions.push_back(MakeAction("loop", "old", "2027-01-01", {"loop"}));
       },
       {}},
      {"draft goal",
       [](Workspace& w) {
         Goal g = MakeGoal("idea", "Idea", Level::kMicro, "");
         g.owner = "";
         g.state = GoalState::kDraft;
         w.goals.push_back(g);
       },
       {"S1 idea", "S2 idea", "R1 idea"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Workspace ws = Clean();
    c.mutate(ws);
    const Errors errors = ValidateWorkspace(ws);
    for (const Error& e : errors) ADD_FAILURE() << "invalid workspace: " << e.message;
    EXPECT_EQ(Summarise(Lint(ws)), c.findings);
  }
}

TEST(LintTest, B1MessageSaysByHowMuch) {
  Workspace ws = Clean();
  FindGoal(ws, "followers")->budget_max = 1000;
  ws.spend.push_back(Spend{0, "followers", D("2026-01-10"), 700, "", ""});
  ws.spend.push_back(Spend{0, "followers", D("2026-02-01"), 300.5, "", ""});
  const std::vector<Finding> findings = Lint(ws);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "B1");
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].message,
            "goal 'followers' has spent 1000.5, over its budget_max of 1000 by 0.5; raise the "
            "budget or stop spending on it");
}

TEST(LintTest, A1MessageAndDueDateBoundary) {
  Workspace ws = Clean();
  // (0, 0), (30, 1.3): slope 1.3/30, ŷ(180) = 7.8, forecast = 7.8 / 20 = 0.39 → 39%.
  AddCheckin(ws, "share-pct", "2026-01-31", 1.3);
  std::vector<Finding> findings = Lint(ws);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "A1");
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].kpi, "share-pct");
  EXPECT_EQ(findings[0].message,
            "goal 'share': at the current trend KPI 'share-pct' reaches 39% of its target by "
            "2026-06-30; step up the actions behind it, move budget to it, or revise the target");
  // On the due date the goal is no longer "before its due date".
  EXPECT_EQ(Summarise(Lint(ws, D("2026-06-29"))), std::vector<std::string>{"A1 share kpi=share-pct"});
  EXPECT_TRUE(Lint(ws, D("2026-06-30")).empty());
}

TEST(LintTest, A1PercentIsTruncatedTowardZero) {
  Workspace ws = Clean();
  // (0, 0), (30, 1.66): ŷ(180) = 9.96, forecast 0.498: 49.8% reads 49%, never 50%.
  AddCheckin(ws, "share-pct", "2026-01-31", 1.66);
  const std::vector<Finding> findings = Lint(ws);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("reaches 49% of its target"), std::string::npos)
      << findings[0].message;
}

TEST(LintTest, AnOverflowingSumGivesNoNumberAtAll) {
  // Two check-ins of 1e308 on a cumulative KPI, stored before entry bounded values: the sum is
  // past the largest double, so V, progress and forecast are null, and A1 has nothing to say
  // (it once said "reaches -9223372036854775808% of its target").
  Workspace ws = Clean();
  ws.kpis[0].kind = KpiKind::kCumulative;
  AddCheckin(ws, "share-pct", "2026-01-10", 1e308);
  AddCheckin(ws, "share-pct", "2026-01-20", 1e308);
  const Rollup rollup = ComputeRollup(ws, kAsOf);
  EXPECT_FALSE(rollup.kpis[0].value);
  EXPECT_FALSE(rollup.kpis[0].progress);
  EXPECT_FALSE(rollup.kpis[0].forecast);
  EXPECT_EQ(rollup.kpis[0].last_checkin, D("2026-01-20"));
  EXPECT_EQ(Summarise(Lint(ws)), std::vector<std::string>{});
}

TEST(LintTest, FindingsFollowTheTreeThenCodeOrder) {
  Workspace ws = Clean();
  std::swap(ws.goals[0], ws.goals[1]);  // the child first in the vector; lint follows the tree
  FindGoal(ws, "share")->owner = "";
  FindGoal(ws, "followers")->title = "Followers";
  FindGoal(ws, "followers")->due = D("2026-07-01");
  FindAction(ws, "publish")->due = D("2026-07-05");
  FindAction(ws, "plan")->depends_on = {"plan"};
  const std::vector<Finding> findings = Lint(ws);
  EXPECT_EQ(Summarise(findings),
            (std::vector<std::string>{"S1 share", "S2 followers", "T2 followers",
                                      "P1 followers action=plan", "P2 followers action=publish"}));
}

TEST(LintTest, SeveritiesAndMessages) {
  Workspace ws = Clean();
  // One goal that breaks nearly every rule at once.
  Goal g = MakeGoal("solo", "Solo", Level::kMicro, "");
  g.owner = "";
  g.start = D("2026-01-01");
  g.due = D("2026-12-31");  // 364 days
  ws.goals.push_back(g);
  Goal m = MakeGoal("big", "Big", Level::kMacro, "");
  m.start = D("2026-01-01");
  ws.goals.push_back(m);
  ws.kpis.push_back(MakeKpi("big-kpi", "big", 5));
  ws.actions.push_back(MakeAction("a", "solo", "2027-01-01", {"b"}));
  ws.actions.push_back(MakeAction("b", "solo", "2026-02-01", {"a"}));
  const std::vector<Finding> findings = Lint(ws);
  EXPECT_EQ(Summarise(findings),
            (std::vector<std::string>{"S1 solo", "S2 solo", "M1 solo", "R1 solo", "T3 solo",
                                      "P1 solo action=a", "P1 solo action=b",
                                      "P2 solo action=a", "S2 big", "R2 big", "T1 big"}));
  const std::map<std::string, Severity> severity = {
      {"S1", Severity::kError},   {"S2", Severity::kWarning}, {"M1", Severity::kError},
      {"A1", Severity::kWarning}, {"R1", Severity::kError},   {"R2", Severity::kWarning},
      {"T1", Severity::kError},   {"T2", Severity::kError},   {"T3", Severity::kWarning},
      {"T4", Severity::kWarning}, {"P1", Severity::kError},   {"P2", Severity::kWarning},
  };
  for (const Finding& f : findings) {
    SCOPED_TRACE(f.code);
    EXPECT_EQ(f.severity, severity.at(f.code));
    EXPECT_NE(f.message.find("'" + f.goal + "'"), std::string::npos) << f.message;
    EXPECT_EQ(f.message.find('\n'), std::string::npos);
    EXPECT_NE(f.message.find("; "), std::string::npos) << "says what to do: " << f.message;
  }
  EXPECT_EQ(findings[4].message,
            "micro goal 'solo' spans 364 days (2026-01-01 to 2026-12-31); a micro goal is "
            "short-term: split it into micro goals of at most 183 days");
  EXPECT_EQ(findings[5].message,
            "goal 'solo': action 'a' is in a dependency cycle with 'b', so it can never start; "
            "remove one of the dependencies");
  EXPECT_EQ(findings[7].message,
            "goal 'solo': action 'a' is due 2027-01-01, after the goal's due 2026-12-31; bring the "
            "action forward or move the goal's due date");
  EXPECT_EQ(ToString(Severity::kError), "error");
  EXPECT_EQ(ToString(Severity::kWarning), "warning");
}

TEST(LintTest, LongDependencyChainsAndBigCyclesStayFast) {
  Workspace ws = Clean();
  // 20,000 actions in one cycle: each finding names a few of the others, not all.
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    ws.actions.push_back(MakeAction("c" + std::to_string(i), "followers", "2026-01-10",
                                    {"c" + std::to_string((i + 1) % n)}));
  }
  const std::vector<Finding> findings = Lint(ws);
  ASSERT_EQ(findings.size(), static_cast<size_t>(n));
  EXPECT_NE(findings[0].message.find("and 19994 more"), std::string::npos) << findings[0].message;
}

}  // namespace
}  // namespace cascade

#include "core/validate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Checkin MakeCheckin(std::string kpi, const char* date, double value) {
  Checkin c;
  c.kpi = std::move(kpi);
  c.date = D(date);
  c.value = value;
  return c;
}

// A small valid workspace touching every kind of entity and every KPI kind.
Workspace Valid() {
  Workspace ws;
  ws.teams.push_back(Team{"marketing", "Marketing", "", 0});
  ws.teams.push_back(Team{"social", "Social Media", "marketing", 0});
  ws.people.push_back(Person{"dana", "Dana Lee", "dana@example.com", "social", Role::kLead, 0});
  ws.people.push_back(Person{"sam", "Sam", "", "", Role::kViewer, 0});  // email and team optional

  Goal share;
  share.id = "share";
  share.title = "Achieve 20% market share within six months";
  share.level = Level::kMacro;
  share.owner = "dana";
  share.team = "marketing";
  share.start = D("2026-01-01");
  share.due = D("2026-06-30");
  share.budget_max = 5000;
  ws.goals.push_back(share);

  Goal followers;
  followers.id = "followers";
  followers.title = "Generate 10,000 social media followers";
  followers.level = Level::kMicro;
  followers.parent = "share";
  followers.owner = "dana";
  followers.due = D("2026-01-31");  // start inherited: 2026-01-01
  followers.growth_potential = 3;
  followers.budget_min = 100;
  followers.budget_max = 100;  // equal bounds are fine
  ws.goals.push_back(followers);

  Kpi k;
  k.id = "share-pct";
  k.goal = "share";
  k.kind = KpiKind::kLevel;
  k.baseline = 2;
  k.target = 20;
  ws.kpis.push_back(k);
  k = Kpi{};
  k.id = "nps";
  k.goal = "share";
  k.kind = KpiKind::kThreshold;
  k.direction = Direction::kAbove;
  k.target = 50;
  ws.kpis.push_back(k);
  k = Kpi{};
  k.id = "follower-count";
  k.goal = "followers";
  k.kind = KpiKind::kCumulative;
  k.target = 10000;
  k.cadence_days = 1;
  ws.kpis.push_back(k);
  k = Kpi{};
  k.id = "launched";
  k.goal = "followers";
  k.kind = KpiKind::kMilestone;
  k.baseline = 0;
  k.target = 1;
  ws.kpis.push_back(k);

  ws.checkins.push_back(MakeCheckin("share-pct", "2026-02-01", 3.5));
  ws.checkins.push_back(MakeCheckin("nps", "2026-02-01", -20));
  ws.checkins.push_back(MakeCheckin("follower-count", "2026-01-05", 1200));
  ws.checkins.push_back(MakeCheckin("launched", "2026-01-05", 0));
  ws.checkins.push_back(MakeCheckin("launched", "2026-01-09", 1));
  ws.checkins.back().author = "Someone Not In The Workspace";  // authors are free text

  Action plan;
  plan.id = "plan-posts";
  plan.goal = "followers";
  plan.title = "Plan the launch posts";
  plan.owner = "dana";
  ws.actions.push_back(plan);
  Action publish;
  publish.id = "publish";
  publish.goal = "followers";
  publish.title = "Publish the launch posts";
  publish.depends_on = {"plan-posts"};
  ws.actions.push_back(publish);

  ws.funnels.push_back(Funnel{"launch", "Launch funnel", {"follower-count", "share-pct"}, 0});

  Experiment e;
  e.id = "hero-video";
  e.goal = "followers";
  e.control = {1000, 50};
  e.variant = {1000, 1000};  // conversions may equal visitors
  ws.experiments.push_back(e);

  Comment c;
  c.goal = "followers";
  c.author = "anyone";
  c.text = "Looks good";
  ws.comments.push_back(c);
  return ws;
}

TEST(ValidateTest, ValidWorkspacePasses) {
  const Errors errors = ValidateWorkspace(Valid());
  for (const Error& e : errors) ADD_FAILURE() << e.message;
  EXPECT_TRUE(ValidateWorkspace(Workspace{}).empty());
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

struct Case {
  const char* name;
  std::function<void(Workspace&)> mutate;
  ErrorCode code;
  const char* kind;
  const char* id;
  const char* field;
  const char* message;  // a part of the message
};

Goal* FindGoal(Workspace& ws, std::string_view id) {
  for (Goal& g : ws.goals) {
    if (g.id == id) return &g;
  }
  return nullptr;
}
Kpi* FindKpi(Workspace& ws, std::string_view id) {
  for (Kpi& k : ws.kpis) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

Goal MicroGoal(std::string id, std::string parent) {
  Goal g;
  g.id = std::move(id);
  g.title = "A micro goal for tests";
  g.parent = std::move(parent);
  return g;
}

TEST(ValidateTest, EveryRefusal) {
  using EC = ErrorCode;
  const Case cases[] = {
      // Teams.
      {"team id not a slug", [](Workspace& w) { w.teams.push_back(Team{"Bad Team", "x", "", 0}); },
       EC::kInvalid, "team", "Bad Team", "id", "team 'Bad Team': id 'Bad Team' is not a valid id"},
      {"team without id", [](Workspace& w) { w.teams.push_back(Team{"", "x", "", 0}); },
       EC::kInvalid, "team", "", "id", "team with no id: every team needs an id"},
      {"team id duplicate", [](Workspace& w) { w.teams.push_back(Team{"social", "x", "", 0}); },
       EC::kConflict, "team", "social", "id", "ids must be unique among teams"},
      {"team parent unknown", [](Workspace& w) { w.teams[1].parent = "sales"; }, EC::kInvalid,
       "team", "social", "parent",
       "team 'social': parent 'sales' does not exist; parent must be the id of a team or empty"},
      {"team cycle", [](Workspace& w) { w.teams[0].parent = "social"; }, EC::kInvalid, "team",
       "marketing", "parent",
       "team 'marketing': parent 'social' makes a cycle (marketing → social → marketing)"},
      {"team is its own parent", [](Workspace& w) { w.teams[0].parent = "marketing"; },
       EC::kInvalid, "team", "marketing", "parent", "(marketing → marketing)"},
      // People.
      {"person id duplicate",
       [](Workspace& w) { w.people.push_back(Person{"dana", "Other Dana", "", "", {}, 0}); },
       EC::kConflict, "person", "dana", "id",
       "is used by another person; ids must be unique among people"},
      {"person team unknown", [](Workspace& w) { w.people[0].team = "sales"; }, EC::kInvalid,
       "person", "dana", "team", "team 'sales' does not exist"},
      {"person email without @", [](Workspace& w) { w.people[0].email = "dana.example.com"; },
       EC::kInvalid, "person", "dana", "email",
       "person 'dana': email 'dana.example.com' is not an email address"},
      {"person role out of range", [](Workspace& w) { w.people[0].role = static_cast<Role>(9); },
       EC::kInvalid, "person", "dana", "role", "role must be admin, lead, member or viewer"},
      // Goals.
      {"goal id not a slug",
       [](Workspace& w) { w.goals.push_back(MicroGoal("Launch!", "share")); }, EC::kInvalid,
       "goal", "Launch!", "id", "id 'Launch!' is not a valid id"},
      {"goal id duplicate", [](Workspace& w) { w.goals.push_back(MicroGoal("followers", "share")); },
       EC::kConflict, "goal", "followers", "id", "is used by another goal"},
      {"goal parent unknown", [](Workspace& w) { w.goals[1].parent = "revenue"; }, EC::kInvalid,
       "goal", "followers", "parent", "parent 'revenue' does not exist"},
      {"goal owner unknown", [](Workspace& w) { w.goals[1].owner = "lee"; }, EC::kInvalid,
       "goal", "followers", "owner", "owner 'lee' does not exist; owner must be the id of a person"},
      {"goal team unknown", [](Workspace& w) { w.goals[0].team = "sales"; }, EC::kInvalid, "goal",
       "share", "team", "team 'sales' does not exist"},
      {"goal cycle",
       [](Workspace& w) {
         w.goals.push_back(MicroGoal("a", "b"));
         w.goals.push_back(MicroGoal("b", "a"));
       },
       EC::kInvalid, "goal", "a", "parent",
       "goal 'a': parent 'b' makes a cycle (a → b → a); a goal cannot be its own ancestor"},
      {"goal is its own parent", [](Workspace& w) { w.goals.push_back(MicroGoal("a", "a")); },
       EC::kInvalid, "goal", "a", "parent", "makes a cycle (a → a)"},
      {"micro goal with a macro child",
       [](Workspace& w) {
         Goal g = MicroGoal("big", "followers");
         g.level = Level::kMacro;
         w.goals.push_back(g);
       },
       EC::kInvalid, "goal", "big", "level",
       "goal 'big': a macro goal cannot sit under micro goal 'followers'"},
      {"goal level out of range", [](Workspace& w) { w.goals[0].level = static_cast<Level>(5); },
       EC::kInvalid, "goal", "share", "level", "level must be macro or micro"},
      {"goal state out of range",
       [](Workspace& w) { w.goals[0].state = static_cast<GoalState>(5); }, EC::kInvalid, "goal",
       "share", "state", "state must be active, draft or cancelled"},
      {"goal priority out of range",
       [](Workspace& w) { w.goals[0].priority = static_cast<Priority>(-1); }, EC::kInvalid, "goal",
       "share", "priority", "priority must be high, medium or low"},
      {"goal stage out of range", [](Workspace& w) { w.goals[0].stage = static_cast<Stage>(7); },
       EC::kInvalid, "goal", "share", "stage", "stage must be awareness"},
      {"goal weight 0", [](Workspace& w) { w.goals[1].weight = 0; }, EC::kInvalid, "goal",
       "followers", "weight", "weight 0 is not allowed; weight must be greater than 0"},
      {"goal weight negative", [](Workspace& w) { w.goals[1].weight = -1.5; }, EC::kInvalid,
       "goal", "followers", "weight", "weight -1.5 is not allowed"},
      {"goal weight NaN", [](Workspace& w) { w.goals[1].weight = kNaN; }, EC::kInvalid, "goal",
       "followers", "weight", "weight NaN is not allowed; weight must be a finite number"},
      {"goal growth potential negative", [](Workspace& w) { w.goals[1].growth_potential = -1; },
       EC::kInvalid, "goal", "followers", "growth_potential", "growth_potential must be 0 or more"},
      {"goal growth potential infinite",
       [](Workspace& w) { w.goals[1].growth_potential = kInf; }, EC::kInvalid, "goal",
       "followers", "growth_potential", "growth_potential infinity is not allowed"},
      {"goal budget_min negative", [](Workspace& w) { w.goals[1].budget_min = -5; },
       EC::kInvalid, "goal", "followers", "budget_min", "budget_min -5 is negative"},
      {"goal budget_max below budget_min", [](Workspace& w) { w.goals[1].budget_max = 99.5; },
       EC::kInvalid, "goal", "followers", "budget_max",
       "budget_max 99.5 is below budget_min 100; budget_max must be at least budget_min"},
      {"goal budget_max infinite", [](Workspace& w) { w.goals[0].budget_max = kInf; },
       EC::kInvalid, "goal", "share", "budget_max", "budget_max infinity is not allowed"},
      {"goal due before its start",
       [](Workspace& w) {
         Goal g = MicroGoal("launch", "share");
         g.start = D("2026-02-01");
         g.due = D("2026-01-01");
         w.goals.push_back(g);
       },
       EC::kInvalid, "goal", "launch", "due",
       "goal 'launch': due 2026-01-01 is before start 2026-02-01; due must be on or after start"},
      {"goal due before the inherited start",
       [](Workspace& w) {
         w.goals.push_back(MicroGoal("sub", "followers"));  // inherits 2026-01-01 via followers
         w.goals.back().due = D("2025-12-31");
       },
       EC::kInvalid, "goal", "sub", "due",
       "goal 'sub': due 2025-12-31 is before start 2026-01-01 (inherited from 'share'); due must "
       "be on or after start"},
      // KPIs.
      {"kpi id not a slug",
       [](Workspace& w) {
         w.kpis.push_back(*FindKpi(w, "nps"));
         w.kpis.back().id = "Share %";
       },
       EC::kInvalid, "kpi",
       "Share %", "id", "KPI 'Share %': id 'Share %' is not a valid id"},
      {"kpi id duplicate", [](Workspace& w) { w.kpis.push_back(*FindKpi(w, "nps")); },
       EC::kConflict, "kpi", "nps", "id", "is used by another KPI"},
      {"kpi without goal", [](Workspace& w) { w.kpis[0].goal = ""; }, EC::kInvalid, "kpi",
       "share-pct", "goal", "goal is missing; every KPI belongs to a goal"},
      {"kpi goal unknown", [](Workspace& w) { w.kpis[0].goal = "revenue"; }, EC::kInvalid, "kpi",
       "share-pct", "goal", "goal 'revenue' does not exist; goal must be the id of a goal"},
      {"kpi weight 0", [](Workspace& w) { w.kpis[0].weight = 0; }, EC::kInvalid, "kpi",
       "share-pct", "weight", "weight 0 is not allowed"},
      {"kpi weight infinite", [](Workspace& w) { w.kpis[0].weight = -kInf; }, EC::kInvalid, "kpi",
       "share-pct", "weight", "weight -infinity is not allowed"},
      {"kpi target NaN", [](Workspace& w) { w.kpis[0].target = kNaN; }, EC::kInvalid, "kpi",
       "share-pct", "target", "target NaN is not allowed"},
      {"kpi baseline infinite", [](Workspace& w) { w.kpis[0].baseline = kInf; }, EC::kInvalid,
       "kpi", "share-pct", "baseline", "baseline infinity is not allowed"},
      {"kpi cadence 0", [](Workspace& w) { w.kpis[0].cadence_days = 0; }, EC::kInvalid, "kpi",
       "share-pct", "cadence_days", "cadence_days 0 is not allowed; cadence_days must be 1 or more"},
      {"level target equals baseline", [](Workspace& w) { w.kpis[0].target = 2; }, EC::kInvalid,
       "kpi", "share-pct", "target",
       "KPI 'share-pct': target 2 equals baseline 2; a level KPI needs a target different from "
       "its baseline"},
      {"level target within 1e-9 of baseline", [](Workspace& w) { w.kpis[0].target = 2 + 1e-10; },
       EC::kInvalid, "kpi", "share-pct", "target", "equals baseline 2"},
      {"cumulative target equals the default baseline 0",
       [](Workspace& w) { FindKpi(w, "follower-count")->target = 0; }, EC::kInvalid, "kpi",
       "follower-count", "target", "target 0 equals baseline 0; a cumulative KPI"},
      {"threshold without direction",
       [](Workspace& w) { FindKpi(w, "nps")->direction = Direction::kNone; }, EC::kInvalid, "kpi",
       "nps", "direction", "a threshold KPI needs a direction; direction must be above"},
      {"milestone baseline 1", [](Workspace& w) { FindKpi(w, "launched")->baseline = 1; },
       EC::kInvalid, "kpi", "launched", "baseline",
       "baseline 1 is not allowed; a milestone KPI has baseline 0"},
      {"milestone target 2", [](Workspace& w) { FindKpi(w, "launched")->target = 2; },
       EC::kInvalid, "kpi", "launched", "target",
       "target 2 is not allowed; a milestone KPI has target 1"},
      {"kpi kind out of range", [](Workspace& w) { w.kpis[0].kind = static_cast<KpiKind>(5); },
       EC::kInvalid, "kpi", "share-pct", "kind", "kind must be level, cumulative"},
      // Check-ins.
      {"check-in of an unknown KPI",
       [](Workspace& w) { w.checkins.push_back(MakeCheckin("visits", "2026-01-07", 5)); },
       EC::kInvalid, "checkin", "visits", "kpi",
       "check-in of 2026-01-07 for KPI 'visits': KPI 'visits' does not exist"},
      {"check-in value NaN", [](Workspace& w) { w.checkins[0].value = kNaN; }, EC::kInvalid,
       "checkin", "share-pct", "value",
       "check-in of 2026-02-01 for KPI 'share-pct': value NaN is not allowed"},
      {"check-in value infinite", [](Workspace& w) { w.checkins[2].value = kInf; }, EC::kInvalid,
       "checkin", "follower-count", "value", "value infinity is not allowed"},
      {"milestone check-in 0.5", [](Workspace& w) { w.checkins[4].value = 0.5; }, EC::kInvalid,
       "checkin", "launched", "value",
       "check-in of 2026-01-09 for KPI 'launched': value 0.5 is not allowed; a milestone takes 0"},
      {"milestone check-in 2", [](Workspace& w) { w.checkins[3].value = 2; }, EC::kInvalid,
       "checkin", "launched", "value", "value 2 is not allowed"},
      // Spend.
      {"spend on an unknown goal",
       [](Workspace& w) { w.spend.push_back(Spend{0, "nope", D("2026-01-05"), 10, "", ""}); },
       EC::kInvalid, "spend", "nope", "goal",
       "spend of 2026-01-05 on goal 'nope': goal 'nope' does not exist"},
      {"spend of 0",
       [](Workspace& w) { w.spend.push_back(Spend{0, "share", D("2026-01-05"), 0, "", ""}); },
       EC::kInvalid, "spend", "share", "amount",
       "spend of 2026-01-05 on goal 'share': amount 0 is not allowed; give the amount spent"},
      {"spend of NaN",
       [](Workspace& w) { w.spend.push_back(Spend{0, "share", D("2026-01-05"), kNaN, "", ""}); },
       EC::kInvalid, "spend", "share", "amount", "amount NaN is not allowed"},
      {"spend of infinity",
       [](Workspace& w) { w.spend.push_back(Spend{0, "share", D("2026-01-05"), -kInf, "", ""}); },
       EC::kInvalid, "spend", "share", "amount", "amount"},
      {"spend note not UTF-8",
       [](Workspace& w) { w.spend.push_back(Spend{0, "share", D("2026-01-05"), 5, "\xff", ""}); },
       EC::kInvalid, "spend", "share", "note", "note is not UTF-8"},
      // Actions.
      {"action id duplicate", [](Workspace& w) { w.actions[1].id = "plan-posts"; }, EC::kConflict,
       "action", "plan-posts", "id", "is used by another action"},
      {"action without goal", [](Workspace& w) { w.actions[0].goal = ""; }, EC::kInvalid,
       "action", "plan-posts", "goal", "goal is missing"},
      {"action goal unknown", [](Workspace& w) { w.actions[0].goal = "revenue"; }, EC::kInvalid,
       "action", "plan-posts", "goal", "goal 'revenue' does not exist"},
      {"action owner unknown", [](Workspace& w) { w.actions[0].owner = "lee"; }, EC::kInvalid,
       "action", "plan-posts", "owner", "owner 'lee' does not exist"},
      {"action depends on an unknown action",
       [](Workspace& w) { w.actions[1].depends_on.push_back("shoot-video"); }, EC::kInvalid,
       "action", "publish", "depends_on", "depends_on 'shoot-video' does not exist"},
      // Funnels.
      {"funnel with one stage", [](Workspace& w) { w.funnels[0].stages = {"share-pct"}; },
       EC::kInvalid, "funnel", "launch", "stages",
       "funnel 'launch': has 1 stage; a funnel needs at least 2 stages"},
      {"funnel stage unknown", [](Workspace& w) { w.funnels[0].stages.push_back("customers"); },
       EC::kInvalid, "funnel", "launch", "stages", "stage 'customers' does not exist"},
      {"funnel id not a slug", [](Workspace& w) { w.funnels[0].id = "-launch"; }, EC::kInvalid,
       "funnel", "-launch", "id", "is not a valid id"},
      // Experiments.
      {"experiment goal unknown", [](Workspace& w) { w.experiments[0].goal = "revenue"; },
       EC::kInvalid, "experiment", "hero-video", "goal", "goal 'revenue' does not exist"},
      {"experiment control without visitors",
       [](Workspace& w) { w.experiments[0].control = {0, 0}; }, EC::kInvalid, "experiment",
       "hero-video", "control", "control visitors 0 is not allowed; visitors must be at least 1"},
      {"experiment variant conversions above visitors",
       [](Workspace& w) { w.experiments[0].variant = {100, 101}; }, EC::kInvalid, "experiment",
       "hero-video", "variant",
       "variant conversions 101 is not allowed; conversions must be between 0 and the 100 "
       "visitors"},
      {"experiment negative conversions",
       [](Workspace& w) { w.experiments[0].control.conversions = -1; }, EC::kInvalid,
       "experiment", "hero-video", "control", "control conversions -1 is not allowed"},
      {"experiment id duplicate",
       [](Workspace& w) { w.experiments.push_back(w.experiments[0]); }, EC::kConflict,
       "experiment", "hero-video", "id", "is used by another experiment"},
      // Text that is not UTF-8.
      {"goal title in Latin-1", [](Workspace& w) { w.goals[0].title = "Caf\xe9 sales"; },
       EC::kInvalid, "goal", "share", "title", "goal 'share': title is not UTF-8 text"},
      // Bounds: numbers within ±1e15, dates from 1900-01-01 to 2199-12-31.
      {"goal weight beyond the bound", [](Workspace& w) { w.goals[1].weight = 1e16; },
       EC::kInvalid, "goal", "followers", "weight",
       "goal 'followers': weight 1e+16 is not allowed; weight must be a number between -1e15 and "
       "1e15"},
      {"goal budget_max beyond the bound", [](Workspace& w) { w.goals[0].budget_max = 1e300; },
       EC::kInvalid, "goal", "share", "budget_max",
       "budget_max 1e+300 is not allowed; budget_max must be a number between -1e15 and 1e15"},
      {"goal growth potential beyond the bound",
       [](Workspace& w) { w.goals[1].growth_potential = 2e15; }, EC::kInvalid, "goal",
       "followers", "growth_potential", "growth_potential 2e+15 is not allowed"},
      {"goal start before 1900", [](Workspace& w) { w.goals[0].start = D("0001-01-01"); },
       EC::kInvalid, "goal", "share", "start",
       "goal 'share': start 0001-01-01 is outside the dates Cascade accepts; use a date from "
       "1900-01-01 to 2199-12-31"},
      {"goal due after 2199", [](Workspace& w) { w.goals[0].due = D("2200-01-01"); },
       EC::kInvalid, "goal", "share", "due",
       "goal 'share': due 2200-01-01 is outside the dates Cascade accepts; use a date from "
       "1900-01-01 to 2199-12-31"},
      {"kpi baseline beyond the bound", [](Workspace& w) { w.kpis[0].baseline = -2e15; },
       EC::kInvalid, "kpi", "share-pct", "baseline",
       "KPI 'share-pct': baseline -2e+15 is not allowed; baseline must be a number between -1e15 "
       "and 1e15"},
      {"kpi target beyond the bound", [](Workspace& w) { w.kpis[2].target = 1e307; },
       EC::kInvalid, "kpi", "follower-count", "target", "target 1e+307 is not allowed"},
      {"check-in value beyond the bound", [](Workspace& w) { w.checkins[2].value = 1e307; },
       EC::kInvalid, "checkin", "follower-count", "value",
       "check-in of 2026-01-05 for KPI 'follower-count': value 1e+307 is not allowed; value must "
       "be a number between -1e15 and 1e15"},
      {"check-in value below the bound", [](Workspace& w) { w.checkins[1].value = -1.5e15; },
       EC::kInvalid, "checkin", "nps", "value", "value -1.5e+15 is not allowed"},
      {"check-in value infinite", [](Workspace& w) { w.checkins[1].value = kInf; }, EC::kInvalid,
       "checkin", "nps", "value",
       "value infinity is not allowed; value must be a finite number between -1e15 and 1e15"},
      {"check-in dated 0001-01-01", [](Workspace& w) { w.checkins[0].date = D("0001-01-01"); },
       EC::kInvalid, "checkin", "share-pct", "date",
       "check-in of 0001-01-01 for KPI 'share-pct': date 0001-01-01 is outside the dates Cascade "
       "accepts; use a date from 1900-01-01 to 2199-12-31"},
      {"action due after 2199", [](Workspace& w) { w.actions[0].due = D("9999-12-31"); },
       EC::kInvalid, "action", "plan-posts", "due",
       "action 'plan-posts': due 9999-12-31 is outside the dates Cascade accepts"},
      {"comment dated before 1900", [](Workspace& w) { w.comments[0].date = D("1899-12-31"); },
       EC::kInvalid, "comment", "followers", "date",
       "comment on goal 'followers': date 1899-12-31 is outside the dates Cascade accepts; use a date "
       "from 1900-01-01 to 2199-12-31"},
      {"review dated after 2199",
       [](Workspace& w) { w.reviews.push_back(Review{0, D("2500-06-01"), "social", "", {}}); },
       EC::kInvalid, "review", "social", "date",
       "review of team 'social': date 2500-06-01 is outside the dates Cascade accepts"},
      {"team name with a truncated sequence", [](Workspace& w) { w.teams[0].name = "M\xc3"; },
       EC::kInvalid, "team", "marketing", "name", "is not UTF-8 text"},
      {"kpi unit with an overlong form", [](Workspace& w) { w.kpis[0].unit = "\xc0\xaf"; },
       EC::kInvalid, "kpi", "share-pct", "unit", "is not UTF-8 text"},
      {"check-in note with a surrogate", [](Workspace& w) { w.checkins[0].note = "\xed\xa0\x80"; },
       EC::kInvalid, "checkin", "share-pct", "note", "is not UTF-8 text"},
      {"comment text with a stray byte", [](Workspace& w) { w.comments[0].text = "ok \xff"; },
       EC::kInvalid, "comment", "followers", "text", "comment on goal 'followers': text is not UTF-8"},
      // Text bounds (kMaxNameChars, kMaxTextChars), counted in characters, and blank titles.
      {"goal title of 201 characters",
       [](Workspace& w) { w.goals[0].title = std::string(201, 'x'); }, EC::kInvalid, "goal",
       "share", "title",
       "goal 'share': title is 201 characters long; title may hold at most 200 characters"},
      {"team name of 201 two-byte characters",
       [](Workspace& w) {
         w.teams[0].name.clear();
         for (int i = 0; i < 201; ++i) w.teams[0].name += "\xc3\xa9";
       },
       EC::kInvalid, "team", "marketing", "name", "name is 201 characters long"},
      {"check-in note of 10,001 characters",
       [](Workspace& w) { w.checkins[0].note = std::string(10001, 'n'); }, EC::kInvalid,
       "checkin", "share-pct", "note", "note is 10001 characters long; note may hold at most 10000"},
      {"goal description of 10,001 characters",
       [](Workspace& w) { w.goals[0].description = std::string(10001, 'd'); }, EC::kInvalid,
       "goal", "share", "description", "may hold at most 10000 characters"},
      {"blank goal title", [](Workspace& w) { w.goals[0].title = " \t\n"; }, EC::kInvalid, "goal",
       "share", "title", "goal 'share': title is empty; every goal needs a title"},
      {"empty action title", [](Workspace& w) { w.actions[0].title.clear(); }, EC::kInvalid,
       "action", "plan-posts", "title", "action 'plan-posts': title is empty"},
      {"empty comment", [](Workspace& w) { w.comments[0].text = "  "; }, EC::kInvalid, "comment",
       "followers", "text", "text is empty"},
      {"person name of spaces", [](Workspace& w) { w.people[0].name = "   "; }, EC::kInvalid,
       "person", "dana", "name", "name is only spaces; write a name or leave it out"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Workspace ws = Valid();
    c.mutate(ws);
    const Errors errors = ValidateWorkspace(ws);
    std::string all;
    for (const Error& e : errors) all += "\n  " + e.message;
    ASSERT_EQ(errors.size(), 1u) << all;
    const Error& e = errors[0];
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.kind, c.kind);
    EXPECT_EQ(e.id, c.id);
    EXPECT_EQ(e.field, c.field);
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find('\n'), std::string::npos) << e.message;
  }
}

TEST(ValidateTest, Utf8TextOfEveryLengthPasses) {
  Workspace ws = Valid();
  ws.goals[0].title = "Caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80 \xf4\x8f\xbf\xbf";  // é € 🚀 U+10FFFF
  ws.checkins[0].note = "\xe2\x80\x94";
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
  ws.goals[0].title = "\xf4\x90\x80\x80";  // past U+10FFFF
  EXPECT_EQ(ValidateWorkspace(ws).size(), 1u);
}

TEST(ValidateTest, TextAtItsBoundsPasses) {
  Workspace ws = Valid();
  ws.goals[0].title.clear();
  for (size_t i = 0; i < kMaxNameChars; ++i) ws.goals[0].title += "\xe2\x82\xac";  // 200 €
  ws.goals[0].description = std::string(kMaxTextChars, 'd');
  ws.checkins[0].note = std::string(kMaxTextChars, 'n');
  ws.teams[0].name.clear();  // a name may be left out
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
}

TEST(ValidateTest, ErrorsComeInEntityOrderAndAllAreReported) {
  Workspace ws = Valid();
  ws.experiments[0].control = {0, 0};
  ws.checkins[0].value = kNaN;
  ws.kpis[0].weight = 0;
  ws.goals[1].weight = 0;
  ws.teams[1].parent = "sales";
  ws.goals[0].weight = -1;
  const Errors errors = ValidateWorkspace(ws);
  std::vector<std::string> got;
  for (const Error& e : errors) got.push_back(e.kind + "/" + e.id + "/" + e.field);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "team/social/parent", "goal/share/weight", "goal/followers/weight",
                     "kpi/share-pct/weight", "checkin/share-pct/value",
                     "experiment/hero-video/control"}));
}

TEST(ValidateTest, TheBoundsThemselvesAreAllowed) {
  Workspace ws = Valid();
  ws.checkins[1].value = -kLargestValue;
  ws.checkins[2].value = kLargestValue;
  ws.kpis[2].target = kLargestValue;
  ws.goals[0].budget_max = kLargestValue;
  ws.goals[0].start = kFirstEntryDate;
  ws.goals[0].due = kLastEntryDate;
  ws.actions[0].due = kLastEntryDate;
  ws.comments[0].date = kFirstEntryDate;
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
  EXPECT_TRUE(IsEntryValue(1e15));
  EXPECT_TRUE(IsEntryValue(-1e15));
  EXPECT_FALSE(IsEntryValue(std::nextafter(1e15, 2e15)));
  EXPECT_FALSE(IsEntryValue(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(EntryValueRangeText(), "between -1e15 and 1e15");
}

TEST(ValidateTest, ARefundIsValidSpend) {
  Workspace ws = Valid();
  ws.spend.push_back(Spend{0, "share", D("2026-01-05"), -250, "refund", "dana"});
  ws.spend.push_back(Spend{0, "followers", D("2026-01-06"), 1e15, "", ""});
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
}

TEST(ValidateTest, ThresholdBelowAndWithBaselineAreValid) {
  Workspace ws = Valid();
  Kpi* nps = FindKpi(ws, "nps");
  nps->direction = Direction::kBelow;
  nps->baseline = 50;  // a threshold's target may equal its baseline
  FindKpi(ws, "launched")->baseline.reset();  // milestone baseline may be absent
  FindGoal(ws, "followers")->start = D("2026-01-31");  // due == start is allowed
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
}

TEST(ValidateTest, ManyCheckinsAreCheckedInOnePass) {
  Workspace ws = Valid();
  ws.checkins.reserve(200000);
  for (int i = 0; i < 200000; ++i) {
    ws.checkins.push_back(MakeCheckin(i % 2 ? "share-pct" : "follower-count", "2026-01-10", i));
  }
  ws.checkins[123456].value = kNaN;
  const Errors errors = ValidateWorkspace(ws);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "value");
}

// contributors, supports and segment (spec §1). The tree: share (macro) > followers (micro) >
// posts (micro); brand (macro) stands apart.
Workspace WithGoalLinks() {
  Workspace ws = Valid();
  ws.goals.push_back(MicroGoal("posts", "followers"));
  Goal brand = MicroGoal("brand", "");
  brand.level = Level::kMacro;
  ws.goals.push_back(brand);
  ws.goals[1].contributors = {"sam"};
  ws.goals[1].supports = {"brand"};
  ws.goals[1].segment = "gen-z";
  return ws;
}

TEST(ValidateTest, GoalContributorsSupportsAndSegmentPass) {
  const Errors errors = ValidateWorkspace(WithGoalLinks());
  for (const Error& e : errors) ADD_FAILURE() << e.message;
  Workspace ws = WithGoalLinks();
  ws.goals[3].supports = {"followers", "share"};  // another line's goals, macro or micro
  ws.goals[2].supports = {"brand"};
  ws.goals[1].contributors = {"sam", "dana"};  // the owner too: harmless
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
}

TEST(ValidateTest, GoalContributorsSupportsAndSegmentRefusals) {
  using EC = ErrorCode;
  const Case cases[] = {
      {"contributor unknown", [](Workspace& w) { w.goals[1].contributors = {"sam", "lee"}; },
       EC::kInvalid, "goal", "followers", "contributors",
       "goal 'followers': contributors 'lee' does not exist; contributors must be ids of people"},
      {"contributor twice", [](Workspace& w) { w.goals[1].contributors = {"sam", "dana", "sam"}; },
       EC::kInvalid, "goal", "followers", "contributors",
       "goal 'followers': contributors lists 'sam' twice; list each person once"},
      {"supports unknown", [](Workspace& w) { w.goals[1].supports = {"revenue"}; },
       EC::kInvalid, "goal", "followers", "supports",
       "goal 'followers': supports 'revenue' does not exist; supports must be ids of goals"},
      {"supports itself", [](Workspace& w) { w.goals[1].supports = {"followers"}; },
       EC::kInvalid, "goal", "followers", "supports",
       "goal 'followers': supports 'followers' is not allowed; a goal cannot support itself"},
      {"supports its parent", [](Workspace& w) { w.goals[1].supports = {"share"}; },
       EC::kInvalid, "goal", "followers", "supports",
       "goal 'followers': supports 'share' is not allowed; it is the goal's parent"},
      {"supports an ancestor", [](Workspace& w) { w.goals[2].supports = {"share"}; },
       EC::kInvalid, "goal", "posts", "supports",
       "goal 'posts': supports 'share' is not allowed; it is an ancestor of the goal"},
      {"supports a child", [](Workspace& w) { w.goals[1].supports = {"posts"}; }, EC::kInvalid,
       "goal", "followers", "supports",
       "goal 'followers': supports 'posts' is not allowed; it is a descendant of the goal"},
      {"supports a grandchild", [](Workspace& w) { w.goals[0].supports = {"posts"}; },
       EC::kInvalid, "goal", "share", "supports",
       "goal 'share': supports 'posts' is not allowed; it is a descendant of the goal"},
      {"supports twice", [](Workspace& w) { w.goals[1].supports = {"brand", "brand"}; },
       EC::kInvalid, "goal", "followers", "supports",
       "goal 'followers': supports lists 'brand' twice; list each goal once"},
      {"moving under the supported goal",
       [](Workspace& w) { w.goals[1].parent = "brand"; }, EC::kInvalid, "goal", "followers",
       "supports", "supports 'brand' is not allowed; it is the goal's parent"},
      {"segment not UTF-8", [](Workspace& w) { w.goals[1].segment = "gen\xff"; }, EC::kInvalid,
       "goal", "followers", "segment", "goal 'followers': segment is not UTF-8 text"},
      {"segment too long", [](Workspace& w) { w.goals[1].segment = std::string(201, 'x'); },
       EC::kInvalid, "goal", "followers", "segment", "segment may hold at most 200 characters"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Workspace ws = WithGoalLinks();
    c.mutate(ws);
    const Errors errors = ValidateWorkspace(ws);
    std::string all;
    for (const Error& e : errors) all += "\n  " + e.message;
    ASSERT_EQ(errors.size(), 1u) << all;
    const Error& e = errors[0];
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.kind, c.kind);
    EXPECT_EQ(e.id, c.id);
    EXPECT_EQ(e.field, c.field);
    EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

// Spec §1: a formula KPI takes no check-ins. Making one with two check-ins a formula is refused
// once, on its kind, naming how many it has; one without check-ins, or a KPI that already was a
// formula, is not this rule's business.
TEST(ValidateTest, AKpiWithCheckinsIsNotMadeAFormula) {
  const Workspace before = Valid();
  Workspace after = before;
  for (Kpi& k : after.kpis) {
    if (k.id == "launched" || k.id == "nps") {
      k.kind = KpiKind::kFormula;
      k.formula = "{share-pct} * 2";
      k.direction = Direction::kNone;
      k.baseline = 0;
      k.target = 10;
    }
  }
  after.checkins.erase(after.checkins.begin() + 1);  // nps's one check-in
  const Errors errors = ValidateKindChanges(before, after);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::kInvalid);
  EXPECT_EQ(errors[0].kind, "kpi");
  EXPECT_EQ(errors[0].id, "launched");
  EXPECT_EQ(errors[0].field, "kind");
  EXPECT_EQ(errors[0].message,
            "kpi 'launched': kind formula is not allowed while it has 2 check-ins; a formula "
            "KPI's value is computed from other KPIs and takes none: keep kind milestone, or "
            "remove its check-ins first (`cascade checkins list --kpi launched`)");
  EXPECT_TRUE(ValidateKindChanges(before, before).empty());
  EXPECT_TRUE(ValidateKindChanges(after, after).empty());
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

// A comment names a goal of the workspace, as a spend record does.
TEST(ValidateTest, ACommentOnAGoalThatDoesNotExistIsRefused) {
  Workspace ws = Valid();
  ws.comments.push_back({0, "followers", "dana", D("2026-02-01"), "Good start", CommentKind::kLesson});
  EXPECT_TRUE(ValidateWorkspace(ws).empty());
  ws.comments.push_back({0, "ghost", "dana", D("2026-02-02"), "Who?", CommentKind::kComment});
  const Errors errors = ValidateWorkspace(ws);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, ErrorCode::kInvalid);
  EXPECT_EQ(errors[0].kind, "comment");
  EXPECT_EQ(errors[0].id, "ghost");
  EXPECT_EQ(errors[0].field, "goal");
  EXPECT_EQ(errors[0].message,
            "comment of 2026-02-02 on goal 'ghost': goal 'ghost' does not exist; a comment must "
            "name an existing goal");
}

}  // namespace
}  // namespace cascade

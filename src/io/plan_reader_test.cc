#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "io/plan.h"

namespace cascade {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Spec §3's example, line for line.
constexpr const char* kSpecPlan = R"(version: 1
teams:
  - {id: marketing, name: Marketing}
  - {id: social, name: Social Media, parent: marketing}
people:
  - {id: dana, name: Dana Lee, email: dana@example.com, team: social, role: lead}
goals:
  - id: market-share
    title: Achieve 20% market share within six months of launch
    level: macro
    owner: dana
    team: marketing
    start: 2026-01-01
    due: 2026-06-30
    kpis:
      - {id: share, name: Market share, unit: "%", kind: level, baseline: 0, target: 20}
      - {id: nps, name: Net promoter score, kind: threshold, direction: above, target: 50}
    children:
      - id: followers
        title: Generate 10,000 social media followers in the first month
        level: micro
        owner: dana
        due: 2026-01-31
        kpis:
          - {id: followers-count, name: Followers, kind: level, baseline: 0, target: 10000}
        growth_potential: 3
        budget_max: 5000
        actions:
          - {id: plan-posts, title: Plan the launch posts, owner: dana, due: 2026-01-05}
          - {id: publish, title: Publish the launch posts, owner: dana, due: 2026-01-10, depends_on: [plan-posts]}
        experiments:
          - {id: hero-video, name: Video hero post, control: {visitors: 1000, conversions: 50}, variant: {visitors: 1000, conversions: 70}}
checkins:
  - {kpi: share, date: 2026-02-01, value: 3.5}
checkins_csv: data/checkins.csv   # optional, relative to the plan file
funnels:
  - {id: launch, name: Launch funnel, stages: [visits, signups, customers]}
)";

Date D(const char* text) { return *Date::Parse(text); }

std::string Messages(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) out += e.ToString() + "\n";
  return out;
}

TEST(PlanReaderTest, SpecExampleParsesToTheExpectedWorkspace) {
  ParsedPlan plan = ParsePlan(kSpecPlan, "plans/launch.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const Workspace& ws = plan.workspace;

  ASSERT_EQ(ws.teams.size(), 2u);
  EXPECT_EQ(ws.teams[0], (Team{"marketing", "Marketing", "", 0}));
  EXPECT_EQ(ws.teams[1], (Team{"social", "Social Media", "marketing", 0}));
  ASSERT_EQ(ws.people.size(), 1u);
  EXPECT_EQ(ws.people[0],
            (Person{"dana", "Dana Lee", "dana@example.com", "social", Role::kLead, 0}));

  ASSERT_EQ(ws.goals.size(), 2u);
  const Goal& macro = ws.goals[0];
  EXPECT_EQ(macro.id, "market-share");
  EXPECT_EQ(macro.title, "Achieve 20% market share within six months of launch");
  EXPECT_EQ(macro.level, Level::kMacro);
  EXPECT_EQ(macro.parent, "");
  EXPECT_EQ(macro.owner, "dana");
  EXPECT_EQ(macro.team, "marketing");
  EXPECT_EQ(macro.start, D("2026-01-01"));
  EXPECT_EQ(macro.due, D("2026-06-30"));
  EXPECT_EQ(macro.weight, 1);
  EXPECT_EQ(macro.priority, Priority::kMedium);
  EXPECT_EQ(macro.state, GoalState::kActive);
  EXPECT_FALSE(macro.budget_max.has_value());

  const Goal& micro = ws.goals[1];
  EXPECT_EQ(micro.id, "followers");
  EXPECT_EQ(micro.title, "Generate 10,000 social media followers in the first month");
  EXPECT_EQ(micro.level, Level::kMicro);
  EXPECT_EQ(micro.parent, "market-share");
  EXPECT_FALSE(micro.start.has_value());  // inherited from the parent later, not here
  EXPECT_EQ(micro.due, D("2026-01-31"));
  EXPECT_EQ(micro.growth_potential, 3);
  EXPECT_EQ(micro.budget_max, 5000);

  ASSERT_EQ(ws.kpis.size(), 3u);
  EXPECT_EQ(ws.kpis[0].id, "share");
  EXPECT_EQ(ws.kpis[0].goal, "market-share");
  EXPECT_EQ(ws.kpis[0].unit, "%");
  EXPECT_EQ(ws.kpis[0].kind, KpiKind::kLevel);
  EXPECT_EQ(ws.kpis[0].baseline, 0);
  EXPECT_EQ(ws.kpis[0].target, 20);
  EXPECT_EQ(ws.kpis[0].cadence_days, 7);
  EXPECT_EQ(ws.kpis[0].weight, 1);
  EXPECT_EQ(ws.kpis[1].id, "nps");
  EXPECT_EQ(ws.kpis[1].kind, KpiKind::kThreshold);
  EXPECT_EQ(ws.kpis[1].direction, Direction::kAbove);
  EXPECT_FALSE(ws.kpis[1].baseline.has_value());
  EXPECT_EQ(ws.kpis[1].target, 50);
  EXPECT_EQ(ws.kpis[2].id, "followers-count");
  EXPECT_EQ(ws.kpis[2].goal, "followers");
  EXPECT_EQ(ws.kpis[2].target, 10000);

  ASSERT_EQ(ws.actions.size(), 2u);
  EXPECT_EQ(ws.actions[0].goal, "followers");
  EXPECT_EQ(ws.actions[0].due, D("2026-01-05"));
  EXPECT_FALSE(ws.actions[0].done);
  EXPECT_EQ(ws.actions[1].id, "publish");
  EXPECT_THAT(ws.actions[1].depends_on, ElementsAre("plan-posts"));

  ASSERT_EQ(ws.experiments.size(), 1u);
  EXPECT_EQ(ws.experiments[0].goal, "followers");
  EXPECT_EQ(ws.experiments[0].name, "Video hero post");
  EXPECT_EQ(ws.experiments[0].control, (Arm{1000, 50}));
  EXPECT_EQ(ws.experiments[0].variant, (Arm{1000, 70}));

  ASSERT_EQ(ws.checkins.size(), 1u);
  EXPECT_EQ(ws.checkins[0].kpi, "share");
  EXPECT_EQ(ws.checkins[0].date, D("2026-02-01"));
  EXPECT_EQ(ws.checkins[0].value, 3.5);
  EXPECT_EQ(ws.checkins[0].seq, 0);

  ASSERT_EQ(ws.funnels.size(), 1u);
  EXPECT_THAT(ws.funnels[0].stages, ElementsAre("visits", "signups", "customers"));

  EXPECT_EQ(plan.checkins_csv, "plans/data/checkins.csv");
}

TEST(PlanReaderTest, RecordsTheLineOfEveryEntityAndField) {
  ParsedPlan plan = ParsePlan(kSpecPlan, "launch.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const PlanSourceMap& lines = plan.lines;
  EXPECT_EQ(lines.Line("team", "social", ""), 4);
  EXPECT_EQ(lines.Line("team", "social", "parent"), 4);
  EXPECT_EQ(lines.Line("person", "dana", "role"), 6);
  EXPECT_EQ(lines.Line("goal", "market-share", ""), 8);
  EXPECT_EQ(lines.Line("goal", "market-share", "due"), 14);
  EXPECT_EQ(lines.Line("goal", "followers", ""), 19);
  EXPECT_EQ(lines.Line("goal", "followers", "due"), 23);
  EXPECT_EQ(lines.Line("goal", "followers", "budget_max"), 27);
  EXPECT_EQ(lines.Line("goal", "followers", "parent"), 19);  // implied: the goal's own line
  EXPECT_EQ(lines.Line("kpi", "nps", "target"), 17);
  EXPECT_EQ(lines.Line("kpi", "followers-count", ""), 25);
  EXPECT_EQ(lines.Line("action", "publish", "depends_on"), 30);
  EXPECT_EQ(lines.Line("experiment", "hero-video", "variant"), 32);
  EXPECT_EQ(lines.Line("experiment", "hero-video", "control.conversions"), 32);
  EXPECT_EQ(lines.Line("checkin", "share", "value"), 34);
  EXPECT_EQ(lines.Line("funnel", "launch", "stages"), 37);
  EXPECT_EQ(lines.Line("goal", "nowhere", "due"), 0);
}

TEST(PlanReaderTest, GoalsMayPointUpWithParentInsteadOfNesting) {
  ParsedPlan plan = ParsePlan(R"(version: 1
goals:
  - {id: child, title: Child goal here, level: micro, parent: top}
  - id: top
    title: Top goal here
    level: macro
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  ASSERT_EQ(plan.workspace.goals.size(), 2u);
  EXPECT_EQ(plan.workspace.goals[0].parent, "top");
  EXPECT_EQ(plan.workspace.goals[1].parent, "");
}

TEST(PlanReaderTest, NestedEntitiesMayRepeatTheImpliedFieldWhenItAgrees) {
  ParsedPlan plan = ParsePlan(R"(goals:
  - id: a
    level: macro
    kpis: [{id: k, goal: a, kind: cumulative, target: 5}]
    children:
      - {id: b, level: micro, parent: a}
      - {id: c, level: micro, parent: b}
)",
                              "p.yaml");
  ASSERT_EQ(plan.errors.size(), 1u) << Messages(plan.errors);
  EXPECT_EQ(plan.errors[0].line, 7);
  EXPECT_EQ(
      plan.errors[0].message,
      "goal 'c': parent 'b' contradicts its place under goal 'a'; remove 'parent' or move it");
}

TEST(PlanReaderTest, DefaultsAndOptionalFields) {
  ParsedPlan plan = ParsePlan(R"(version: 1
people:
  - {id: sam}
goals:
  - id: g
    level: micro
    kpis:
      - {id: launched, kind: milestone}
      - {id: leads, kind: cumulative, target: 50, cadence_days: 14, weight: 2.5}
    actions:
      - {id: a1, done: yes}
      - {id: a2, done: false}
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const Workspace& ws = plan.workspace;
  EXPECT_EQ(ws.people[0].role, Role::kMember);
  const Kpi& milestone = ws.kpis[0];
  EXPECT_EQ(milestone.target, 1);
  // As entered: none. The formulas' effective baseline is 0.
  EXPECT_FALSE(milestone.baseline.has_value());
  EXPECT_EQ(milestone.effective_baseline(), 0.0);
  EXPECT_EQ(milestone.cadence_days, 7);
  EXPECT_EQ(ws.kpis[1].cadence_days, 14);
  EXPECT_EQ(ws.kpis[1].weight, 2.5);
  EXPECT_TRUE(ws.actions[0].done);
  EXPECT_FALSE(ws.actions[1].done);
  EXPECT_EQ(ws.goals[0].weight, 1);
  EXPECT_EQ(ws.goals[0].budget_min, 0);
  EXPECT_TRUE(ws.goals[0].tags.empty());
  EXPECT_EQ(plan.checkins_csv, "");
}

TEST(PlanReaderTest, TextMayHoldCommasColonsPercentAndHash) {
  ParsedPlan plan = ParsePlan(R"(goals:
  - id: g
    level: macro
    title: "Grow: 10,000 fans, +20% # not a comment"
    description: 'It''s 50% #1'
    channel: social # a comment
    tags: [q1, "a, b", '#x']
checkins:
  - {kpi: k, date: 2026-01-02, value: 1, note: "call: 5% up, #win", author: dana}
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const Goal& g = plan.workspace.goals[0];
  EXPECT_EQ(g.title, "Grow: 10,000 fans, +20% # not a comment");
  EXPECT_EQ(g.description, "It's 50% #1");
  EXPECT_EQ(g.channel, "social");
  EXPECT_THAT(g.tags, ElementsAre("q1", "a, b", "#x"));
  EXPECT_EQ(plan.workspace.checkins[0].note, "call: 5% up, #win");
  EXPECT_EQ(plan.workspace.checkins[0].author, "dana");
}

// The check for unclosed quotes lets every closed form through: quotes inside plain text and
// block text, escaped quotes, comments, and quoted text running on over lines indented further.
TEST(PlanReaderTest, ClosedQuotesInEveryFormPass) {
  ParsedPlan plan = ParsePlan(R"(goals:  # "a comment's quote
  - id: g
    level: macro
    title: "Runs on
      over two lines"
    description: |
      He said "hello
      and 'left
    channel: it's "social
    tags:
      - "a \" b"
      - 'it''s'
      - "line one
        line two"
    kpis:
      - {id: k, kind: level, target: 5, name: "K \"quoted\"
          name"}
checkins:
  - {kpi: k, date: 2026-01-02, value: 1, note: 5" screen}
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const Goal& g = plan.workspace.goals[0];
  EXPECT_EQ(g.title, "Runs on over two lines");
  EXPECT_EQ(g.description, "He said \"hello\nand 'left\n");
  EXPECT_EQ(g.channel, "it's \"social");
  EXPECT_THAT(g.tags, ElementsAre("a \" b", "it's", "line one line two"));
  EXPECT_EQ(plan.workspace.kpis[0].name, "K \"quoted\" name");
  EXPECT_EQ(plan.workspace.checkins[0].note, "5\" screen");
}

TEST(PlanReaderTest, NumbersMayBeIntegersFloatsOrExponents) {
  ParsedPlan plan = ParsePlan(R"(goals:
  - id: g
    level: micro
    weight: 0.5
    budget_min: +100
    budget_max: 1.5e3
    kpis: [{id: k, kind: level, baseline: -2, target: 1e-7}]
checkins:
  - {kpi: k, date: 2026-01-02, value: 12345.678}
  - {kpi: k, date: 2026-01-03, value: "7"}
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const Goal& g = plan.workspace.goals[0];
  EXPECT_EQ(g.weight, 0.5);
  EXPECT_EQ(g.budget_min, 100);
  EXPECT_EQ(g.budget_max, 1500);
  EXPECT_EQ(plan.workspace.kpis[0].baseline, -2);
  EXPECT_EQ(plan.workspace.kpis[0].target, 1e-7);
  EXPECT_EQ(plan.workspace.checkins[0].value, 12345.678);
  EXPECT_EQ(plan.workspace.checkins[1].value, 7);
}

TEST(PlanReaderTest, AliasesWorkButCannotExpandWithoutBound) {
  ParsedPlan plan = ParsePlan(R"(version: 1
goals:
  - {id: g1, title: Goal number one, level: macro, tags: &t [launch, q1]}
  - {id: g2, title: Goal number two, level: macro, tags: *t}
)",
                              "plan.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  ASSERT_EQ(plan.workspace.goals.size(), 2u);
  EXPECT_THAT(plan.workspace.goals[1].tags, ElementsAre("launch", "q1"));
  // "Billion laughs": 400 bytes that would expand to 9^7 values.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'g'; ++c) {
    const char prev = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  plan = ParsePlan(bomb, "bomb.yaml");
  ASSERT_EQ(plan.errors.size(), 1u) << Messages(plan.errors);
  EXPECT_THAT(plan.errors[0].message, HasSubstr("aliases (*name) expand to more than"));
}

TEST(PlanReaderTest, JsonPlansParseWithTheSameReader) {
  const char* json = R"({
  "version": 1,
  "teams": [{"id": "marketing", "name": "Marketing"}],
  "goals": [
    {
      "id": "market-share",
      "title": "Achieve 20% market share: \"big\" \u00e9 \ud83d\ude80",
      "level": "macro",
      "start": "2026-01-01",
      "due": "2026-06-30",
      "tags": [],
      "kpis": [{"id": "share", "kind": "level", "baseline": 0, "target": 20.5}],
      "children": [
        {"id": "followers", "level": "micro", "budget_max": null, "dua": 1}
      ]
    }
  ],
  "checkins": [{"kpi": "share", "date": "2026-02-01", "value": 3.5, "note": "a\\ud83d"}]
})";
  ParsedPlan plan = ParsePlan(json, "plan.json");
  ASSERT_EQ(plan.errors.size(), 1u) << Messages(plan.errors);
  EXPECT_EQ(plan.errors[0].line, 14);
  EXPECT_EQ(plan.errors[0].id, "followers");
  EXPECT_EQ(plan.errors[0].field, "dua");

  const Workspace& ws = plan.workspace;
  ASSERT_EQ(ws.goals.size(), 2u);
  EXPECT_EQ(ws.goals[0].title, "Achieve 20% market share: \"big\" \u00e9 \U0001F680");
  EXPECT_EQ(ws.goals[0].start, D("2026-01-01"));
  EXPECT_EQ(ws.goals[1].parent, "market-share");
  EXPECT_FALSE(ws.goals[1].budget_max.has_value());
  EXPECT_EQ(ws.kpis[0].target, 20.5);
  EXPECT_EQ(ws.checkins[0].note, "a\\ud83d");  // an escaped backslash stays a backslash
  EXPECT_EQ(plan.lines.Line("goal", "market-share", "due"), 10);
  EXPECT_EQ(plan.lines.Line("kpi", "share", ""), 12);
}

// One case per kind of problem the reader reports: the plan, the line, what the message says and
// the kind/id/field it names.
struct ErrorCase {
  const char* name;
  const char* plan;
  int line;
  const char* message;
  const char* kind;
  const char* id;
  const char* field;
};

const ErrorCase kErrorCases[] = {
    {"unknown goal field", "goals:\n  - id: followers\n    level: micro\n    dua: 2026-01-01\n", 4,
     "goal 'followers': unknown field 'dua'; allowed: id, title, description, level, parent, "
     "owner, contributors, team, cycle, start, due, weight, priority, growth_potential, "
     "budget_min, budget_max, channel, segment, stage, state, tags, supports, kpis, actions, "
     "experiments, children",
     "goal", "followers", "dua"},
    {"unknown section", "version: 1\nkpis: []\n", 2,
     "unknown section 'kpis' (kpis are written under their goal); allowed: version, teams, "
     "people, goals, checkins, checkins_csv, funnels, spend, cycles, comments, reviews",
     "", "", ""},
    {"wrong version", "version: 2\n", 1,
     "version must be 1 (the plan format this Cascade reads), not '2'", "", "", "version"},
    {"section not a list", "goals:\n  id: x\n", 1,
     "'goals' must be a list (items starting with '- '), not a mapping", "", "", ""},
    {"entry not a mapping", "teams:\n  - marketing\n", 2,
     "each entry of 'teams' must be a mapping of fields (id, name, parent, …), not 'marketing'",
     "team", "", ""},
    {"missing id", "teams:\n  - {name: Marketing}\n", 2, "team: missing required field 'id'",
     "team", "", "id"},
    {"missing level", "goals:\n  - id: g\n    title: Grow the list\n", 2,
     "goal 'g': missing required field 'level' (macro or micro)", "goal", "g", "level"},
    {"bad enum", "goals:\n  - id: g\n    level: mega\n", 3,
     "goal 'g': level 'mega' is not one of: macro, micro", "goal", "g", "level"},
    {"bad role", "people:\n  - {id: p, role: boss}\n", 2,
     "person 'p': role 'boss' is not one of: admin, lead, member, viewer", "person", "p", "role"},
    {"bad stage", "goals:\n  - {id: g, level: micro, stage: hype}\n", 2,
     "goal 'g': stage 'hype' is not one of: awareness, consideration, conversion, retention",
     "goal", "g", "stage"},
    {"malformed date", "goals:\n  - id: g\n    level: micro\n    due: 31/01/2026\n", 4,
     "goal 'g': due must be a date written YYYY-MM-DD, not '31/01/2026'", "goal", "g", "due"},
    {"not a real day", "goals:\n  - id: g\n    level: micro\n    start: 2026-02-30\n", 4,
     "goal 'g': start '2026-02-30' is not a real day", "goal", "g", "start"},
    {"not a number", "goals:\n  - id: g\n    level: micro\n    weight: heavy\n", 4,
     "goal 'g': weight must be a number, not 'heavy'", "goal", "g", "weight"},
    {"nan refused", "checkins:\n  - {kpi: k, date: 2026-01-01, value: .nan}\n", 2,
     "check-in of 2026-01-01 for KPI 'k': value must be a finite number, not '.nan'", "checkin",
     "k", "value"},
    {"inf refused", "goals:\n  - {id: g, level: micro, budget_max: .inf}\n", 2,
     "goal 'g': budget_max must be a finite number, not '.inf'", "goal", "g", "budget_max"},
    {"huge refused", "goals:\n  - {id: g, level: micro, weight: 1e999}\n", 2,
     "goal 'g': weight must be a finite number, not '1e999'", "goal", "g", "weight"},
    {"wrong type", "goals:\n  - id: g\n    level: micro\n    title: [a, b]\n", 4,
     "goal 'g': title must be text, not a list", "goal", "g", "title"},
    {"missing kind", "goals:\n  - id: g\n    level: micro\n    kpis:\n      - {id: k, target: 5}\n",
     5, "kpi 'k': missing required field 'kind' (level, cumulative, milestone, threshold or formula)", "kpi",
     "k", "kind"},
    {"missing target",
     "goals:\n  - id: g\n    level: micro\n    kpis:\n      - {id: k, kind: level}\n", 5,
     "kpi 'k': missing required field 'target'", "kpi", "k", "target"},
    {"fractional cadence",
     "goals:\n  - id: g\n    level: micro\n    kpis:\n      - {id: k, kind: level, target: 5, "
     "cadence_days: 3.5}\n",
     5, "kpi 'k': cadence_days must be a whole number, not '3.5'", "kpi", "k", "cadence_days"},
    {"bad bool",
     "goals:\n  - id: g\n    level: micro\n    actions:\n      - {id: a, done: maybe}\n", 5,
     "action 'a': done must be true or false, not 'maybe'", "action", "a", "done"},
    {"list expected", "goals:\n  - id: g\n    level: micro\n    tags: social\n", 4,
     "goal 'g': tags must be a list (items starting with '- ', or [a, b]), not 'social'", "goal",
     "g", "tags"},
    {"arm field",
     "goals:\n  - id: g\n    level: micro\n    experiments:\n      - id: x\n        control: "
     "{visitors: 10, conversions: 1}\n        variant: {visitors: 10, conversions: 2, vistors: "
     "3}\n",
     7, "experiment 'x': variant: unknown field 'vistors'; allowed: visitors, conversions",
     "experiment", "x", "vistors"},
    {"missing arm",
     "goals:\n  - id: g\n    level: micro\n    experiments:\n      - {id: x, variant: {visitors: "
     "1, conversions: 0}}\n",
     5, "experiment 'x': missing required field 'control' ({visitors: N, conversions: N})",
     "experiment", "x", "control"},
    {"checkin without value", "checkins:\n  - {kpi: k, date: 2026-01-01}\n", 2,
     "check-in of 2026-01-01 for KPI 'k': missing required field 'value'", "checkin", "k", "value"},
    {"checkin without kpi", "checkins:\n  - {date: 2026-01-01, value: 1}\n", 2,
     "check-in of 2026-01-01: missing required field 'kpi'", "checkin", "", "kpi"},
    {"duplicate field", "goals:\n  - id: g\n    level: micro\n    level: macro\n", 4,
     "goal 'g': field 'level' is given twice (first on line 3)", "goal", "g", "level"},
    {"syntax error", "goals:\n  - id: g\n    title: a: b\n", 3,
     "YAML syntax error at column 13: illegal map value (a value holding ': ' must be quoted)", "", "", ""},
    {"unclosed flow", "teams:\n  - {id: a, name: b\n", 2,
     "YAML syntax error at column 1: end of map flow not found (a '{' or '[' is not closed)", "", "", ""},
    {"tab indent", "goals:\n\t- id: g\n", 2,
     "YAML syntax error at column 2: illegal block entry (indent with spaces: YAML does not allow tabs there)",
     "", "", ""},
    {"unclosed quote at the end", "goals:\n  - id: g\n    level: micro\n    title: \"open\n", 4,
     "the quote that opens on this line is never closed; end the text with the same quote", "",
     "", ""},
    {"unclosed quote before the next field",
     "goals:\n  - id: g\n    title: 'open\n    level: micro\n", 3,
     "the quote that opens on this line is not closed before the next field; end the text with "
     "the same quote (a text running on over lines indents them further)",
     "", "", ""},
    {"unclosed quote of a list item", "goals:\n  - id: g\n    level: micro\n    tags:\n    - \"a\n"
     "    - b\n", 5,
     "the quote that opens on this line is not closed before the next field; end the text with "
     "the same quote (a text running on over lines indents them further)",
     "", "", ""},
    {"unclosed quote in a flow mapping", "teams:\n  - {id: a, name: \"A\n  - {id: b}\n", 2,
     "the quote that opens on this line is not closed before the next field; end the text with "
     "the same quote (a text running on over lines indents them further)",
     "", "", ""},
    {"JSON string over two lines", "{\"goals\": [{\"id\": \"g\",\n \"title\": \"a\nb\"}]}", 2,
     "the string that opens on this line is not closed; a JSON string ends with '\"' on the line "
     "it starts",
     "", "", ""},
    {"JSON syntax", "{\"version\": 1,\n \"goals\": [,]}", 2,
     "JSON syntax error at column 12: syntax error while parsing value - unexpected ','; "
     "expected '[', '{', or a literal",
     "", "", ""},
    {"empty plan", "# nothing here\n", 1,
     "the plan is empty; start it with 'version: 1' and a 'goals:' list", "", "", ""},
    {"two documents", "version: 1\n---\nversion: 1\n", 2,
     "a plan is one YAML document; remove the second '---' and what follows, or merge it into "
     "the first",
     "", "", ""},
    {"not a mapping", "- a\n- b\n", 1,
     "a plan must be a mapping of sections (version, teams, people, goals, checkins, "
     "checkins_csv, funnels, spend, cycles, comments, reviews), not a list",
     "", "", ""},
};

class PlanReaderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(PlanReaderErrorTest, ReportsTheProblemWithItsLine) {
  const ErrorCase& c = GetParam();
  ParsedPlan plan = ParsePlan(c.plan, "plan.yaml");
  ASSERT_EQ(plan.errors.size(), 1u) << Messages(plan.errors);
  const Error& e = plan.errors[0];
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message, c.message);
  EXPECT_EQ(e.line, c.line);
  EXPECT_EQ(e.file, "plan.yaml");
  EXPECT_EQ(e.kind, c.kind);
  EXPECT_EQ(e.id, c.id);
  EXPECT_EQ(e.field, c.field);
  EXPECT_EQ(e.ToString(), "plan.yaml:" + std::to_string(c.line) + ": " + c.message);
}

INSTANTIATE_TEST_SUITE_P(Cases, PlanReaderErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) {
                           std::string name = info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(PlanReaderTest, ReportsEveryErrorInLineOrder) {
  ParsedPlan plan = ParsePlan(R"(version: 1
goals:
  - id: a
    level: mega
    due: 2026-13-01
    kpis:
      - {id: k, kind: level, target: lots}
checkins:
  - {kpi: k, date: yesterday, value: 1}
  - {kpi: k, date: 2026-01-01, value: .inf, mood: happy}
people:
  - {name: Nobody}
)",
                              "plan.yaml");
  std::vector<std::pair<int, std::string>> got;
  for (const Error& e : plan.errors) got.emplace_back(e.line, e.field);
  EXPECT_THAT(got, ElementsAre(std::pair(4, "level"), std::pair(5, "due"), std::pair(7, "target"),
                               std::pair(9, "date"), std::pair(10, "mood"), std::pair(10, "value"),
                               std::pair(12, "id")))
      << Messages(plan.errors);
}

TEST(PlanReaderTest, CheckinsCsvResolvesAgainstThePlanFolder) {
  EXPECT_EQ(ParsePlan("checkins_csv: c.csv\n", "a/b/plan.yaml").checkins_csv, "a/b/c.csv");
  EXPECT_EQ(ParsePlan("checkins_csv: c.csv\n", "plan.yaml").checkins_csv, "c.csv");
  EXPECT_EQ(ParsePlan("checkins_csv: /data/c.csv\n", "a/plan.yaml").checkins_csv, "/data/c.csv");
}

TEST(PlanReaderTest, AnchorsAndAliasesAreFollowed) {
  ParsedPlan plan = ParsePlan(R"(goals:
  - id: g
    level: micro
    tags: &common [launch, q1]
  - id: h
    level: micro
    tags: *common
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  EXPECT_THAT(plan.workspace.goals[1].tags, ElementsAre("launch", "q1"));
}

TEST(LocateErrorsTest, PinsValidationErrorsOnThePlanLines) {
  ParsedPlan plan = ParsePlan(kSpecPlan, "launch.yaml");
  ASSERT_TRUE(plan.errors.empty());
  Errors errors = {
      Error::Invalid("goal 'followers': due after parent", "goal", "followers", "due"),
      Error::NotFound("kpi 'nps': no such goal", "kpi", "nps", "goal"),
      Error::Invalid("check-in of 'share': unknown KPI", "checkin", "share", "kpi"),
      Error::Invalid("goal 'kept': stored, not in the plan", "goal", "kept", "owner"),
  };
  LocateErrors(errors, plan, "launch.yaml");
  EXPECT_EQ(errors[0].ToString(), "launch.yaml:23: goal 'followers': due after parent");
  EXPECT_EQ(errors[1].line, 17);  // no `goal` field written: the KPI's own line
  EXPECT_EQ(errors[2].line, 34);
  EXPECT_EQ(errors[3].line, 0);
  EXPECT_EQ(errors[3].file, "");
}

TEST(PlanReaderTest, ReadsAMillionCheckinsWithoutKeepingATreeOfThem) {
  std::string text = "version: 1\ncheckins:\n";
  constexpr int kCount = 200000;
  text.reserve(kCount * 48);
  for (int i = 0; i < kCount; ++i) {
    text += "  - {kpi: k, date: 2026-01-0" + std::to_string(1 + i % 9) +
            ", value: " + std::to_string(i) + "}\n";
  }
  ParsedPlan plan = ParsePlan(text, "big.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  ASSERT_EQ(plan.workspace.checkins.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(plan.workspace.checkins.back().value, kCount - 1);
  EXPECT_EQ(plan.lines.Line("checkin", "k", ""), 3);
}

TEST(PlanReaderTest, ReadsContributorsSupportsAndSegment) {
  ParsedPlan plan = ParsePlan(R"(version: 1
goals:
  - id: brand
    title: Brand awareness up
    level: macro
  - id: launch
    title: Launch the tracker
    level: macro
    owner: dana
    contributors: [sam, lee]
    supports: [brand]
    segment: gen-z
)",
                              "p.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  ASSERT_EQ(plan.workspace.goals.size(), 2u);
  const Goal& g = plan.workspace.goals[1];
  EXPECT_THAT(g.contributors, ElementsAre("sam", "lee"));
  EXPECT_THAT(g.supports, ElementsAre("brand"));
  EXPECT_EQ(g.segment, "gen-z");
  EXPECT_TRUE(plan.workspace.goals[0].contributors.empty());
  EXPECT_EQ(plan.workspace.goals[0].segment, "");
  EXPECT_EQ(plan.lines.Line("goal", "launch", "supports"), 11);
}

}  // namespace
}  // namespace cascade

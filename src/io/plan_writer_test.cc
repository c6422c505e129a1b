#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "core/changeset.h"
#include "io/plan.h"

namespace cascade {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, Level level, std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.level = level;
  g.parent = std::move(parent);
  return g;
}

std::string Messages(const Errors& errors) {
  std::string out;
  for (const Error& e : errors) out += e.ToString() + "\n";
  return out;
}

// A workspace as storage hands it out: versions and seqs set, every field and kind used, text
// that YAML would misread if written bare, numbers without a short decimal form.
Workspace RichWorkspace() {
  Workspace ws;
  ws.teams = {{"company", "Company, Inc.", "", 3},
              {"marketing", "Marketing: \"growth\"", "company", 1},
              {"social", "Social # media", "marketing", 2}};
  ws.people = {{"dana", "Dana Lee", "dana@example.com", "social", Role::kLead, 1},
               {"sam", "Sam Ó'Brien", "", "", Role::kMember, 4},
               {"root", "yes", "no@example.com", "company", Role::kAdmin, 1},
               {"vic", "null", "", "marketing", Role::kViewer, 1}};

  Goal macro;
  macro.id = "market-share";
  macro.title = "Achieve 20% market share: within six months, #1";
  macro.description = "Line one\nline two\t\"quoted\" \\ backslash — ünïcödé 🚀";
  macro.level = Level::kMacro;
  macro.owner = "dana";
  macro.team = "marketing";
  macro.start = D("2026-01-01");
  macro.due = D("2026-06-30");
  macro.weight = 0.1;
  macro.priority = Priority::kHigh;
  macro.growth_potential = 12345.678;
  macro.budget_min = 1e-7;
  macro.budget_max = 1e9;
  macro.channel = "paid";
  macro.stage = Stage::kAwareness;
  macro.tags = {"launch", "2026", "true", "a, b", "#x", "- y", "k: v"};
  macro.version = 7;

  Goal micro;
  micro.id = "followers";
  micro.title = "2026-01-31";
  micro.level = Level::kMicro;
  micro.parent = "market-share";
  micro.owner = "sam";
  micro.due = D("2026-01-31");
  micro.priority = Priority::kLow;
  micro.stage = Stage::kRetention;
  micro.state = GoalState::kDraft;
  micro.channel = "social";
  micro.version = 2;

  Goal nested = micro;
  nested.id = "reels";
  nested.title = "123";
  nested.parent = "followers";
  nested.state = GoalState::kCancelled;
  nested.stage = Stage::kConsideration;
  nested.priority = Priority::kMedium;
  nested.weight = 3;
  nested.due.reset();
  nested.version = 1;

  Goal other;
  other.id = "9lives";  // an id YAML could take for a number
  other.title = "Second root: ~ null";
  other.level = Level::kMacro;
  other.start = D("2026-03-01");
  other.stage = Stage::kConversion;
  other.version = 1;
  // Contributors, supports (ids YAML could misread among them) and a segment YAML would misread.
  micro.contributors = {"dana", "root"};
  micro.supports = {"9lives"};
  micro.segment = "gen-z: 18-24, #1";
  other.contributors = {"sam"};
  other.supports = {"market-share", "followers"};
  other.segment = "null";
  // Children listed before their parent, as a stored workspace may hold them after a re-parent.
  ws.goals = {micro, nested, macro, other};

  ws.kpis = {
      {"share", "market-share", "Market share", "%", KpiKind::kLevel, 0.0, 20, "", Direction::kNone, 1,
       7, "", "", "", 5},
      {"nps", "market-share", "Net promoter score", "", KpiKind::kThreshold, std::nullopt, 50, "",
       Direction::kAbove, 0.25, 30, "survey: quarterly", "", "", 1},
      {"churn", "market-share", "Churn", "% / month", KpiKind::kThreshold, 8.5, 5, "",
       Direction::kBelow, 1, 7, "", "", "", 1},
      {"followers-count", "followers", "Followers", "", KpiKind::kCumulative, -0.5, 10000, "",
       Direction::kNone, 2, 1, "https://analytics.example.com/?q=1#frag", "", "", 3},
      {"launched", "reels", "Launched", "", KpiKind::kMilestone, std::nullopt, 1, "", Direction::kNone,
       1, 7, "", "", "", 1},
      {"launched-2", "9lives", "Also launched", "", KpiKind::kMilestone, 0.0, 1, "", Direction::kNone,
       1, 7, "", "", "", 1},
  };
  ws.actions = {
      {"plan-posts", "followers", "Plan the launch posts", "dana", D("2026-01-05"), true, {}, 2},
      {"publish",
       "followers",
       "Publish: the posts",
       "sam",
       D("2026-01-10"),
       false,
       {"plan-posts"},
       1},
      {"bare", "9lives", "", "", std::nullopt, false, {}, 1},
  };
  ws.funnels = {{"launch", "Launch funnel", {"share", "followers-count"}, 2}, {"empty", "", {}, 1}};
  ws.experiments = {{"hero-video", "followers", "Video hero post", {1000, 50}, {1000, 70}, 3},
                    {"no-name", "9lives", "", {1, 0}, {2, 2}, 1}};
  ws.checkins = {
      {"share", D("2026-02-01"), 3.5, "", "", 1},
      {"share", D("2026-02-01"), 3.5, "", "", 2},  // a repeat stays a repeat
      {"share", D("2026-01-15"), 0.1, "first: rough, #1", "dana", 3},
      {"followers-count", D("2026-01-02"), 1e-7, "yes", "sam", 4},
      {"followers-count", D("2026-01-03"), 12345.678, "2026-01-03", "", 5},
      {"nps", D("2026-01-20"), -42, "\xc2\x85 next line \xe2\x80\xa8 sep \x01 ctrl", "", 6},
      {"launched", D("2026-01-09"), 1, "", "", 7},
      {"churn", D("2026-01-09"), 1.0 / 3.0, "", "", 8},
      {"share", D("2026-01-16"), 2, "judged", "dana", 9, Confidence::kAtRisk},
      {"nps", D("2026-01-21"), 1, "", "", 10, Confidence::kOffTrack},
  };
  ws.spend = {{1, "market-share", D("2026-01-04"), 1200.25, "ads: \"spring\"", "dana"},
              {2, "followers", D("2026-01-05"), -50, "", ""},
              {3, "followers", D("2026-01-05"), -50, "", ""}};  // a repeat stays a repeat
  ws.comments = {{
      1,
      "market-share",
      "dana",
      D("2026-01-03"),
      "Looks good",
  }};
  ws.comments.push_back({2, "followers", "", D("2026-01-04"), "Lesson: \"post\" at 9", CommentKind::kLesson});
  ws.comments.push_back({3, "followers", "", D("2026-01-04"), "Lesson: \"post\" at 9", CommentKind::kLesson});
  ws.reviews = {{1, D("2026-01-31"), "marketing", "Monthly", {{"market-share", 0.5, "on_track"}}},
                {2, D("2026-02-28"), "", "", {{"market-share", 1.0 / 3.0, "at_risk"},
                                              {"gone", std::nullopt, "unmeasured"}}}};
  return ws;
}

template <typename T>
CowVector<T> Unversioned(CowVector<T> items) {
  for (T& item : items) item.version = 0;
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.id < b.id; });
  return items;
}

// Applying an export changes nothing: export, read back, merge with pruning, diff.
void ExpectRoundTrip(const Workspace& ws, const std::string& text, const std::string& file) {
  ParsedPlan plan = ParsePlan(text, file);
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors) << text;

  const Workspace merged = MergePlan(ws, plan.workspace, /*prune=*/true);
  const ChangeSet changes = DiffWorkspaces(ws, merged);
  EXPECT_TRUE(changes.empty()) << text;
  for (const EntityChange& c : changes.changes) {
    ADD_FAILURE() << ToString(c.op) << " " << EntityKindName(c.before ? *c.before : *c.after) << " "
                  << EntityId(c.before ? *c.before : *c.after);
  }
  EXPECT_EQ(merged.checkins, ws.checkins);

  // And the plan itself holds exactly the workspace's entities.
  const Workspace& p = plan.workspace;
  EXPECT_EQ(Unversioned(p.teams), Unversioned(ws.teams));
  EXPECT_EQ(Unversioned(p.people), Unversioned(ws.people));
  EXPECT_EQ(Unversioned(p.goals), Unversioned(ws.goals));
  EXPECT_EQ(Unversioned(p.kpis), Unversioned(ws.kpis));
  EXPECT_EQ(Unversioned(p.actions), Unversioned(ws.actions));
  EXPECT_EQ(Unversioned(p.funnels), Unversioned(ws.funnels));
  EXPECT_EQ(Unversioned(p.experiments), Unversioned(ws.experiments));
  EXPECT_EQ(Unversioned(p.cycles), Unversioned(ws.cycles));
  ASSERT_EQ(p.checkins.size(), ws.checkins.size());
  for (size_t i = 0; i < p.checkins.size(); ++i) {
    Checkin expected = ws.checkins[i];
    expected.seq = 0;
    EXPECT_EQ(p.checkins[i], expected) << i;
  }
  EXPECT_EQ(merged.spend, ws.spend);
  EXPECT_EQ(merged.comments, ws.comments);
  EXPECT_EQ(merged.reviews, ws.reviews);
  ASSERT_EQ(p.comments.size(), ws.comments.size());
  for (size_t i = 0; i < p.comments.size(); ++i) {
    Comment expected = ws.comments[i];
    expected.seq = 0;
    EXPECT_EQ(p.comments[i], expected) << i;
  }
  ASSERT_EQ(p.reviews.size(), ws.reviews.size());
  for (size_t i = 0; i < p.reviews.size(); ++i) {
    Review expected = ws.reviews[i];
    expected.seq = 0;
    EXPECT_EQ(p.reviews[i], expected) << i;
  }
  ASSERT_EQ(p.spend.size(), ws.spend.size());
  for (size_t i = 0; i < p.spend.size(); ++i) {
    Spend expected = ws.spend[i];
    expected.seq = 0;
    EXPECT_EQ(p.spend[i], expected) << i;
  }
}

TEST(PlanWriterTest, ConfidenceAndSpendAsWritten) {
  const Workspace ws = RichWorkspace();
  const std::string yaml = WritePlanYaml(ws);
  EXPECT_NE(yaml.find("  - {kpi: share, date: 2026-01-16, value: 2, note: \"judged\", author: dana, "
                      "confidence: at_risk}\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("spend:\n  - {goal: market-share, date: 2026-01-04, amount: 1200.25, note: "
                      "\"ads: \\\"spring\\\"\", author: dana}\n  - {goal: followers, date: "
                      "2026-01-05, amount: -50}\n"),
            std::string::npos)
      << yaml;
  // A plan that adds one more of a repeated record adds just that one.
  std::string more = yaml;
  more.insert(more.find("comments:\n"), "  - {goal: followers, date: 2026-01-05, amount: -50}\n");
  ParsedPlan plan = ParsePlan(more, "more.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  const ChangeSet changes = DiffWorkspaces(ws, MergePlan(ws, plan.workspace, false));
  ASSERT_EQ(changes.spend.size(), 1u);
  EXPECT_EQ(changes.spend[0].amount, -50);
  EXPECT_TRUE(changes.spend_changes.empty());
}

TEST(PlanWriterTest, CyclesAndGoalCyclesRoundTrip) {
  Workspace ws = RichWorkspace();
  ws.cycles = {{"2026-q1", "Q1: launch", D("2026-01-01"), D("2026-03-31"), CycleState::kClosed, 2},
               {"2026-q2", "", D("2026-04-01"), D("2026-06-30"), CycleState::kOpen, 1}};
  ws.goals[0].cycle = "2026-q1";
  const std::string yaml = WritePlanYaml(ws);
  // Ids starting with a digit are quoted, as every id YAML could misread.
  EXPECT_NE(
      yaml.find("cycles:\n  - {id: \"2026-q1\", name: \"Q1: launch\", start: 2026-01-01, end: "
                "2026-03-31, state: closed}\n  - {id: \"2026-q2\", start: 2026-04-01, end: "
                "2026-06-30}\ngoals:\n"),
      std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("        cycle: \"2026-q1\"\n"), std::string::npos) << yaml;
  ExpectRoundTrip(ws, yaml, "export.yaml");
  ExpectRoundTrip(ws, WritePlanJson(ws), "export.json");
  // A cycle without its dates, or with a state that is not one, names its line.
  ParsedPlan bad = ParsePlan(
      "cycles:\n  - {id: q3, start: 2026-07-01}\n  - {id: q4, start: "
      "2026-10-01, end: 2026-12-31, state: done}\n",
      "bad.yaml");
  ASSERT_EQ(bad.errors.size(), 2u) << Messages(bad.errors);
  EXPECT_EQ(bad.errors[0].line, 2);
  EXPECT_EQ(bad.errors[0].field, "end");
  EXPECT_EQ(bad.errors[1].line, 3);
  EXPECT_EQ(bad.errors[1].field, "state");
}

TEST(PlanWriterTest, CommentsAndReviewsAsWritten) {
  const Workspace ws = RichWorkspace();
  const std::string yaml = WritePlanYaml(ws);
  EXPECT_NE(yaml.find("comments:\n  - {goal: market-share, author: dana, date: 2026-01-03, text: "
                      "\"Looks good\"}\n  - {goal: followers, date: 2026-01-04, text: \"Lesson: "
                      "\\\"post\\\" at 9\", kind: lesson}\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("reviews:\n  - {date: 2026-01-31, team: marketing, notes: \"Monthly\", "
                      "snapshot: [{goal: market-share, progress: 0.5, status: on_track}]}\n  - {date: "
                      "2026-02-28, snapshot: [{goal: market-share, progress: 0.3333333333333333, "
                      "status: at_risk}, {goal: gone, progress: null, status: unmeasured}]}\n"),
            std::string::npos)
      << yaml;
  // One more of a repeated comment adds just that one; a new review is appended.
  ParsedPlan plan = ParsePlan(yaml +
                                  "  - {date: 2026-03-31, notes: \"Q1\", snapshot: []}\n"
                                  "comments_more: x\n",
                              "more.yaml");
  ASSERT_EQ(plan.errors.size(), 1u);  // the unknown section, by its line
  EXPECT_EQ(plan.errors[0].message.substr(0, 33), "unknown section 'comments_more'; ");
  plan = ParsePlan(yaml + "  - {date: 2026-03-31, notes: \"Q1\", snapshot: []}\n", "more.yaml");
  ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors);
  ChangeSet changes = DiffWorkspaces(ws, MergePlan(ws, plan.workspace, false));
  ASSERT_EQ(changes.reviews.size(), 1u);
  EXPECT_EQ(changes.reviews[0].notes, "Q1");
  EXPECT_TRUE(changes.comments.empty());
}

TEST(PlanWriterTest, YamlExportAppliesAsNoChange) {
  const Workspace ws = RichWorkspace();
  ExpectRoundTrip(ws, WritePlanYaml(ws), "export.yaml");
}

TEST(PlanWriterTest, JsonExportAppliesAsNoChange) {
  const Workspace ws = RichWorkspace();
  ExpectRoundTrip(ws, WritePlanJson(ws), "export.json");
}

TEST(PlanWriterTest, JsonIsPrettyNlohmannJsonOfTheSameTree) {
  const Workspace ws = RichWorkspace();
  const std::string text = WritePlanJson(ws);
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  // Streaming the check-ins gives exactly what dumping the whole tree would.
  EXPECT_EQ(text, j.dump(2) + "\n");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["goals"][0]["id"], "market-share");
  EXPECT_EQ(j["goals"][0]["children"][0]["id"], "followers");
  EXPECT_EQ(j["goals"][0]["children"][0]["children"][0]["id"], "reels");
  EXPECT_EQ(j["goals"][0]["kpis"][0]["target"], 20);
  EXPECT_EQ(j["goals"][0]["kpis"][0]["baseline"], 0);
  EXPECT_EQ(j["checkins"].size(), ws.checkins.size());
  EXPECT_FALSE(j.contains("funnels") && j["funnels"][1].contains("stages"));
}

TEST(PlanWriterTest, NumbersRoundTripExactly) {
  const double values[] = {0.1,
                           1e-7,
                           12345.678,
                           1.0 / 3.0,
                           -0.0,
                           5e-324,
                           1.7976931348623157e308,
                           2.5e15,
                           9007199254740993.0,
                           123456789012345678.0,
                           -1e-300,
                           0.30000000000000004};
  Workspace ws;
  ws.goals = {MakeGoal("g", Level::kMacro)};
  ws.kpis = {{"k", "g", "", "", KpiKind::kLevel, std::nullopt, 1, "", Direction::kNone, 1, 7, "", "", "", 0}};
  for (double v : values) ws.checkins.push_back({"k", D("2026-01-01"), v, "", "", 0});
  for (const std::string& text : {WritePlanYaml(ws), WritePlanJson(ws)}) {
    ParsedPlan plan = ParsePlan(text, "n");
    ASSERT_TRUE(plan.errors.empty()) << Messages(plan.errors) << text;
    ASSERT_EQ(plan.workspace.checkins.size(), std::size(values));
    for (size_t i = 0; i < std::size(values); ++i) {
      EXPECT_EQ(plan.workspace.checkins[i].value, values[i]) << text;
      EXPECT_EQ(std::signbit(plan.workspace.checkins[i].value), std::signbit(values[i]));
    }
  }
  EXPECT_THAT(WritePlanYaml(ws), HasSubstr("value: 0.1}"));
  EXPECT_THAT(WritePlanYaml(ws), HasSubstr("value: 1e-07}"));
  EXPECT_THAT(WritePlanYaml(ws), HasSubstr("value: 12345.678}"));
}

TEST(PlanWriterTest, LeavesOutDefaultsVersionsAndSeqs) {
  Workspace ws;
  ws.teams = {{"marketing", "Marketing", "", 4}};
  ws.people = {{"dana", "Dana Lee", "", "marketing", Role::kMember, 2}};
  Goal g;
  g.id = "grow";
  g.title = "Grow the list";
  g.level = Level::kMacro;
  g.owner = "dana";
  g.due = D("2026-06-30");
  g.version = 9;
  Goal child;
  child.id = "leads";
  child.title = "50 leads, this quarter";
  child.parent = "grow";
  child.version = 3;
  ws.goals = {g, child};
  ws.kpis = {{"leads-count", "leads", "Leads", "", KpiKind::kCumulative, std::nullopt, 50, "",
              Direction::kNone, 1, 7, "", "", "", 2},
             {"done", "leads", "", "", KpiKind::kMilestone, std::nullopt, 1, "", Direction::kNone, 1, 7,
              "", "", "", 1}};
  ws.actions = {{"post", "leads", "Post it", "", std::nullopt, false, {}, 1}};
  ws.checkins = {{"leads-count", D("2026-01-02"), 5, "", "dana", 17}};
  ws.funnels = {{"f", "Funnel", {"leads-count"}, 1}};

  EXPECT_EQ(WritePlanYaml(ws), R"(version: 1
teams:
  - {id: marketing, name: "Marketing"}
people:
  - {id: dana, name: "Dana Lee", team: marketing}
goals:
  - id: grow
    title: "Grow the list"
    level: macro
    owner: dana
    due: 2026-06-30
    children:
      - id: leads
        title: "50 leads, this quarter"
        level: micro
        kpis:
          - {id: leads-count, name: "Leads", kind: cumulative, target: 50}
          - {id: done, kind: milestone}
        actions:
          - {id: post, title: "Post it"}
checkins:
  - {kpi: leads-count, date: 2026-01-02, value: 5, author: dana}
funnels:
  - {id: f, name: "Funnel", stages: [leads-count]}
)");
  ExpectRoundTrip(ws, WritePlanYaml(ws), "defaults.yaml");
}

TEST(PlanWriterTest, QuotesWhatYamlWouldMisread) {
  const std::string yaml = WritePlanYaml(RichWorkspace());
  EXPECT_THAT(yaml, HasSubstr("title: \"2026-01-31\""));
  EXPECT_THAT(yaml, HasSubstr("title: \"123\""));
  EXPECT_THAT(yaml, HasSubstr("id: \"9lives\""));
  EXPECT_THAT(yaml, HasSubstr("name: \"yes\""));
  EXPECT_THAT(yaml, HasSubstr("name: \"null\""));
  EXPECT_THAT(yaml, HasSubstr("\"true\""));
  EXPECT_THAT(yaml, HasSubstr("note: \"\\x85 next line \\L sep \\x01 ctrl\""));
  EXPECT_THAT(yaml, HasSubstr("start: 2026-01-01\n"));  // dates in date fields stay bare
  EXPECT_THAT(yaml, Not(HasSubstr("version: 7")));
  EXPECT_THAT(yaml, Not(HasSubstr("seq")));
}

TEST(PlanWriterTest, DeepChainsAndParentCyclesStillRoundTrip) {
  Workspace ws;
  for (int i = 0; i < 80; ++i) {
    Goal g;
    g.id = "g" + std::to_string(i);
    g.level = Level::kMicro;
    if (i > 0) g.parent = "g" + std::to_string(i - 1);
    ws.goals.push_back(g);
  }
  // Invalid, and refused on entry, but an export must not lose or loop on it.
  ws.goals.push_back(MakeGoal("loop-a", Level::kMicro, "loop-b"));
  ws.goals.push_back(MakeGoal("loop-b", Level::kMicro, "loop-a"));
  ws.goals.push_back(MakeGoal("orphan", Level::kMicro, "missing"));
  ExpectRoundTrip(ws, WritePlanYaml(ws), "deep.yaml");
  ExpectRoundTrip(ws, WritePlanJson(ws), "deep.json");
}

TEST(PlanWriterTest, EmptyWorkspaceIsJustTheVersion) {
  EXPECT_EQ(WritePlanYaml(Workspace{}), "version: 1\n");
  EXPECT_EQ(WritePlanJson(Workspace{}), "{\n  \"version\": 1\n}\n");
  EXPECT_TRUE(ParsePlan(WritePlanYaml(Workspace{}), "e").errors.empty());
  EXPECT_TRUE(ParsePlan(WritePlanJson(Workspace{}), "e").errors.empty());
}

TEST(PlanWriterTest, WritesContributorsSupportsAndSegment) {
  const std::string yaml = WritePlanYaml(RichWorkspace());
  EXPECT_THAT(yaml, HasSubstr("    contributors: [dana, root]\n"));
  EXPECT_THAT(yaml, HasSubstr("    supports: [\"9lives\"]\n"));
  EXPECT_THAT(yaml, HasSubstr("    segment: \"gen-z: 18-24, #1\"\n"));
  EXPECT_THAT(yaml, HasSubstr("    segment: \"null\"\n"));
  EXPECT_THAT(yaml, HasSubstr("    supports: [market-share, followers]\n"));
}

}  // namespace
}  // namespace cascade

#include "server/tree_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/report_json.h"

namespace cascade {
namespace {

using nlohmann::json;

Date D(const char* text) { return *Date::Parse(text); }

// Roots, children, a grandchild created before its parent, a goal without owner or team, text
// that needs escaping, tags, KPIs on some goals and none on others.
Workspace Sample() {
  Workspace ws;
  auto goal = [&](std::string id, std::string parent, Level level) -> Goal& {
    Goal& g = ws.goals.emplace_back();
    g.id = std::move(id);
    g.title = "Goal " + g.id;
    g.parent = std::move(parent);
    g.level = level;
    g.owner = "dana";
    g.team = "social";
    return g;
  };
  Goal& root = goal("share", "", Level::kMacro);
  root.start = D("2026-01-01");
  root.due = D("2026-12-31");
  root.priority = Priority::kHigh;
  root.channel = "social";
  root.tags = {"launch", "q1"};
  root.segment = "gen-z";
  root.contributors = {"omar", "lena"};
  root.cycle = "y2026";  // its own dates are the cycle's: the numbers stay the same
  ws.cycles.push_back(Cycle{.id = "y2026", .name = "2026", .start = D("2026-01-01"),
                            .end = D("2026-12-31")});
  goal("posts", "leads", Level::kMicro).due = D("2026-02-28");  // its parent comes later
  Goal& leads = goal("leads", "share", Level::kMicro);
  leads.due = D("2026-03-31");
  leads.title = "Leads \"Q1\" \\ tab\there café ✓ \x01";
  leads.stage = Stage::kConsideration;
  Goal& loose = goal("loose", "", Level::kMicro);
  loose.owner.clear();
  loose.team.clear();
  auto kpi = [&](std::string id, std::string g, double target) {
    Kpi& k = ws.kpis.emplace_back();
    k.id = std::move(id);
    k.goal = std::move(g);
    k.kind = KpiKind::kCumulative;
    k.target = target;
  };
  kpi("lead-count", "leads", 300);
  kpi("signups", "leads", 90);
  kpi("post-count", "posts", 7);
  auto checkin = [&](std::string k, const char* date, double value) {
    Checkin& c = ws.checkins.emplace_back();
    c.kpi = std::move(k);
    c.date = D(date);
    c.value = value;
    c.seq = static_cast<int64_t>(ws.checkins.size());
  };
  checkin("lead-count", "2026-01-10", 40);
  checkin("signups", "2026-02-01", 31);
  checkin("post-count", "2026-01-20", 3);
  return ws;
}

TEST(TreeJsonText, TheWholeAnswer) {
  const Workspace ws = Sample();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_EQ(
      TreeJsonText(ws, rollup),
      R"({"as_of":"2026-03-01","columns":["id","title","parent","level","owner","team","status",)"
      R"("progress","expected","forecast","start","due","kpis","priority","channel","stage","tags",)"
      R"("segment","contributors","cycle"],)"
      R"("goals":[["share","Goal share",null,"macro","dana","social","on_track",0.30211640211640206,)"
      R"(0.1620879120879121,0.9962962962962963,"2026-01-01","2026-12-31",0,"high","social",null,)"
      R"(["launch","q1"],"gen-z",["omar","lena"],"y2026"],)"
      R"(["leads","Leads \"Q1\" \\ tab\there café ✓ \u0001",0,"micro","dana","social","off_track",)"
      R"(0.30211640211640206,0.6629213483146067,0.9962962962962963,"2026-01-01","2026-03-31",2,)"
      R"("medium",null,"consideration",[],null,[],null],)"
      R"(["posts","Goal posts",1,"micro","dana","social","missed",0.42857142857142855,1,1,)"
      R"("2026-01-01","2026-02-28",1,"medium",null,null,[],null,[],null],)"
      R"(["loose","Goal loose",null,"micro",null,null,"unmeasured",null,null,null,null,null,0,)"
      R"("medium",null,null,[],null,[],null]],)"
      R"("summary":{"missed":1,"off_track":1,"on_track":1,"unmeasured":1}})");
}

// Every goal's row says what `status --json` says of it, in the same order; the parent is the
// row of the parent's id, the KPI count the length of its KPI list, every number the same double.
TEST(TreeJsonText, AgreesWithStatusJson) {
  const Workspace ws = Sample();
  for (const char* day : {"2026-01-05", "2026-03-01", "2027-01-01"}) {
    SCOPED_TRACE(day);
    const Rollup rollup = ComputeRollup(ws, D(day));
    const json tree = json::parse(TreeJsonText(ws, rollup));
    const json status = json::parse(StatusJsonText(ws, rollup));
    EXPECT_EQ(tree["as_of"], status["as_of"]);
    EXPECT_EQ(tree["summary"], status["summary"]);
    const json& columns = tree["columns"];
    ASSERT_EQ(tree["goals"].size(), status["goals"].size());
    for (size_t i = 0; i < tree["goals"].size(); ++i) {
      const json& row = tree["goals"][i];
      const json& goal = status["goals"][i];
      ASSERT_EQ(row.size(), columns.size());
      for (size_t c = 0; c < columns.size(); ++c) {
        const std::string name = columns[c];
        SCOPED_TRACE(name);
        if (name == "parent") {
          EXPECT_EQ(row[c].is_null() ? json(nullptr) : tree["goals"][row[c].get<size_t>()][0],
                    goal["parent"]);
        } else if (name == "kpis") {
          EXPECT_EQ(row[c], goal["kpis"].size());
        } else if (goal.contains(name)) {
          EXPECT_EQ(row[c], goal[name]);
        }
      }
    }
  }
}

TEST(TreeJsonText, EmptyWorkspace) {
  const Workspace ws;
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const json tree = json::parse(TreeJsonText(ws, rollup));
  EXPECT_EQ(tree["goals"], json::array());
  EXPECT_EQ(tree["summary"], json::object());
  EXPECT_EQ(tree["columns"].size(), 20u);
}

}  // namespace
}  // namespace cascade

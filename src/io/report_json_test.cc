#include "io/report_json.h"

#include "core/incremental_rollup.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

namespace cascade {
namespace {

using nlohmann::json;

Date D(const char* text) { return *Date::Parse(text); }

// A small cascade with every kind of value the status prints: nulls, dates, inherited starts,
// KPIs of every kind, a goal without owner or team, text that needs escaping.
Workspace Sample() {
  Workspace ws;
  auto goal = [&](std::string id, std::string parent, Level level) -> Goal& {
    Goal& g = ws.goals.emplace_back();
    g.id = std::move(id);
    g.title = "Goal " + g.id + " for testing";
    g.parent = std::move(parent);
    g.level = level;
    g.owner = "dana";
    g.team = "social";
    return g;
  };
  Goal& root = goal("share", "", Level::kMacro);
  root.start = D("2026-01-01");
  root.due = D("2026-12-31");
  Goal& leads = goal("leads", "share", Level::kMicro);
  leads.due = D("2026-03-31");  // start inherited
  leads.title = "Leads \"Q1\" \\ tab\there\nnew line \x01 café ✓";
  Goal& loose = goal("loose", "", Level::kMicro);
  loose.owner.clear();
  loose.team.clear();
  Goal& later = goal("later", "share", Level::kMicro);
  later.start = D("2026-07-01");
  later.due = D("2026-09-30");
  later.state = GoalState::kDraft;

  auto kpi = [&](std::string id, std::string g, KpiKind kind, std::optional<double> baseline,
                 double target) -> Kpi& {
    Kpi& k = ws.kpis.emplace_back();
    k.id = std::move(id);
    k.goal = std::move(g);
    k.kind = kind;
    k.baseline = baseline;
    k.target = target;
    return k;
  };
  kpi("share-pct", "share", KpiKind::kLevel, 12.5, 15);
  kpi("lead-count", "leads", KpiKind::kCumulative, std::nullopt, 300);
  kpi("nps", "leads", KpiKind::kThreshold, std::nullopt, 50).direction = Direction::kAbove;
  kpi("launch", "later", KpiKind::kMilestone, std::nullopt, 1);

  auto checkin = [&](std::string k, const char* date, double value) {
    Checkin& c = ws.checkins.emplace_back();
    c.kpi = std::move(k);
    c.date = D(date);
    c.value = value;
    c.seq = static_cast<int64_t>(ws.checkins.size());
  };
  checkin("share-pct", "2026-01-15", 12.9);
  checkin("share-pct", "2026-02-15", 13.1);
  checkin("lead-count", "2026-01-10", 40);
  checkin("lead-count", "2026-02-01", 37);
  checkin("nps", "2026-01-20", 52);
  checkin("nps", "2026-02-20", 48);
  return ws;
}

// A page of the goal list: the same objects as one GoalStatusToJson per goal, in the order asked,
// supporting goals included.
TEST(GoalsStatusToJson, IsEachGoalsStatusInTheOrderAsked) {
  Workspace ws = Sample();
  ASSERT_GE(ws.goals.size(), 2u);
  ws.goals[1].supports = {ws.goals[0].id};  // a support link, for supported_by
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  std::vector<int> page;
  for (int g = static_cast<int>(ws.goals.size()) - 1; g >= 0; --g) page.push_back(g);
  nlohmann::json want = nlohmann::json::array();
  for (int g : page) want.push_back(GoalStatusToJson(ws, rollup, g));
  EXPECT_EQ(GoalsStatusToJson(ws, rollup, page), want);
  // The same with each goal's KPIs taken from the links (what the server passes).
  const WorkspaceIndex index(ws);
  const GoalLinks links(ws, index);
  EXPECT_EQ(GoalsStatusToJson(ws, rollup, page, &links), want);
  EXPECT_EQ(want.back()["supported_by"], nlohmann::json::array({ws.goals[1].id}));
  EXPECT_EQ(GoalsStatusToJson(ws, rollup, {}), nlohmann::json::array());
}

TEST(StatusJsonText, IsTheTreeDumped) {
  const Workspace ws = Sample();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
}

TEST(StatusJsonText, SubtreeIsTheTreeDumped) {
  const Workspace ws = Sample();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_EQ(StatusJsonText(ws, rollup, "share"), StatusToJson(ws, rollup, "share").dump());
  EXPECT_EQ(StatusJsonText(ws, rollup, "leads"), StatusToJson(ws, rollup, "leads").dump());
}

TEST(StatusJsonText, EmptyWorkspace) {
  const Workspace ws;
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_EQ(StatusJsonText(ws, rollup), R"({"as_of":"2026-03-01","goals":[],"summary":{}})");
  EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
}

// Numbers in every layout nlohmann prints: integral ("48.0"), fixed, small fixed ("0.0001"),
// exponents both ways, negative zero, and non-finite as null.
TEST(StatusJsonText, NumbersAsTheTreePrintsThem) {
  const Workspace ws = Sample();
  Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const double values[] = {
      48.0,   0.1,  -2.5,       1.0 / 3,    0.0001, 0.00001234, 1e15,
      1.5e16, 1e21, -7.25e-300, 123456.789, -0.0,   2.0e-5,     99999999999999.9};
  for (const double v : values) {
    rollup.kpis[0].attainment = v;
    rollup.kpis[0].value = v;
    rollup.goals[0].progress = v;
    SCOPED_TRACE(v);
    EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
  }
  rollup.kpis[0].attainment = std::numeric_limits<double>::quiet_NaN();
  rollup.kpis[0].value = std::numeric_limits<double>::infinity();
  EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
}

// Shortest round-trip digits: every number reads back as exactly the double that was printed.
TEST(StatusJsonText, NumbersReadBackExactly) {
  const Workspace ws = Sample();
  Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  double v = 0.123456789;
  for (int i = 0; i < 2000; ++i) {
    v = std::fmod(v * 7.77 + 0.3183098861837907, 1.0);
    rollup.kpis[1].attainment = v * std::pow(10.0, (i % 40) - 20);
    const json parsed = json::parse(StatusJsonText(ws, rollup));
    ASSERT_EQ(parsed["goals"][1]["kpis"][0]["attainment"].get<double>(), rollup.kpis[1].attainment);
  }
}

// Text that needs escaping at every position of the 8-byte blocks the writer scans.
TEST(StatusJsonText, EscapesAsTheTreeDoesAnywhereInTheText) {
  Workspace ws = Sample();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  for (const char* special : {"\"", "\\", "\n", "\x1f", "é", "✓"}) {
    for (size_t at = 0; at < 20; ++at) {
      std::string title(20, 'a');
      title.insert(at, special);
      ws.goals[0].title = title;
      SCOPED_TRACE(title);
      EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
    }
  }
}

TEST(StatusJsonText, InvalidUtf8BecomesReplacementCharacters) {
  Workspace ws = Sample();
  ws.goals[2].title = "bad \xC3 byte \xFF end";
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const json parsed = json::parse(StatusJsonText(ws, rollup));
  EXPECT_EQ(parsed["goals"][3]["title"], "bad \xEF\xBF\xBD byte \xEF\xBF\xBD end");
}

// U+009B is CSI to a terminal: it goes out escaped (DEL too), and reads back as the same text.
TEST(StatusJsonText, EscapesC1ControlCharactersAndDel) {
  Workspace ws = Sample();
  ws.goals[0].title = "a\u009b2J b\u0085 c\u00a0d\x7f";
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  const std::string text = StatusJsonText(ws, rollup);
  // U+00A0 (no-break space) is no control character: it stays as it is.
  EXPECT_NE(text.find("\"title\":\"a\\u009b2J b\\u0085 c\u00a0d\\u007f\""), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos);
  EXPECT_EQ(json::parse(text)["goals"][0]["title"], ws.goals[0].title);
  for (const char* special : {"\x7f", "\u009b"}) {
    for (size_t at = 0; at < 20; ++at) {  // at every position of the 8-byte blocks
      std::string title(20, 'a');
      title.insert(at, special);
      ws.goals[0].title = title;
      const std::string out = StatusJsonText(ws, rollup);
      EXPECT_EQ(json::parse(out)["goals"][0]["title"], title) << at;
      EXPECT_EQ(out.find(special), std::string::npos) << at;
    }
  }
}

TEST(WriteStatusJson, StreamsTheSameText) {
  const Workspace ws = Sample();
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  std::ostringstream out;
  WriteStatusJson(out, ws, rollup);
  EXPECT_EQ(out.str(), StatusJsonText(ws, rollup));
}

// More goals than one window of the writer (4,096), created children before parents and
// interleaved across trees, so that the depth-first order of the output jumps across the goal
// vector and across windows: the text is still the tree's, whole and filtered.
TEST(StatusJsonText, ManyGoalsOutOfTreeOrderAreTheTreeDumped) {
  Workspace ws;
  constexpr int kRoots = 7, kPerRoot = 1500;  // 10,507 goals
  for (int i = kPerRoot - 1; i >= 0; --i) {
    for (int r = 0; r < kRoots; ++r) {
      Goal& g = ws.goals.emplace_back();
      g.id = "g" + std::to_string(r) + "-" + std::to_string(i);
      g.title = "Goal " + g.id;
      g.level = Level::kMicro;
      // Each goal's parent: one of the goals before it in its tree, created after it.
      if (i > 0) g.parent = "g" + std::to_string(r) + "-" + std::to_string((i * 7919) % i);
      if (i % 3 == 0) {
        Kpi& k = ws.kpis.emplace_back();
        k.id = "k" + g.id;
        k.goal = g.id;
        k.kind = KpiKind::kLevel;
        k.baseline = 0;
        k.target = 10 + i;
      }
    }
  }
  for (int r = 0; r < kRoots; ++r) {
    Goal& root = ws.goals.emplace_back();
    root.id = "g" + std::to_string(r);
    root.title = "Root " + root.id;
    root.level = Level::kMacro;
    root.start = D("2026-01-01");
    root.due = D("2026-12-31");
  }
  for (Goal& g : ws.goals) {
    if (g.id.size() > 2 && g.id.ends_with("-0")) g.parent = g.id.substr(0, g.id.size() - 2);
  }
  for (size_t k = 0; k < ws.kpis.size(); k += 2) {
    Checkin& c = ws.checkins.emplace_back();
    c.kpi = ws.kpis[k].id;
    c.date = D("2026-02-01");
    c.value = static_cast<double>(k % 17);
    c.seq = static_cast<int64_t>(ws.checkins.size());
  }
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  ASSERT_GT(rollup.order.size(), 10000u);
  // Compared as values: a few of these doubles nlohmann's dump writes with a 17th digit where
  // the text has the shortest that reads back the same (0.0063246661981728744 and
  // 0.006324666198172874).
  EXPECT_EQ(json::parse(StatusJsonText(ws, rollup)), StatusToJson(ws, rollup));
  EXPECT_EQ(json::parse(StatusJsonText(ws, rollup, "g3")), StatusToJson(ws, rollup, "g3"));
  std::vector<char> shown(ws.goals.size(), 0);
  for (size_t g = 0; g < shown.size(); g += 3) shown[g] = 1;
  EXPECT_EQ(json::parse(StatusJsonText(ws, rollup, "", &shown)),
            StatusToJson(ws, rollup, "", &shown));
}

TEST(StatusJsonText, CarriesContributorsSegmentSupportsAndSupportedBy) {
  Workspace ws = Sample();
  ws.goals[1].contributors = {"sam", "lee \"q\""};
  ws.goals[1].segment = "gen-z";
  ws.goals[2].supports = {"share", "leads"};  // loose supports two goals of another line
  const Rollup rollup = ComputeRollup(ws, D("2026-03-01"));
  EXPECT_EQ(StatusJsonText(ws, rollup), StatusToJson(ws, rollup).dump());
  EXPECT_EQ(StatusJsonText(ws, rollup, "share"), StatusToJson(ws, rollup, "share").dump());
  const json status = json::parse(StatusJsonText(ws, rollup));
  const json& share = status["goals"][0];
  EXPECT_EQ(share["id"], "share");
  EXPECT_EQ(share["contributors"], json::array());
  EXPECT_EQ(share["segment"], nullptr);
  EXPECT_EQ(share["supports"], json::array());
  EXPECT_EQ(share["supported_by"], json::array({"loose"}));
  const json& leads = status["goals"][1];
  EXPECT_EQ(leads["id"], "leads");
  EXPECT_EQ(leads["contributors"], json::array({"sam", "lee \"q\""}));
  EXPECT_EQ(leads["segment"], "gen-z");
  EXPECT_EQ(leads["supported_by"], json::array({"loose"}));
  const json loose = GoalStatusToJson(ws, rollup, 2);
  EXPECT_EQ(loose["supports"], json::array({"share", "leads"}));
  EXPECT_EQ(loose["supported_by"], json::array());
  EXPECT_EQ(GoalStatusToJson(ws, rollup, 0)["supported_by"], json::array({"loose"}));
}

}  // namespace
}  // namespace cascade

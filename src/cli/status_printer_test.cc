#include "cli/status_printer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

// The fixtures name only the fields that differ from the model's defaults, on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

// A small cascade with its roll-up written out by hand, so these tests pin the layout and not the
// formulas (those are rollup_test's).
struct Fixture {
  Workspace ws;
  Rollup rollup;
};

Fixture SmallCascade() {
  Fixture f;
  Workspace& ws = f.ws;
  ws.goals = {
      {.id = "launch", .title = "Launch the Pulse 2 tracker", .level = Level::kMacro},
      {.id = "followers", .title = "Reach 10,000 social followers", .parent = "launch"},
      {.id = "reviews",
       .title = "Earn 50 positive reviews in the first two weeks after the launch",
       .parent = "launch"},
      {.id = "brand",
       .title = "Refresh the brand guidelines",
       .level = Level::kMacro,
       .state = GoalState::kDraft},
  };
  ws.kpis = {
      {.id = "share",
       .goal = "launch",
       .name = "Market share",
       .unit = "%",
       .baseline = 0,
       .target = 20},
      {.id = "nps",
       .goal = "launch",
       .name = "NPS",
       .kind = KpiKind::kThreshold,
       .target = 50,
       .direction = Direction::kAbove},
      {.id = "fans",
       .goal = "followers",
       .name = "Followers",
       .unit = "followers",
       .baseline = 0,
       .target = 10000},
      {.id = "raves",
       .goal = "reviews",
       .name = "Reviews",
       .unit = "reviews",
       .kind = KpiKind::kCumulative,
       .baseline = 0,
       .target = 50},
      {.id = "guide",
       .goal = "brand",
       .name = "Guide published",
       .kind = KpiKind::kMilestone,
       .baseline = 0,
       .target = 1},
  };
  ws.checkins = {
      {.kpi = "nps", .date = D("2026-01-10"), .value = 48},
      {.kpi = "nps", .date = D("2026-01-20"), .value = 52},
      {.kpi = "nps", .date = D("2026-01-30"), .value = 55},
      {.kpi = "nps", .date = D("2026-03-05"), .value = 40},  // after as_of: not counted
  };

  Rollup& r = f.rollup;
  r.as_of = D("2026-02-01");
  const auto goal = [](double p, std::optional<double> e, GoalStatus s) {
    GoalResult g;
    g.start = D("2026-01-01");
    g.due = D("2026-06-30");
    g.progress = p;
    g.expected = e;
    g.status = s;
    return g;
  };
  r.goals = {goal(0.42, 0.25, GoalStatus::kOnTrack), goal(0.30, 0.60, GoalStatus::kOffTrack),
             goal(1.0, 1.0, GoalStatus::kAchieved), goal(0, std::nullopt, GoalStatus::kDraft)};
  r.goals[3].progress.reset();
  const auto kpi = [](std::optional<double> v, double p, bool stale = false) {
    KpiResult k;
    k.value = v;
    k.attainment = p;
    k.progress = p;
    k.stale = stale;
    k.last_checkin = D("2026-01-20");
    return k;
  };
  r.kpis = {kpi(4.6, 0.23), kpi(55, 2.0 / 3), kpi(3000, 0.3, true), kpi(52, 1), kpi(0, 0)};
  r.order = {0, 1, 2, 3};
  r.depth = {0, 1, 1, 0};
  return f;
}

std::string Render(const Fixture& f, PrintOptions opts) {
  return RenderStatusTree(f.ws, f.rollup, opts);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Display columns, counted independently of the printer: every code point is one column except
// CJK ideographs (two).
int Columns(const std::string& s) {
  int n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t j = 1; j < len; ++j) cp = (cp << 6) | (s[i + j] & 0x3F);
    n += cp >= 0x4E00 && cp <= 0x9FFF ? 2 : 1;
    i += len;
  }
  return n;
}

std::string StripEscapes(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && s[i] != 'm') ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

TEST(StatusPrinter, DrawsTheTree) {
  // Width 80: a 16-cell bar, and a 46-column title column for the guides and titles. The mark (│)
  // sits in the cell where expected progress stands: cell 4 of 16 for E = 0.25.
  const std::string expected =
      "Launch the Pulse 2 tracker                    ████│█░░░░░░░░░░  42%  on track\n"
      "│  Market share  4.6% / 20%\n"
      "│  NPS           55 (line ≥ 50, held 2/3)\n"
      "├─ Reach 10,000 social followers              ████░░░░░│░░░░░░  30%  off track\n"
      "│     Followers  3,000 / 10,000 followers  stale: last check-in 12 days ago\n"
      "└─ Earn 50 positive reviews in the first two… ███████████████│ 100%  achieved\n"
      "      Reviews  52 / 50 reviews\n"
      "\n"
      "Refresh the brand guidelines                  ░░░░░░░░░░░░░░░░    —  draft\n"
      "   Guide published  not done\n"
      "\n"
      "4 goals: 1 on track, 1 off track, 1 achieved, 1 draft\n";
  EXPECT_EQ(Render(SmallCascade(), {.color = false, .width = 80}), expected);
}

TEST(StatusPrinter, NoEscapesWithoutColour) {
  EXPECT_EQ(Render(SmallCascade(), {.color = false}).find('\x1b'), std::string::npos);
}

TEST(StatusPrinter, ColoursByStatus) {
  const Fixture f = SmallCascade();
  const std::string plain = Render(f, {.color = false, .width = 80});
  const std::string colored = Render(f, {.color = true, .width = 80});
  EXPECT_NE(colored, plain);
  EXPECT_EQ(StripEscapes(colored), plain);  // colour changes nothing but the colour
  EXPECT_NE(colored.find("\x1b[32mon track\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[31moff track\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[32machieved\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[2mdraft\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[2mRefresh the brand guidelines\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[33mstale"), std::string::npos);
}

TEST(StatusPrinter, AtRiskIsYellow) {
  Fixture f = SmallCascade();
  f.rollup.goals[1].status = GoalStatus::kAtRisk;
  EXPECT_NE(Render(f, {.color = true}).find("\x1b[33mat risk\x1b[0m"), std::string::npos);
}

TEST(StatusPrinter, RootLimitsTheOutputToOneSubtree) {
  const std::string out = Render(SmallCascade(), {.width = 80, .root = "followers"});
  EXPECT_EQ(out,
            "Reach 10,000 social followers                 ████░░░░░│░░░░░░  30%  off track\n"
            "   Followers  3,000 / 10,000 followers  stale: last check-in 12 days ago\n"
            "\n"
            "1 goal: 1 off track\n");
  EXPECT_EQ(Render(SmallCascade(), {.root = "nope"}), "0 goals\n");
}

// A filter (goal list/status/report --team, --owner, …) shows only the goals it marks, each under
// its nearest shown ancestor: with launch left out, its two children print as two roots, exactly
// as each prints alone, and the summary counts the two.
TEST(StatusPrinter, AFilterHangsEachGoalUnderItsNearestShownAncestor) {
  const Fixture f = SmallCascade();
  const std::vector<char> shown = {0, 1, 1, 0};
  const auto body = [&f](const char* root) {
    const std::string out = Render(f, {.width = 80, .root = root});
    return out.substr(0, out.find("\n\n") + 1);  // without the blank line and the summary
  };
  const std::string expected =
      body("followers") + "\n" + body("reviews") + "\n" + "2 goals: 1 off track, 1 achieved\n";
  EXPECT_EQ(Render(f, {.width = 80, .shown = &shown}), expected);
  // Within a subtree whose root is left out, too.
  EXPECT_EQ(Render(f, {.width = 80, .root = "launch", .shown = &shown}), expected);
  // A shown parent keeps its shown children under it.
  const std::vector<char> all_but_reviews = {1, 1, 0, 1};
  const std::string out = Render(f, {.width = 80, .shown = &all_but_reviews});
  EXPECT_NE(out.find("└─ Reach 10,000 social followers"), std::string::npos) << out;
  EXPECT_EQ(out.find("Earn 50 positive reviews"), std::string::npos) << out;
  EXPECT_NE(out.find("3 goals: 1 on track, 1 off track, 1 draft\n"), std::string::npos) << out;
}

TEST(StatusPrinter, FitsTheWidthAndTruncatesWithAnEllipsis) {
  for (int width : {48, 60, 80, 120}) {
    const std::string out = Render(SmallCascade(), {.width = width});
    for (const std::string& line : Lines(out)) {
      EXPECT_LE(Columns(line), width) << width << ": " << line;
    }
  }
  const std::string narrow = Render(SmallCascade(), {.width = 48});
  EXPECT_NE(narrow.find("Launch the Pulse 2…  ██│░░░░░░  42%  on track\n"), std::string::npos)
      << narrow;
  // At 48 columns the stale marker shortens before the value is cut; the summary wraps.
  EXPECT_NE(narrow.find("│     Followers  3,000 / 10,000 followers  stale\n"), std::string::npos)
      << narrow;
  EXPECT_NE(narrow.find("4 goals: 1 on track, 1 off track, 1 achieved,\n  1 draft\n"),
            std::string::npos)
      << narrow;
}

TEST(StatusPrinter, CountsWideCharactersAsTwoColumns) {
  Fixture f = SmallCascade();
  f.ws.goals[1].title = "拓展社交媒体粉丝";  // 8 ideographs, 16 columns
  const std::vector<std::string> lines = Lines(Render(f, {.width = 80}));
  // The bars of every goal line start in the same column.
  const auto bar_column = [](const std::string& line) {
    return Columns(line.substr(0, std::min(line.find("█"), line.find("░"))));
  };
  EXPECT_EQ(lines[3],
            "├─ 拓展社交媒体粉丝                           ████░░░░░│░░░░░░  30%  off track");
  EXPECT_EQ(bar_column(lines[3]), 46);
  EXPECT_EQ(bar_column(lines[0]), 46);
}

TEST(StatusPrinter, ShowsNullProgressAndExpectedAsNoBarAndNoMark) {
  Fixture f = SmallCascade();
  f.rollup.goals[0].progress.reset();
  f.rollup.goals[0].expected.reset();
  f.rollup.goals[0].status = GoalStatus::kUnmeasured;
  const std::vector<std::string> lines = Lines(Render(f, {.width = 80}));
  EXPECT_EQ(lines[0],
            "Launch the Pulse 2 tracker                    ░░░░░░░░░░░░░░░░    —  unmeasured");
}

TEST(StatusPrinter, ControlCharactersInTitlesPrintAsEscapes) {
  Fixture f = SmallCascade();
  f.ws.goals[3].title = "Refresh\x1b[31m the\nbrand\u009b";
  const std::string out = Render(f, {.color = false, .width = 100});
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find("\u009b"), std::string::npos);
  EXPECT_NE(out.find("Refresh\\x1b[31m the\\nbrand\\u009b"), std::string::npos) << out;
}

TEST(StatusPrinter, BelowThresholdsAndCurrencies) {
  Fixture f = SmallCascade();
  f.ws.kpis[1] = {.id = "churn",
                  .goal = "launch",
                  .name = "Churn",
                  .unit = "%",
                  .kind = KpiKind::kThreshold,
                  .target = 5,
                  .direction = Direction::kBelow};
  f.ws.kpis[0].unit = "$";
  f.rollup.kpis[0].value = 42900;
  f.ws.kpis[0].target = 46000;
  f.rollup.kpis[1].value = 4.6;
  for (Checkin& c : f.ws.checkins) c.kpi = "churn";
  const std::string out = Render(f, {.width = 80});
  EXPECT_NE(out.find("│  Market share  $42,900 / $46,000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("│  Churn         4.6% (line ≤ 5%, held 2/3)\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace cascade

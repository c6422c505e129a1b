// The HTML report and its Markdown variant, read back: the HTML parsed as XML and queried, the
// Markdown read line by line.
#include "io/html_report.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/md_report.h"
#include "io/render_text.h"
#include "io/svg_chart.h"
#include "io/test_xml.h"

// The fixtures below name only the fields that differ from the model's defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {
namespace {

using test_xml::Element;
using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* s) { return *Date::Parse(s); }

// A macro goal with two micro goals: as of 2026-03-01 the macro is on track, "followers" is
// achieved and "leads" is off track (P = (25/50 + 0) / 2 = 0.25 against E = 59/89 = 0.66).
Workspace ReportWorkspace() {
  Workspace ws;
  ws.teams.push_back({.id = "marketing", .name = "Marketing"});
  ws.people.push_back({.id = "dana", .name = "Dana Lee", .team = "marketing"});
  ws.goals.push_back({.id = "market-share",
                      .title = "Achieve 20% market share",
                      .level = Level::kMacro,
                      .owner = "dana",
                      .team = "marketing",
                      .start = D("2026-01-01"),
                      .due = D("2026-06-30")});
  ws.goals.push_back({.id = "followers",
                      .title = "Generate 10,000 followers in the first month",
                      .parent = "market-share",
                      .owner = "dana",
                      .team = "marketing",
                      .due = D("2026-01-31")});
  ws.goals.push_back({.id = "leads",
                      .title = "Collect 50 qualified leads | this quarter",
                      .parent = "market-share",
                      .owner = "dana",
                      .team = "marketing",
                      .due = D("2026-03-31")});
  ws.kpis.push_back({.id = "share", .goal = "market-share", .name = "Market share", .unit = "%",
                     .kind = KpiKind::kLevel, .baseline = 0, .target = 20});
  ws.kpis.push_back({.id = "nps", .goal = "market-share", .name = "Net promoter score",
                     .kind = KpiKind::kThreshold, .target = 50, .direction = Direction::kAbove});
  ws.kpis.push_back({.id = "followers-count", .goal = "followers", .name = "Followers",
                     .unit = "followers", .kind = KpiKind::kLevel, .baseline = 0,
                     .target = 10000});
  ws.kpis.push_back({.id = "qualified-leads", .goal = "leads", .name = "Qualified leads",
                     .unit = "leads", .kind = KpiKind::kCumulative, .target = 50});
  ws.kpis.push_back({.id = "support-live", .goal = "leads", .name = "Support desk live",
                     .kind = KpiKind::kMilestone, .baseline = 0, .target = 1});
  int64_t seq = 0;
  const auto add = [&](const char* kpi, const char* date, double value) {
    ws.checkins.push_back({.kpi = kpi, .date = D(date), .value = value, .seq = ++seq});
  };
  add("share", "2026-02-01", 3.5);
  add("share", "2026-03-01", 5);
  add("nps", "2026-01-15", 45);
  add("nps", "2026-02-01", 52);
  add("nps", "2026-02-15", 55);
  add("followers-count", "2026-01-15", 4000);
  add("followers-count", "2026-01-31", 10500);
  add("qualified-leads", "2026-01-20", 10);
  add("qualified-leads", "2026-02-10", 15);
  return ws;
}

struct Built {
  Workspace ws;
  Rollup rollup;
  ReviewAgenda agenda;
};

Built Build(Workspace ws, const char* as_of = "2026-03-01") {
  Built b{std::move(ws), {}, {}};
  b.rollup = ComputeRollup(b.ws, D(as_of));
  auto agenda = BuildReviewAgenda(b.ws, b.rollup, "");
  EXPECT_TRUE(agenda.ok());
  if (agenda) b.agenda = *agenda;
  return b;
}

Element ParseHtml(const std::string& html) {
  const test_xml::ParseResult r = test_xml::ParseXml(html);
  EXPECT_TRUE(r.root.has_value()) << r.error;
  return r.root ? *r.root : Element{};
}

std::string Render(const Built& b, bool agenda = true) {
  ReportOptions options;
  if (agenda) options.agenda = &b.agenda;
  return RenderHtmlReport(b.ws, b.rollup, options);
}

const Element* ByAttr(const Element& root, const char* key, const std::string& value) {
  const auto all = root.FindAll([&](const Element& e) { return e.Attr(key) == value; });
  return all.empty() ? nullptr : all.front();
}

TEST(HtmlReport, IsOneWellFormedSelfContainedDocument) {
  const Built b = Build(ReportWorkspace());
  const std::string html = Render(b);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  const Element root = ParseHtml(html);
  EXPECT_EQ(root.name, "html");
  EXPECT_EQ(root.Attr("lang"), "en");
  ASSERT_EQ(root.ByName("meta").empty(), false);
  EXPECT_EQ(root.ByName("meta")[0]->Attr("charset"), "utf-8");
  EXPECT_EQ(root.ByName("title").at(0)->AllText(), "Cascade report — as of Mar 1, 2026");
  EXPECT_TRUE(root.ByName("script").empty());
  EXPECT_TRUE(root.ByName("link").empty());
  EXPECT_TRUE(root.ByName("img").empty());
  EXPECT_EQ(root.ByName("style").size(), 1u);
  // No address to fetch: the only URL is the SVG namespace.
  for (const char* scheme : {"http://", "https://", "//fonts", "url(http", "@import"}) {
    std::string rest = html;
    for (size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) {
      rest.erase(at, 26);
    }
    EXPECT_THAT(rest, Not(HasSubstr(scheme)));
  }
  for (const char* id : {"status", "cascade", "review", "goals"}) {
    EXPECT_NE(root.ById(id), nullptr) << id;
  }
  // A phone-sized viewport and print rules.
  EXPECT_THAT(html, HasSubstr("name=\"viewport\""));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, HasSubstr("@media (max-width"));
}

TEST(HtmlReport, StatusCountsMatchTheRollup) {
  const Built b = Build(ReportWorkspace());
  const Element root = ParseHtml(Render(b));
  const auto counts = root.ByClass("count");
  int total = 0;
  for (const Element* c : counts) {
    const auto status = ParseGoalStatus(*c->Attr("data-status"));
    ASSERT_TRUE(status);
    const int n = std::stoi(*c->Attr("data-count"));
    EXPECT_EQ(n, b.rollup.summary[static_cast<size_t>(*status)]);
    EXPECT_THAT(c->AllText(), HasSubstr(std::to_string(n)));
    total += n;
  }
  EXPECT_EQ(total, 3);
  EXPECT_EQ(b.rollup.goals[0].status, GoalStatus::kOnTrack);
  EXPECT_EQ(b.rollup.goals[1].status, GoalStatus::kAchieved);
  EXPECT_EQ(b.rollup.goals[2].status, GoalStatus::kOffTrack);
}

TEST(HtmlReport, TreeNestsMicroUnderMacroWithBarsAndWords) {
  const Built b = Build(ReportWorkspace());
  const Element root = ParseHtml(Render(b));
  const Element* tree = root.ById("cascade");
  ASSERT_NE(tree, nullptr);
  const Element* macro = ByAttr(*tree, "data-goal", "market-share");
  ASSERT_NE(macro, nullptr);
  for (const char* child : {"followers", "leads"}) {
    EXPECT_NE(ByAttr(*macro, "data-goal", child), nullptr) << child << " under market-share";
  }
  for (size_t g = 0; g < b.ws.goals.size(); ++g) {
    const Element* node = ByAttr(*tree, "data-goal", b.ws.goals[g].id);
    ASSERT_NE(node, nullptr);
    const Element& row = *node->ByClass("goal-row").at(0);
    const GoalResult& r = b.rollup.goals[g];
    // The status in words, not only in colour.
    EXPECT_EQ(row.ByClass("pill").at(0)->AllText(), StatusLabel(r.status));
    EXPECT_TRUE(row.HasClass("status-" + std::string(ToString(r.status))));
    // The bar's fill and expected mark stand where progress and expected progress are.
    const Element& bar = *row.ByClass("bar").at(0);
    const auto percent = [](const Element& e, const char* prop) {
      const std::string style = *e.Attr("style");
      const size_t at = style.find(prop);
      EXPECT_NE(at, std::string::npos) << style;
      return std::stod(style.substr(at + std::string(prop).size()));
    };
    // Truncated to one decimal, as the percentage beside it (54.16…% is drawn 54.1% wide).
    EXPECT_DOUBLE_EQ(percent(*bar.ByClass("fill").at(0), "width:"),
                     std::trunc(*r.progress * 1000 + 1e-9) / 10);
    EXPECT_DOUBLE_EQ(percent(*bar.ByClass("expected").at(0), "left:"),
                     std::trunc(*r.expected * 1000 + 1e-9) / 10);
    EXPECT_THAT(*bar.Attr("aria-label"),
                HasSubstr("progress " + std::to_string(static_cast<int>(*r.progress * 100 + 1e-9)) +
                          "%"));
  }
  // KPI lines under their goal, as the terminal tree prints them.
  const Element* macro_row_kpis = macro->ByClass("kpi-lines").at(0);
  EXPECT_THAT(macro_row_kpis->AllText(), HasSubstr("Market share 5% / 20%"));
  EXPECT_THAT(macro_row_kpis->AllText(), HasSubstr("Net promoter score 55 (line ≥ 50, held 2/3)"));
}

TEST(HtmlReport, AChartPerKpiWithItsSeries) {
  const Built b = Build(ReportWorkspace());
  const Element root = ParseHtml(Render(b));
  const KpiCharts charts(b.ws, b.rollup);
  for (size_t k = 0; k < b.ws.kpis.size(); ++k) {
    const Kpi& kpi = b.ws.kpis[k];
    const Element* figure = ByAttr(root, "data-kpi", kpi.id);
    ASSERT_NE(figure, nullptr) << kpi.id;
    EXPECT_EQ(figure->name, "tr") << "the KPI table row comes first";
    const auto figures =
        root.FindAll([&](const Element& e) { return e.name == "figure" && e.Attr("data-kpi") == kpi.id; });
    ASSERT_EQ(figures.size(), 1u) << kpi.id;
    const auto svgs = figures[0]->ByName("svg");
    ASSERT_EQ(svgs.size(), 1u);
    EXPECT_EQ(svgs[0]->Attr("id"), "chart-" + kpi.id);
    const auto series = svgs[0]->ByClass("series-checkins");
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0]->ByName("circle").size(), charts.Series(static_cast<int>(k)).checkins.size())
        << kpi.id;
    EXPECT_EQ(svgs[0]->ByClass("series-target").size(), 1u);
    const bool threshold = kpi.kind == KpiKind::kThreshold;
    EXPECT_EQ(svgs[0]->ByClass("series-expected").size(), threshold ? 0u : 1u) << kpi.id;
  }
  // Ids stay unique with many charts in one document.
  std::vector<std::string> ids;
  for (const Element* e : root.FindAll([](const Element& e) { return e.Attr("id").has_value(); })) {
    ids.push_back(*e->Attr("id"));
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(HtmlReport, ReviewAgendaListsWhatNeedsAttention) {
  Workspace ws = ReportWorkspace();
  ws.comments.push_back({.seq = 1, .goal = "leads", .author = "dana", .date = D("2026-02-20"),
                         .text = "Webinar leads <late>"});
  const Built b = Build(std::move(ws));
  const Element root = ParseHtml(Render(b));
  const Element* review = root.ById("review");
  ASSERT_NE(review, nullptr);
  const auto off = review->ByClass("agenda-off-track");
  ASSERT_EQ(off.size(), 1u);
  EXPECT_THAT(off[0]->AllText(), HasSubstr("Collect 50 qualified leads | this quarter"));
  EXPECT_THAT(off[0]->AllText(), HasSubstr("at 25%, expected 66%: 41 points behind (Dana Lee)"));
  const auto achieved = review->ByClass("agenda-achieved");
  ASSERT_EQ(achieved.size(), 1u);
  EXPECT_THAT(achieved[0]->AllText(), HasSubstr("Generate 10,000 followers"));
  EXPECT_THAT(review->AllText(), HasSubstr("No review recorded yet"));
  EXPECT_THAT(review->AllText(), HasSubstr("No earlier review to compare with."));
  EXPECT_THAT(review->ByClass("agenda-comments").at(0)->AllText(),
              HasSubstr("Dana Lee on Collect 50 qualified leads | this quarter: “Webinar leads <late>”"));

  const std::string without = Render(b, false);
  EXPECT_THAT(without, HasSubstr("No review agenda in this report."));
}

TEST(HtmlReport, ProgressSinceTheLastRecordedReview) {
  Workspace ws = ReportWorkspace();
  Review r{.seq = 1, .date = D("2026-02-01"), .notes = "monthly"};
  r.snapshot = {{"market-share", 0.5, "on_track"},
                {"followers", 1.0, "achieved"},
                {"leads", 0.2, "at_risk"}};
  ws.reviews.push_back(r);
  const Built b = Build(std::move(ws));
  const Element root = ParseHtml(Render(b));
  const auto tables = root.ByClass("changes");
  ASSERT_EQ(tables.size(), 1u);
  const auto rows = tables[0]->ByName("tr");
  ASSERT_EQ(rows.size(), 4u);  // header + 3 goals
  // leads: 20% → 25%, at risk → off track.
  const std::string leads = rows[3]->AllText();
  EXPECT_THAT(leads, HasSubstr("20%"));
  EXPECT_THAT(leads, HasSubstr("25%"));
  EXPECT_THAT(leads, HasSubstr("+5 points"));
  EXPECT_THAT(leads, HasSubstr("at risk → off track"));
  // followers was already achieved at the last review: nothing new to celebrate.
  EXPECT_THAT(root.ById("review")->AllText(), HasSubstr("Nothing new to celebrate yet."));
  EXPECT_THAT(root.ById("review")->AllText(), HasSubstr("Compared with the review of Feb 1, 2026"));
}

TEST(HtmlReport, EscapesUserText) {
  Workspace ws = ReportWorkspace();
  ws.goals[0].title = "Grow <script>alert('x')</script> & \"win\"";
  ws.goals[0].description = "<img src=x onerror=alert(1)>";
  ws.kpis[0].name = "Share </td></tr>";
  const Built b = Build(std::move(ws));
  const std::string html = Render(b);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  const Element root = ParseHtml(html);
  EXPECT_THAT(root.ById("goal-market-share")->AllText(),
              HasSubstr("Grow <script>alert('x')</script> & \"win\""));
  EXPECT_THAT(root.AllText(), HasSubstr("<img src=x onerror=alert(1)>"));
}

TEST(HtmlReport, EmptyWorkspace) {
  const Built b = Build(Workspace{});
  const Element root = ParseHtml(Render(b));
  EXPECT_THAT(root.ById("status")->AllText(), HasSubstr("No goals yet."));
  EXPECT_THAT(root.ById("cascade")->AllText(), HasSubstr("No goals yet."));
}

// ---- Markdown ---------------------------------------------------------------------------------

TEST(MarkdownReport, TextProgressBar) {
  struct Case {
    std::optional<double> progress, expected;
    const char* bar;
  };
  const Case cases[] = {
      {0.62, 0.70, "██████░│░░"},  // 6 cells filled (floored), the mark in cell 7
      {1.0, 1.0, "█████████│"},    // the mark stays inside the bar
      {0.0, 0.0, "│░░░░░░░░░"},
      {0.35, std::nullopt, "███░░░░░░░"},
      {std::nullopt, 0.5, "░░░░░│░░░░"},
      {std::nullopt, std::nullopt, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TextProgressBar(c.progress, c.expected), c.bar)
        << c.progress.value_or(-1) << " " << c.expected.value_or(-1);
  }
}

TEST(MarkdownReport, Sparkline) {
  EXPECT_EQ(Sparkline({}), "");
  EXPECT_EQ(Sparkline({1, 2, 3}), "▁▅█");  // shares 0, ½, 1 of eight levels
  EXPECT_EQ(Sparkline({5, 5}), "▅▅");      // flat: the middle
  EXPECT_EQ(Sparkline({9, 1, 2, 3}, 3), "▁▅█");  // the last three only
}

TEST(MarkdownReport, SameContentAsText) {
  const Built b = Build(ReportWorkspace());
  ReportOptions options;
  options.agenda = &b.agenda;
  const std::string md = RenderMarkdownReport(b.ws, b.rollup, options);
  EXPECT_EQ(md.rfind("# Cascade report\n", 0), 0u);
  EXPECT_THAT(md, HasSubstr("As of **Mar 1, 2026** (2026-03-01)"));
  EXPECT_THAT(md, HasSubstr("| on track | 1 |\n| off track | 1 |\n| achieved | 1 |\n"));
  // The tree: a row per goal, children indented, `|` in a title escaped.
  EXPECT_THAT(md, HasSubstr("| **Achieve 20% market share** | `"));
  EXPECT_THAT(md, HasSubstr("└\u00a0Collect 50 qualified leads \\| this quarter | `██░░░░│░░░` | 25% | "
                            "off track | 2026-03-31 | Dana Lee |"));
  // KPIs with value, progress, forecast and a trend.
  EXPECT_THAT(md, HasSubstr("| Followers | 10,500 / 10,000 followers | 100% | 100% | 2026-01-31 | `▁█` |"));
  EXPECT_THAT(md, HasSubstr("| Net promoter score | 55 (line ≥ 50, held 2/3) |"));
  // The agenda.
  EXPECT_THAT(md, HasSubstr("### Off track (1)\n\n- Collect 50 qualified leads \\| this quarter — at 25%"));
  EXPECT_THAT(md, HasSubstr("### Achieved (1)\n\n- Generate 10,000 followers in the first month (Dana Lee)"));
  EXPECT_THAT(md, HasSubstr("### Lint errors (0)\n\nNone."));
  EXPECT_THAT(md, Not(HasSubstr("<svg")));
  // Every table row has as many cells as its header.
  std::istringstream lines(md);
  size_t columns = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    size_t cells = 0;
    for (size_t i = 0; i < line.size(); ++i) cells += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    if (columns == 0) columns = cells;
    EXPECT_EQ(cells, columns) << line;
  }
}

}  // namespace
}  // namespace cascade

namespace cascade {
namespace {

TEST(HtmlReport, WhereMoneyWorksByChannel) {
  // followers (social) achieved with nothing spent; leads (content) at 25% with 500 spent: one
  // goal done there costs 500 / 0.25 = 2,000.
  Workspace ws = ReportWorkspace();
  ws.goals[1].channel = "social";
  ws.goals[2].channel = "content";
  ws.spend.push_back({.seq = 1, .goal = "leads", .date = D("2026-02-01"), .amount = 500});
  const std::string html = Render(Build(std::move(ws)));
  const Element root = ParseHtml(html);
  ASSERT_NE(ByAttr(root, "id", "money"), nullptr);
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">content</th><td class=\"num\">1</td>"));
  EXPECT_THAT(html, HasSubstr("</span></span> 25%</td><td class=\"num\">500</td><td "
                              "class=\"num\">2,000</td>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">social</th><td class=\"num\">1</td>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"empty\">no channel</span>"));
}

}  // namespace
}  // namespace cascade
